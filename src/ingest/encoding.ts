import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { UserError } from '../errors.js';

export type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export interface Utf8Bytes {
  /** The file's content as UTF-8, without a byte order mark. */
  bytes: Buffer;
  encoding: Encoding;
  bom: boolean;
  /** Read as Windows-1252, yet holding UTF-8 sequences too: some characters will be wrong. */
  mixed?: boolean;
}

/**
 * Brings an export to UTF-8 bytes. Dutch exports are UTF-8 (often with a BOM from Excel) or
 * Windows-1252; strict UTF-8 validation tells the two apart exactly, so no statistical guess
 * is needed. UTF-16 is recognised by its BOM. UTF-8 input is used as it is: no copy, no string.
 */
export function toUtf8(bytes: Uint8Array, file: string, override?: Encoding): Utf8Bytes {
  rejectBinary(bytes, file);
  const bom = detectBom(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (override) {
    refuseContradiction(buffer, bom?.encoding, override, file);
    const skip = bom && bom.encoding === override ? bom.length : 0;
    return { bytes: transcode(buffer.subarray(skip), override), encoding: override, bom: skip > 0 };
  }
  if (bom) return { bytes: transcode(buffer.subarray(bom.length), bom.encoding), encoding: bom.encoding, bom: true };
  if (isUtf8(buffer)) return { bytes: buffer, encoding: 'utf-8', bom: false };
  return { bytes: transcode(buffer, 'windows-1252'), encoding: 'windows-1252', bom: false, mixed: hasUtf8Sequences(buffer) };
}

/**
 * An `encoding:` the bytes contradict would turn every ë into "Ã«" or "�" in every output: the
 * project file is wrong, so say so before reading a single value.
 */
function refuseContradiction(bytes: Buffer, bom: Encoding | undefined, override: Encoding, file: string): void {
  const fix = 'remove encoding: for this file in buurtbalans.yml (the encoding is detected), or set the one named here';
  const refuse = (found: string, line?: number) => {
    throw new UserError(`encoding: ${override} is set, but ${found}`, { file, line, expected: `a file in ${override}, as encoding: says`, fix });
  };
  if (bom && bom !== override) refuse(`the file starts with the byte order mark of ${bom}`);
  if (override.startsWith('utf-16')) {
    if (!bom && bytes.subarray(0, 8192).indexOf(0) < 0) refuse('the file has no UTF-16 characters (no byte order mark and no zero bytes): it is UTF-8 or Windows-1252');
    return;
  }
  if (override === 'utf-8' && !isUtf8(bytes)) refuse('this line is not valid UTF-8: the file is Windows-1252 (ANSI)', lineOf(bytes, firstInvalidUtf8(bytes)));
  if (override === 'windows-1252' && isUtf8(bytes) && hasUtf8Sequences(bytes)) refuse('the file is UTF-8: ë would be read as "Ã«"', lineOf(bytes, bytes.indexOf(0xc3)));
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

/** The offset of the first byte that breaks UTF-8 (found by halving: isUtf8 is native and fast). */
function firstInvalidUtf8(bytes: Buffer): number {
  let lo = 0, hi = bytes.length;
  // Invariant: bytes[0, lo) is valid UTF-8 up to a character boundary, bytes[0, hi) is not.
  while (hi - lo > 4) {
    let mid = (lo + hi) >> 1;
    while (mid > lo && (bytes[mid]! & 0xc0) === 0x80) mid--;
    if (mid === lo) break;
    if (isUtf8(bytes.subarray(0, mid))) lo = mid;
    else hi = mid;
  }
  while (lo < hi && bytes[lo]! < 0x80) lo++;
  return lo;
}

/** Chunk by chunk, so a large export never becomes one string (V8 caps strings at 512 M characters). */
function transcode(bytes: Buffer, encoding: Encoding): Buffer {
  if (encoding === 'utf-8') return isUtf8(bytes) ? bytes : Buffer.from(bytes.toString('utf8'));
  const decoder = iconv.getDecoder(encoding);
  const parts: Buffer[] = [];
  const chunk = 1 << 24;
  for (let start = 0; start < bytes.length; start += chunk) parts.push(Buffer.from(decoder.write(bytes.subarray(start, start + chunk)), 'utf8'));
  const rest = decoder.end();
  if (rest) parts.push(Buffer.from(rest, 'utf8'));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Two-byte UTF-8 sequences (é, ë, ü: C3 xx) in a file that is not valid UTF-8 as a whole. */
function hasUtf8Sequences(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xc3); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(0xc3, i + 1)) if (bytes[i + 1]! >= 0x80 && bytes[i + 1]! <= 0xbf) return true;
  return false;
}

function detectBom(bytes: Uint8Array): { encoding: Encoding; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

function rejectBinary(bytes: Uint8Array, file: string): void {
  const fix = 'open it in Excel or LibreOffice and save it as "CSV (puntkomma gescheiden)" or CSV UTF-8';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new UserError('this is an Excel workbook (.xlsx) or another zip file, not a CSV', { file, expected: 'a CSV text file', fix });
  }
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new UserError('this is an old Excel workbook (.xls), not a CSV', { file, expected: 'a CSV text file', fix });
  }
  const utf16 = detectBom(bytes)?.encoding.startsWith('utf-16') ?? false;
  const sample = bytes.subarray(0, 8192);
  const nul = utf16 ? -1 : sample.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    for (let i = 0; i < nul; i++) if (sample[i] === 0x0a) line++;
    const binary = sample.filter((byte) => byte === 0).length > 1;
    throw new UserError(binary ? 'the file holds binary data (NUL bytes), so no CSV dialect can be detected' : 'the file holds a NUL byte, which no CSV text has', {
      file,
      line,
      expected: 'a CSV text file',
      fix: binary ? fix : `remove the NUL byte on line ${line} (a damaged export or a copy from another program), or export the data again`,
    });
  }
}
