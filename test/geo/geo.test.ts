import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { lonLatToRd, rdToLonLat, diagnoseCoordinates } from '../../src/geo/crs.js';
import { NOWHERE, OVERLAP, PolygonIndex } from '../../src/geo/polygon-index.js';
import { overlappingBlocks } from '../../src/geo/overlaps.js';
import { parseBlockLayer } from '../../src/ingest/geojson.js';
import { Random } from '../../src/stats/random.js';
import { rdBlocks, userError } from '../helpers.js';

const geodata = new URL('../fixtures/geodata/', import.meta.url);
const zuidRd = readFileSync(new URL('zuid_buurten_kwb2024_rd.geojson', geodata), 'utf8');
const zuidWgs84 = readFileSync(new URL('zuid_buurten_kwb2024_wgs84.geojson', geodata), 'utf8');

describe('RD New ↔ WGS84', () => {
  it('lands RD (121000, 487000) at 52.369826 N, 4.887971 E (with the datum shift)', () => {
    const [lon, lat] = rdToLonLat(121000, 487000);
    expect(lat).toBeCloseTo(52.369826, 6);
    expect(lon).toBeCloseTo(4.887971, 6);
  });

  it('round-trips to the centimetre', () => {
    const [lon, lat] = rdToLonLat(121702.35, 483700.12);
    const [x, y] = lonLatToRd(lon, lat);
    expect(Math.abs(x - 121702.35)).toBeLessThan(0.01);
    expect(Math.abs(y - 483700.12)).toBeLessThan(0.01);
  });

  it('explains common coordinate mistakes', () => {
    expect(diagnoseCoordinates(483700, 121700, 'EPSG:28992')).toContain('swapped');
    expect(diagnoseCoordinates(4.89, 52.37, 'EPSG:28992')).toContain('EPSG:4326');
    expect(diagnoseCoordinates(52.37, 4.89, 'EPSG:4326')).toContain('swapped');
    expect(diagnoseCoordinates(121700, 483700, 'EPSG:4326')).toContain('EPSG:28992');
  });
});

describe('PolygonIndex', () => {
  const ring = (x0: number, y0: number, x1: number, y1: number) => new Float64Array([x0, y0, x1, y0, x1, y1, x0, y1, x0, y0]);

  it('leaves holes out and finds every part of a multipolygon', () => {
    const courtyard = [[ring(0, 0, 100, 100), ring(40, 40, 60, 60)]];
    const twoParts = [[ring(200, 0, 220, 20)], [ring(300, 0, 320, 20)]];
    const index = new PolygonIndex([courtyard, twoParts]);
    expect(index.locate(10, 10)).toEqual([0]);
    expect(index.locate(50, 50)).toEqual([]);
    expect(index.locate(210, 10)).toEqual([1]);
    expect(index.locate(310, 10)).toEqual([1]);
    expect(index.locate(250, 10)).toEqual([]);
  });

  it('gives a point on a shared edge to one block only', () => {
    const index = new PolygonIndex([[[ring(0, 0, 10, 10)]], [[ring(10, 0, 20, 10)]]]);
    expect(index.locate(10, 5)).toHaveLength(1);
  });

  it('finds a large block over many grid cells, overlaps and the far edges of the grid', () => {
    // Grid cells take the median block size (10 m): the polder block spans thousands of them.
    const small = Array.from({ length: 9 }, (_, i) => [[ring(i * 20, 0, i * 20 + 10, 10)]]);
    const polder = [[ring(0, 100, 1000, 600)]];
    const overlapping = [[ring(500, 500, 520, 520)]];
    const index = new PolygonIndex([...small, polder, overlapping]);
    expect(index.locate(165, 5)).toEqual([8]);
    expect(index.locate(999.999, 599.999)).toEqual([9]);
    expect(index.locate(1, 101)).toEqual([9]);
    expect(index.locate(510, 510)).toEqual([9, 10]);
    expect(index.locateOne(510, 510)).toBe(9);
    const shapes = [...small, polder, overlapping];
    expect(overlappingBlocks(shapes, index)).toEqual([{ a: 9, b: 10, area: 400 }]);
    index.markOverlaps(overlappingBlocks(shapes, index));
    expect(index.locateOne(510, 510)).toBe(OVERLAP);
    expect(index.locateOne(700, 300)).toBe(9);
    expect(index.locateOne(1000.5, 300)).toBe(NOWHERE);
    expect(index.locateOne(-0.5, 5)).toBe(NOWHERE);
    expect(new PolygonIndex([]).locateOne(0, 0)).toBe(NOWHERE);
  });
});

