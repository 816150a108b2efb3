import { UserError } from '../errors.js';
import type { Bilingual } from '../indicators/builtins.js';
import { suggestion } from '../text.js';
import { toUtf8, type Encoding } from './encoding.js';
import type { Progress } from '../progress.js';
import { sharedCopy } from '../worker-thread.js';

export type Delimiter = ';' | ',' | '\t' | '|';
export type DecimalSeparator = ',' | '.';

export interface CsvDialect {
  encoding: Encoding;
  bom: boolean;
  delimiter: Delimiter;
  decimal: DecimalSeparator;
  /** Set when the table is a sheet of an .xlsx workbook (read as CSV). */
  sheet?: string;
}

export interface DialectOverride {
  encoding?: Encoding | undefined;
  delimiter?: Delimiter | 'tab' | undefined;
  decimal?: DecimalSeparator | undefined;
  /** 1-based line of the column names, when title lines stand above them. */
  headerLine?: number | undefined;
}

/** Where each record's fields lie in the file's UTF-8 bytes. */
interface FieldOffsets {
  bytes: Buffer;
  /** Per row, the index of its first field in `fieldStart`; one more entry closes the last row. */
  rowFields: Uint32Array;
  /** Byte offset where each field starts (at its opening quote when quoted). */
  fieldStart: Uint32Array;
  /** Byte offset where each row's last field ends (before the line break). */
  rowEnd: Uint32Array;
}

/** A CsvTable's contents: what a worker thread hands over (the buffers moved, not copied). */
export interface CsvParts {
  file: string;
  header: string[];
  bytes: ArrayBufferLike;
  byteOffset: number;
  byteLength: number;
  rowFields: Uint32Array;
  fieldStart: Uint32Array;
  rowEnd: Uint32Array;
  lines: Int32Array;
  dialect: CsvDialect;
  emptyLines: number;
  notes: Bilingual[];
  titleLines: readonly string[];
}

const delimiterCandidates: readonly Delimiter[] = [';', ',', '\t', '|'];
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * A parsed CSV export. The file stays as UTF-8 bytes with the offsets of every field, and a cell
 * becomes a string only when asked for: a city's exports hold millions of cells, and an array of
 * strings per row costs ten times the file in memory and most of the time in garbage collection.
 */
export class CsvTable {
  readonly rowCount: number;
  private start = 0;
  private end = 0;
  /** Columns whose every value is replaced (dropped or pseudonymised columns). */
  private readonly replaced: ReadonlyMap<number, (value: string) => string>;

  constructor(
    readonly file: string,
    readonly header: string[],
    private readonly offsets: FieldOffsets,
    /** 1-based line in the file where each row starts (the header is line 1 when nothing precedes it). */
    readonly lines: Int32Array,
    readonly dialect: CsvDialect,
    /** Lines that were empty or held only delimiters: not records. */
    readonly emptyLines: number,
    /** Problems found while reading that do not stop the analysis. */
    readonly notes: Bilingual[],
    /** Lines above `header_line` (a title, an export date): not data, but scanned for identifiers. */
    readonly titleLines: readonly string[] = [],
    replaced: ReadonlyMap<number, (value: string) => string> = new Map(),
  ) {
    this.rowCount = lines.length;
    this.replaced = replaced;
  }

  /** The table as plain data and typed arrays, for handing from a worker thread (see csv-workers.ts); nothing replaced yet. */
  parts(): CsvParts {
    const { bytes, rowFields, fieldStart, rowEnd } = this.offsets;
    return { file: this.file, header: this.header, bytes: bytes.buffer, byteOffset: bytes.byteOffset, byteLength: bytes.byteLength, rowFields, fieldStart, rowEnd, lines: this.lines, dialect: this.dialect, emptyLines: this.emptyLines, notes: this.notes, titleLines: this.titleLines };
  }

  static fromParts(parts: CsvParts): CsvTable {
    const bytes = Buffer.from(parts.bytes, parts.byteOffset, parts.byteLength);
    return new CsvTable(parts.file, parts.header, { bytes, rowFields: parts.rowFields, fieldStart: parts.fieldStart, rowEnd: parts.rowEnd }, parts.lines, parts.dialect, parts.emptyLines, parts.notes, parts.titleLines);
  }

