/**
 * Excel workbooks as partners send them: read like CSV (first sheet or `sheet:`), the same
 * analysis as from the CSV export, and Excel's damage (a house number 2-1 turned into 2-jan)
 * refused with the line and what to do.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import writeExcelFile from 'write-excel-file/node';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/ingest/csv.js';
import { temporaryDirectories } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = join(root, 'data-samples/rijnbuurt-west');
const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/buurtbalans.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const temporaryDirs = temporaryDirectories('buurtbalans-xlsx-');
afterAll(temporaryDirs.removeAll);

type Cell = { value: string | number | Date; type?: typeof Number | typeof Date; format?: string } | null;

/** corporatie-a.csv as a partner's workbook: whole numbers as number cells, the rest as typed text. */
function corporatieRows(): Cell[][] {
  const table = parseCsv(readFileSync(join(sample, 'corporatie-a.csv')), 'corporatie-a.csv');
  const rows: Cell[][] = [table.header.map((name) => ({ value: name }))];
  for (let i = 0; i < table.rowCount; i++) rows.push(table.row(i).map((value) => (value === '' ? null : /^\d+$/.test(value) ? { value: Number(value), type: Number } : { value })));
  return rows;
}

async function projectWithWorkbook(sheets: { data: Cell[][]; sheet: string }[], yml: (text: string) => string = (text) => text): Promise<string> {
  const dir = join(temporaryDirs.make(), 'project');
  cpSync(sample, dir, { recursive: true });
  await writeExcelFile(sheets as never).toFile(join(dir, 'corporatie-a.xlsx'));
  const file = join(dir, 'buurtbalans.yml');
  writeFileSync(file, yml(readFileSync(file, 'utf8').replace('file: corporatie-a.csv', 'file: corporatie-a.xlsx')));
  return dir;
}

const analysis = (dir: string) => {
  // Never beside the committed sample: the output goes to a temporary folder.
  const result = run('analyse', dir, '--out', join(temporaryDirs.make(), 'out'), '--json', '--no-maps', '--no-report', '--quiet');
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
};

describe('an .xlsx export', () => {
  it('gives the same analysis as the CSV it was made from, from the first sheet or the one sheet: names', async () => {
    const fromCsv = analysis(sample);
    const fromWorkbook = analysis(await projectWithWorkbook([{ data: corporatieRows(), sheet: 'Export' }]));
    const corporatieA = (result: { sources: { name: string; rows_read: number; rows_placed: number }[] }) => result.sources.find((s) => s.name === 'corporatie_a')!;
    expect(corporatieA(fromWorkbook).rows_placed).toBe(corporatieA(fromCsv).rows_placed);
    expect(corporatieA(fromWorkbook).rows_read).toBe(corporatieA(fromCsv).rows_read);
    expect(fromWorkbook.key_totals).toEqual(fromCsv.key_totals);
    expect(fromWorkbook.sources.find((s: { name: string }) => s.name === 'corporatie_a')).toMatchObject({ format: 'xlsx', sheet: 'Export' });
    const second = await projectWithWorkbook([{ data: [[{ value: 'Toelichting bij de export' }]], sheet: 'Toelichting' }, { data: corporatieRows(), sheet: 'Export' }], (text) => text.replace('file: corporatie-a.xlsx', 'file: corporatie-a.xlsx\n    sheet: Export'));
    expect(analysis(second).key_totals).toEqual(fromCsv.key_totals);
    const wrongSheet = run('analyse', await projectWithWorkbook([{ data: corporatieRows(), sheet: 'Export' }], (text) => text.replace('file: corporatie-a.xlsx', 'file: corporatie-a.xlsx\n    sheet: Expor')), '--no-maps', '--no-report');
    expect(wrongSheet.status).toBe(2);
    expect(wrongSheet.stderr).toContain('the workbook has no sheet "Expor"');
    expect(wrongSheet.stderr).toContain('"Export" (1)');
  });

  it('with a house number Excel turned into a date (2-1 → 2-jan) is refused with the line and the fix', async () => {
    const rows = corporatieRows();
    rows[5]![1] = { value: new Date(Date.UTC(2025, 0, 2)), type: Date, format: 'd-mmm' };
    const dir = await projectWithWorkbook([{ data: rows, sheet: 'Export' }]);
    const result = run('analyse', dir, '--no-maps', '--no-report');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('corporatie-a.xlsx, line 6');
    expect(result.stderr).toContain('column "Huisnr" holds 1 date(s) where an address belongs (line 6: 2025-01-02)');
    expect(result.stderr).toContain('format the column as Text');
    const inspect = run('inspect', join(dir, 'corporatie-a.xlsx'));
    expect(inspect.status).toBe(0);
    expect(inspect.stdout).toContain('Excel workbook, sheet "Export"');
    expect(inspect.stdout).toContain('note: column "Huisnr" holds 1 date(s) (line 6: 2-jan)');
  });

  it('is scanned for identifiers by check like any CSV', async () => {
    const rows = corporatieRows();
    rows[0]!.push({ value: 'Telefoon' });
    for (let r = 1; r < rows.length; r++) rows[r]!.push({ value: `06-${String(12345678 + r).padStart(8, '0')}` });
    const check = run('check', await projectWithWorkbook([{ data: rows, sheet: 'Export' }]));
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('IDENTIFIER: corporatie-a.xlsx column "Telefoon": phone');
  });
});