describe('overlapping blocks', () => {
  const square = (x0: number, y0: number, x1: number, y1: number) => [[new Float64Array([x0, y0, x1, y0, x1, y1, x0, y1, x0, y0])]];

  it('are pairs whose interiors share more than 1 m², not a shared border, a vertex on an edge or a sliver', () => {
    // B's corner (10, 5) lies on A's edge; C overlaps A by 0.5 m × 1 m; D overlaps B by 3 × 4 m.
    const a = square(0, 0, 10, 10);
    const b = [[new Float64Array([10, 5, 20, 5, 20, 15, 10, 15, 10, 5])]];
    const sliver = [[new Float64Array([-0.5, 0, 0, 0, 0, 1, -0.5, 1, -0.5, 0].map((v, i) => (i % 2 === 0 ? v + 0.3 : v)))]];
    const d = square(17, 11, 23, 19);
    const shapes = [a, b, sliver, d];
    const found = overlappingBlocks(shapes, new PolygonIndex(shapes));
    expect(found.map(({ a, b, area }) => [a, b, Math.round(area * 1000) / 1000])).toEqual([[1, 3, 12]]);
  });
});

describe('PolygonIndex on real Amsterdam buurten', () => {
  it('finds no overlap between the 76 real Zuid buurten, which tile the area (GEOS ST_Overlaps: none)', () => {
    const shapes = parseBlockLayer(zuidRd, 'zuid_rd.geojson', { id: 'buurtcode' }).shapes;
    expect(overlappingBlocks(shapes, new PolygonIndex(shapes))).toEqual([]);
  });

  const layer = parseBlockLayer(zuidRd, 'zuid_rd.geojson', { id: 'buurtcode', label: 'buurtnaam' });
  const collection = JSON.parse(zuidRd) as FeatureCollection<Polygon | MultiPolygon>;

  it('agrees with turf point-in-polygon on 20,000 random points', () => {
    const index = new PolygonIndex(layer.shapes);
    const random = new Random(7);
    let inside = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = random.between(116000, 123000);
      const y = random.between(481500, 486200);
      const expected = collection.features.flatMap((feature, f) => (booleanPointInPolygon([x, y], feature as Feature<Polygon | MultiPolygon>) ? [f] : []));
      expect(index.locate(x, y)).toEqual(expected);
      if (expected.length > 0) inside++;
    }
    expect(inside).toBeGreaterThan(10_000);
  });

  it('reads the same buurten from WGS84 within 2 m of the RD version', () => {
    const fromWgs84 = parseBlockLayer(zuidWgs84, 'zuid_wgs84.geojson', { id: 'buurtcode' });
    expect(fromWgs84.crs).toBe('EPSG:4326');
    expect(layer.crs).toBe('EPSG:28992');
    expect(fromWgs84.ids).toEqual(layer.ids);
    layer.shapes.forEach((shape, b) => {
      const rd = shape[0]![0]!;
      const converted = fromWgs84.shapes[b]![0]![0]!;
      expect(Math.hypot(rd[0]! - converted[0]!, rd[1]! - converted[1]!)).toBeLessThan(2);
    });
    expect(layer.labels).toContain('Rijnbuurt-West');
  });
});

describe('parseBlockLayer bad input', () => {
  it('names the line of a JSON syntax error', () => {
    const error = userError(() => parseBlockLayer('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",, }\n]}', 'b.geojson', { id: 'id' }));
    expect(error.message).toContain('not valid JSON');
    expect(error.line).toBe(3);
  });

  it('refuses something that is not a FeatureCollection', () => {
    expect(userError(() => parseBlockLayer('{"type": "Feature"}', 'b.geojson', { id: 'id' })).message).toContain('FeatureCollection');
  });

  it('names the feature without the id property and suggests the property meant', () => {
    const error = userError(() => parseBlockLayer(rdBlocks([{ id: 'B1', x: 121000, y: 487000 }], 'blokid'), 'b.geojson', { id: 'blok_id' }));
    expect(error.feature).toBe(0);
    expect(error.message).toContain('"blok_id"');
    expect(error.fix).toContain('did you mean "blokid"?');
  });

  it('names both features of a duplicate id', () => {
    const text = rdBlocks([
      { id: 'B1', x: 121000, y: 487000 },
      { id: 'B2', x: 121200, y: 487000 },
      { id: 'B1', x: 121400, y: 487000 },
    ]);
    const error = userError(() => parseBlockLayer(text, 'b.geojson', { id: 'blok_id' }));
    expect(error.message).toBe('block id "B1" is used by feature 0 and feature 2');
    expect(error.feature).toBe(2);
  });

  it('refuses points as blocks', () => {
    const text = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'a' }, geometry: { type: 'Point', coordinates: [4.9, 52.3] } }] });
    expect(userError(() => parseBlockLayer(text, 'b.geojson', { id: 'id' })).message).toBe('feature has a Point');
  });

  it('recognises swapped lat/lon in blocks', () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { id: 'a' }, geometry: { type: 'Polygon', coordinates: [[[52.3, 4.9], [52.31, 4.9], [52.31, 4.91], [52.3, 4.9]]] } }],
    });
    const error = userError(() => parseBlockLayer(text, 'b.geojson', { id: 'id' }));
    expect(error.message).toContain('outside the Netherlands');
    expect(error.fix).toContain('swapped');
  });
});
