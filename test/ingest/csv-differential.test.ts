import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/ingest/csv.js';
import { rowsOf, utf8 } from '../helpers.js';

// The tokenizer is hand-written for speed; csv-parse (what the tool used before) is the reference.
const cellText = fc.string({ unit: fc.constantFrom('a', 'é', '€', ' ', ';', '"', '\n', '\r\n', '1', ',', '.'), maxLength: 8 });
const quoteIfNeeded = (value: string, force: boolean) => (force || /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const row = fc.array(fc.tuple(cellText, fc.boolean()), { minLength: 1, maxLength: 5 });

/** What the tool read before: csv-parse on the text with every line break made LF, empty records skipped. */
function reference(text: string) {
  const records = parse(text.replace(/\r\n?/g, '\n'), { delimiter: ';', relax_column_count: true, relax_quotes: true }) as string[][];
  const lines: number[] = [];
  const kept: string[][] = [];
  let line = 1;
  for (const record of records) {
    const start = line;
    line += 1 + record.join('').split('\n').length - 1;
    if (record.every((field) => field.trim() === '')) continue;
    kept.push(record);
    lines.push(start);
  }
  return { header: kept[0]!.map((name) => name.trim()), rows: kept.slice(1), lines: lines.slice(1) };
}

describe('CSV tokenizer against csv-parse', () => {
  it('reads the same fields and line numbers for any quoting, ragged rows, empty lines and line endings', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean(), (rows, newline, finalNewline) => {
        const body = rows.map((cells) => cells.map(([value, force]) => quoteIfNeeded(value, force)).join(';'));
        const text = ['a;b;c;d;e', ...body].join(newline) + (finalNewline ? newline : '');
        const expected = reference(text);
        const table = parseCsv(utf8(text), 'diff.csv', { delimiter: ';' });
        expect(table.header).toEqual(expected.header);
        expect(rowsOf(table)).toEqual(expected.rows);
        expect([...table.lines]).toEqual(expected.lines);
      }),
      { numRuns: 1000, seed: 23 },
    );
  });

  it('reads plain numbers from the bytes exactly as Number() reads their text', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 6 }), fc.constantFrom(',', '.'), (value, digits, decimal) => {
        const text = value.toFixed(digits);
        const cell = decimal === ',' ? text.replace('.', ',') : text;
        const table = parseCsv(utf8(`x;y\n${cell};1\n`), 'n.csv', { delimiter: ';', decimal });
        expect(table.plainNumber(0, 0)).toBe(Number(text));
      }),
      { numRuns: 2000, seed: 29 },
    );
  });
});
