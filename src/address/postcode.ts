/** Result of reading a postcode: the PC6 in canonical form (`1079AB`) or why it is not one. */
export type PostcodeResult = { ok: true; pc6: string } | { ok: false; reason: 'missing_postcode' | 'invalid_postcode'; detail: string };

const forbiddenLetterPairs = new Set(['SA', 'SD', 'SS']);

/**
 * Normalises a Dutch postcode in any spacing and case.
 * @example normalisePostcode(' 1079 ab') // { ok: true, pc6: '1079AB' }
 * @example normalisePostcode('10795AB') // { ok: false, reason: 'invalid_postcode', ... }
 */
export function normalisePostcode(raw: string | undefined): PostcodeResult {
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
