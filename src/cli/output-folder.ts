import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { cannotWrite } from './io.js';

/**
 * Writes a run's outputs as one whole: into a temporary folder beside the output folder, which
 * replaces it only when everything (tables, maps, report) is written. A run that is killed leaves
 * the previous output as it was; its temporary folder and lock are cleared by the next run. A lock
 * beside the folder keeps two runs from writing into it at once. Files in the old folder that this
 * run does not write (an analyst's notes) move into the new one.
 */
export async function writeWhole<T>(outDir: string, write: (dir: string) => Promise<T>): Promise<T> {
  const parent = dirname(outDir);
  const name = basename(outDir);
  const lock = join(parent, `.${name}.lock`);
  try {
    if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    mkdirSync(parent, { recursive: true });
    takeLock(lock, outDir);
  } catch (error) {
    throw error instanceof UserError ? error : cannotWrite(outDir, error);
  }
  const temporary = join(parent, `.${name}.tmp-${process.pid}`);
  try {
    clearStale(parent, name);
    mkdirSync(temporary, { recursive: true });
    const result = await write(temporary);
    try {
      if (existsSync(outDir)) {
        for (const entry of readdirSync(outDir)) if (!existsSync(join(temporary, entry))) renameSync(join(outDir, entry), join(temporary, entry));
        const old = join(parent, `.${name}.old-${process.pid}`);
        renameSync(outDir, old);
        renameSync(temporary, outDir);
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(temporary, outDir);
      }
    } catch (error) {
      throw cannotWrite(outDir, error);
    }
    return result;
  } finally {
    rmSync(temporary, { recursive: true, force: true });
    rmSync(lock, { force: true });
  }
}

function takeLock(lock: string, outDir: string) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new UserError(`another buurtbalans run (process ${holder}) is writing to ${outDir}`, {
          file: outDir,
          expected: 'one run at a time per output folder',
          fix: 'wait until that run has finished, or give this run another folder with --out',
        });
      }
      // The run that held it is gone (killed, or the machine restarted): its lock is stale.
      rmSync(lock, { force: true });
    }
  }
  throw new UserError(`cannot lock ${outDir}`, { file: lock, expected: 'a lock file that can be created beside the output folder', fix: 'remove the lock file if no run is writing there' });
}

/** Temporary and old folders of runs that did not finish (an old folder is the output again when a run died between its two renames). */
function clearStale(parent: string, name: string) {
  const pattern = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-(\\d+)$`);
  for (const entry of readdirSync(parent)) {
    const match = pattern.exec(entry);
    if (!match || alive(Number(match[2]))) continue;
    if (match[1] === 'old' && !existsSync(join(parent, name))) renameSync(join(parent, entry), join(parent, name));
    else rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
