import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { UserError } from '../errors.js';

/** Where a command prints: human text to stderr, machine output to stdout. Injectable for tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Joins pieces into chunks of about a megabyte. */
export function* chunked(pieces: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

function writePieces(path: string, pieces: Iterable<string>): void {
  const fd = openSync(path, 'w');
  try {
    for (const chunk of chunked(pieces)) {
      const bytes = Buffer.from(chunk);
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
    }
  } finally {
    closeSync(fd);
  }
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Writes a file through a temporary name and a rename, so a crash never leaves half a file.
 * Content in pieces is written a megabyte at a time: no single string holds a large output.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array | Iterable<string>): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (typeof content === 'string' || content instanceof Uint8Array) writeFileSync(temporary, content);
    else writePieces(temporary, content);
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
