import { UserError } from '../errors.js';

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
