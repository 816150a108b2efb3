import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { UserError } from '../errors.js';

/** Where a command prints: human text to stderr, machine output to stdout. Injectable for tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Writes a file through a temporary name and a rename, so a crash never leaves half a file. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`cannot write ${path} (${code})`, {
      file: path,
      expected: 'a folder this user may write in',
      fix: code === 'ENOTDIR' || code === 'EEXIST' ? 'a file stands where the output folder should be: choose another --out' : 'choose another --out folder, or check its permissions and free space',
    });
  }
}