  /** The same table with the values of some columns replaced (the file itself is not touched). */
  withReplacedColumns(replaced: ReadonlyMap<number, (value: string) => string>): CsvTable {
    return new CsvTable(this.file, this.header, this.offsets, this.lines, this.dialect, this.emptyLines, this.notes, this.titleLines, replaced);
  }

  fieldCount(row: number): number {
    return this.offsets.rowFields[row + 1]! - this.offsets.rowFields[row]!;
  }

  /** More fields than the header, and not just empty ones: an unquoted delimiter shifted the columns. */
  hasExtraFields(row: number): boolean {
    for (let c = this.header.length, n = this.fieldCount(row); c < n; c++) if (this.cell(row, c).trim() !== '') return true;
    return false;
  }

  /** Whether a column's values are replaced (dropped or pseudonymised): its cells are not the file's. */
  isReplaced(column: number): boolean {
    return this.replaced.has(column);
  }

  /** A cell's text without its quotes; '' where the row has fewer fields. */
  cell(row: number, column: number): string {
    this.locateField(row, column);
    const raw = this.start === this.end ? '' : decodeField(this.offsets.bytes, this.start, this.end);
    if (this.replaced.size === 0) return raw;
    const replace = this.replaced.get(column);
    return replace ? replace(raw) : raw;
  }

  /** A whole row as strings (for row filters, which may read any column). */
  row(row: number): string[] {
    const values: string[] = [];
    for (let c = 0, n = this.fieldCount(row); c < n; c++) values.push(this.cell(row, c));
    return values;
  }

  /**
   * A column as its distinct texts and, per row, the number of its text (as `cell` reads it):
   * exports repeat a few thousand dates and a dozen categories over a million rows, and each
   * distinct one becomes a string once instead of once per row.
   */
  distinct(column: number): { texts: string[]; codes: Int32Array } {
    const codes = new Int32Array(this.rowCount);
    const texts: string[] = [];
    if (this.replaced.has(column)) {
      const seen = new Map<string, number>();
      for (let r = 0; r < this.rowCount; r++) {
        const text = this.cell(r, column);
        let code = seen.get(text);
        if (code === undefined) seen.set(text, (code = texts.push(text) - 1));
        codes[r] = code;
      }
      return { texts, codes };
    }
    const bytes = this.offsets.bytes;
    // Open addressing on the bytes' hash; a slot holds the code + 1, compared by the bytes of its first row.
    let slots = new Int32Array(1024);
    const hashes: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const sameBytes = (code: number, start: number, end: number) => {
      const from = starts[code]!;
      if (ends[code]! - from !== end - start) return false;
      for (let i = 0; i < end - start; i++) if (bytes[from + i] !== bytes[start + i]) return false;
      return true;
    };
    const insert = (table: Int32Array, hash: number, code: number) => {
      let slot = hash & (table.length - 1);
      while (table[slot] !== 0) slot = (slot + 1) & (table.length - 1);
      table[slot] = code + 1;
    };
    for (let r = 0; r < this.rowCount; r++) {
      this.locateField(r, column);
      const { start, end } = this;
      let hash = 0x811c9dc5;
      for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
      let slot = hash & (slots.length - 1);
      let code = -1;
      for (let held = slots[slot]!; held !== 0; slot = (slot + 1) & (slots.length - 1), held = slots[slot]!) {
        if (hashes[held - 1] === hash && sameBytes(held - 1, start, end)) {
          code = held - 1;
          break;
        }
      }
      if (code < 0) {
        code = texts.push(start === end ? '' : decodeField(bytes, start, end)) - 1;
        hashes.push(hash);
        starts.push(start);
        ends.push(end);
        slots[slot] = code + 1;
        if (texts.length * 2 > slots.length) {
          slots = new Int32Array(slots.length * 2);
          for (let c = 0; c < texts.length; c++) insert(slots, hashes[c]!, c);
        }
      }
      codes[r] = code;
    }
    return { texts, codes };
  }

  /** Every value of a column, in row order. */
  column(column: number): string[] {
    const values: string[] = new Array(this.rowCount);
    for (let r = 0; r < this.rowCount; r++) values[r] = this.cell(r, column);
    return values;
  }

