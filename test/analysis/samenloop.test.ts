import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analyse.js';
import { histogramFigures, type Samenloop } from '../../src/analysis/samenloop.js';
import { fileSink } from '../../src/cli/file-sink.js';
import { loadProject } from '../../src/ingest/load.js';
import { loadSolver } from '../../src/privacy/solver.js';
import { generateSample, type SampleTruth } from '../../src/samples/generate.js';
import { Random } from '../../src/stats/random.js';
import { resampleHistogram } from '../../src/stats/resample.js';
import { DoorFinder } from '../../src/join/doors.js';
import { formatSummary } from '../../src/cli/summary.js';
import { temporaryDirectories, userError } from '../helpers.js';
import { fileURLToPath } from 'node:url';
import { mapInputFromProject } from '../../src/render/map/input.js';
import { defaultMapJobs, renderMap } from '../../src/render/maps.js';

const directories = temporaryDirectories('buurtbalans-samenloop-');
afterAll(directories.removeAll);
const tool = { name: 'buurtbalans', version: 'test' };

function sample(seed: number, scale: 'buurt' | 'dorp' = 'buurt'): { dir: string; truth: SampleTruth } {
  const dir = directories.make();
  const truth = generateSample({ scale, seed }, fileSink(dir));
  return { dir, truth };
}

/** Every count a samenloop publishes, with where it stands. */
function publishedCounts(samenloop: Samenloop): [string, number | null][] {
  return [
    ...samenloop.blocks.flatMap((b) => (['markers_0', 'markers_1', 'markers_2', 'markers_3plus'] as const).map((k): [string, number | null] => [`${b.id}.${k}`, b[k]])),
    ...(['markers_0', 'markers_1', 'markers_2', 'markers_3plus'] as const).map((k): [string, number | null] => [`area.${k}`, samenloop.area[k]]),
    ...samenloop.combinations.map((c): [string, number | null] => [c.markers.join('+'), c.addresses]),
    ['other.markers_2', samenloop.other_combinations.markers_2],
    ['other.markers_3plus', samenloop.other_combinations.markers_3plus],
    ...samenloop.markers.map((m): [string, number | null] => [`${m.name}.rows_without_address`, m.rows_without_address]),
  ];
}

describe('samenloop at the same front door, against what the generator planted', async () => {
  const highs = await loadSolver();
  for (const seed of [1, 2, 3]) {
    const { dir, truth } = sample(seed);
    const planted = truth.effects.samenloop;
    const input = () => loadProject(dir, tool);
    const internal = analyse(input()).result.accumulation!.samenloop!;
    const shared = analyse(input(), { highs }).result.accumulation!.samenloop!;

    it(`seed ${seed}: counts per block the addresses with 1, 2 and 3 or more markers exactly as planted, and the combinations`, () => {
      expect(internal.markers.map((m) => m.name)).toEqual(planted.markers);
      for (const block of internal.blocks) {
        const expected = planted.blocks[block.id] ?? { markers_1: 0, markers_2: 0, markers_3plus: 0 };
        expect({ markers_1: block.markers_1, markers_2: block.markers_2, markers_3plus: block.markers_3plus }, block.id).toEqual(expected);
        expect(block.markers_0).toBe(block.addresses - expected.markers_1 - expected.markers_2 - expected.markers_3plus);
      }
      expect(Object.fromEntries(internal.combinations.map((c) => [c.markers.join('+'), c.addresses]))).toEqual(planted.combinations);
      // The pile-up stands out: the planted block has the most addresses with two or more markers.
      const most = [...internal.blocks].sort((a, b) => b.markers_2! + b.markers_3plus! - (a.markers_2! + a.markers_3plus!))[0]!;
      expect(planted.planted_blocks).toContain(most.id);
      // The corporation that gives points finds doors by them (in this neighbourhood of flats, none: several addresses share each entrance's point), and says so.
      expect(internal.markers[0]!.sources_left_out).toEqual([]);
      expect(internal.markers[0]!.sources_by_point).toEqual(['corporatie_e']);
      expect(internal.snap_m).toBe(5);
    });

    it(`seed ${seed}: the shareable result shows the planted pile-up, hides every count from 1 to 4, and shows nothing that differs from the truth`, () => {
      const block = shared.blocks.find((b) => planted.planted_blocks.includes(b.id))!;
      const truthOf = planted.blocks[block.id]!;
      expect(block.markers_2 ?? block.markers_3plus).not.toBeNull();
      if (block.markers_2 !== null) expect(block.markers_2).toBe(truthOf.markers_2);
      for (const [where, value] of publishedCounts(shared)) if (value !== null) expect(value === 0 || value >= 5, `${where} = ${value}`).toBe(true);
      for (const b of shared.blocks) {
        const own = internal.blocks.find((i) => i.id === b.id)!;
        for (const key of ['markers_0', 'markers_1', 'markers_2', 'markers_3plus'] as const) if (b[key] !== null) expect(b[key]).toBe(own[key]);
      }
      // Addresses with one marker (nearly the sum of the flags' hidden cells) and so with none are never shared.
      for (const b of [...shared.blocks, shared.area]) expect([b.markers_0, b.markers_1]).toEqual([null, null]);
    });
  }
});

