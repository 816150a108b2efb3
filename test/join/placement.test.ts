import { describe, expect, it } from 'vitest';
import { analyse, type AnalysisInput } from '../../src/analysis/analyse.js';
import { rdToLonLat } from '../../src/geo/crs.js';
import { parseCsv } from '../../src/ingest/csv.js';
import { parseBlockLayer } from '../../src/ingest/geojson.js';
import { parseProject } from '../../src/project/load.js';
import { rdBlocks, userError, utf8 } from '../helpers.js';

const blocks = rdBlocks([
  { id: 'B1', x: 121000, y: 487000 },
  { id: 'B2', x: 121200, y: 487000 },
  { id: 'B3', x: 121400, y: 487000 },
  { id: 'B4', x: 121440, y: 487000, half: 30 }, // overlaps B3
]);

const register = `postcode,huisnummer,huisletter,toevoeging,x,y,bag
1079AA,1,,H,121000,487000,0363200000000001
1079AA,1,,1,121000,487000,0363200000000002
1079AA,1,,2,121000,487000,0363200000000003
1079AA,3,A,,121010,487010,0363200000000004
1079AB,2,,,121200,487000,0363200000000005
1079AB,4,,,121200,487010,0363200000000006
1079AB,6,,,121000,487010,0363200000000007
1079AC,8,,,121000,486000,0363200000000008
1079AD,10,,,121190,487000,0363200000000009
1079AD,12,,,121010,487000,0363200000000010
1079AE,5,,,121200,487020,0363200000000011
1079AE,5,,,121000,487020,0363200000000012
`;

const [lon, lat] = rdToLonLat(121200, 487000);
const files: Record<string, string> = {
  'adres.csv': `postcode;huisnummer;toev;extra
1079AA;1;H;
1079 aa;1-II;;
1079AA;1;bg;
1079AA;3B;;
1079AA;3 a;;
1079AA;99;;
10795AA;1;;
1079AA;;;
1079AE;5;;
1079AC;8;;
1079AA;1;1;x;y
`,
  'pc6.csv': `PC6,clienten
1079AB,10
1079 ad,4
1079AD,<5
1079ZZ,3
1079AC,2
1079,1
`,
  'block.csv': `blok;n\nB1;1\nB2;2\n;3\nB9;4\n`,
  'point.csv': `X;Y
121000,5;487000,5
121370;487000
121000;486000
;487000
abc;487000
0;0
121430;487010
`,
  'wgs.csv': `lat,lon\n${lat.toFixed(7)},${lon.toFixed(7)}\n`,
  'bag.csv': `bag\n0363200000000001\n363200000000002\n0363200000009999\nabc\n0363200000000008\n`,
};

const projectText = `name: Fixture
blocks: { file: blokken.geojson, id: blok_id }
addresses: { file: register.csv, postcode: postcode, huisnummer: huisnummer, huisletter: huisletter, toevoeging: toevoeging, x: x, y: y, bag: bag }
sources:
  - { name: adres, file: adres.csv, place_by: address, columns: { postcode: postcode, huisnummer: huisnummer, toevoeging: toev } }
  - { name: pc6, file: pc6.csv, place_by: pc6, columns: { pc6: PC6 }, counts: [clienten] }
  - { name: block, file: block.csv, place_by: block, columns: { block: blok }, counts: [n] }
  - { name: point, file: point.csv, place_by: point, columns: { x: X, y: Y } }
  - { name: wgs, file: wgs.csv, place_by: point, columns: { x: lon, y: lat }, crs: EPSG:4326 }
  - { name: bag, file: bag.csv, place_by: bag, columns: { bag: bag } }
`;

function input(overrides: Record<string, string> = {}, project = projectText): AnalysisInput {
  const config = parseProject(project, 'buurtbalans.yml');
  const all = { ...files, ...overrides };
  return {
    project: config,
    projectFile: 'buurtbalans.yml',
    blocks: parseBlockLayer(blocks, 'blokken.geojson', config.blocks),
    register: parseCsv(utf8(register), 'register.csv'),
    sources: config.sources.map((source) => ({ config: source, table: parseCsv(utf8(all[source.file]!), source.file) })),
    tool: { name: 'buurtbalans', version: 'test' },
  };
}

const { result, unplaced } = analyse(input());
const source = (name: string) => result.sources.find((s) => s.name === name)!;
const counts = (key: string) => Object.fromEntries(result.blocks.map((b) => [b.id, b.counts[key]]));