  /**
   * A plain decimal number read straight from the bytes (digits, a leading minus and the file's
   * decimal separator); undefined for anything else, which the caller reads from `cell`.
   */
  plainNumber(row: number, column: number): number | undefined {
    if (this.replaced.has(column)) return undefined;
    this.locateField(row, column);
    const { start, end } = this;
    const bytes = this.offsets.bytes;
    if (end - start === 0 || end - start > 17) return undefined;
    const separator = this.dialect.decimal === ',' ? 0x2c : 0x2e;
    let i = start;
    const negative = bytes[i] === 0x2d;
    if (negative) i++;
    let mantissa = 0;
    let decimals = -1;
    let digits = 0;
    for (; i < end; i++) {
      const byte = bytes[i]!;
      if (byte >= 0x30 && byte <= 0x39) {
        mantissa = mantissa * 10 + (byte - 0x30);
        digits++;
        if (decimals >= 0) decimals++;
      } else if (byte === separator && decimals < 0 && digits > 0 && i < end - 1) {
        decimals = 0;
      } else {
        return undefined;
      }
    }
    if (digits === 0) return undefined;
    // At most 17 digits and a power of ten below 1e22: the division is correctly rounded, so the
    // result equals Number() of the text.
    const value = decimals > 0 ? mantissa / powersOfTen[decimals]! : mantissa;
    return negative ? -value : value;
  }

  /**
   * `read` applied to a field's raw bytes (an empty range where the row has fewer fields), without
   * making a string; undefined for a quoted or replaced field, which the caller reads with `cell`.
   */
  readRaw<T>(row: number, column: number, read: (bytes: Buffer, start: number, end: number) => T): T | undefined {
    if (this.replaced.size > 0 && this.replaced.has(column)) return undefined;
    this.locateField(row, column);
    const { start, end } = this;
    const bytes = this.offsets.bytes;
    if (start !== end && bytes[start] === QUOTE) return undefined;
    return read(bytes, start, end);
  }

  /**
   * Visits the cells of a column that pass a test on their raw bytes, as strings. Scans that look
   * for rare values (identifiers) skip the millions of ordinary cells without making strings.
   */
  visitColumn(column: number, mayMatch: (bytes: Buffer, start: number, end: number) => boolean, visit: (value: string, row: number) => void): void {
    const bytes = this.offsets.bytes;
    const replace = this.replaced.get(column);
    for (let r = 0; r < this.rowCount; r++) {
      this.locateField(r, column);
      const { start, end } = this;
      if (replace) visit(replace(start === end ? '' : decodeField(bytes, start, end)), r);
      else if (start !== end && mayMatch(bytes, start, end)) visit(decodeField(bytes, start, end), r);
    }
  }

  /** Whether the two are views of one read file (release() lets go of both). */
  sharesBytesWith(other: CsvTable): boolean {
    return this.offsets === other.offsets;
  }

  /**
   * Lets go of the file's bytes and field offsets, for this table and every view of it: once a
   * country's exports are counted, their gigabytes are not needed. Reading a cell afterwards throws.
   */
  release(): void {
    this.offsets.bytes = Buffer.alloc(0);
    this.offsets.rowFields = new Uint32Array(0);
    this.offsets.fieldStart = new Uint32Array(0);
    this.offsets.rowEnd = new Uint32Array(0);
  }

  /** Puts a field's byte range in `start`/`end` (both 0 where the row has fewer fields): no object per cell. */
  private locateField(row: number, column: number): void {
    const { rowFields, fieldStart, rowEnd } = this.offsets;
    const first = rowFields[row];
    if (first === undefined) throw new Error(`${this.file}: row ${row} read after the table was released`);
    const next = rowFields[row + 1]!;
    if (column >= next - first) {
      this.start = this.end = 0;
      return;
    }
    this.start = fieldStart[first + column]!;
    this.end = first + column + 1 < next ? fieldStart[first + column + 1]! - 1 : rowEnd[row]!;
  }
}

const powersOfTen = Array.from({ length: 17 }, (_, i) => 10 ** i);

function decodeField(bytes: Buffer, start: number, end: number): string {
  if (bytes[start] !== QUOTE) return bytes.toString('utf8', start, end);
  const text = bytes.toString('utf8', start + 1, end);
  // "" is a quote; the single closing quote (and anything after it) ends the quoted part.
  let value = '';
  let from = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', from)) {
    value += text.slice(from, i);
    if (text[i + 1] === '"') {
      value += '"';
      from = i + 2;
    } else {
      from = i + 1;
    }
  }
  value += text.slice(from);
  return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

