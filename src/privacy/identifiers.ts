import type { CsvTable } from '../ingest/csv.js';
import { parseDate } from '../ingest/values.js';

export type IdentifierRule = 'name_column' | 'bsn' | 'iban' | 'email' | 'phone' | 'date_of_birth' | 'full_address' | 'bag_id' | 'exact_location' | 'dated_address_events';

/** Direct identifiers stop an analysis; quasi-identifiers are fine on this machine but never in an output. */
export const directRules: ReadonlySet<IdentifierRule> = new Set(['name_column', 'bsn', 'iban', 'email', 'phone', 'date_of_birth']);

export interface IdentifierFinding {
  file: string;
  column: string;
  rule: IdentifierRule;
  kind: 'direct' | 'quasi';
  /** How many values match the rule (never the values themselves). */
  count: number;
}

const nameColumn = /^(voor|achter|roep|geboorte|familie)?_?naam$|^(voornaam|achternaam|naam|name|first_?name|last_?name|surname|full_?name|tussenvoegsel|voorletters|initialen)$/i;
const bsnColumn = /bsn|burgerservice|sofi/i;
const birthColumn = /geboorte|geb[._ ]?datum|birth|^dob$/i;
// Broader than the rules above: only decides whether `inspect` may show example values.
const personalWord = /(^|[^a-z])(naam|voornaam|achternaam|voorletters|tussenvoegsel|name|bsn|burgerservice|sofi|geboorte|geb_?datum|birth|dob|e-?mail|telefoon|tel|phone|mobiel|gsm|iban|rekening)/i;
const emailValue = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
const emailToken = /[^@\s,;<>()]+@[^@\s,;<>()]+\.[a-z]{2,}/gi;
const phoneToken = /(?:\+31|0031|\b0)[\s-]?[1-9](?:[\s-]?\d){8}\b/g;
const digitsToken = /\b\d{8,9}\b/g;
const ibanToken = /\bNL\d{2}\s?[A-Z]{4}(?:\s?\d){10}\b/gi;

/**
 * Scans every column of an export for personal identifiers. Reports per column the rule and how
 * many values match; the values themselves never leave this function.
 */
export function scanTable(table: CsvTable, addressColumns: { postcode?: string | undefined; huisnummer?: string | undefined; bag?: string[] | undefined; point?: [string, string] | undefined; date?: string | undefined } = {}): IdentifierFinding[] {
  const findings: IdentifierFinding[] = [];
  const add = (column: string, rule: IdentifierRule, count: number) => {
    if (count > 0) findings.push({ file: table.file, column, rule, kind: directRules.has(rule) ? 'direct' : 'quasi', count });
  };
  table.header.forEach((column, c) => {
    const isName = nameColumn.test(column.replace(/\s+/g, '_'));
    const isBirth = birthColumn.test(column);
    if (isName || isBirth) {
      const values = table.column(c).map((value) => value.trim()).filter((value) => value !== '');
      if (isName) add(column, 'name_column', values.length);
      if (isBirth) add(column, 'date_of_birth', values.filter((v) => parseDate(v) !== undefined).length);
    }
    let bsn = 0;
    let nineDigits = 0;
    let iban = 0;
    let email = 0;
    let phone = 0;
    table.visitColumn(c, mayHoldIdentifier, (raw) => {
      const value = raw.trim();
      if (countDigits(value) >= 8) {
        for (const token of value.match(digitsToken) ?? []) {
          nineDigits++;
          if (isBsn(token)) bsn++;
        }
        phone += (value.replace(/[()]/g, '').match(phoneToken) ?? []).length;
        if (/nl/i.test(value)) for (const token of value.match(ibanToken) ?? []) if (isIban(token)) iban++;
      }
      if (value.includes('@')) email += (value.match(emailToken) ?? []).length;
    });
    // Any 9-digit number passes the 11-proef by chance one time in eleven: a column counts as BSN
    // when its name says so or most of its 9-digit numbers pass.
    if (bsn > 0 && (bsnColumn.test(column) || bsn * 2 > nineDigits)) add(column, 'bsn', bsn);
    add(column, 'iban', iban);
    add(column, 'email', email);
    add(column, 'phone', phone);
  });
  const hasAddress = addressColumns.postcode !== undefined && addressColumns.huisnummer !== undefined;
  if (hasAddress) add(`${addressColumns.postcode} + ${addressColumns.huisnummer}`, 'full_address', table.rowCount);
  for (const bag of addressColumns.bag ?? []) add(bag, 'bag_id', table.rowCount);
  if (addressColumns.point) add(addressColumns.point.join(' + '), 'exact_location', table.rowCount);
  if ((hasAddress || addressColumns.point || addressColumns.bag) && addressColumns.date) add(`${addressColumns.date} + location`, 'dated_address_events', table.rowCount);
  return findings;
}

/**
 * The cheap test on a cell's bytes, so millions of ordinary cells never become strings: an e-mail
 * needs an @; a BSN eight digits in a row; a phone number or IBAN ten digits in a run of digits,
 * letters, spaces, dashes, brackets and plus signs. Coordinates like 121702.35 pass none.
 */
function mayHoldIdentifier(bytes: Uint8Array, start: number, end: number): boolean {
  let consecutive = 0;
  let inRun = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte === 0x40) return true;
    if (byte >= 0x30 && byte <= 0x39) {
      if (++consecutive >= 8 || ++inRun >= 10) return true;
      continue;
    }
    consecutive = 0;
    const letter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a;
    if (!letter && byte !== 0x20 && byte !== 0x2d && byte !== 0x28 && byte !== 0x29 && byte !== 0x2b) inRun = 0;
  }
  return false;
}

function countDigits(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

/** The 11-proef for burgerservicenummers (8 digits are read with a leading zero). */
export function isBsn(text: string): boolean {
  if (!/^\d{8,9}$/.test(text)) return false;
  const digits = text.padStart(9, '0').split('').map(Number);
  const sum = digits.reduce((total, digit, i) => total + digit * (i === 8 ? -1 : 9 - i), 0);
  return sum % 11 === 0 && sum !== 0;
}

/** IBAN check digits (mod 97). */
export function isIban(text: string): boolean {
  const compact = text.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  const numeric = rearranged.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder === 1;
}

/** One value that looks like a direct identifier whatever its column: e-mail, phone, IBAN, BSN. */
export function looksPersonalValue(value: string): boolean {
  const compact = value.replace(/[\s.-]/g, '');
  if (emailValue.test(value)) return true;
  if (/^(\+31|0031|0)[1-9]\d{8}$/.test(compact)) return true;
  if (isIban(compact) && compact.startsWith('NL')) return true;
  return isBsn(compact);
}

/** A column name that may hold personal data: any identifier rule's name, or a contact word in it. */
export function looksPersonalColumn(name: string): boolean {
  return personalWord.test(name) || nameColumn.test(name.replace(/\s+/g, '_')) || bsnColumn.test(name) || birthColumn.test(name);
}

/** Which columns of a source locate a record (for the quasi-identifier rules). */
export function locatingColumns(config: { place_by: string; columns: { postcode?: string | undefined; huisnummer?: string | undefined; bag?: string | undefined; x?: string | undefined; y?: string | undefined }; date?: string | undefined }) {
  const c = config.columns;
  return {
    postcode: config.place_by === 'address' ? c.postcode : undefined,
    huisnummer: config.place_by === 'address' ? c.huisnummer : undefined,
    bag: config.place_by === 'bag' && c.bag ? [c.bag] : undefined,
    point: config.place_by === 'point' && c.x && c.y ? ([c.x, c.y] as [string, string]) : undefined,
    date: config.date,
  };
}
