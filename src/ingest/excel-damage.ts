import { UserError } from '../errors.js';
import type { CsvTable } from './csv.js';
import type { ExportConfig } from './export.js';

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

/** The columns an export locates its records by: Excel damage there is refused (refuseExcelDamage). */
export function excelCheckedColumns(config: ExportConfig): { address: (string | undefined)[]; bag: (string | undefined)[] } {
  if (!('place_by' in config)) return { address: [config.postcode, config.huisnummer, config.huisletter, config.toevoeging], bag: config.bag === undefined ? [] : [config.bag].flat() };
  return {
    address: config.place_by === 'address' ? [config.columns.postcode, config.columns.huisnummer, config.columns.huisletter, config.columns.toevoeging] : [],
    bag: config.place_by === 'bag' ? [config.columns.bag] : [],
  };
}