/**
 * Reads a CSV export, detecting encoding, BOM, delimiter and decimal separator unless the project
 * overrides them. Quoted fields may hold delimiters, quotes and newlines; lines end in LF, CRLF or
 * CR. The tokenizer is written here rather than taken from csv-parse: on the bytes it reads a
 * city's reports eight times faster and keeps no string per cell (see bench/README.md).
 */
export function parseCsv(input: Uint8Array, file: string, override: DialectOverride = {}, progress?: Progress): CsvTable {
  const decoded = toUtf8(input, file, override.encoding);
  const bytes = decoded.bytes;
  let position = 0;
  let firstLine = 1;
  // Excel's "sep=;" first line names the delimiter; it is no header.
  const excelSeparator = /^sep=([;,\t|])\r?\n/.exec(bytes.toString('latin1', 0, 8))?.[1] as Delimiter | undefined;
  if (excelSeparator) {
    position = bytes.indexOf(LF) + 1;
    firstLine = 2;
  }
  const titleLines: string[] = [];
  for (; override.headerLine && firstLine < override.headerLine && position < bytes.length; firstLine++) {
    const end = bytes.indexOf(LF, position);
    titleLines.push(bytes.toString('utf8', position, end < 0 ? bytes.length : end).replace(/\r$/, ''));
    position = end < 0 ? bytes.length : end + 1;
  }
  if (override.headerLine && firstLine < override.headerLine) {
    throw new UserError(`header_line is ${override.headerLine}, but the file has only ${firstLine - 1} lines`, {
      file,
      expected: 'header_line: the number of the line with the column names',
      fix: '`buurtbalans inspect` shows the first lines; correct header_line in buurtbalans.yml',
    });
  }
  const delimiter =
    override.delimiter === 'tab' ? '\t' : override.delimiter ?? excelSeparator ?? detectDelimiter(textPrefix(bytes, position), file, firstLine);
  const records = tokenize(bytes, position, firstLine, delimiter.charCodeAt(0), file, progress);
  if (!records.header) {
    throw new UserError('the file is empty', { file, expected: 'a header line with column names and data rows', fix: 'export the data again' });
  }
  const header = records.header;
  const decimal = override.decimal ?? '.';
  const dialect: CsvDialect = { encoding: decoded.encoding, bom: decoded.bom, delimiter, decimal };
  const notes: Bilingual[] = [];
  const table = new CsvTable(file, header, records.offsets, records.lines, dialect, records.emptyLines, notes, titleLines);
  // Cells read the same whatever the separator, so the table itself tells which one it uses.
  if (!override.decimal) dialect.decimal = detectDecimal(table);
  if (decoded.mixed) {
    notes.push({
      en: 'the file mixes encodings (read as Windows-1252, but it also holds UTF-8 characters): some letters such as ë or é will be wrong; save it again as UTF-8',
      nl: 'het bestand mengt coderingen (gelezen als Windows-1252, maar er staan ook UTF-8-tekens in): letters als ë of é kloppen dan niet; sla het opnieuw op als UTF-8',
    });
  }
  const duplicates = header.filter((name, i) => name !== '' && header.indexOf(name) !== i);
  if (duplicates.length > 0) {
    const names = [...new Set(duplicates)].map((d) => `"${d}"`).join(', ');
    notes.push({ en: `column names appear more than once: ${names}; the first of each is used`, nl: `kolomnamen komen meer dan eens voor: ${names}; telkens telt de eerste` });
  }
  if (table.rowCount === 0) notes.push({ en: 'the file has a header but no data rows', nl: 'het bestand heeft een kopregel maar geen gegevensregels' });
  return table;
}

/** The text of the first records, enough to detect the delimiter; a record cut off at the end is left out. */
function textPrefix(bytes: Buffer, position: number): string {
  const limit = 1 << 16;
  if (bytes.length - position <= limit) return bytes.toString('utf8', position);
  const text = bytes.toString('utf8', position, position + limit);
  return text.slice(0, Math.max(0, text.lastIndexOf('\n')));
}

/** A growable list of unsigned 32-bit integers. */
class Uint32List {
  private data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  /** The list in memory of its own that threads share: a placing worker reads the table without a copy. */
  toArray(): Uint32Array {
    return new Uint32Array(sharedCopy(this.data.subarray(0, this.length)));
  }
}

/**
 * One pass over the bytes: the offset of every field, the end of every record and the line each
 * record starts on. The first record with content is the header; records that hold nothing but
 * delimiters and spaces are counted as empty lines.
 */
