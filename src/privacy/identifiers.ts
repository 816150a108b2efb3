import type { CsvTable } from '../ingest/csv.js';
import { parseDate } from '../ingest/values.js';
import { geometryColumns } from '../ingest/features.js';

export type IdentifierRule = 'name_column' | 'name_in_text' | 'bsn' | 'iban' | 'email' | 'phone' | 'date_of_birth' | 'full_address' | 'address_in_text' | 'bag_id' | 'exact_location' | 'dated_address_events';

/** Direct identifiers stop an analysis; quasi-identifiers are fine on this machine but never in an output. */
export const directRules: ReadonlySet<IdentifierRule> = new Set(['name_column', 'name_in_text', 'bsn', 'iban', 'email', 'phone', 'date_of_birth']);

export interface IdentifierFinding {
  file: string;
  column: string;
  rule: IdentifierRule;
  kind: 'direct' | 'quasi';
  /** How many values match the rule (never the values themselves). */
  count: number;
  /** Set when the finding is in a title line above the column names, not in a column. */
  titleLine?: number;
}

const nameColumn = /^(voor|achter|roep|geboorte|familie)?_?naam$|^(voornaam|achternaam|naam|name|first_?name|last_?name|surname|full_?name|tussenvoegsel|voorletters|initialen)$/i;
/** "naam" or "name" alone: a person's name in a record export, an area's name where each row is an area (CBS Kerncijfers). */
const genericNameColumn = /^(naam|name)$/i;
const bsnColumn = /bsn|burgerservice|sofi/i;
const birthColumn = /geboorte|geb[._ ]?datum|birth|^dob$/i;
// Broader than the rules above: only decides whether `inspect` may show example values.
const personalWord = /(^|[^a-z])(naam|voornaam|achternaam|voorletters|tussenvoegsel|name|bsn|burgerservice|sofi|geboorte|geb_?datum|birth|dob|e-?mail|telefoon|tel|phone|mobiel|gsm|iban|rekening)/i;
const emailValue = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
const emailToken = /[^@\s,;<>()]+@[^@\s,;<>()]+\.[a-z]{2,}/gi;
// Dutch numbers in every grouping: 020-1234567, 020.123.45.67, 06 - 12 34 56 78, +31 (0)6 12345678 (brackets are removed first).
const phoneToken = /(?:\+31[\s.-]*0?|0031[\s.-]*0?|\b0)[\s.-]*[1-9](?:[\s.-]{0,3}\d){8}\b/g;
// A BSN as one number, or grouped with dots or spaces: 725763863, 7257.63.863, 725 763 863.
const digitsToken = /\b\d{8,9}\b|\b\d{4}[ .]\d{2}[ .]\d{3}\b|\b\d{3}[ .]\d{3}[ .]\d{3}\b/g;
// Any country's IBAN, grouped or not; the mod-97 check decides.
const ibanToken = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b/gi;
// An address written out in text: a Dutch street word with a house number ("Lekstraat 12-II",
// "Prinsengracht 263 hs"), or a PC6 with a number ("1079 AB 12"); a street the register knows
// counts too ("Rokin 10"). The address columns a source is placed by are the full_address rule.
const streetNumberToken = /\b[a-zà-ÿ'-]{1,}(?:straat|weg|laan|plein|gracht|kade|dijk|singel|park|hof|pad|steeg|dreef|markt|baan|plantsoen|boulevard|wal|burgwal|dam|erf|kanaal)\s+\d{1,5}(?![\d,.:/])/gi;
const pc6NumberToken = /\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b[\s,]*\d{1,5}(?![\d,.:/])/g;
// A person named in free text: a form of address before a capitalised name ("mevrouw De Wit",
// "dhr. Jansen", "buurman Henk"), or a common first name before a capitalised surname ("Jan Bakker")
// that is no street ("Jan Steenstraat").
const particle = String.raw`(?:(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en|[Hh]et|[Ee]l|[Aa]l|[Ll]e|[Ll]a|[Dd]')\s+)*`;
const addressedToken = new RegExp(String.raw`\b(?:[Mm]evr(?:ouw)?|[Mm]w|[Mm]eneer|[Mm]nr|[Dd]hr|[Dd]e heer|[Ff]am(?:ilie)?|[Bb]uurvrouw|[Bb]uurman|[Jj]uf(?:frouw)?|[Oo]ma|[Oo]pa|[Tt]ante|[Oo]om)\.?\s+${particle}[A-Z][a-zà-ÿ'-]+`, 'g');
const firstNames = 'Jan|Piet|Kees|Henk|Gerrit|Willem|Wim|Johan|Hans|Peter|Klaas|Cor|Ton|Joop|Frank|Mark|Dennis|Thomas|Bram|Ruud|Mohamed|Mohammed|Ahmed|Mustafa|Ali|Hassan|Youssef|Said|Fatima|Aisha|Samira|Nadia|Khadija|Maria|Anna|Ans|Truus|Riet|Joke|Els|Ineke|Marja|Sandra|Linda|Karin|Monique|Petra|Ingrid|Nicole|Esther|Yvonne|Sanne|Lisa|Emma|Sophie|Julia|Daan|Sem|Kevin|Ricardo|Priya|Rajesh|Anouk|Fleur|Bas|Tim|Lars|Mila|Noah|Liam|Lucas|Levi';
const firstNameToken = new RegExp(String.raw`\b(?:${firstNames})\s+${particle}([A-Z][a-zà-ÿ'-]+)`, 'g');
/** Common Dutch surnames (without tussenvoegsel) and forms of address: words a quote may not hold in any case. */
const surnames = 'jong|jansen|janssen|vries|berg|dijk|bakker|visser|smit|smits|meijer|meyer|boer|mulder|groot|bos|vos|peters|hendriks|leeuwen|dekker|brouwer|wit|dijkstra|graaf|meer|linden|kok|jacobs|haan|vermeulen|heuvel|veen|broek|bruijn|bruin|heijden|schouten|beek|willems|vliet|ven|hoekstra|maas|verhoeven|koster|dam|wal|prins|blom|huisman|peeters|kuipers|postma|amrani|yilmaz|kaya|demir|bouzid|el|ouali';
const addressWords = 'mevrouw|mevr|mw|meneer|mnr|dhr|heer|familie|fam|buurman|buurvrouw|juf|juffrouw|meester|oom|tante|opa|oma';
const numberWords = 'nummer|nr|huisnummer|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd';
const personWord = new RegExp(String.raw`^(?:${firstNames}|${surnames}|${addressWords}|${numberWords})$`, 'i');

/** Whether a word of a free text names a person, a form of address or a house number, in any case ("jansen", "mevrouw", "twaalf"). */
export function namesAPerson(word: string): boolean {
  return personWord.test(word.replace(/[^A-Za-zÀ-ÿ'-]/g, ''));
}

const spaceCapital = /[a-zà-ÿ.]\s+[A-ZÀ-Þ]/;

/** How many people a text names (a form of address with a name, or a first name with a surname); `areas`: the rows are areas, whose names may start like a first name. */
export function namesInText(value: string, areas = false): number {
  let found = (value.match(addressedToken) ?? []).length;
  if (!areas) for (const match of value.matchAll(firstNameToken)) if (!placeWord.test(match[1]!)) found++;
  return found;
}
const wordsBeforeNumber = /((?:[a-zà-ÿ'-]+\s+){0,2}[a-zà-ÿ'-]+)\s+\d{1,5}(?![\d,.:/])/g;
const wordThenNumber = /[a-zà-ÿ][\s,]+\d/i;
// A birth date said in words: "geb. 02-03-1948", "geboren 2 maart 1948", "geboortedatum: 1948-03-02".
const bornToken = /\bgeb(?:\.|oren|oortedatum)?\s*:?\s*(?:\d{1,2}[-/. ]\d{1,2}[-/. ]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4})/gi;

/**
 * Scans every column of an export for personal identifiers. Reports per column the rule and how
 * many values match; the values themselves never leave this function.
 */
export function scanTable(
  table: CsvTable,
  addressColumns: { postcode?: string | undefined; huisnummer?: string | undefined; bag?: string[] | undefined; point?: [string, string] | undefined; date?: string | undefined; skip?: string[] | undefined; register?: boolean | undefined } = {},
  rowsAreAreas = false,
  placeNames: () => ReadonlySet<string> = () => new Set(),
): IdentifierFinding[] {
  const findings: IdentifierFinding[] = [];
  let streets: ReadonlySet<string> | undefined;
  // The register's streets (lower case, long enough not to be a word of a sentence), once.
  const knownStreets = () => (streets ??= new Set([...placeNames()].filter((name) => name.length >= 5 && !name.includes('/'))));
  const add = (column: string, rule: IdentifierRule, count: number, titleLine?: number) => {
    if (count > 0) findings.push({ file: table.file, column, rule, kind: directRules.has(rule) ? 'direct' : 'quasi', count, ...(titleLine ? { titleLine } : {}) });
  };
  const addCounts = (column: string, counts: IdentifierCounts, namedBsn: boolean, titleLine?: number) => {
    // Any 9-digit number passes the 11-proef by chance one time in eleven: a column counts as BSN
    // when its name says so, or when clearly more of its numbers pass than chance would (a minority
    // of BSNs among order numbers counts too).
    if (counts.bsn > 0 && (namedBsn || counts.bsn > (2 * counts.nineDigits) / 11 + 2)) add(column, 'bsn', counts.bsn, titleLine);
    add(column, 'date_of_birth', counts.born, titleLine);
    add(column, 'name_in_text', counts.name, titleLine);
    add(column, 'address_in_text', counts.address, titleLine);
    add(column, 'iban', counts.iban, titleLine);
    add(column, 'email', counts.email, titleLine);
    add(column, 'phone', counts.phone, titleLine);
  };
  table.header.forEach((column, c) => {
    const isName = nameColumn.test(column.replace(/\s+/g, '_')) && !(rowsAreAreas && genericNameColumn.test(column.trim()));
    const isBirth = birthColumn.test(column);
    if (isName || isBirth) {
      const values = table.column(c).map((value) => value.trim()).filter((value) => value !== '');
      // A "naam" column of streets, buurten or organisations names places, not people.
      if (isName && !namesPlaces(values, placeNames())) add(column, 'name_column', values.length);
      if (isBirth) add(column, 'date_of_birth', values.filter((v) => parseDate(v) !== undefined).length);
    }
    const counts = newCounts();
    // BAG id columns are the bag_id rule below; their 16 digits are no BSN, phone or IBAN (9 million of them in a country's register).
    if (addressColumns.skip?.includes(column) || addressColumns.bag?.includes(column)) return;
    // A register repeats its streets ("Amstelstraat Noord" half a million times): each distinct text is read once.
    const seen = new Map<string, IdentifierCounts>();
    table.visitColumn(c, mayHoldIdentifier, (raw) => {
      const text = raw.trim();
      // Long numbers (BAG ids) are all different: only texts with a letter repeat.
      if (!hasLetter(text)) return void countIdentifiers(text, counts, knownStreets, rowsAreAreas, addressColumns.register);
      let found = seen.get(text);
      if (!found) {
        found = countIdentifiers(text, newCounts(), knownStreets, rowsAreAreas, addressColumns.register);
        if (seen.size < 100_000) seen.set(text, found);
      }
      counts.name += found.name;
      counts.address += found.address;
      counts.bsn += found.bsn;
      counts.nineDigits += found.nineDigits;
      counts.iban += found.iban;
      counts.email += found.email;
      counts.phone += found.phone;
      counts.born += found.born;
    });
    // A column of names is the name_column rule: the same names again in text would count them twice.
    if (findings.some((finding) => finding.column === column && finding.rule === 'name_column')) counts.name = 0;
    addCounts(column, counts, bsnColumn.test(column));
  });
  table.titleLines.forEach((line, i) => addCounts(`line ${i + 1}`, countIdentifiers(line, newCounts()), bsnColumn.test(line), i + 1));
  const hasAddress = addressColumns.postcode !== undefined && addressColumns.huisnummer !== undefined;
  if (hasAddress) add(`${addressColumns.postcode} + ${addressColumns.huisnummer}`, 'full_address', table.rowCount);
  for (const bag of addressColumns.bag ?? []) add(bag, 'bag_id', table.rowCount);
  if (addressColumns.point) add(addressColumns.point.join(' + '), 'exact_location', table.rowCount);
  if ((hasAddress || addressColumns.point || addressColumns.bag) && addressColumns.date) add(`${addressColumns.date} + location`, 'dated_address_events', table.rowCount);
  return findings;
}

interface IdentifierCounts {
  name: number;
  address: number;
  bsn: number;
  nineDigits: number;
  iban: number;
  email: number;
  phone: number;
  born: number;
}

const newCounts = (): IdentifierCounts => ({ name: 0, address: 0, bsn: 0, nineDigits: 0, iban: 0, email: 0, phone: 0, born: 0 });

function countIdentifiers(value: string, counts: IdentifierCounts, streets: () => ReadonlySet<string> = () => new Set(), areas = false, register = false): IdentifierCounts {
  counts.address += addressesInText(value, streets);
  // A name in text has a word, a space and a capital: most cells that reach here are long numbers.
  // A register's columns are its addresses ("Jan Steenstraat Noord"), not free text: a country's 9 million.
  if (!register && spaceCapital.test(value)) counts.name += namesInText(value, areas);
  if (countDigits(value) >= 8) {
    for (const token of value.match(digitsToken) ?? []) {
      counts.nineDigits++;
      if (isBsn(token.replace(/[ .]/g, ''))) counts.bsn++;
    }
    counts.phone += (value.replace(/[()]/g, '').match(phoneToken) ?? []).length;
    for (const token of value.match(ibanToken) ?? []) if (isIban(token)) counts.iban++;
  }
  if (value.includes('@')) counts.email += (value.match(emailToken) ?? []).length;
  if (/geb/i.test(value)) counts.born += (value.match(bornToken) ?? []).length;
  return counts;
}

/** How many addresses a text writes out (a street with a number, a PC6 with a number, a known street with a number). */
export function addressesInText(value: string, knownStreets: () => ReadonlySet<string> = () => new Set()): number {
  // Most cells that reach here are long numbers (BAG ids, phone-like digits): no word, no address.
  if (!hasLetter(value) || !wordThenNumber.test(value)) return 0;
  let found = (value.match(streetNumberToken) ?? []).length + (value.match(pc6NumberToken) ?? []).length;
  // The register's streets are read only for a text that has a word and a number but no street word.
  if (found === 0) {
    const streets = knownStreets();
    // The one, two or three words before each number, as a street the register knows ("Rokin 10", "Nieuwe Achtergracht 5").
    for (const match of value.toLowerCase().matchAll(wordsBeforeNumber)) {
      const words = match[1]!.split(/\s+/);
      if ([1, 2, 3].some((n) => words.length >= n && streets.has(words.slice(-n).join(' ')))) found++;
    }
  }
  return found;
}

const placeWord = /(straat|weg|laan|plein|gracht|kade|dijk|buurt|wijk|park|hof|dorp|polder|kwartier|eiland|haven|singel|pad|steeg|dreef|markt|brug|centrum|noord|oost|zuid|west)$/i;
const organisationWord = /^(stichting|gemeente|woningcorporatie|woonstichting|woonvereniging|zorg|huisartsen|buurtteam|ggd|wijkteam)\b/i;

/** Whether at least 80% of a column's values are places or organisations: a block's label, a street of the register, or a word that ends a Dutch place name. */
export function namesPlaces(values: readonly string[], placeNames: ReadonlySet<string>): boolean {
  if (values.length === 0) return false;
  const places = values.filter((value) => placeNames.has(value.toLowerCase()) || placeWord.test(value.replace(/[\s\d-]+$/, '')) || organisationWord.test(value)).length;
  return places >= 0.8 * values.length;
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
      if (++consecutive >= 8 || ++inRun >= 9) return true;
      // A word, a space and a number: maybe a street and its house number.
      if (consecutive === 1 && i >= start + 2 && bytes[i - 1] === 0x20 && ((bytes[i - 2]! | 0x20) >= 0x61 && (bytes[i - 2]! | 0x20) <= 0x7a)) return true;
      continue;
    }
    consecutive = 0;
    // A word, a space and a capital: maybe a person's name after "mevrouw" or a first name.
    if (byte >= 0x41 && byte <= 0x5a && i >= start + 2 && bytes[i - 1] === 0x20 && bytes[i - 2]! >= 0x61 && bytes[i - 2]! <= 0x7a) return true;
    // "geb" before a date of birth.
    if ((byte | 0x20) === 0x67 && i + 2 < end && (bytes[i + 1]! | 0x20) === 0x65 && (bytes[i + 2]! | 0x20) === 0x62) return true;
    const letter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a;
    if (!letter && byte !== 0x20 && byte !== 0x2d && byte !== 0x28 && byte !== 0x29 && byte !== 0x2b && byte !== 0x2e) inRun = 0;
  }
  return false;
}

function hasLetter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i) | 0x20;
    if (code >= 0x61 && code <= 0x7a) return true;
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
  const compact = value.replace(/[\s.()-]/g, '');
  if (emailValue.test(value) || (value.match(emailToken) ?? []).length > 0) return true;
  if (/^(\+310?|00310?|0)[1-9]\d{8}$/.test(compact) || (value.replace(/[()]/g, '').match(phoneToken) ?? []).length > 0) return true;
  if (isIban(compact) || (value.match(ibanToken) ?? []).some(isIban)) return true;
  if ((value.match(bornToken) ?? []).length > 0) return true;
  return isBsn(compact) || (value.match(digitsToken) ?? []).some((token) => isBsn(token.replace(/[ .]/g, '')));
}