describe('the address register', () => {
  it('places register addresses by point and reports the ones outside all blocks', () => {
    expect(result.register).toMatchObject({ rows_read: 12, rows_placed: 11, rows_unplaced: 1, unplaced_reasons: { outside_blocks: 1 } });
    expect(result.blocks.map((b) => b.addresses)).toEqual([7, 4, 0, 0]);
  });

  it('gives a split PC6 wholly to the block with most addresses, a tie to the lowest id, and lists the splits', () => {
    expect(result.pc6_split).toEqual([
      { pc6: '1079AB', assigned_block: 'B2', blocks: { B1: 1, B2: 2 } },
      { pc6: '1079AD', assigned_block: 'B1', blocks: { B1: 1, B2: 1 } },
      { pc6: '1079AE', assigned_block: 'B1', blocks: { B1: 1, B2: 1 } },
    ]);
  });
});

describe('placing by address', () => {
  it('matches exactly first, then by number and letter, then by number alone, and counts each level', () => {
    expect(source('adres').match_levels).toEqual({ exact: 3, number_letter: 1, number: 1 });
    expect(counts('adres')).toEqual({ B1: 5, B2: 0, B3: 0, B4: 0 });
  });

  it('gives every other row a reason', () => {
    expect(source('adres').unplaced_reasons).toEqual({
      address_ambiguous: 1,
      address_not_in_register: 1,
      invalid_postcode: 1,
      malformed_row: 1,
      missing_huisnummer: 1,
      register_address_unplaced: 1,
    });
    expect(source('adres')).toMatchObject({ rows_read: 11, rows_placed: 5, rows_unplaced: 6 });
  });
});

describe('placing by PC6, block, point and BAG id', () => {
  it('sums aggregated counts per block and keeps suppressed cells unknown', () => {
    expect(counts('pc6.clienten')).toEqual({ B1: 4, B2: 10, B3: 0, B4: 0 });
    expect(result.blocks[0]!.unknown_cells['pc6.clienten']).toBe(1);
    expect(source('pc6').unplaced_reasons).toEqual({ invalid_postcode: 1, pc6_not_in_blocks: 1, pc6_not_in_register: 1 });
    expect(source('pc6').unplaced_totals).toEqual({ clienten: 6 });
  });

  it('places by block id', () => {
    expect(counts('block.n')).toEqual({ B1: 1, B2: 2, B3: 0, B4: 0 });
    expect(source('block').unplaced_reasons).toEqual({ block_not_found: 1, missing_block: 1 });
  });

  it('places RD points with decimal commas and names every failure', () => {
    expect(counts('point')).toEqual({ B1: 1, B2: 0, B3: 1, B4: 0 });
    expect(source('point').unplaced_reasons).toEqual({
      in_overlapping_blocks: 1,
      invalid_coordinates: 1,
      missing_coordinates: 1,
      outside_blocks: 1,
      outside_netherlands: 1,
    });
  });

  it('places WGS84 points through the RD New conversion', () => {
    expect(counts('wgs')).toEqual({ B1: 0, B2: 1, B3: 0, B4: 0 });
  });

  it('places BAG ids, also without their leading zero', () => {
    expect(counts('bag')).toEqual({ B1: 2, B2: 0, B3: 0, B4: 0 });
    expect(source('bag').unplaced_reasons).toEqual({ bag_not_in_register: 1, invalid_bag: 1, register_address_unplaced: 1 });
  });

  it('places by BAG id a source that also names postcode and house number', () => {
    const project = `${projectText}  - { name: bagadres, file: bagadres.csv, place_by: bag, columns: { bag: bag, postcode: postcode, huisnummer: huisnummer } }\n`;
    const { result: placed } = analyse(input({ 'bagadres.csv': 'bag,postcode,huisnummer\n0363200000000001,1079AA,1\n0363200000000005,1079AB,2\n' }, project));
    const bagadres = placed.sources.find((s) => s.name === 'bagadres')!;
    expect(bagadres).toMatchObject({ rows_placed: 2, unplaced_reasons: {} });
    expect(Object.fromEntries(placed.blocks.map((b) => [b.id, b.counts.bagadres]))).toEqual({ B1: 1, B2: 1, B3: 0, B4: 0 });
  });

  it('finds addresses in a PC6 of hundreds, as a placeholder postcode gives, written in any order', () => {
    // 1079AF 1 to 300 from the highest down, in B1; number 50 once more, in B2.
    const numbers = Array.from({ length: 300 }, (_, i) => 300 - i);
    const large = `postcode,huisnummer,huisletter,toevoeging,x,y,bag\n${numbers.map((n) => `1079AF,${n},,,121000,487000,`).join('\n')}\n1079AF,50,,,121200,487000,\n`;
    const { result: placed } = analyse({ ...input({ 'adres.csv': 'postcode;huisnummer;toev\n1079AF;7;\n1079AF;300;\n1079AF;1;\n1079AF;50;\n1079AF;301;\n' }), register: parseCsv(utf8(large), 'register.csv') });
    const adres = placed.sources.find((s) => s.name === 'adres')!;
    expect(adres).toMatchObject({ rows_placed: 3, unplaced_reasons: { address_ambiguous: 1, address_not_in_register: 1 }, match_levels: { exact: 3, number_letter: 0, number: 0 } });
    expect(Object.fromEntries(placed.blocks.map((b) => [b.id, b.counts.adres]))).toEqual({ B1: 3, B2: 0, B3: 0, B4: 0 });
    expect(placed.blocks.find((b) => b.id === 'B1')!.addresses).toBe(300);
  });
});

