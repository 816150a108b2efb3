import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPolygonLayer } from '../../src/ingest/polygons.js';
import { hotspots, parseWeightsSpec, type HotspotOptions } from '../../src/spatial/hotspots.js';
import { bonferroni, fdr } from '../../src/spatial/statistics.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/spatial/${name}`, import.meta.url), 'utf8');
const grid = readPolygonLayer(fixture('grid-island.geojson'), 'grid-island.geojson', 'v', 'id', 'planar');
const expected = JSON.parse(fixture('expected-grid-island.json')) as Record<string, { neighbors: number[][]; I: number; expected: number; variance: number; z: number; local_I: (number | null)[]; local_z: (number | null)[]; local_z_conditional: (number | null)[]; gi: (number | null)[]; gi_star: (number | null)[] }>;

const options = (spec: string, style: 'W' | 'B', extra: Partial<HotspotOptions> = {}): HotspotOptions => ({
  weights: parseWeightsSpec(spec)!,
  style,
  metric: 'planar',
  snap: 1e-6,
  permutations: 99,
  seed: 7,
  alpha: 0.05,
  correction: 'fdr',
  ...extra,
});
const input = (values = grid.values) => ({ variable: 'v', ids: grid.ids, values, shapes: grid.shapes });

describe('a 3x3 grid with an island, against R spdep (zero.policy, adjust.n)', () => {
  for (const [spec, key] of [['queen', 'queen'], ['rook', 'rook'], ['knn:3', 'knn'], ['distance:1.01', 'distance']] as const) {
    for (const style of ['W', 'B'] as const) {
      it(`${spec} ${style}`, () => {
        const reference = expected[`${key}_${style}`]!;
        const result = hotspots(input(), options(spec, style));
        expect(result.features.map((f) => f.neighbors.map((id) => grid.ids.indexOf(id) + 1))).toEqual(reference.neighbors);
        const moran = result.global.moran!;
        for (const name of ['I', 'expected', 'variance', 'z'] as const) expect(Math.abs(moran[name]! - reference[name])).toBeLessThan(1e-6);
        result.features.forEach((feature, i) => {
          const pairs: [number | null, number | null][] = [
            [feature.local_moran.I, reference.local_I[i]!],
            [feature.local_moran.z, reference.local_z[i]!],
            [feature.local_moran.z_conditional, reference.local_z_conditional[i]!],
            [feature.gi.z, reference.gi[i]!],
          ];
          if (feature.neighbors.length === 0) {
            // Islands: left out of the local statistics, reported; never NaN.
            expect(feature.local_moran.I).toBeNull();
            expect(feature.gi_star.z).toBeNull();
            return;
          }
          for (const [actual, wanted] of pairs) expect(Math.abs(actual! - wanted!)).toBeLessThan(1e-6);
          if (reference.gi_star[i] !== null) expect(Math.abs(feature.gi_star.z! - reference.gi_star[i]!)).toBeLessThan(1e-6);
        });
      });
    }
  }

  it('reports the island', () => {
    const result = hotspots(input(), options('queen', 'W'));
    expect(result.weights.islands).toEqual(['ISLAND']);
    expect(result.weights.min_neighbors).toBe(0);
    expect(result.notes.join(' ')).toContain('islands');
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
  });
});

describe('hotspots edge cases', () => {
  it('all values equal: notes it, no statistics, no NaN', () => {
    const result = hotspots(input(grid.values.map(() => 4)), options('queen', 'W'));
    expect(result.global.moran).toBeNull();
    expect(result.notes.join(' ')).toContain('all values are equal');
    expect(result.features.every((f) => f.local_moran.z === null)).toBe(true);
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
  });

  it('fewer than 3 areas with a value', () => {
    const values = grid.values.map((v, i) => (i < 2 ? v : null));
    const result = hotspots(input(values), options('queen', 'W'));
    expect(result.n).toBe(2);
    expect(result.global.moran).toBeNull();
    expect(result.notes.join(' ')).toContain('at least 3');
  });

  it('leaves areas without a value out, reports them, and equals the analysis without them', () => {
    const values = grid.values.map((v, i) => (i === 8 ? null : v));
    const result = hotspots(input(values), options('queen', 'W'));
    expect(result.missing).toEqual(['G9']);
    expect(result.n).toBe(9);
    const without = hotspots(
      { variable: 'v', ids: grid.ids.filter((_, i) => i !== 8), values: grid.values.filter((_, i) => i !== 8), shapes: grid.shapes.filter((_, i) => i !== 8) },
      options('queen', 'W'),
    );
    expect(result.global.moran!.I).toBeCloseTo(without.global.moran!.I, 12);
    expect(result.features[8]!.value).toBeNull();
    expect(result.features[8]!.local_moran.I).toBeNull();
  });

  it('gives the same output for the same seed, and other p_sim for another', () => {
    const a = JSON.stringify(hotspots(input(), options('queen', 'W')));
    const b = JSON.stringify(hotspots(input(), options('queen', 'W')));
    const c = JSON.stringify(hotspots(input(), options('queen', 'W', { seed: 8 })));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('gives pseudo p-values between 1/(R+1) and 0.5 + 1/(R+1)', () => {
    const result = hotspots(input(), options('queen', 'W', { permutations: 199 }));
    for (const feature of result.features.filter((f) => f.local_moran.p_sim !== null)) {
      expect(feature.local_moran.p_sim!).toBeGreaterThanOrEqual(1 / 200);
      expect(feature.local_moran.p_sim!).toBeLessThanOrEqual(0.5 + 1 / 200);
    }
  });

  it('adjusts p-values: Benjamini-Hochberg and Bonferroni as R p.adjust', () => {
    const p = Float64Array.from([0.01, 0.04, 0.03, 0.005, Number.NaN]);
    // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02; "bonferroni" = 0.04 0.16 0.12 0.02
    expect(Array.from(fdr(p)).slice(0, 4)).toEqual([0.02, 0.04, 0.04, 0.02]);
    expect(Array.from(bonferroni(p)).slice(0, 4).map((v) => Number(v.toFixed(10)))).toEqual([0.04, 0.16, 0.12, 0.02]);
    expect(Number.isNaN(fdr(p)[4]!)).toBe(true);
    // Ties share one value. R: p.adjust(c(0.03, 0.01, 0.2, 0.01, 0.03), "BH") = 0.0375 0.025 0.2 0.025 0.0375
    expect(Array.from(fdr(Float64Array.from([0.03, 0.01, 0.2, 0.01, 0.03]))).map((v) => Number(v.toFixed(10)))).toEqual([0.0375, 0.025, 0.2, 0.025, 0.0375]);
  });

  it('reads weights specifications and refuses others', () => {
    expect(parseWeightsSpec('knn:8')).toEqual({ type: 'knn', k: 8 });
    expect(parseWeightsSpec('distance:250')).toEqual({ type: 'distance', distance: 250 });
    expect(parseWeightsSpec('knn:0')).toBeUndefined();
    expect(parseWeightsSpec('bishop')).toBeUndefined();
  });
});
