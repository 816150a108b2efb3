import { describe, expect, it } from 'vitest';
import { parseBagId } from '../../src/address/codes.js';
import { parseHouseNumber } from '../../src/address/housenumber.js';
import { normalisePostcode, pc6Code, pc6OfCode } from '../../src/address/postcode.js';
import { parseCsv } from '../../src/ingest/csv.js';
import { readAddress, readBag, type AddressKey } from '../../src/join/register.js';
import { Random } from '../../src/stats/random.js';

/** Cells as exports write them: canonical, spaced, lower case, quoted, padded, broken. */
function cells(random: Random) {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random.next() * items.length)]!;
  return {
    postcode: pick(['1079AB', '1079 AB', '1079ab', '"1079AB"', '0179AB', '1079SA', '1079', '', ' 1011AA', '9999ZZ', '1011A1']),
    number: pick(['12', '1', '99999', '100000', '012', '0', '12A', '12 a', '12-2', ' 12', 'twaalf', '', '"7"']),
    letter: pick(['', 'A', 'b', 'AB', ' ', '1', 'é', '"C"']),
    suffix: pick(['', 'H', 'hs', '1', '-2', 'III', '2 hg', ' 3', 'bis', 'ABCDEFG', '!', 'zw', '"1"']),
    bag: pick(['0363010000000001', '363010000000001', '0363 0100', 'NL.IMBAG.NUMMERAANDUIDING.0363200000000002', '', '3.6301E+14', '9999999999999999', '"0363010000000003"']),
  };
}

describe('readAddress and readBag: the byte fast paths read what the full parsers read', () => {
  const random = new Random(11);
  const rows = Array.from({ length: 3000 }, () => cells(random));
  const text = `postcode,huisnummer,huisletter,toevoeging,bag\n${rows.map((r) => [r.postcode, r.number, r.letter, r.suffix, r.bag].join(',')).join('\n')}\n`;
  const table = parseCsv(new TextEncoder().encode(text), 'adressen.csv');
  const columns = { postcode: 0, number: 1, letter: 2, suffix: 3 };

  it('gives the same key, or the same reason, for every row', () => {
    const key: AddressKey = { numberCode: 0, letter: '', suffix: '' };
    let fast = 0;
    for (let row = 0; row < table.rowCount; row++) {
      const postcode = normalisePostcode(table.cell(row, 0));
      const house = parseHouseNumber(table.cell(row, 1), table.cell(row, 2), table.cell(row, 3));
      const expected = !postcode.ok ? postcode.reason : !house.ok ? house.reason : { numberCode: pc6Code(postcode.pc6) * 100_000 + house.number, letter: house.letter, suffix: house.suffix };
      const reason = readAddress(table, row, columns, key);
      expect(reason ?? { ...key }, `row ${row}: ${table.row(row).join(',')}`).toEqual(expected);
      if (reason === undefined && table.cell(row, 0) === '1079AB') fast++;
    }
    expect(fast).toBeGreaterThan(50);
  });

  it('reads BAG ids as the register keys them', () => {
    for (let row = 0; row < table.rowCount; row++) {
      const bag = parseBagId(table.cell(row, 4));
      // Numbers where exact (every real gemeentecode), the text above 2^53.
      const key = bag.ok ? (Number.isSafeInteger(Number(bag.id)) ? Number(bag.id) : bag.id) : undefined;
      expect(readBag(table, row, 4)).toEqual(bag.ok ? { key } : { reason: bag.reason });
    }
  });

  it('pc6OfCode undoes pc6Code, and codes sort as the postcodes do', () => {
    const postcodes = ['1011AA', '1011AB', '1011BA', '1079ZZ', '9999ZZ', '2000AA'];
    for (const pc6 of postcodes) expect(pc6OfCode(pc6Code(pc6))).toBe(pc6);
    expect([...postcodes].sort((a, b) => pc6Code(a) - pc6Code(b))).toEqual([...postcodes].sort());
  });
});