function tokenize(bytes: Buffer, from: number, firstLine: number, delimiter: number, file: string, progress: Progress | undefined) {
  if (bytes.length >= 2 ** 32) {
    throw new UserError('the file is larger than 4 GB', { file, expected: 'an export below 4 GB', fix: 'split the export into several files, one source each (for example per year)' });
  }
  const end = bytes.length;
  const estimate = Math.ceil((end - from) / 64);
  const rowFields = new Uint32List(estimate);
  const fieldStart = new Uint32List(estimate * 8);
  const rowEnd = new Uint32List(estimate);
  const lines = new Uint32List(estimate);
  let header: string[] | undefined;
  let emptyLines = 0;
  let line = firstLine;
  let i = from;
  let nextReport = 0;
  while (i < end) {
    if (i >= nextReport) {
      progress?.(`reading ${file}`, i, end);
      nextReport = i + (1 << 23);
    }
    const recordLine = line;
    const firstField = fieldStart.length;
    let content = false;
    let recordEnd: number;
    for (;;) {
      fieldStart.push(i);
      if (bytes[i] === QUOTE) {
        for (i++; ; i++) {
          if (i >= end) {
            throw new UserError('the CSV cannot be read: a quoted field is not closed', {
              file,
              line: recordLine,
              expected: `CSV with "${printable(String.fromCharCode(delimiter))}" between fields and "..." around fields that contain it`,
              fix: 'close the quote on that line, or set `delimiter:` for this source in buurtbalans.yml',
            });
          }
          const byte = bytes[i]!;
          if (byte === QUOTE) {
            if (bytes[i + 1] !== QUOTE) break;
            content = true;
            i++;
          } else if (byte === LF || (byte === CR && bytes[i + 1] !== LF)) {
            line++;
          } else if (byte > 0x20) {
            content = true;
          }
        }
        i++;
      }
      for (; i < end; i++) {
        const byte = bytes[i]!;
        if (byte === delimiter || byte === LF || byte === CR) break;
        if (byte > 0x20) content = true;
      }
      if (i < end && bytes[i] === delimiter) {
        i++;
        continue;
      }
      recordEnd = i;
      if (bytes[i] === CR) i++;
      if (bytes[i] === LF) i++;
      line++;
      break;
    }
    if (!content) {
      emptyLines += line - recordLine;
      fieldStart.length = firstField;
      continue;
    }
    if (!header) {
      header = [];
      const fieldCount = fieldStart.length - firstField;
      const starts = fieldStart.toArray().subarray(firstField);
      for (let f = 0; f < fieldCount; f++) header.push(decodeField(bytes, starts[f]!, f + 1 < fieldCount ? starts[f + 1]! - 1 : recordEnd).trim());
      fieldStart.length = firstField;
      continue;
    }
    rowFields.push(firstField);
    rowEnd.push(recordEnd);
    lines.push(recordLine);
  }
  rowFields.push(fieldStart.length);
  return {
    header,
    offsets: { bytes, rowFields: rowFields.toArray(), fieldStart: fieldStart.toArray(), rowEnd: rowEnd.toArray() },
    lines: new Int32Array(lines.toArray().buffer),
    emptyLines,
  };
}

/**
 * The delimiter that splits the header and the first records into the same number of fields.
 * Throws when no candidate is consistent: the user must then name it.
 */
export function detectDelimiter(text: string, file: string, firstLine = 1): Delimiter {
  const sample = firstRecords(text, 60);
  const found = consistentDelimiter(sample.map((record) => record.text));
  if (found) return found;
  const anyDelimiter = sample.some((record) => delimiterCandidates.some((d) => countOutsideQuotes(record.text, d) > 0));
  if (!anyDelimiter) return ','; // one column: the delimiter does not matter
  // Title lines above the column names are common in exports: say where the header seems to be.
  for (let skip = 1; skip <= 5 && skip < sample.length - 1; skip++) {
    if (consistentDelimiter(sample.slice(skip).map((record) => record.text))) {
      const headerLine = firstLine + sample[skip]!.line - 1;
      throw new UserError(`the column names seem to be on line ${headerLine}, below a title`, {
        file,
        line: headerLine,
        expected: 'the header line with column names first, or `header_line:` saying where it is',
        fix: `add \`header_line: ${headerLine}\` for this file in buurtbalans.yml`,
      });
    }
  }
  throw new UserError('the CSV dialect cannot be detected: no delimiter splits the lines into the same number of fields as the header', {
    file,
    line: firstLine,
    expected: 'fields separated by ";", ",", tab or "|", the same number on every line',
    fix: 'set `delimiter:` (";", ",", "tab" or "|") for this file in buurtbalans.yml, or check that line 1 is the header',
  });
}

