import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import iconv from 'iconv-lite';
import type { SampleFile, SampleSink } from '../samples/generate.js';

const flushAt = 1 << 20;

/** Files in a folder, written in 1 MB chunks through a temporary name and renamed when complete. */
export function fileSink(dir: string): SampleSink {
  mkdirSync(dir, { recursive: true });
  return ({ name, encoding, bom }): SampleFile => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    const temporary = join(dirname(path), `.${basename(name)}.${process.pid}.tmp`);
    const fd = openSync(temporary, 'w');
    const encode = (text: string) => (encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding));
    if (bom) writeSync(fd, Buffer.from([0xef, 0xbb, 0xbf]));
    let pending: string[] = [];
    let size = 0;
    const flush = () => {
      if (pending.length === 0) return;
      writeSync(fd, encode(pending.join('')));
      pending = [];
      size = 0;
    };
    return {
      write(text) {
        pending.push(text);
        size += text.length;
        if (size >= flushAt) flush();
      },
      close() {
        flush();
        closeSync(fd);
        renameSync(temporary, path);
      },
    };
  };
}
