import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHouseNumber, formatHouseNumber } from '../../src/address/housenumber.js';
import { normalisePostcode } from '../../src/address/postcode.js';
import { UserError } from '../../src/errors.js';
import { parseCsv } from '../../src/ingest/csv.js';
import { parseBlockLayer } from '../../src/ingest/geojson.js';
import { rowsOf } from '../helpers.js';

const cellText = fc.string({ unit: fc.constantFrom('a', 'Z', 'é', 'ĳ', '€', ' ', ';', ',', '\t', '|', '"', '\n', '1', '0', '-', '.') , maxLength: 12 });
const quote = (value: string) => (/[;,\t|"\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

describe('property: CSV reading', () => {
  it('reads back every table it is given, whatever the delimiter, quotes, newlines and characters', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(';', ',', '\t', '|'),
        fc.array(fc.tuple(cellText, cellText, cellText).filter((row) => row.some((cell) => cell.trim() !== '')), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (delimiter, rows, bom) => {
          const text = ['alpha', 'beta', 'gamma'].join(delimiter) + '\n' + rows.map((row) => row.map(quote).join(delimiter)).join('\n') + '\n';
          const bytes = new TextEncoder().encode(text);
          const table = parseCsv(bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]) : bytes, 'p.csv');
          expect(table.dialect.delimiter).toBe(delimiter);
          expect(table.header).toEqual(['alpha', 'beta', 'gamma']);
          expect(rowsOf(table)).toEqual(rows);
          // Each row starts on the line after the previous one ended.
          let line = 2;
          rowsOf(table).forEach((row, i) => {
            expect(table.lines[i]).toBe(line);
            line += 1 + row.join('').split('\n').length - 1;
          });
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it('never crashes on random bytes: it reads them or says why not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        try {
          parseCsv(bytes, 'fuzz.csv');
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('never crashes on random GeoJSON-like text', () => {
    const json = fc.oneof(fc.string({ maxLength: 80 }), fc.json({ maxDepth: 4 }), fc.constant('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}'));
    fc.assert(
      fc.property(json, (text) => {
        try {
          parseBlockLayer(text, 'fuzz.geojson', { id: 'id' });
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
        }
      }),
      { numRuns: 1000, seed: 11 },
    );
  });
});

describe('property: addresses', () => {
  const letters = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
  const pc6 = fc.tuple(fc.integer({ min: 1000, max: 9999 }), letters, letters).filter(([, a, b]) => !['SA', 'SD', 'SS'].includes(a + b));

  it('normalises a postcode in any spacing and case to the same PC6', () => {
    fc.assert(
      fc.property(pc6, fc.constantFrom('', ' ', '  ', '-', '\u00a0'), fc.boolean(), fc.constantFrom('', ' '), ([digits, a, b], gap, lower, pad) => {
        const letters = lower ? (a + b).toLowerCase() : a + b;
        expect(normalisePostcode(`${pad}${digits}${gap}${letters}${pad}`)).toEqual({ ok: true, pc6: `${digits}${a}${b}` });
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('reads back every canonical house number it formats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99999 }), fc.constantFrom('', 'A', 'B', 'Z'), fc.constantFrom('', 'H', '1', '2', '3', '12', 'BIS'), (number, letter, suffix) => {
        expect(parseHouseNumber(formatHouseNumber({ number, letter, suffix }))).toEqual({ ok: true, number, letter, suffix });
      }),
      { numRuns: 500, seed: 5 },
    );
  });

  it('never throws on any text: a number or a reason', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 5 }), fc.string({ maxLength: 8 }), (raw, letter, suffix) => {
        const house = parseHouseNumber(raw, letter, suffix);
        expect(house.ok || ['missing_huisnummer', 'invalid_huisnummer'].includes(house.reason)).toBe(true);
        const postcode = normalisePostcode(raw);
        expect(postcode.ok || ['missing_postcode', 'invalid_postcode'].includes(postcode.reason)).toBe(true);
      }),
      { numRuns: 2000, seed: 9 },
    );
  });
});