/** The delimiter that splits the first record and at least 80% of the others into the same number of fields. */
function consistentDelimiter(records: string[]): Delimiter | undefined {
  let best: { delimiter: Delimiter; fields: number } | undefined;
  for (const delimiter of delimiterCandidates) {
    const counts = records.map((record) => countOutsideQuotes(record, delimiter));
    const headerCount = counts[0] ?? 0;
    if (headerCount === 0) continue;
    const consistent = counts.filter((count) => count === headerCount).length / counts.length;
    if (consistent < 0.8) continue;
    if (!best || headerCount > best.fields) best = { delimiter, fields: headerCount };
  }
  return best?.delimiter;
}

/** Decimal comma when numbers like "12,5" outnumber numbers like "12.5" in the first rows. */
export function detectDecimal(table: CsvTable): DecimalSeparator {
  let comma = 0;
  let point = 0;
  for (let r = 0, rows = Math.min(table.rowCount, 2000); r < rows; r++) {
    for (let c = 0, n = table.fieldCount(r); c < n; c++) {
      const field = table.cell(r, c).trim();
      if (/^[-+]?\d+,\d+$/.test(field) || /^[-+]?\d{1,3}(\.\d{3})+,\d+$/.test(field)) comma++;
      else if (/^[-+]?\d+\.\d+$/.test(field) && !/^[-+]?\d{1,3}\.\d{3}$/.test(field)) point++;
    }
  }
  return comma > point ? ',' : '.';
}

/** The index of a named column; a misspelt name gets the closest names in the file. */
export function columnIndex(table: CsvTable, name: string, key: string): number {
  const exact = table.header.indexOf(name);
  if (exact >= 0 && table.header.lastIndexOf(name) !== exact) {
    throw new UserError(`column "${name}" appears more than once in the header`, {
      file: table.file,
      line: 1,
      column: name,
      expected: `one column named "${name}" (used by ${key})`,
      fix: 'rename one of the columns in the export, so it is clear which one holds the data',
    });
  }
  const found = findColumn(table.header, name);
  // "postcode" beside "Postcode": which one the project means cannot be told from the name.
  const alike = table.header.filter((column) => column.trim().toLowerCase() === name.trim().toLowerCase());
  if (found >= 0 && alike.length > 1) {
    throw new UserError(`columns ${alike.map((column) => `"${column}"`).join(' and ')} differ only in case or spaces, so "${name}" (${key}) is ambiguous`, {
      file: table.file,
      line: 1,
      column: name,
      expected: 'one column per name, whatever its case',
      fix: 'rename or remove one of them in the export',
    });
  }
  if (found >= 0) return found;
  throw new UserError(`column "${name}" not found`, {
    file: table.file,
    line: 1,
    column: name,
    expected: `a column named "${name}" (from ${key} in buurtbalans.yml) in the header line`,
    fix: `${suggestion(name, table.header)} Correct ${key} in buurtbalans.yml`,
  });
}

/** A column by its exact name, else case and surrounding spaces ignored; -1 when there is none. */
export function findColumn(header: readonly string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  return header.findIndex((column) => column.trim().toLowerCase() === name.trim().toLowerCase());
}

/** The first non-empty records (quote-aware), with the line each starts on. */
function firstRecords(text: string, max: number): { text: string; line: number }[] {
  const records: { text: string; line: number }[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let inQuotes = false;
  for (let i = 0; i < text.length && records.length < max; i++) {
    const char = text[i];
    if (char === '"') inQuotes = !inQuotes;
    else if (char === '\n') {
      line++;
      if (inQuotes) continue;
      if (text.slice(start, i).trim() !== '') records.push({ text: text.slice(start, i), line: startLine });
      start = i + 1;
      startLine = line;
    }
  }
  if (records.length < max && text.slice(start).trim() !== '') records.push({ text: text.slice(start), line: startLine });
  return records;
}

function countOutsideQuotes(record: string, delimiter: string): number {
  let count = 0;
  let inQuotes = false;
  for (const char of record) {
    if (char === '"') inQuotes = !inQuotes;
    else if (char === delimiter && !inQuotes) count++;
  }
  return count;
}

export function printable(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}
