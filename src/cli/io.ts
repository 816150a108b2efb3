import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { UserError } from '../errors.js';

/** Where a command prints: human text to stderr, machine output to stdout. Injectable for tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Bytes per write: large enough for few system calls, small enough to fill while the other is written. */
const bufferSize = 1 << 20;

/**
 * Pieces encoded into two reused buffers: one is filled while the other is written, so making the
 * text and the disk's work overlap (a country's 7 GB of tables waited 17 s on the disk otherwise),
 * and no new buffer per megabyte (every 64 MB of those set off a full garbage collection).
 */
async function writePieces(path: string, pieces: Iterable<string>): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const buffers = [Buffer.allocUnsafe(bufferSize), Buffer.allocUnsafe(bufferSize)];
    let current = 0;
    let used = 0;
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const bytes = buffers[current]!.subarray(0, used);
      await writing;
      writing = writeAll(handle, bytes);
      current = 1 - current;
      used = 0;
    };
    for (const piece of pieces) {
      // A UTF-16 code unit takes at most 3 bytes in UTF-8.
      if (used + piece.length * 3 > bufferSize) await flush();
      if (piece.length * 3 > bufferSize) {
        await writing;
        writing = writeAll(handle, Buffer.from(piece));
      } else used += buffers[current]!.write(piece, used);
    }
    await flush();
    await writing;
  } finally {
    await handle.close();
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.length; ) written += (await handle.write(bytes, written)).bytesWritten;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Writes a file through a temporary name and a rename, so a crash never leaves half a file. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = temporaryName(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    throw cannotWrite(path, error);
  }
}

/** writeFileAtomic for content in pieces: no single string holds a large output. */
export async function writePiecesAtomic(path: string, pieces: Iterable<string>): Promise<void> {
  const temporary = temporaryName(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    await writePieces(temporary, pieces);
    renameSync(temporary, path);
  } catch (error) {
    throw cannotWrite(path, error);
  }
}

function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

export function cannotWrite(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  // Only the file system's own errors are about writing; anything else (a bug making the content) stays as it is.
  if (code === undefined) return error;
  return new UserError(`cannot write ${path} (${code})`, {
    file: path,
    expected: 'a folder this user may write in',
    fix: code === 'ENOTDIR' || code === 'EEXIST' ? 'a file stands where the output folder should be: choose another --out' : 'choose another --out folder, or check its permissions and free space',
  });
}
