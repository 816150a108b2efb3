import { describe, expect, it } from 'vitest';
import { describeColumn } from '../../src/ingest/inspect.js';
import { addressesInText, isBsn, isIban, looksPersonalColumn, looksPersonalValue, scanTable } from '../../src/privacy/identifiers.js';
import { parseCsv } from '../../src/ingest/csv.js';
import { utf8 } from '../helpers.js';

describe('identifier rules', () => {
  it('treats every name the scan rules know as a personal column, and leaves address columns alone', () => {
    for (const name of ['naam', 'Achternaam', 'roepnaam', 'firstname', 'surname', 'initialen', 'BSN', 'geboortedatum', 'e-mail', 'telefoon', 'IBAN']) {
      expect(looksPersonalColumn(name), name).toBe(true);
    }
    for (const name of ['postcode', 'huisnummer', 'straatnaam', 'blok_id', 'aantal']) {
      expect(looksPersonalColumn(name), name).toBe(false);
    }
  });

  it('checks BSN and IBAN with their published check digits', () => {
    expect(isBsn('111222333')).toBe(true);
    expect(isBsn('123456782')).toBe(true);
    expect(isBsn('123456789')).toBe(false);
    expect(isIban('NL91ABNA0417164300')).toBe(true);
    expect(isIban('NL91ABNA0417164301')).toBe(false);
  });

  it('finds identifiers in the forms the adversarial review used', () => {
    const personal = ['7257.63.863', '725 763 863', '020.123.45.67', '06 - 12 34 56 78', '+31 (0)6 12345678', 'DE89 3704 0044 0532 0130 00', 'BE68539007547034', 'geb. 02-03-1948', 'bel haar op 020-1234567 of mail j.jansen@voorbeeld.nl'];
    for (const value of personal) expect(looksPersonalValue(value), value).toBe(true);
    for (const value of ['121702.35', '487000.123', 'burenoverlast', '2025-03-02', '1079AB', '12-II', '0,5']) expect(looksPersonalValue(value), value).toBe(false);
  });

  it('scans values as well as names: a minority of BSNs, birth dates in words, phones in free text', () => {
    const orders = Array.from({ length: 40 }, (_, i) => String(100000000 + i * 7919));
    const rows = orders.map((order, i) => `${i < 12 ? ['111222333', '123456782', '725763863'][i % 3] : order};${i === 5 ? 'geb. 02-03-1948, woont alleen' : 'geen bijzonderheden'};${i === 7 ? 'terugbellen 020.123.45.67' : ''}`);
    const table = parseCsv(utf8(`nummer;opmerking;datum1\n${rows.join('\n')}\n`), 'export.csv');
    const rules = scanTable(table).map((finding) => `${finding.column}:${finding.rule}`);
    expect(rules).toEqual(expect.arrayContaining(['nummer:bsn', 'opmerking:date_of_birth', 'datum1:phone']));
  });

  it('inspect never shows a value the scan flags, also inside free text', () => {
    const column = describeColumn('opmerking', ['rustig', 'mail j.jansen@voorbeeld.nl', 'bel 06 - 12 34 56 78', 'lekkage', 'lawaai'], ',');
    expect(column.examples.join(' ')).not.toMatch(/jansen|12 34/);
    expect(column.examples.length).toBeGreaterThan(0);
  });

  it('"naam" names the area where each row is an area (CBS Kerncijfers), a person in a record export', () => {
    const table = parseCsv(utf8('code;naam;voornaam;inwoners\nBU03630000;Kop Zeedijk;;1005\nBU03630001;Oude Kerk e.o.;;745\n'), 'kwb.csv');
    expect(scanTable(table, {}, true).map((finding) => `${finding.column}:${finding.rule}`)).toEqual([]);
    expect(scanTable(table).map((finding) => `${finding.column}:${finding.rule}`)).toEqual(['naam:name_column']);
  });

  it('"naam" in a record export is judged by its values: places and organisations are no persons, people are', () => {
    const scan = (values: string[], places: string[] = []) => scanTable(parseCsv(utf8(`id;naam\n${values.map((v, i) => `${i};${v}`).join('\n')}\n`), 'x.csv'), {}, false, () => new Set(places)).map((f) => f.rule);
    // No person's name; "Rijnstraat 12" is an address written out, a quasi-identifier.
    expect(scan(['Lekstraat', 'Rijnstraat 12', 'Victorieplein', 'Amstelkade', 'Stichting De Kade'])).toEqual(['address_in_text']);
    // The blocks' labels and the register's streets count as places whatever their form.
    expect(scan(['Rivierenbuurt Noord-West', 'Lek en Waal', 'Maas'], ['lek en waal', 'maas', 'rivierenbuurt noord-west'])).toEqual([]);
    expect(scan(['J. de Vries', 'Fatima el Amrani', 'Piet Jansen', 'Lekstraat', 'A. Bakker'])).toEqual(['name_column']);
    expect(scan(['Jansen', 'de Wit', 'Bakker'], ['lekstraat'])).toEqual(['name_column']);
  });
});

describe('addresses written out in free text', () => {
  it('finds a street with a house number, a PC6 with a number and a street the register knows, and not the words around numbers', () => {
    const found = [
      'Bewoner Lekstraat 12-II klaagt over de buren',
      'overlast bij Prinsengracht 263 hs, al maanden',
      'zie 1079 AB 12',
      'adres: 1079AB, 12',
      'Kromme-Mijdrechtstraat 104',
      'van Rokin 10 komt het geluid',
    ];
    for (const text of found) expect(addressesInText(text, () => new Set(['rokin'])), text).toBe(1);
    const not = ['bewoner 80+, wil verhuizen', 'Bovenwoning (geen lift, één trap)', '121702,35', 'in 2024 om 5 uur', 'Lekstraat / Waalstraat', 'straat 3,5 meter breed', 'gesprek 12-03-2025', 'rokinbeurs 3'];
    for (const text of not) expect(addressesInText(text, () => new Set(['rokin'])), text).toBe(0);
  });

  it('check reports the column and how many, never the text, and not the address columns a source is placed by (those are full_address)', () => {
    const table = parseCsv(utf8('postcode;huisnummer;opmerking;thema\n1079AB;12;buren Lekstraat 14 maken lawaai;overlast\n1079AB;14;;overlast\n1079AC;3;zie 1079 AC 5;eenzaamheid\n'), 'notities.csv');
    const findings = scanTable(table, { postcode: 'postcode', huisnummer: 'huisnummer' });
    expect(findings.filter((f) => f.rule === 'address_in_text')).toEqual([{ file: 'notities.csv', column: 'opmerking', rule: 'address_in_text', kind: 'quasi', count: 2 }]);
    expect(findings.find((f) => f.rule === 'full_address')?.column).toBe('postcode + huisnummer');
    expect(JSON.stringify(findings)).not.toContain('Lekstraat');
  });
});
