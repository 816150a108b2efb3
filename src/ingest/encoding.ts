import iconv from 'iconv-lite';
import { UserError } from '../errors.js';

export type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  text: string;
  encoding: Encoding;
  bom: boolean;
  /** Read as Windows-1252, yet holding UTF-8 sequences too: some characters will be wrong. */
  mixed?: boolean;
}

/**
 * Decodes an export to text. Dutch exports are UTF-8 (often with a BOM from Excel) or
 * Windows-1252; a strict UTF-8 decode tells the two apart exactly, so no statistical guess
 * is needed. UTF-16 is recognised by its BOM.
 */
export function decodeText(bytes: Uint8Array, file: string, override?: Encoding): DecodedText {
  rejectBinary(bytes, file);
  const bom = detectBom(bytes);
  if (override) {
    const skip = bom && bom.encoding === override ? bom.length : 0;
    return { text: iconv.decode(Buffer.from(bytes.subarray(skip)), override), encoding: override, bom: skip > 0 };
  }
  if (bom) {
    return { text: iconv.decode(Buffer.from(bytes.subarray(bom.length)), bom.encoding), encoding: bom.encoding, bom: true };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', bom: false };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'windows-1252'), encoding: 'windows-1252', bom: false, mixed: hasUtf8Sequences(bytes) };
  }
}

/** Two-byte UTF-8 sequences (é, ë, ü: C3 xx) in a file that is not valid UTF-8 as a whole. */
function hasUtf8Sequences(bytes: Uint8Array): boolean {
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xc3 && bytes[i + 1]! >= 0x80 && bytes[i + 1]! <= 0xbf) return true;
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
  if (!utf16 && sample.includes(0)) {
    throw new UserError('the file holds binary data (NUL bytes), so no CSV dialect can be detected', {
      file,
      expected: 'a CSV text file',
      fix,
    });
  }
}
