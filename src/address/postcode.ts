/** Result of reading a postcode: the PC6 in canonical form (`1079AB`) or why it is not one. */
export type PostcodeResult = { ok: true; pc6: string } | { ok: false; reason: 'missing_postcode' | 'invalid_postcode'; detail: string };

const forbiddenLetterPairs = new Set(['SA', 'SD', 'SS']);

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
