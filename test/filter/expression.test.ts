import { describe, expect, it } from 'vitest';
import { compileFilter, FilterSyntaxError, UnknownColumnError } from '../../src/filter/expression.js';

const header = ['Label', 'Verdieping', 'Lift', 'Opp m²', 'omklap', 'Categorie'];
const row = (label: string, floor: string, lift: string, area: string, omklap: string, category: string) => [label, floor, lift, area, omklap, category];
const a = row('Omklapwoning', '2', 'Nee', '64,5', 'ja', 'burenoverlast');
const b = row('', '0', 'Ja', '110,0', 'nee', 'vervuiling');

describe('compileFilter', () => {
  it.each([
    ['Label == "Omklapwoning"', true, false],
    ["label = 'omklapwoning'", true, false],
    ['Verdieping >= 1 and Lift == "Nee"', true, false],
    ['Verdieping >= 1 && Lift == "Nee" || Label == ""', true, true],
    ['not (Verdieping > 0)', false, true],
    ['!omklap', false, true],
    ['omklap', true, false],
    ['Categorie in ("burenoverlast", "schade")', true, false],
    ['`Opp m²` > 100', false, true],
    ['[Opp m²] < 64.6 and [Opp m²] > 64.4', true, false],
    ['Verdieping == 2.0', true, false],
    ['Label != "Omklapwoning"', false, true],
    ['Verdieping > "abc"', false, false],
  ])('%s', (text, onA, onB) => {
    const filter = compileFilter(text, header, ',');
    expect(filter(a)).toBe(onA);
    expect(filter(b)).toBe(onB);
  });

  it('names a column the file does not have', () => {
    expect(() => compileFilter('Lable == "x"', header, ',')).toThrow(UnknownColumnError);
    try {
      compileFilter('Verdieping > 1 and Lfit == "Nee"', header, ',');
    } catch (error) {
      expect((error as UnknownColumnError).column).toBe('Lfit');
    }
  });

  it.each([
    ['Label ==', 'at the end'],
    ['Label == "x', 'no closing'],
    ['Label == x y', 'unexpected'],
    ['Label ; 1', 'unexpected character ";"'],
    ['process.exit(1)', 'unexpected character "."'],
    ['Categorie in "a"', 'expected "("'],
  ])('refuses %j with a readable reason', (text, reason) => {
    expect(() => compileFilter(text, [...header, 'x', 'y', 'process'], ',')).toThrow(FilterSyntaxError);
    expect(() => compileFilter(text, [...header, 'x', 'y', 'process'], ',')).toThrow(reason);
  });
});
