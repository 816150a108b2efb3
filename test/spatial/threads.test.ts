import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/stats/random.js';
import { minimumSteps } from '../../src/spatial/pool.js';
import { workerReadingFrom } from '../../src/ingest/csv-workers.js';
import { parquetWorkersFrom } from '../../src/output/parquet.js';
import { neighbourThreadFrom } from '../../src/spatial/neighbour-thread.js';
import { certificateThreadFrom } from '../../src/privacy/certificate-thread.js';
import { placingThreadFrom } from '../../src/join/placing-thread.js';
import { rdBlocks, temporaryDirectories } from '../helpers.js';

/**
 * The permutation loop shared out over worker threads gives the figures of one thread, byte for
 * byte: each thread runs a range of areas on the same draws.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/buurtbalans.js');
const dirs = temporaryDirectories('buurtbalans-threads-');
afterAll(dirs.removeAll);

const side = 60;
const neighbours = 8;
const permutations = 999;

/** A grid of 3,600 blocks with a planted hot corner and noise elsewhere. */
function grid(dir: string): string {
  const random = new Random(7);
  const blocks = Array.from({ length: side * side }, (_, i) => ({ id: `B${String(i).padStart(4, '0')}`, x: 120_000 + (i % side) * 100, y: 480_000 + Math.floor(i / side) * 100, half: 45 }));
  const collection = JSON.parse(rdBlocks(blocks)) as { features: { properties: Record<string, unknown> }[] };
  collection.features.forEach((feature, i) => (feature.properties.waarde = (i % side < 10 && i < side * 10 ? 20 : 5) + Math.round(random.next() * 10)));
  const file = join(dir, 'raster.geojson');
  writeFileSync(file, JSON.stringify(collection));
  return file;
}