describe('samenloop in a village of single-family houses: doors found by a point, and postcodes whose numbers recur', () => {
  for (const seed of [1, 2]) {
    it(`seed ${seed}: counts per block exactly what the generator worked out independently, door by door`, () => {
      const { dir, truth } = sample(seed, 'dorp');
      const planted = truth.effects.samenloop;
      const internal = analyse(loadProject(dir, tool)).result.accumulation!.samenloop!;
      for (const block of internal.blocks) {
        const expected = planted.blocks[block.id] ?? { markers_1: 0, markers_2: 0, markers_3plus: 0 };
        expect({ markers_1: block.markers_1, markers_2: block.markers_2, markers_3plus: block.markers_3plus }, block.id).toEqual(expected);
      }
      expect(Object.fromEntries(internal.combinations.map((c) => [c.markers.join('+'), c.addresses]))).toEqual(planted.combinations);
      // Some rows of the point-only corporation found their door, some did not (a neighbour within 5 m), and that is counted.
      expect(internal.markers[0]!.sources_by_point).toEqual(['corporatie_e']);
      expect(internal.markers[1]!.rows_without_address).toBeGreaterThan(0);
    });
  }

  it('finds the one address within the radius, and none where two stand there (the flats of one entrance) or none is near', () => {
    // Rows 0 and 1 share a point (two flats), row 2 stands alone, row 3 lies in no block.
    const points = Float64Array.from([100, 100, 100, 100, 200, 100, Number.NaN, Number.NaN]);
    const finder = new DoorFinder(points, 5);
    expect(finder.find(203, 101)).toBe(2);
    expect(finder.find(101, 99)).toBe(-1);
    expect(finder.find(150, 100)).toBe(-1);
    expect(finder.find(206, 100)).toBe(-1);
  });
});

