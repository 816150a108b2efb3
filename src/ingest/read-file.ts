import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { UserError } from '../errors.js';

/**
 * Reads an input file whole. Only regular files: a device such as /dev/zero or a named pipe
 * would be read forever (or until a writer closes it), so those are refused before reading.
 * `shared`: into memory that worker threads share (an export a placing worker reads too).
 */
export function readInputFile(path: string, shown: string, help: { expected: string; fix: string }, options: { shared?: boolean } = {}): Buffer {
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new UserError('this is a folder, not a file', { file: shown, ...help });
    if (!stats.isFile()) {
      throw new UserError('this is not an ordinary file (a device or a named pipe): reading it might never end', {
        file: shown,
        expected: help.expected,
        fix: 'save the export as a file first and name that file',
      });
    }
    return options.shared ? readShared(path) : readFileSync(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? 'file not found' : `file cannot be read (${code})`, {
      file: shown,
      expected: help.expected,
      fix: code === 'ENOENT' ? help.fix : 'check the file permissions',
    });
  }
}

function readShared(path: string): Buffer {
  const file = openSync(path, 'r');
  try {
    const bytes = Buffer.from(new SharedArrayBuffer(fstatSync(file).size));
    let at = 0;
    for (let read = 1; at < bytes.length && read > 0; at += read) read = readSync(file, bytes, at, bytes.length - at, at);
    // A file that shrank while it was read (an export still being written) ends where its bytes end.
    return at < bytes.length ? bytes.subarray(0, at) : bytes;
  } finally {
    closeSync(file);
  }
}