describe('the account of unplaced records', () => {
  it('lists every unplaced row with its source, line and reason, and nothing else', () => {
    const total = result.sources.reduce((sum, s) => sum + s.rows_unplaced, 0) + result.register!.rows_unplaced;
    expect(unplaced).toHaveLength(total);
    expect(unplaced.find((row) => row.source === 'adres' && row.reason === 'address_not_in_register')).toEqual({ source: 'adres', line: 7, reason: 'address_not_in_register' });
    for (const row of unplaced) expect(Object.keys(row)).toEqual(['source', 'line', 'reason']);
  });

  it('adds up: every row read is placed or unplaced', () => {
    for (const s of result.sources) expect(s.rows_placed! + s.rows_unplaced).toBe(s.rows_read);
    expect(result.totals.rows_read).toBe(result.sources.reduce((sum, s) => sum + s.rows_read!, 0));
  });
});

describe('coordinates that are mostly outside the Netherlands', () => {
  it('stop with the likely mistake: swapped x and y', () => {
    const error = userError(() => analyse(input({ 'point.csv': 'X;Y\n487000;121000\n487010;121010\n' })));
    expect(error.file).toBe('point.csv');
    expect(error.line).toBe(2);
    expect(error.column).toBe('X, Y');
    expect(error.fix).toContain('swapped');
  });

  it('stop with the likely mistake: lat/lon given as RD', () => {
    const error = userError(() => analyse(input({ 'point.csv': `X;Y\n${lon};${lat}\n` })));
    expect(error.fix).toContain('EPSG:4326');
  });

  it('name a misspelt column of a source with the closest names', () => {
    const error = userError(() => analyse(input({}, projectText.replace('columns: { pc6: PC6 }', 'columns: { pc6: PC_6 }'))));
    expect(error.file).toBe('pc6.csv');
    expect(error.message).toBe('column "PC_6" not found');
    expect(error.fix).toContain('did you mean "PC6"?');
  });
});

describe('a register that names the block instead of a point', () => {
  it('places its addresses by block id and reports unknown ids', () => {
    const project = `name: Fixture
blocks: { file: blokken.geojson, id: blok_id }
addresses: { file: register.csv, postcode: postcode, huisnummer: huisnummer, block: blok }
sources:
  - { name: adres, file: adres.csv, place_by: address, columns: { postcode: postcode, huisnummer: huisnummer } }
`;
    const config = parseProject(project, 'buurtbalans.yml');
    const { result } = analyse({
      project: config,
      projectFile: 'buurtbalans.yml',
      blocks: parseBlockLayer(blocks, 'blokken.geojson', config.blocks),
      register: parseCsv(utf8('postcode;huisnummer;blok\n1079AA;1;B2\n1079AA;3; B3 \n1079AA;5;B7\n1079AA;7;\n'), 'register.csv'),
      sources: [{ config: config.sources[0]!, table: parseCsv(utf8('postcode;huisnummer\n1079AA;1\n1079AA;3\n1079AA;5\n'), 'adres.csv') }],
      tool: { name: 'buurtbalans', version: 'test' },
    });
    expect(result.register).toMatchObject({ rows_placed: 2, unplaced_reasons: { block_not_found: 1, missing_block: 1 } });
    expect(result.blocks.map((b) => b.counts.adres)).toEqual([0, 1, 1, 0]);
    expect(result.sources[0]!.unplaced_reasons).toEqual({ register_address_unplaced: 1 });
  });
});
