import { UserError } from '../errors.js';
import type { CsvTable } from './csv.js';

/** A workbook's sheet as CSV bytes, with the cells Excel holds as dates (to catch house numbers it turned into dates). */
export interface Workbook {
  csv: Uint8Array;
  sheet: string;
  /** Per column name: how many cells are dates, and the first (1-based line, as in the CSV: the header is line 1). */
  dates: Map<string, { count: number; line: number; shown: string }>;
}

/** An .xlsx file (a zip archive): by name, or by its first bytes when it was renamed to .csv. */
export function isWorkbook(path: string, firstBytes: Uint8Array): boolean {
  return /\.xlsx$/i.test(path) || (firstBytes[0] === 0x50 && firstBytes[1] === 0x4b && firstBytes[2] === 0x03 && firstBytes[3] === 0x04);
}

/**
 * Reads one sheet of an .xlsx export (the first, or `sheet` by name or number) into CSV text the
 * CSV reader takes as it is (its decimal detection sees text as typed and numbers with a decimal point, no grouping), dates as
 * yyyy-mm-dd. read-excel-file does the reading: maintained, no native code, and not the frozen
 * `xlsx` release on the npm registry with its known vulnerabilities.
 */
export async function readWorkbook(bytes: Uint8Array, file: string, sheet: string | number | undefined): Promise<Workbook> {
  const { default: readXlsxFile } = await import('read-excel-file/node');
  let sheets: { sheet: string; data: unknown[][] }[];
  try {
    sheets = (await readXlsxFile(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) as { sheet: string; data: unknown[][] }[];
  } catch (error) {
    throw new UserError(`the workbook cannot be read (${(error as Error).message.split('\n')[0]})`, {
      file,
      expected: 'an Excel workbook (.xlsx) or a CSV file',
      fix: 'open it in Excel or LibreOffice and save it again as .xlsx, or as CSV',
    });
  }
  const chosen = sheet === undefined ? sheets[0] : typeof sheet === 'number' ? sheets[sheet - 1] : sheets.find((s) => s.sheet.trim().toLowerCase() === sheet.trim().toLowerCase());
  if (!chosen) {
    throw new UserError(sheet === undefined ? 'the workbook has no sheets' : `the workbook has no sheet ${typeof sheet === 'number' ? `number ${sheet}` : `"${sheet}"`}`, {
      file,
      expected: `sheet: one of ${sheets.map((s, i) => `"${s.sheet}" (${i + 1})`).join(', ')}`,
      fix: 'name the sheet that holds the export under sheet: for this file in buurtbalans.yml',
    });
  }
  const header = (chosen.data[0] ?? []).map((cell) => text(cell));
  const dates = new Map<string, { count: number; line: number; shown: string }>();
  const lines = chosen.data.map((row, r) =>
    row
      .map((cell, c) => {
        if (cell instanceof Date && r > 0) {
          const name = header[c] ?? `column ${c + 1}`;
          const seen = dates.get(name);
          if (seen) seen.count++;
          else dates.set(name, { count: 1, line: r + 1, shown: `${cell.getUTCDate()}-${monthNames[cell.getUTCMonth()]}` });
        }
        return quoted(text(cell));
      })
      .join(','),
  );
  return { csv: Buffer.from(`${lines.join('\n')}\n`, 'utf8'), sheet: chosen.sheet, dates };
}

const monthNames = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

function text(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell.toFixed(0) : String(cell);
  return String(cell);
}

function quoted(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// A date where an address belongs: "2-jan" or "3-feb" as Excel shows it, or yyyy-mm-dd as a workbook cell is read.
const dateText = /^(\d{1,2}[-/ .](jan|feb|mrt|maa|mar|apr|mei|may|jun|jul|aug|sep|okt|oct|nov|dec)[a-z]*\.?|\d{4}-\d{2}-\d{2})$/i;

function mayBeDate(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start === 10) return true;
  for (let i = start; i < end; i++) if ((bytes[i]! | 0x20) >= 0x61 && (bytes[i]! | 0x20) <= 0x7a) return true;
  return false;
}

/** A number Excel wrote in scientific notation: 3.632E+14 or 3,632E+14 (the digits after the fourth are gone). */
const scientific = /^\d[.,]\d+E\+?\d+$/i;

/**
 * Excel's damage to the columns that locate a record: a house number typed as 2-1 or 3/2 becomes
 * a date (2-jan, 3-feb), whether the partner then saves CSV or .xlsx, and placing "2-jan" as
 * number 2 would put the record at the wrong door; a 16-digit BAG id becomes 3.632E+14, which no
 * longer names any address. Either is refused with its line and what helps.
 */
export function refuseExcelDamage(table: CsvTable, columns: { address: readonly (string | undefined)[]; bag: readonly (string | undefined)[] }, file: string): void {
  const check = (column: string | undefined, damaged: RegExp, what: string, why: string, mayMatch: (bytes: Uint8Array, start: number, end: number) => boolean) => {
    if (column === undefined) return;
    const c = table.header.findIndex((name) => name.trim().toLowerCase() === column.trim().toLowerCase());
    if (c < 0) return;
    let count = 0;
    let first: { line: number; value: string } | undefined;
    table.visitColumn(c, mayMatch, (value, row) => {
      if (!damaged.test(value.trim())) return;
      count++;
      first ??= { line: table.lines[row]!, value: value.trim() };
    });
    if (!first) return;
    throw new UserError(`column "${column}" holds ${count} ${what} (line ${first.line}: ${first.value}): ${why}`, {
      file,
      line: first.line,
      column,
      expected: 'house numbers, suffixes, postcodes and BAG ids as text, as the source system wrote them',
      fix: 'export the data again from the source system without opening it in Excel first; or in Excel format the column as Text before pasting or typing the values',
    });
  };
  for (const column of columns.address) check(column, dateText, 'date(s) where an address belongs', 'Excel turned a house number such as 2-1 into a date', mayBeDate);
  for (const column of columns.bag) check(column, scientific, 'BAG id(s) in scientific notation', 'Excel kept only the first digits, so they name no address', hasLetterE);
}

function hasLetterE(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if ((bytes[i]! | 0x20) === 0x65) return true;
  return false;
}
