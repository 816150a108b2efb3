import { readdirSync, readFileSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Input above this size runs in a child process with a heap sized to the machine. */
export const largeInputBytes = 256 * 1024 * 1024;

/**
 * A byte of GeoJSON costs far more heap than a byte of CSV (every coordinate becomes a number in
 * an array): counted sixteen times, a boundary digitised with millions of vertices (42 MB) is
 * supervised, while a million points in CSV beside ordinary blocks still start at once.
 */
const geometryWeight = 16;
const fileWeight = (path: string) => (/\.(geo)?json$/i.test(path) ? geometryWeight : 1);

const fileSize = (path: string) => {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats?.isFile() ? stats.size : 0;
};

/**
 * The size of a command's input (GeoJSON weighted by its cost in memory): for a project, the files its buurtbalans.yml names (`file:`
 * entries, block or flow style, wherever the files lie); otherwise the files in the folder of the
 * analysis or GeoJSON. Read with a pattern, not the YAML parser: this decides before any of the
 * pipeline loads. 0 when the path cannot be read (the command itself then says why).
 */
export function inputBytes(path = '.'): number {
  try {
    const stats = statSync(path);
    const folder = stats.isDirectory() ? path : dirname(path);
    const projectFile = stats.isDirectory() ? join(folder, 'buurtbalans.yml') : /\.ya?ml$/i.test(path) ? path : undefined;
    if (projectFile && fileSize(projectFile) > 0) {
      const named = [...readFileSync(projectFile, 'utf8').matchAll(/(?:^|[\s{,-])file:\s*["']?([^"',{}#\r\n]+?)["']?\s*(?=[,}#\r\n]|$)/gm)].map((match) => match[1]!);
      return named.reduce((sum, name) => sum + fileWeight(name) * fileSize(resolve(dirname(projectFile), name)), 0);
    }
    return readdirSync(folder).reduce((sum, name) => sum + fileWeight(name) * fileSize(join(folder, name)), 0);
  } catch {
    return 0;
  }
}

/** The heap a heavy command gets: three quarters of this machine's memory, or BUURTBALANS_MEMORY_MB. */
export function heapLimitMb(env: NodeJS.ProcessEnv = process.env): number {
  const chosen = Number(env.BUURTBALANS_MEMORY_MB);
  return Number.isFinite(chosen) && chosen > 0 ? Math.round(chosen) : Math.floor((totalmem() / 1048576) * 0.75);
}

/** What helps when an analysis does not fit in memory. */
export function memoryAdvice(): string {
  return 'analyse less at once: one area per run, a shorter --period, --no-maps --no-report; or run on a machine with more memory (BUURTBALANS_MEMORY_MB sets how much buurtbalans may use)';
}

/** Every command puts its outputs in place only when all of them are ready: a crash leaves none. */
const notWritten: Record<string, string> = {
  analyse: 'nothing was written: the output folder is as it was before this run (no maps, no report, no analysis.json of this run)',
  map: 'no map was written',
  report: 'no report file was written',
  hotspots: 'no output file was written',
};

export function outOfMemoryMessage(command: string, limitMb: number): string {
  return [
    `error: buurtbalans ${command} ran out of memory (it may use ${limitMb < 1024 ? `${limitMb} MB` : `${(limitMb / 1024).toFixed(1)} GB`} of this machine's ${(totalmem() / 1073741824).toFixed(1)} GB); ${notWritten[command] ?? 'nothing was written'}`,
    `  expected: input that fits in that memory`,
    `  fix: ${memoryAdvice()}`,
  ].join('\n');
}
