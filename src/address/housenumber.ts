import { digitsValue, isDigits } from '../text.js';

/** A house number split the way BAG stores it: number, optional letter, optional suffix (toevoeging). */
export interface HouseNumber {
  number: number;
  /** Huisletter, one upper-case letter, or '' */
  letter: string;
  /** Toevoeging in canonical form ('H', '2', 'BIS', ...), or '' */
  suffix: string;
}

export type HouseNumberResult =
  | ({ ok: true } & HouseNumber)
  | { ok: false; reason: 'missing_huisnummer' | 'invalid_huisnummer'; detail: string };

const romanNumerals: Record<string, string> = {
  I: '1', II: '2', III: '3', IV: '4', V: '5', VI: '6', VII: '7', VIII: '8', IX: '9', X: '10',
};
/** Words that mean the ground floor (huis) in Amsterdam-style suffixes. */
const groundFloorWords = new Set(['H', 'HS', 'HUIS', 'HSE']);
/** Words after a floor number meaning "storeys up": `3 hg`, `3-hoog`. */
const floorWords = /^(\d+)\s*-?\s*(HG|HOOG|E|DE|STE|ETG|ETAGE)$/;

/**
 * Reads a house number as real exports write it, alone or with separate letter and suffix columns.
 * @example parseHouseNumber('12-II')   // { number: 12, letter: '', suffix: '2' }
 * @example parseHouseNumber('12 a')    // { number: 12, letter: 'A', suffix: '' }
 * @example parseHouseNumber('12-3 hg') // { number: 12, letter: '', suffix: '3' }
 * @example parseHouseNumber('12', 'b', 'hs') // { number: 12, letter: 'B', suffix: 'H' }
 */
export function parseHouseNumber(raw: string | undefined, letterColumn?: string, suffixColumn?: string): HouseNumberResult {
  // The common case without regular expressions: digits only, no letter or suffix.
  if (raw !== undefined && raw.length > 0 && raw.length <= 5 && !letterColumn?.trim() && !suffixColumn?.trim() && raw.charCodeAt(0) !== 48 && isDigits(raw)) {
    return { ok: true, number: Number(raw), letter: '', suffix: '' };
  }
  const text = (raw ?? '').trim().toUpperCase();
  if (text === '') return { ok: false, reason: 'missing_huisnummer', detail: 'empty' };
  const match = /^(\d+)(.*)$/.exec(text);
  if (!match) return { ok: false, reason: 'invalid_huisnummer', detail: 'does not start with a number' };
  const number = Number(match[1]);
  if (number === 0 || number > 99999) return { ok: false, reason: 'invalid_huisnummer', detail: `${number} is not a house number` };

  let rest = (match[2] ?? '').trim();
  let letter = '';
  // A letter is a single A-Z directly after the number or standing alone ("12A", "12 a", "12A-2"),
  // except I, V and X after a separator, which are floors in Roman numerals ("12-II", "12 I").
  const attached = /^([A-Z])(?![A-Z])\s*[-/]?\s*(.*)$/.exec(match[2] ?? '');
  const spaced = /^[\s]+([A-Z])(?![A-Z])\s*[-/]?\s*(.*)$/.exec(match[2] ?? '');
  if (attached) {
    letter = attached[1]!;
    rest = attached[2]!.trim();
  } else if (spaced && !romanNumerals[spaced[1]!]) {
    letter = spaced[1]!;
    rest = spaced[2]!.trim();
  }
  const letterFromColumn = (letterColumn ?? '').trim().toUpperCase();
  if (letterFromColumn !== '') {
    if (/^[A-Z]$/.test(letterFromColumn)) letter = letterFromColumn;
    else rest = `${letterFromColumn} ${rest}`.trim();
  }
  const suffixFromColumn = (suffixColumn ?? '').trim();
  const suffix = normaliseSuffix(suffixFromColumn !== '' ? suffixFromColumn : rest);
  if (suffix === undefined) return { ok: false, reason: 'invalid_huisnummer', detail: `suffix "${rest}" is not readable` };
  return { ok: true, number, letter, suffix };
}

/**
 * Canonical toevoeging: `hs`/`huis` → `H`, Roman floors → digits, `3 hg` → `3`, separators dropped.
 * @example normaliseSuffix('-III') // '3'
 */
export function normaliseSuffix(raw: string): string | undefined {
  let text = raw.trim().toUpperCase().replace(/^[-/\s]+/, '').replace(/[\s]+/g, ' ');
  if (text === '') return '';
  if (groundFloorWords.has(text)) return 'H';
  const roman = romanNumerals[text];
  if (roman) return roman;
  const floor = floorWords.exec(text);
  if (floor) return String(Number(floor[1]));
  const romanFloor = /^([IVX]+)\s*-?\s*(HG|HOOG)$/.exec(text);
  if (romanFloor && romanNumerals[romanFloor[1]!]) return romanNumerals[romanFloor[1]!];
  if (/^\d+$/.test(text)) return String(Number(text));
  text = text.replace(/[-/\s.]/g, '');
  return /^[A-Z0-9]{1,6}$/.test(text) ? text : undefined;
}

/** The canonical text of a parsed house number: `12`, `12A`, `12-2`, `12A-H`. */
export function formatHouseNumber({ number, letter, suffix }: HouseNumber): string {
  return `${number}${letter}${suffix ? `-${suffix}` : ''}`;
}

/*
 * The common forms read straight from a file's bytes, for registers and sources of millions of
 * rows: each gives what parseHouseNumber would, or -1 / undefined for anything it leaves to it.
 */

/** A house number of 1 to 5 digits without a leading zero, else -1. */
export function houseNumberOfBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start > 5 || bytes[start] === 48) return -1;
  return digitsValue(bytes, start, end);
}

const upperLetters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));

/** An empty huisletter or a single letter (upper case), else undefined. */
export function letterOfBytes(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (start === end) return '';
  if (end - start !== 1) return undefined;
  const byte = bytes[start]! & 0xdf;
  return byte >= 65 && byte <= 90 ? upperLetters[byte - 65] : undefined;
}

/** Canonical toevoegingen of short ASCII ones, by their bytes packed in one number: a register holds few different ones. */
const shortSuffixes = new Map<number, string | undefined>();

/** An empty toevoeging, or a short printable ASCII one made canonical (normaliseSuffix); undefined for anything else. */
export function suffixOfBytes(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (start === end) return '';
  if (end - start > 4) return undefined;
  let packed = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte < 0x20 || byte > 0x7e) return undefined;
    packed = packed * 256 + byte;
  }
  if (!shortSuffixes.has(packed)) shortSuffixes.set(packed, normaliseSuffix(String.fromCharCode(...bytes.subarray(start, end))));
  return shortSuffixes.get(packed);
}
