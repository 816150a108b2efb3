import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/stats/random.js';
import { minimumSteps } from '../../src/spatial/pool.js';
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
    writeFileSync(join(project, 'buurtbalans.yml'), 'name: Raster\nblocks: { file: blokken.geojson, id: blok_id, label: naam }\nsources:\n  - { name: kwb, file: kwb.csv, place_by: block, columns: { block: blok }, counts: [inwoners, inwoners65plus] }\n');
    const analysed = (threads: string) => {
      const out = join(project, `uit-${threads}`);
      const result = spawnSync(process.execPath, [bin, 'analyse', project, '--out', out, '--no-maps', '--no-report', '--quiet', '--date', '2026-12-01', '--threads', threads], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      return [readFileSync(join(out, 'analysis.json')), readFileSync(join(out, 'blocks.parquet'))];
    };
    const [json, parquet] = analysed('1');
    const [json2, parquet2] = analysed('2');
    expect(json2!.equals(json!)).toBe(true);
    expect(parquet2!.equals(parquet!)).toBe(true);
    const result = JSON.parse(json!.toString('utf8')) as { spatial: { permutations: number; indicators: { hot: string[] }[] } };
    expect(result.spatial.permutations).toBe(999);
    expect(result.spatial.indicators[0]!.hot.length).toBeGreaterThan(20);
  }, 120_000);

  it('refuses a number of threads that is not a whole number from 1', () => {
    const result = spawnSync(process.execPath, [bin, 'hotspots', 'x.geojson', '--value', 'v', '--threads', '0'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--threads.*a whole number from 1 to 256/);
  });
});
