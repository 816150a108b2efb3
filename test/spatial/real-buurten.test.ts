import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPolygonLayer } from '../../src/ingest/polygons.js';
import { hotspots, parseWeightsSpec } from '../../src/spatial/hotspots.js';
import { defaultSnap } from '../../src/spatial/present.js';
import { projectSchema } from '../../src/project/schema.js';
import { contiguity } from '../../src/spatial/weights.js';

const geodata = (name: string) => readFileSync(new URL(`../fixtures/geodata/${name}`, import.meta.url), 'utf8');
const rd = readPolygonLayer(geodata('zuid_buurten_kwb2024_rd.geojson'), 'zuid_rd', 'aantal_inwoners', 'buurtcode', undefined);
const wgs84 = readPolygonLayer(geodata('zuid_buurten_kwb2024_wgs84.geojson'), 'zuid_wgs84', 'aantal_inwoners', 'buurtcode', undefined);
const expected = JSON.parse(readFileSync(new URL('../fixtures/spatial/expected-zuid.json', import.meta.url), 'utf8')) as { queen: number[][]; rook: number[][] };

describe('real Amsterdam Zuid buurten (76 polygons, CBS KWB 2024)', () => {
  it('reads the crs member of each file, and snaps by default as analyse does: 25 m', () => {
    expect(rd.crs).toBe('EPSG:28992');
    expect(wgs84.crs).toBe('EPSG:4326');
    expect(defaultSnap(rd.crs, rd.shapes)).toBe(projectSchema.shape.spatial.parse(undefined).snap);
    expect(defaultSnap(wgs84.crs, wgs84.shapes) * 111_320).toBeCloseTo(25, 6);
    // On buurten that tile the city, 25 m adds two pairs whose corners come within 25 m of each
    // other to the neighbours 5 cm finds (R spdep's test below): --snap 0.05 gives spdep's.
    const wide = contiguity(rd.shapes, false, defaultSnap(rd.crs, rd.shapes));
    const tight = contiguity(rd.shapes, false, 0.05);
    const added = wide.flatMap((list, i) => list.filter((j) => j > i && !tight[i]!.includes(j)).map((j) => `${rd.ids[i]}-${rd.ids[j]}`));
    expect(added).toEqual(['BU0363KC02-BU0363KD01', 'BU0363KK01-BU0363KN02']);
    expect(tight.every((list, i) => list.every((j) => wide[i]!.includes(j)))).toBe(true);
  });

  it('finds the queen and rook neighbours R spdep finds with the same 5 cm snap', () => {
    expect(contiguity(rd.shapes, false, 0.05).map((l) => l.map((j) => j + 1))).toEqual(expected.queen);
    expect(contiguity(rd.shapes, true, 0.05).map((l) => l.map((j) => j + 1))).toEqual(expected.rook);
  });

  it('finds nearly the same knn:6 neighbours in WGS84 (great circle) as in RD New (metres)', () => {
    const options = { style: 'W' as const, snap: 0.05, permutations: 0, seed: 1, alpha: 0.05, correction: 'none' as const, weights: parseWeightsSpec('knn:6')! };
    const fromRd = hotspots({ variable: 'v', ids: rd.ids, values: rd.values, shapes: rd.shapes }, { ...options, metric: 'planar' });
    const fromWgs84 = hotspots({ variable: 'v', ids: wgs84.ids, values: wgs84.values, shapes: wgs84.shapes }, { ...options, metric: 'geographic' });
    let same = 0;
    let total = 0;
    fromRd.features.forEach((feature, i) => {
      const other = new Set(fromWgs84.features[i]!.neighbors);
      for (const id of feature.neighbors) {
        total++;
        if (other.has(id)) same++;
      }
    });
    expect(same / total).toBeGreaterThan(0.97);
    expect(fromRd.missing.length).toBeGreaterThan(0); // CBS suppressed some counts: reported, left out
    expect(Math.abs(fromRd.global.moran!.I - fromWgs84.global.moran!.I)).toBeLessThan(0.05);
  });
});

describe('a densely digitised boundary', () => {
  // Two 80 m blocks sharing a side, each ring with 1.6 million vertices (one every 0.2 mm): every
  // vertex has thousands of others within a 50 cm snap. Matching them all took minutes; it must not.
  const square = (x0: number, vertices: number) => {
    const corners = [[x0, 0], [x0 + 80, 0], [x0 + 80, 80], [x0, 80], [x0, 0]];
    const ring: number[] = [];
    const perSide = vertices / 4;
    for (let side = 0; side < 4; side++) {
      const [ax, ay] = corners[side]!, [bx, by] = corners[side + 1]!;
      for (let k = 0; k < perSide; k++) ring.push(ax! + ((bx! - ax!) * k) / perSide, ay! + ((by! - ay!) * k) / perSide);
    }
    ring.push(x0, 0);
    return [[Float64Array.from(ring)]];
  };

  it('finds the neighbours of blocks with 1.6 million vertices each, and only those', () => {
    const shapes = [square(0, 1_600_000), square(80, 1_600_000), square(400, 400)];
    expect(contiguity(shapes, false, 0.5)).toEqual([[1], [0], []]);
    expect(contiguity(shapes, true, 0.5)).toEqual([[1], [0], []]);
  }, 30_000);
});
