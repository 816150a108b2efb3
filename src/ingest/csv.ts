import { parse } from 'csv-parse/sync';
import { UserError } from '../errors.js';
import { suggestion } from '../text.js';
import { decodeText, type Encoding } from './encoding.js';

export type Delimiter = ';' | ',' | '\t' | '|';
export type DecimalSeparator = ',' | '.';

export interface CsvDialect {
  encoding: Encoding;
  bom: boolean;
  delimiter: Delimiter;
  decimal: DecimalSeparator;
}

export interface DialectOverride {
  encoding?: Encoding | undefined;
  delimiter?: Delimiter | 'tab' | undefined;
  decimal?: DecimalSeparator | undefined;
  /** 1-based line of the column names, when title lines stand above them. */
  headerLine?: number | undefined;
}

/** A parsed CSV export: header, data rows as strings and the line each row starts on. */
export interface CsvTable {
  file: string;
  header: string[];
  rows: string[][];
  /** 1-based line in the file where each row starts (the header is line 1 when nothing precedes it). */
  lines: number[];
  dialect: CsvDialect;
  /** Lines that were empty or held only delimiters: not records. */
  emptyLines: number;
  /** Problems found while reading that do not stop the analysis. */
  notes: string[];
}

const delimiterCandidates: readonly Delimiter[] = [';', ',', '\t', '|'];

/**
 * Decodes and parses a CSV export, detecting encoding, BOM, delimiter and decimal separator
 * unless the project overrides them. Quoted fields may hold delimiters and newlines.
 */
export function parseCsv(bytes: Uint8Array, file: string, override: DialectOverride = {}): CsvTable {
  const decoded = decodeText(bytes, file, override.encoding);
  let text = decoded.text.replace(/\r\n?/g, '\n');
  // Excel's "sep=;" first line names the delimiter; it is no header.
  const excelSeparator = /^sep=([;,\t|])\n/.exec(text)?.[1] as Delimiter | undefined;
  let firstLine = 1;
  if (excelSeparator) {
    text = text.slice(text.indexOf('\n') + 1);
    firstLine = 2;
  }
  if (override.headerLine && override.headerLine > firstLine) {
    for (; firstLine < override.headerLine; firstLine++) {
      const end = text.indexOf('\n');
      text = end < 0 ? '' : text.slice(end + 1);
    }
  }
  const delimiter = override.delimiter === 'tab' ? '\t' : override.delimiter ?? excelSeparator ?? detectDelimiter(text, file, firstLine);

  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    const err = error as { message: string; lines?: number };
    throw new UserError(`the CSV cannot be read: ${err.message.replace(/^Invalid [^:]*: /, '')}`, {
      file,
      line: err.lines,
      expected: `CSV with "${printable(delimiter)}" between fields and "..." around fields that contain it`,
      fix: 'close the quote on that line, or set `delimiter:` for this source in buurtbalans.yml',
    });
  }

  // Line numbers are counted here rather than asked of csv-parse (its per-record info objects
  // cost a third of the parse time): a record starts where the previous one ended.
  const rows: string[][] = [];
  const lines: number[] = [];
  let header: string[] | undefined;
  let emptyLines = 0;
  let line = firstLine;
  for (const record of records) {
    const start = line;
    let newlinesInside = 0;
    let empty = true;
    for (const field of record) {
      if (empty && field.trim() !== '') empty = false;
      if (field.includes('\n')) newlinesInside += countNewlines(field);
    }
    line += 1 + newlinesInside;
    if (empty) {
      emptyLines += 1 + newlinesInside;
      continue;
    }
    if (!header) {
      header = record.map((name) => name.trim());
      continue;
    }
    rows.push(record);
    lines.push(start);
  }
  if (!header) {
    throw new UserError('the file is empty', { file, expected: 'a header line with column names and data rows', fix: 'export the data again' });
  }
  const decimal = override.decimal ?? detectDecimal(rows);
  const notes: string[] = [];
  if (decoded.mixed) notes.push('the file mixes encodings (read as Windows-1252, but it also holds UTF-8 characters): some letters such as ë or é will be wrong; save it again as UTF-8');
  const duplicates = header.filter((name, i) => name !== '' && header.indexOf(name) !== i);
  if (duplicates.length > 0) notes.push(`column names appear more than once: ${[...new Set(duplicates)].map((d) => `"${d}"`).join(', ')}; the first of each is used`);
  if (rows.length === 0) notes.push('the file has a header but no data rows');
  return { file, header, rows, lines, dialect: { encoding: decoded.encoding, bom: decoded.bom, delimiter, decimal }, emptyLines, notes };
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

/** Decimal comma when numbers like "12,5" outnumber numbers like "12.5" in the data. */
export function detectDecimal(rows: readonly string[][]): DecimalSeparator {
  let comma = 0;
  let point = 0;
  for (const row of rows.slice(0, 2000)) {
    for (const raw of row) {
      const field = raw.trim();
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
  if (exact >= 0) return exact;
  const folded = table.header.findIndex((column) => column.toLowerCase() === name.trim().toLowerCase());
  if (folded >= 0) return folded;
  throw new UserError(`column "${name}" not found`, {
    file: table.file,
    line: 1,
    column: name,
    expected: `a column named "${name}" (from ${key} in buurtbalans.yml) in the header line`,
    fix: `${suggestion(name, table.header)} Correct ${key} in buurtbalans.yml`,
  });
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

function countNewlines(field: string): number {
  let count = 0;
  for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) count++;
  return count;
}

export function printable(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}
