import { readFileSync } from 'node:fs';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { globalMoran, localStatistics } from '../../src/spatial/statistics.js';
import { centroids, contiguity, distanceBand, nearestNeighbours, toWeights, type Rings } from '../../src/spatial/weights.js';

const fixture = (name: string) => new URL(`../fixtures/spatial/${name}`, import.meta.url);
const columbus = JSON.parse(readFileSync(fixture('columbus.geojson'), 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { CRIME: number }>;
const expected = JSON.parse(readFileSync(fixture('expected-columbus.json'), 'utf8')) as Record<string, Record<string, number[] | number[][] | number>> & { centroids: number[][] };

const shapes: Rings[] = columbus.features.map((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).map((polygon) => polygon.map((ring) => Float64Array.from(ring.flat()))));
const crime = Float64Array.from(columbus.features.map((f) => f.properties.CRIME));
const points = centroids(shapes);

const lists = {
  queen: contiguity(shapes, false, 1e-6),
  rook: contiguity(shapes, true, 1e-6),
  knn: nearestNeighbours(points, 4, 'planar'),
  distance: distanceBand(points, 1.5, 'planar'),
};

const close = (actual: ArrayLike<number>, wanted: ArrayLike<number>, what: string) => {
  expect(actual.length, what).toBe(wanted.length);
  for (let i = 0; i < wanted.length; i++) expect(Math.abs(actual[i]! - wanted[i]!), `${what}[${i}]`).toBeLessThan(1e-6);
};

describe('Columbus crime against R spdep 1.2-7 (test/fixtures/spatial/reference.R)', () => {
  it('computes the area-weighted centroids as sf/GEOS does', () => {
    close(points, expected.centroids.flat(), 'centroids');
  });

  for (const type of ['queen', 'rook', 'knn', 'distance'] as const) {
    for (const style of ['W', 'B'] as const) {
      const reference = expected[`${type}_${style}`]!;
      describe(`${type} ${style}`, () => {
        const list = lists[type];
        const w = toWeights(list, type, style);
        const wStar = toWeights(list, type, style, true);

        it('finds the same neighbours', () => {
          expect(list.map((l) => l.map((j) => j + 1))).toEqual(reference.neighbors);
        });

        it('matches global Moran I, expectation, variance and z to 1e-6', () => {
          const moran = globalMoran(crime, w);
          expect(Math.abs(moran.I - (reference.I as number))).toBeLessThan(1e-6);
          expect(Math.abs(moran.expected - (reference.expected as number))).toBeLessThan(1e-6);
          expect(Math.abs(moran.variance - (reference.variance as number))).toBeLessThan(1e-6);
          expect(Math.abs(moran.z - (reference.z as number))).toBeLessThan(1e-6);
          expect(Math.abs(moran.variance_normality - (reference.variance_normality as number))).toBeLessThan(1e-6);
          expect(Math.abs(moran.z_normality - (reference.z_normality as number))).toBeLessThan(1e-6);
        });

        it('matches local Moran Ii, z and conditional z, Gi and Gi* to 1e-6', () => {
          const local = localStatistics(crime, w, wStar);
          close(local.localI, reference.local_I as number[], 'Ii');
          close(local.localZ, reference.local_z as number[], 'z');
          close(local.localZConditional, reference.local_z_conditional as number[], 'z_conditional');
          close(local.gi, reference.gi as number[], 'Gi');
          close(local.giStar, reference.gi_star as number[], 'Gi*');
        });
      });
    }
  }
});