/** A column name that may hold personal data: any identifier rule's name, or a contact word in it. */
export function looksPersonalColumn(name: string): boolean {
  return personalWord.test(name) || nameColumn.test(name.replace(/\s+/g, '_')) || bsnColumn.test(name) || birthColumn.test(name);
}

/** Which columns of a source locate a record (for the quasi-identifier rules). */
export function locatingColumns(config: { place_by: string; columns: { postcode?: string | undefined; huisnummer?: string | undefined; bag?: string | undefined; x?: string | undefined; y?: string | undefined }; date?: string | undefined }) {
  const c = config.columns;
  return {
    // A source placed another way may name its records' addresses too (a reporting system's point and address).
    postcode: c.postcode !== undefined && c.huisnummer !== undefined ? c.postcode : undefined,
    huisnummer: c.postcode !== undefined && c.huisnummer !== undefined ? c.huisnummer : undefined,
    bag: config.place_by === 'bag' && c.bag ? [c.bag] : undefined,
    point: config.place_by === 'point' && c.x && c.y ? ([c.x, c.y] as [string, string]) : config.place_by === 'area' ? ([geometryColumns.x, geometryColumns.y] as [string, string]) : undefined,
    date: config.date,
    // A GeoJSON source's coordinates are its exact location (above), not numbers to read as phone numbers.
    skip: config.place_by === 'area' ? [geometryColumns.shape as string] : undefined,
  };
}