describe('--threads', () => {
  it('gives the same hot spots, p-values and clusters with one thread and with two', () => {
    // Large enough that the pool hands out work instead of running it here.
    expect(side * side * permutations * neighbours).toBeGreaterThan(minimumSteps);
    const file = grid(dirs.make());
    const run = (threads: string) => {
      const result = spawnSync(process.execPath, [bin, 'hotspots', file, '--value', 'waarde', '--id', 'blok_id', '--weights', `knn:${neighbours}`, '--permutations', String(permutations), '--json', '--threads', threads], { encoding: 'utf8', maxBuffer: 256 << 20 });
      expect(result.status, result.stderr).toBe(0);
      return result.stdout;
    };
    const one = run('1');
    const two = run('2');
    expect(two).toBe(one);
    const parsed = JSON.parse(one) as { features: { gi_star: { spot: string | null; p_sim: number | null } }[] };
    // The planted corner comes out hot, and the permutation p-values are there to compare.
    expect(parsed.features.filter((feature) => feature.gi_star.spot === 'hot').length).toBeGreaterThan(50);
    expect(parsed.features.every((feature) => feature.gi_star.p_sim !== null)).toBe(true);
    expect(run('3')).toBe(one);
  }, 120_000);

  it('gives analyse the same analysis.json and blocks.parquet with one thread and with two', () => {
    const project = dirs.make();
    const random = new Random(11);
    const blocks = Array.from({ length: side * side }, (_, i) => ({ id: `B${String(i).padStart(4, '0')}`, x: 120_000 + (i % side) * 100, y: 480_000 + Math.floor(i / side) * 100, half: 45 }));
    writeFileSync(join(project, 'blokken.geojson'), rdBlocks(blocks));
    // Many over-65s in one corner: a hot spot for the default indicator "Inwoners 65+ per inwoners".
    const rows = blocks.map((block, i) => {
      const people = 100 + Math.floor(random.next() * 200);
      const share = i % side < 10 && i < side * 10 ? 0.35 : 0.15;
      return `${block.id},${people},${Math.floor(people * share * (0.7 + 0.6 * random.next()))}`;
    });
    writeFileSync(join(project, 'kwb.csv'), `blok,inwoners,inwoners65plus\n${rows.join('\n')}\n`);
    // Enough reports that two threads read the exports in workers; some outside every block, one with a broken point.
    const reports = Array.from({ length: 540_000 }, (_, i) => `${i},${(119_900 + random.next() * 6_300).toFixed(1)},${(479_900 + random.next() * 6_300).toFixed(1)},2025-0${1 + (i % 9)}-1${i % 10}`);
    reports[1234] = '1234,honderd,480000,2025-01-01';
    writeFileSync(join(project, 'meldingen.csv'), `id,x,y,datum\n${reports.join('\n')}\n`);
    expect(reports.join('\n').length).toBeGreaterThan(workerReadingFrom);
    writeFileSync(
      join(project, 'buurtbalans.yml'),
      'name: Raster\nblocks: { file: blokken.geojson, id: blok_id, label: naam }\nsources:\n  - { name: kwb, file: kwb.csv, place_by: block, columns: { block: blok }, counts: [inwoners, inwoners65plus] }\n  - { name: meldingen, file: meldingen.csv, place_by: point, columns: { x: x, y: y }, date: datum }\n',
    );
    const analysed = (threads: string) => {
      const out = join(project, `uit-${threads}`);
      const result = spawnSync(process.execPath, [bin, 'analyse', project, '--out', out, '--no-maps', '--no-report', '--quiet', '--timings', '--date', '2026-12-01', '--threads', threads], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      const workers = (JSON.parse(/timings (\{.*\})/.exec(result.stderr)![1]!) as { worker_threads: { exports: number; placing: number; parquet: boolean } }).worker_threads;
      return { json: readFileSync(join(out, 'analysis.json')), parquet: readFileSync(join(out, 'blocks.parquet')), unplaced: readFileSync(join(out, 'unplaced.csv')), workers };
    };
    const one = analysed('1');
    const two = analysed('2');
    // With two threads the exports were read in workers; with one, here. blocks.parquet of one row group is encoded here.
    expect(reports.length).toBeGreaterThan(placingThreadFrom);
    expect(one.workers).toEqual({ exports: 0, placing: 0, parquet: false, figures: false, neighbours: false, certificates: 0 });
    // The reports are placed by both threads: a worker takes chunks of rows once it has loaded (how many depends on the machine's load).
    expect(two.workers).toEqual({ exports: 2, placing: two.workers.placing, parquet: false, figures: false, neighbours: false, certificates: 0 });
    expect(two.workers.placing).toBeLessThanOrEqual(reports.length);
    expect(two.json.equals(one.json)).toBe(true);
    expect(two.parquet.equals(one.parquet)).toBe(true);
    expect(two.unplaced.equals(one.unplaced)).toBe(true);
    // The broken point is said by its line, as without workers.
    expect(one.unplaced.toString('utf8')).toMatch(/meldingen,1236,/);
    // A file a worker cannot read is read again here, and the message is the one without workers.
    writeFileSync(join(project, 'meldingen.csv'), `id,x,y,datum\n${reports.join('\n')}\n9,"120000,480000,2025-01-01\n`);
    const broken = spawnSync(process.execPath, [bin, 'analyse', project, '--out', join(project, 'uit-kapot'), '--quiet', '--threads', '2'], { encoding: 'utf8' });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain(`meldingen.csv, line ${reports.length + 2}: the CSV cannot be read: a quoted field is not closed`);
    const json = one.json;
    const result = JSON.parse(json!.toString('utf8')) as { spatial: { permutations: number; indicators: { hot: string[] }[] } };
    expect(result.spatial.permutations).toBe(999);
    expect(result.spatial.indicators[0]!.hot.length).toBeGreaterThan(20);
  }, 120_000);

  it('places a large address register by point on both threads, with the counts, doors and PC6 blocks of one thread', () => {
    const project = dirs.make();
    const random = new Random(23);
    const blocks = Array.from({ length: side * side }, (_, i) => ({ id: `B${String(i).padStart(4, '0')}`, x: 120_000 + (i % side) * 100, y: 480_000 + Math.floor(i / side) * 100, half: 45 }));
    writeFileSync(join(project, 'blokken.geojson'), rdBlocks(blocks));
    // 33 or 34 addresses per block, in block order, 25 to a PC6: some PC6s lie in two blocks.
    const count = 120_000;
    const blockOf = (a: number) => Math.floor((a * blocks.length) / count);
    const postcode = (a: number) => {
      const p = Math.floor(a / 25);
      // Letters A to R first: no SA, SD or SS, which no postcode has.
      return `${1000 + Math.floor(p / 468)}${String.fromCharCode(65 + (Math.floor(p / 26) % 18), 65 + (p % 26))}`;
    };
    const letter = (a: number) => (a % 7 === 0 ? 'A' : '');
    const points = Array.from({ length: count }, (_, a) => {
      const block = blocks[blockOf(a)]!;
      return [block.x + (random.next() - 0.5) * 80, block.y + (random.next() - 0.5) * 80] as const;
    });
    const register = points.map(([x, y], a) => `${postcode(a)},${(a % 25) + 1},${letter(a)},${x.toFixed(2)},${y.toFixed(2)}`);
    // In the gap between two blocks, without a point, and a line with a field too many.
    register.push(`9999ZZ,1,,${120_050},${480_000}`, '9999ZZ,2,,,', '9999ZZ,3,,120000,480000,extra');
    writeFileSync(join(project, 'adressen.csv'), `postcode,huisnummer,huisletter,x,y\n${register.join('\n')}\n`);
    expect(count).toBeGreaterThan(placingThreadFrom);
    const tenants = Array.from({ length: 3000 }, () => Math.floor(random.next() * count));
    writeFileSync(join(project, 'huurders.csv'), `postcode,huisnummer,huisletter\n${tenants.map((a) => `${postcode(a)},${(a % 25) + 1},${letter(a)}`).join('\n')}\n1000AA,99,\n`);
    // Reports at the tenants' own front doors: each address with both is a samenloop address.
    writeFileSync(join(project, 'meldingen.csv'), `x,y\n${tenants.slice(0, 1500).map((a) => `${points[a]![0].toFixed(2)},${points[a]![1].toFixed(2)}`).join('\n')}\n`);
    writeFileSync(
      join(project, 'buurtbalans.yml'),
      [
        'name: Raster',
        'blocks: { file: blokken.geojson, id: blok_id, label: naam }',
        'addresses: { file: adressen.csv, postcode: postcode, huisnummer: huisnummer, huisletter: huisletter, x: x, y: y }',
        'sources:',
        '  - { name: huurders, file: huurders.csv, place_by: address, columns: { postcode: postcode, huisnummer: huisnummer, huisletter: huisletter } }',
        '  - { name: meldingen, file: meldingen.csv, place_by: point, columns: { x: x, y: y } }',
        'samenloop: { markers: [{ name: huur, rows: huurders }, { name: overlast, rows: meldingen }] }',
        'spatial: { permutations: 0 }',
        '',
      ].join('\n'),
    );
    const analysed = (threads: string) => {
      const out = join(project, `uit-${threads}`);
      const result = spawnSync(process.execPath, [bin, 'analyse', project, '--out', out, '--no-maps', '--no-report', '--quiet', '--internal', '--timings', '--date', '2026-12-01', '--threads', threads], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      const workers = (JSON.parse(/timings (\{.*\})/.exec(result.stderr)![1]!) as { worker_threads: { placing: number } }).worker_threads;
      return { json: readFileSync(join(out, 'analysis.json')), unplaced: readFileSync(join(out, 'unplaced.csv')), placing: workers.placing };
    };
    const one = analysed('1');
    const two = analysed('2');
    expect(one.placing).toBe(0);
    expect(two.placing).toBeLessThanOrEqual(count + 3);
    expect(two.json.equals(one.json)).toBe(true);
    expect(two.unplaced.equals(one.unplaced)).toBe(true);
    const result = JSON.parse(one.json.toString('utf8')) as {
      register: { rows_placed: number; unplaced_reasons: Record<string, number> };
      blocks: { id: string; addresses: number }[];
      sources: { name: string; rows_placed: number; unplaced_reasons: Record<string, number> }[];
      accumulation: { samenloop: { area: { markers_2: number } } };
    };
    expect(result.register.rows_placed).toBe(count);
    expect(result.register.unplaced_reasons).toEqual({ malformed_row: 1, missing_coordinates: 1, outside_blocks: 1 });
    const truth = new Map<string, number>();
    for (let a = 0; a < count; a++) truth.set(blocks[blockOf(a)]!.id, (truth.get(blocks[blockOf(a)]!.id) ?? 0) + 1);
    expect(result.blocks.every((block) => block.addresses === truth.get(block.id))).toBe(true);
    expect(result.sources.find((source) => source.name === 'huurders')).toMatchObject({ rows_placed: 3000, unplaced_reasons: { address_not_in_register: 1 } });
    // Every report stands at a tenant's door, and finds it where no other address of its block lies within 5 m (blocks lie 20 m apart and more).
    const inBlock = new Map<number, number[]>();
    for (let a = 0; a < count; a++) inBlock.set(blockOf(a), [...(inBlock.get(blockOf(a)) ?? []), a]);
    const alone = (a: number) => inBlock.get(blockOf(a))!.every((b) => b === a || Math.hypot(points[b]![0] - points[a]![0], points[b]![1] - points[a]![1]) > 5);
    const doors = [...new Set(tenants.slice(0, 1500))].filter(alone).length;
    expect(doors).toBeGreaterThan(500);
    expect(result.accumulation.samenloop.area.markers_2).toBe(doors);
  }, 120_000);

  it('protects the same cells, with the same audit, when a worker certifies half of the hidden cells', () => {
    const project = dirs.make();
    const random = new Random(5);
    const blocks = Array.from({ length: side * side }, (_, i) => ({ id: `B${String(i).padStart(4, '0')}`, x: 120_000 + (i % side) * 100, y: 480_000 + Math.floor(i / side) * 100, half: 45 }));
    writeFileSync(join(project, 'blokken.geojson'), rdBlocks(blocks));
    // A few reports per block in each of ten categories: nearly every category count is small and hidden.
    const categories = ['afval', 'geluid', 'parkeren', 'groen', 'verlichting', 'water', 'wegdek', 'fietsen', 'honden', 'overig'];
    const rows = blocks.flatMap((block) => Array.from({ length: 8 + Math.floor(random.next() * 40) }, () => `${block.id},${categories[Math.floor(random.next() * categories.length)]}`));
    writeFileSync(join(project, 'meldingen.csv'), `blok,categorie\n${rows.join('\n')}\n`);
    writeFileSync(join(project, 'buurtbalans.yml'), 'name: Raster\nblocks: { file: blokken.geojson, id: blok_id, label: naam }\nsources:\n  - { name: meldingen, file: meldingen.csv, place_by: block, columns: { block: blok }, category: categorie }\nspatial: { permutations: 0 }\n');
    const analysed = (threads: string) => {
      const out = join(project, `uit-${threads}`);
      const result = spawnSync(process.execPath, [bin, 'analyse', project, '--out', out, '--no-maps', '--no-report', '--quiet', '--timings', '--date', '2026-12-01', '--threads', threads], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      const workers = (JSON.parse(/timings (\{.*\})/.exec(result.stderr)![1]!) as { worker_threads: { certificates: number } }).worker_threads;
      return { json: readFileSync(join(out, 'analysis.json')), csv: readFileSync(join(out, 'blocks.csv')), certificates: workers.certificates };
    };
    const one = analysed('1');
    const two = analysed('2');
    const disclosure = (JSON.parse(one.json.toString('utf8')) as { disclosure: { audit: { hidden_cells: number; unprotected: number } } }).disclosure;
    expect(disclosure.audit.hidden_cells).toBeGreaterThan(certificateThreadFrom);
    expect(disclosure.audit.unprotected).toBe(0);
    // Half the cells went to the worker, and nothing it found differs from what one thread finds.
    expect(one.certificates).toBe(0);
    expect(two.certificates).toBeGreaterThan(certificateThreadFrom / 2);
    expect(two.json.equals(one.json)).toBe(true);
    expect(two.csv.equals(one.csv)).toBe(true);
  }, 180_000);

  it('refuses and accepts the same identifiers when the exports are scanned as the workers read them', () => {
    const project = dirs.make();
    const random = new Random(3);
    const blocks = Array.from({ length: 400 }, (_, i) => ({ id: `B${String(i).padStart(4, '0')}`, x: 120_000 + (i % 20) * 100, y: 480_000 + Math.floor(i / 20) * 100, half: 45 }));
    writeFileSync(join(project, 'blokken.geojson'), rdBlocks(blocks));
    writeFileSync(join(project, 'kwb.csv'), `blok,inwoners\n${blocks.map((block) => `${block.id},${100 + Math.floor(random.next() * 100)}`).join('\n')}\n`);
    // "naam" names the block a report is about (a place, known from the blocks' labels); "contact" holds an e-mail address now and then.
    const reports = Array.from({ length: 340_000 }, (_, i) => `${i},${(119_960 + random.next() * 2_000).toFixed(1)},${(479_960 + random.next() * 2_000).toFixed(1)},Blok ${blocks[i % 400]!.id},${i % 5000 === 7 ? `buur${i}@voorbeeld.nl` : 'via de wijkagent'}`);
    writeFileSync(join(project, 'meldingen.csv'), `id,x,y,naam,contact\n${reports.join('\n')}\n`);
    expect(reports.join('\n').length).toBeGreaterThan(workerReadingFrom);
    const write = (drop: string) =>
      writeFileSync(
        join(project, 'buurtbalans.yml'),
        `name: Raster\nblocks: { file: blokken.geojson, id: blok_id, label: naam }\nsources:\n  - { name: kwb, file: kwb.csv, place_by: block, columns: { block: blok }, counts: [inwoners] }\n  - { name: meldingen, file: meldingen.csv, place_by: point, columns: { x: x, y: y }${drop} }\nspatial: { permutations: 0 }\n`,
      );
    const analysed = (threads: string) => spawnSync(process.execPath, [bin, 'analyse', project, '--out', join(project, `uit-${threads}`), '--no-maps', '--no-report', '--quiet', '--internal', '--date', '2026-12-01', '--threads', threads], { encoding: 'utf8' });
    write('');
    const refused = ['1', '2'].map(analysed);
    for (const result of refused) {
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('meldingen.csv "contact" (email, 68 values)');
      // The column of block names names places, not people.
      expect(result.stderr).not.toContain('"naam"');
    }
    expect(refused[1]!.stderr).toBe(refused[0]!.stderr);
    // Dropped, the e-mail addresses are handled: both runs go on, to the same analysis.
    write(', drop: [contact]');
    const [one, two] = ['1', '2'].map(analysed);
    expect(one!.status, one!.stderr).toBe(0);
    expect(two!.status, two!.stderr).toBe(0);
    expect(readFileSync(join(project, 'uit-2', 'analysis.json')).equals(readFileSync(join(project, 'uit-1', 'analysis.json')))).toBe(true);
    // Two sources read the one file, one dropping the column and one not: a scan made for the one
    // is no scan of the other (a reviewer's attack: with two threads it let the e-mail addresses through).
    const twice = (dropFirst: string, dropSecond: string) =>
      writeFileSync(
        join(project, 'buurtbalans.yml'),
        `name: Raster\nblocks: { file: blokken.geojson, id: blok_id, label: naam }\nsources:\n  - { name: kwb, file: kwb.csv, place_by: block, columns: { block: blok }, counts: [inwoners] }\n  - { name: meldingen_b, file: meldingen.csv, place_by: point, columns: { x: x, y: y }${dropFirst} }\n  - { name: meldingen_a, file: meldingen.csv, place_by: point, columns: { x: x, y: y }${dropSecond} }\nspatial: { permutations: 0 }\n`,
      );
    for (const order of [['', ', drop: [contact]'], [', drop: [contact]', '']]) {
      twice(order[0]!, order[1]!);
      const [first, second] = ['1', '2'].map(analysed);
      expect(first!.status).toBe(2);
      expect(first!.stderr).toContain('1 column(s) hold personal identifiers: meldingen.csv "contact" (email, 68 values)');
      expect(second!.stderr).toBe(first!.stderr);
    }
    // Both dropping it: the one file is counted for each, and its bytes are let go only after the last.
    twice(', drop: [contact]', ', drop: [contact]');
    const [single, double] = ['1', '2'].map(analysed);
    expect(single!.status, single!.stderr).toBe(0);
    expect(double!.status, double!.stderr).toBe(0);
    expect(readFileSync(join(project, 'uit-2', 'analysis.json')).equals(readFileSync(join(project, 'uit-1', 'analysis.json')))).toBe(true);
    // Without the column of place names a worker scans the reports as it reads them, and finds what this thread finds.
    writeFileSync(join(project, 'meldingen.csv'), `id,x,y,contact\n${reports.map((line) => line.replace(/,Blok B\d{4}/, '')).join('\n')}\n`);
    write('');
    const [here, inWorker] = ['1', '2'].map(analysed);
    expect(here!.status).toBe(2);
    expect(here!.stderr).toContain('meldingen.csv "contact" (email, 68 values)');
    expect(inWorker!.stderr).toBe(here!.stderr);
  }, 180_000);

  it('encodes a blocks.parquet of several row groups in worker threads and makes the neighbour lists in another, with the bytes of one thread', () => {
    const project = dirs.make();
    const across = 110;
    expect(across * across).toBeGreaterThanOrEqual(Math.max(parquetWorkersFrom, neighbourThreadFrom));
    const blocks = Array.from({ length: across * across }, (_, i) => ({ id: `B${String(i).padStart(5, '0')}`, x: 100_000 + (i % across) * 100, y: 400_000 + Math.floor(i / across) * 100, half: 45 }));
    writeFileSync(join(project, 'blokken.geojson'), rdBlocks(blocks));
    const random = new Random(5);
    // Some blocks without a row, so the columns are not all alike.
    const rows = blocks.filter((_, i) => i % 97 !== 0).map((block) => `${block.id},${100 + Math.floor(random.next() * 200)},${Math.floor(random.next() * 60)}`);
    writeFileSync(join(project, 'kwb.csv'), `blok,inwoners,inwoners65plus\n${rows.join('\n')}\n`);
    writeFileSync(join(project, 'buurtbalans.yml'), 'name: Groot raster\nblocks: { file: blokken.geojson, id: blok_id, label: naam }\nsources:\n  - { name: kwb, file: kwb.csv, place_by: block, columns: { block: blok }, counts: [inwoners, inwoners65plus] }\nspatial: { permutations: 0 }\n');
    const parquet = (threads: string) => {
      const out = join(project, `uit-${threads}`);
      const result = spawnSync(process.execPath, [bin, 'analyse', project, '--out', out, '--no-maps', '--no-report', '--quiet', '--timings', '--internal', '--date', '2026-12-01', '--threads', threads], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      // Two row groups, encoded by two workers; the neighbour lists made in a worker of their own.
      expect((JSON.parse(/timings (\{.*\})/.exec(result.stderr)![1]!) as { worker_threads: { parquet: boolean; neighbours: boolean } }).worker_threads).toMatchObject({ parquet: threads !== '1', neighbours: threads !== '1' });
      return readFileSync(join(out, 'blocks.parquet'));
    };
    const one = parquet('1');
    expect(parquet('2').equals(one)).toBe(true);
  }, 120_000);

  it('draws the report’s charts and PDFs in a thread of their own, with the report and maps of one thread', () => {
    const sample = join(root, 'data-samples/rijnbuurt-west');
    const report = (threads: string) => {
      const out = join(dirs.make(), 'uit');
      const result = spawnSync(process.execPath, [bin, 'analyse', sample, '--out', out, '--no-maps', '--quiet', '--timings', '--internal', '--date', '2026-12-01', '--threads', threads], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect((JSON.parse(/timings (\{.*\})/.exec(result.stderr)![1]!) as { worker_threads: { figures: boolean } }).worker_threads.figures).toBe(threads !== '1');
      return ['rapport.pdf', 'rapport.md', 'rapport.html', 'figuren/grafiek-meldingen.svg'].map((file) => readFileSync(join(out, 'rapport', file)));
    };
    const one = report('1');
    report('2').forEach((file, i) => expect(file.equals(one[i]!), String(i)).toBe(true));
  }, 120_000);

  it('refuses a number of threads that is not a whole number from 1', () => {
    const result = spawnSync(process.execPath, [bin, 'hotspots', 'x.geojson', '--value', 'v', '--threads', '0'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--threads.*a whole number from 1 to 256/);
  });
});
