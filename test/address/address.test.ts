import { describe, expect, it } from 'vitest';
import { normalisePostcode } from '../../src/address/postcode.js';
import { formatHouseNumber, parseHouseNumber } from '../../src/address/housenumber.js';
import { parseBagId, parseCbsCode } from '../../src/address/codes.js';

describe('normalisePostcode', () => {
  it.each(['1079 AB', '1079ab', ' 1079AB', '1079  ab ', '1079-AB', '1079\u00a0AB'])('reads %j as 1079AB', (raw) => {
    expect(normalisePostcode(raw)).toEqual({ ok: true, pc6: '1079AB' });
  });

  it.each([
    ['10795AB', 'invalid_postcode', '5 digits'],
    ['0179AB', 'invalid_postcode', 'starts with 0'],
    ['1079', 'invalid_postcode', 'PC4'],
    ['1079A', 'invalid_postcode', '1 letters'],
    ['1079SS', 'invalid_postcode', 'never used'],
    ['1079 A1', 'invalid_postcode', 'not 4 digits'],
    ['', 'missing_postcode', 'empty'],
  ])('rejects %j with a reason', (raw, reason, detail) => {
    const result = normalisePostcode(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.detail).toContain(detail);
    }
  });
});

describe('parseHouseNumber', () => {
  it.each([
    ['12', 12, '', ''],
    ['12A', 12, 'A', ''],
    ['12 a', 12, 'A', ''],
    ['12-2', 12, '', '2'],
    ['12-II', 12, '', '2'],
    ['12-III', 12, '', '3'],
    ['12 I', 12, '', '1'],
    ['12 hs', 12, '', 'H'],
    ['12-H', 12, '', 'H'],
    ['12 huis', 12, '', 'H'],
    ['12 bis', 12, '', 'BIS'],
    ['12-3 hg', 12, '', '3'],
    ['12-3hoog', 12, '', '3'],
    ['12A-2', 12, 'A', '2'],
    ['12a/3', 12, 'A', '3'],
    [' 7 ', 7, '', ''],
  ])('reads %j', (raw, number, letter, suffix) => {
    expect(parseHouseNumber(raw)).toEqual({ ok: true, number, letter, suffix });
  });

  it('reads separate letter and suffix columns', () => {
    expect(parseHouseNumber('12', 'b', 'hs')).toEqual({ ok: true, number: 12, letter: 'B', suffix: 'H' });
    expect(parseHouseNumber('12', '', 'II')).toEqual({ ok: true, number: 12, letter: '', suffix: '2' });
    expect(parseHouseNumber('12', ' ', '3 hg')).toEqual({ ok: true, number: 12, letter: '', suffix: '3' });
    expect(parseHouseNumber('12', 'A', '')).toEqual({ ok: true, number: 12, letter: 'A', suffix: '' });
  });

  it('rejects what is no house number', () => {
    expect(parseHouseNumber('')).toMatchObject({ ok: false, reason: 'missing_huisnummer' });
    expect(parseHouseNumber('Rijnstraat')).toMatchObject({ ok: false, reason: 'invalid_huisnummer' });
    expect(parseHouseNumber('0')).toMatchObject({ ok: false, reason: 'invalid_huisnummer' });
    expect(parseHouseNumber('12 ???')).toMatchObject({ ok: false, reason: 'invalid_huisnummer' });
  });

  it('formats the canonical form', () => {
    expect(formatHouseNumber({ number: 12, letter: 'A', suffix: 'H' })).toBe('12A-H');
  });
});

describe('BAG ids and CBS codes', () => {
  it('recognises 16-digit BAG ids and their object type', () => {
    expect(parseBagId('0363200000123456')).toEqual({ ok: true, id: '0363200000123456', type: 'nummeraanduiding' });
    expect(parseBagId('0363010000654321')).toMatchObject({ ok: true, type: 'verblijfsobject' });
    expect(parseBagId('NL.IMBAG.PAND.0363100012345678')).toMatchObject({ ok: true, type: 'pand' });
  });

  it('restores the leading zero Excel drops, and rejects lost digits', () => {
    expect(parseBagId('363200000123456')).toMatchObject({ ok: true, id: '0363200000123456' });
    expect(parseBagId('3.632E+14')).toMatchObject({ ok: false, reason: 'invalid_bag' });
    expect(parseBagId('12345')).toMatchObject({ ok: false, reason: 'invalid_bag' });
    expect(parseBagId(' ')).toMatchObject({ ok: false, reason: 'missing_bag' });
  });

  it('recognises CBS region codes, also padded as StatLine writes them', () => {
    expect(parseCbsCode('BU0363KM02')).toEqual({ level: 'buurt', code: 'BU0363KM02' });
    expect(parseCbsCode('WK036300  ')).toEqual({ level: 'wijk', code: 'WK036300' });
    expect(parseCbsCode('GM0363')).toEqual({ level: 'gemeente', code: 'GM0363' });
    expect(parseCbsCode('1079AB')).toBeUndefined();
  });
});
