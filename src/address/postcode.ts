import { digitsValue } from '../text.js';

/** Result of reading a postcode: the PC6 in canonical form (`1079AB`) or why it is not one. */
export type PostcodeResult = { ok: true; pc6: string } | { ok: false; reason: 'missing_postcode' | 'invalid_postcode'; detail: string };

const forbiddenLetterPairs = new Set(['SA', 'SD', 'SS']);
/** The same pairs by (a − 'A') × 26 + (b − 'A'), for reading bytes. */
const forbiddenPairCodes = new Uint8Array(676);
for (const pair of forbiddenLetterPairs) forbiddenPairCodes[(pair.charCodeAt(0) - 65) * 26 + pair.charCodeAt(1) - 65] = 1;

/**
 * Normalises a Dutch postcode in any spacing and case.
 * @example normalisePostcode(' 1079 ab') // { ok: true, pc6: '1079AB' }
 * @example normalisePostcode('10795AB') // { ok: false, reason: 'invalid_postcode', ... }
 */
export function normalisePostcode(raw: string | undefined): PostcodeResult {
  if (raw !== undefined && isCanonical(raw)) return { ok: true, pc6: raw };
  const text = (raw ?? '').replace(/[\s\u00a0-]+/g, '').toUpperCase();
  if (text === '') return { ok: false, reason: 'missing_postcode', detail: 'empty' };
  const match = /^(\d+)([A-Z]*)$/.exec(text);
  if (!match) return { ok: false, reason: 'invalid_postcode', detail: 'not 4 digits followed by 2 letters' };
  const [, digits = '', letters = ''] = match;
  if (digits.length !== 4) return { ok: false, reason: 'invalid_postcode', detail: `${digits.length} digits; a postcode has 4` };
  if (digits.startsWith('0')) return { ok: false, reason: 'invalid_postcode', detail: 'starts with 0' };
  if (letters.length === 0) return { ok: false, reason: 'invalid_postcode', detail: 'only the 4 digits (PC4), no letters' };
  if (letters.length !== 2) return { ok: false, reason: 'invalid_postcode', detail: `${letters.length} letters; a postcode has 2` };
  if (forbiddenLetterPairs.has(letters)) return { ok: false, reason: 'invalid_postcode', detail: `letters ${letters} are never used` };
  return { ok: true, pc6: digits + letters };
}

/**
 * A canonical PC6 (`1079AB`) written in bytes as its `pc6Code`, -1 for any other form (which
 * normalisePostcode reads, and names what is wrong).
 */
export function pc6CodeOfBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start !== 6 || bytes[start] === 48) return -1;
  const digits = digitsValue(bytes, start, start + 4);
  if (digits < 0) return -1;
  const a = bytes[start + 4]!;
  const b = bytes[start + 5]!;
  if (a < 65 || a > 90 || b < 65 || b > 90 || forbiddenPairCodes[(a - 65) * 26 + b - 65]) return -1;
  return (digits * 26 + a - 65) * 26 + b - 65;
}

/** A canonical PC6 as an integer below 6.8 million: a cheap key where millions of addresses are counted. */
export function pc6Code(pc6: string): number {
  const digits = (pc6.charCodeAt(0) - 48) * 1000 + (pc6.charCodeAt(1) - 48) * 100 + (pc6.charCodeAt(2) - 48) * 10 + (pc6.charCodeAt(3) - 48);
  return (digits * 26 + pc6.charCodeAt(4) - 65) * 26 + pc6.charCodeAt(5) - 65;
}

/** The PC6 of a `pc6Code`. */
export function pc6OfCode(code: number): string {
  return `${Math.floor(code / 676)}${String.fromCharCode(65 + (Math.floor(code / 26) % 26), 65 + (code % 26))}`;
}

/** `1079AB` as registers write it: the common case, checked without regular expressions. */
function isCanonical(text: string): boolean {
  if (text.length !== 6) return false;
  const first = text.charCodeAt(0);
  if (first < 49 || first > 57) return false;
  for (let i = 1; i < 4; i++) {
    const digit = text.charCodeAt(i);
    if (digit < 48 || digit > 57) return false;
  }
  const a = text.charCodeAt(4);
  const b = text.charCodeAt(5);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90 && !forbiddenLetterPairs.has(text.slice(4));
}