describe('samenloop on the committed sample, where the room looks', async () => {
  const root = fileURLToPath(new URL('../../data-samples/rijnbuurt-west/', import.meta.url));
  const input = loadProject(root, tool);
  const result = analyse(input, { highs: await loadSolver() }).result;
  const samenloop = result.accumulation!.samenloop!;
  const truth = (JSON.parse(readFileSync(join(root, 'truth.json'), 'utf8')) as SampleTruth).effects.samenloop;

  it('draws a circle per block on stapeling.svg for the addresses with two or more markers, its count as published, and a secret sign where it is hidden', async () => {
    const job = defaultMapJobs(result, input.project.maps, { date: '2026-12-01', version: 'test', lang: 'nl', internal: false }).find((j) => j.file === 'stapeling.svg')!;
    const { composed } = await renderMap(mapInputFromProject(input, result), job);
    const states = new Map([...composed.svg.matchAll(/<circle[^>]*data-block="([^"]+)" data-state="(\w+)"(?: data-count="(\d+)")?/g)].map((m) => [m[1]!, { state: m[2]!, count: m[3] === undefined ? undefined : Number(m[3]) }]));
    for (const block of samenloop.blocks) {
      const drawn = states.get(block.id);
      const shown = block.markers_2 === null || block.markers_3plus === null ? null : block.markers_2 + block.markers_3plus;
      if (shown === null) expect(drawn?.state, block.id).toBe('secret');
      else if (shown > 0) expect(drawn, block.id).toEqual({ state: 'count', count: shown });
    }
    // The planted pile-up is on the map with its true count.
    const planted = truth.planted_blocks[0]!;
    expect(states.get(planted)).toEqual({ state: 'count', count: truth.blocks[planted]!.markers_2 + truth.blocks[planted]!.markers_3plus });
    expect(composed.svg).toContain('Adressen met 2 of meer');
    const block = samenloop.blocks.find((b) => b.id === planted)!;
    expect(formatSummary(result, 'out', 'nl')).toContain(`Samenloop achter dezelfde voordeur (twee of meer kenmerken op één adres): ${planted}: ${truth.blocks[planted]!.markers_2 + truth.blocks[planted]!.markers_3plus} van ${block.addresses} adressen`);
    expect(formatSummary(result, 'out', 'nl')).toMatch(/Opeenstapeling \(leefgebieden met een signaal of een verhoogd cijfer\): B\d+: \d tot \d/);
    // Credited: the organisations whose data the domains and the samenloop draw on, not only the one the last indicator reads.
    for (const organisation of ['Rivierenwonen', 'Huisartsen', 'Meldingensysteem']) expect(composed.svg, organisation).toContain(organisation);
  });
});

describe('how nuisance reports spread over the addresses, against an independent computation', () => {
  /** Brute force: sort every unit, the top share from the sorted list, Gini as the mean absolute difference over twice the mean. */
  function bruteForce(units: number[], top: number) {
    const sorted = [...units].sort((a, b) => b - a);
    const total = units.reduce((s, x) => s + x, 0);
    let differences = 0;
    for (const a of units) for (const b of units) differences += Math.abs(a - b);
    return { topShare: sorted.slice(0, top).reduce((s, x) => s + x, 0) / total, gini: differences / (2 * units.length * units.length * (total / units.length)) };
  }

  it('gives the share of the busiest tenth and the Gini coefficient of a histogram as the unit-by-unit computation does', () => {
    const random = new Random(7);
    for (let trial = 0; trial < 25; trial++) {
      const units: number[] = Array.from({ length: random.integer(10, 300) }, () => (random.chance(0.7) ? 0 : random.poisson(random.between(0.5, 6))));
      if (!units.some((x) => x > 0)) units[0] = 1;
      const values = [...new Set(units)].sort((a, b) => a - b);
      const frequencies = values.map((v) => units.filter((x) => x === v).length);
      const top = Math.ceil(units.length / 10);
      const ours = histogramFigures(values, frequencies, top);
      const theirs = bruteForce(units, top);
      expect(ours.topShare).toBeCloseTo(theirs.topShare, 10);
      expect(ours.gini).toBeCloseTo(theirs.gini, 10);
    }
  });

  it('knows the extremes: an even spread has Gini 0 and a tenth with a tenth; all at one address, Gini (n − 1)/n', () => {
    expect(histogramFigures([2], [50], 5)).toEqual({ topShare: 0.1, gini: 0 });
    const one = histogramFigures([0, 9], [49, 1], 5);
    expect(one.topShare).toBe(1);
    expect(one.gini).toBeCloseTo(49 / 50, 12);
  });

  it('resamples a histogram keeping its number of units, with the mean of each value\'s share right', () => {
    const random = new Random(3);
    const frequencies = [700, 200, 60, 30, 10];
    const sums = frequencies.map(() => 0);
    for (let r = 0; r < 2000; r++) {
      const drawn = resampleHistogram(random, frequencies);
      expect(drawn.reduce((s, x) => s + x, 0)).toBe(1000);
      drawn.forEach((x, i) => (sums[i]! += x));
    }
    sums.forEach((sum, i) => expect(sum / 2000).toBeCloseTo(frequencies[i]!, -0.5));
  });

  it('on the sample, the busiest tenth of the addresses holds far more than a tenth of the reports (zorgmijders report 8×), with an interval around it', async () => {
    const { dir } = sample(1);
    const spread = analyse(loadProject(dir, tool)).result.accumulation!.samenloop!.spread!;
    expect(spread.top_tenth.addresses).toBe(Math.ceil(spread.addresses / 10));
    expect(spread.top_tenth.share).toBeGreaterThan(0.3);
    expect(spread.top_tenth.lower).toBeLessThan(spread.top_tenth.share);
    expect(spread.top_tenth.upper).toBeGreaterThan(spread.top_tenth.share);
    expect(spread.gini.lower).toBeLessThan(spread.gini.value);
    expect(spread.gini.upper).toBeGreaterThan(spread.gini.value);
    // Compared with chance, not with an even spread: with few reports over many addresses, chance alone gives the top tenth far more than 10%.
    expect(spread.by_chance.top_share).toBeGreaterThan(0.3);
    expect(spread.top_tenth.lower).toBeGreaterThan(spread.by_chance.top_share);
    // The chance figure against a simulation: the same reports thrown at the addresses 200 times.
    const random = new Random(11);
    let simulated = 0;
    for (let run = 0; run < 200; run++) {
      const counts = new Array<number>(spread.addresses).fill(0);
      for (let r = 0; r < spread.reports!; r++) counts[Math.floor(random.next() * spread.addresses)]!++;
      counts.sort((a, b) => b - a);
      simulated += counts.slice(0, spread.top_tenth.addresses).reduce((sum, x) => sum + x, 0) / spread.reports! / 200;
    }
    expect(spread.by_chance.top_share).toBeCloseTo(simulated, 1);
  });
});

describe('samenloop settings', () => {
  it('counts the markers a project names, and refuses a marker from counts per PC6 with the file and what to do (exit 2)', () => {
    const { dir } = sample(1);
    const file = join(dir, 'buurtbalans.yml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, `${text}\nsamenloop:\n  markers:\n    - { name: omklap, rows: omklapwoningen }\n    - { name: veel_meldingen, rows: meldingen, at_least: 2 }\n`);
    const own = analyse(loadProject(dir, tool)).result.accumulation!.samenloop!;
    expect(own.markers.map((m) => [m.name, m.at_least])).toEqual([['omklap', 1], ['veel_meldingen', 2]]);
    expect(own.markers[0]!.sources_by_point).toEqual(['corporatie_e']);
    writeFileSync(file, `${text}\nsamenloop:\n  markers:\n    - { name: omklap, rows: omklapwoningen }\n    - { name: zorg, rows: zorg.clienten }\n`);
    const error = userError(() => analyse(loadProject(dir, tool)));
    expect(error.message).toContain('samenloop.markers[1] (zorg) counts "zorg.clienten"');
    expect(error.fix).toBeTruthy();
    writeFileSync(file, `${text}\nsamenloop: false\n`);
    expect(analyse(loadProject(dir, tool)).result.accumulation!.samenloop).toBeUndefined();
  });
});
