import { digitsValue, isDigits } from '../text.js';

/** BAG object types by the two digits after the gemeentecode. */
const bagObjectTypes: Record<string, BagObjectType> = {
  '01': 'verblijfsobject',
  '02': 'ligplaats',
  '03': 'standplaats',
  '10': 'pand',
  '20': 'nummeraanduiding',
  '30': 'openbare_ruimte',
};
export type BagObjectType = 'verblijfsobject' | 'ligplaats' | 'standplaats' | 'pand' | 'nummeraanduiding' | 'openbare_ruimte';

export type BagIdResult =
  | { ok: true; id: string; type: BagObjectType | 'unknown' }
  | { ok: false; reason: 'missing_bag' | 'invalid_bag'; detail: string };

/**
 * Reads a 16-digit BAG id. Excel drops the leading zero of ids like `0363200000123456`,
 * so a 15-digit number is padded back; scientific notation has lost digits and is rejected.
 * @example parseBagId('363200000123456') // { ok: true, id: '0363200000123456', type: 'nummeraanduiding' }
 */
export function parseBagId(raw: string | undefined): BagIdResult {
  if (raw !== undefined && raw.length === 16 && isDigits(raw)) return { ok: true, id: raw, type: bagObjectTypes[raw.slice(4, 6)] ?? 'unknown' };
  const text = (raw ?? '').trim().replace(/^(NL\.IMBAG\.[A-Z]+\.)/i, '');
  if (text === '') return { ok: false, reason: 'missing_bag', detail: 'empty' };
  if (/e\+?\d+$/i.test(text)) {
    return { ok: false, reason: 'invalid_bag', detail: 'written in scientific notation (Excel), digits are lost' };
  }
  if (!/^\d+$/.test(text)) return { ok: false, reason: 'invalid_bag', detail: 'not only digits' };
  const id = text.length === 15 ? `0${text}` : text;
  if (id.length !== 16) return { ok: false, reason: 'invalid_bag', detail: `${text.length} digits; a BAG id has 16` };
  return { ok: true, id, type: bagObjectTypes[id.slice(4, 6)] ?? 'unknown' };
}


/**
 * A BAG id of 16 digits, read from a file's bytes, as a number (exact below 2^53, which every
 * gemeentecode gives); undefined for anything else, which parseBagId reads and names what is wrong.
 */
export function bagNumberOfBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  const value = end - start === 16 ? digitsValue(bytes, start, end) : -1;
  return value >= 0 && Number.isSafeInteger(value) ? value : undefined;
}

export type CbsLevel = 'gemeente' | 'wijk' | 'buurt';

/**
 * Recognises CBS region codes (`GM0363`, `WK036300`, `BU0363KM02`), also as StatLine pads them.
 * @example parseCbsCode('BU03630000  ') // { level: 'buurt', code: 'BU03630000' }
 */
export function parseCbsCode(raw: string): { level: CbsLevel; code: string } | undefined {
  const code = raw.trim().toUpperCase();
  if (/^GM\d{4}$/.test(code)) return { level: 'gemeente', code };
  if (/^WK\d{4}[0-9A-Z]{2}$/.test(code)) return { level: 'wijk', code };
  if (/^BU\d{4}[0-9A-Z]{4}$/.test(code)) return { level: 'buurt', code };
  return undefined;
}
