/**
 * Blocks as people have them: the real Zuid buurten as a GeoPackage and as a zipped Shapefile,
 * both made from the RD New GeoJSON with GDAL's ogr2ogr (see test/fixtures/geodata/README.md).
 * Each must give the same blocks, ids and outlines as the GeoJSON.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBlockLayer } from '../../src/ingest/geojson.js';
import { readPackagedLayer } from '../../src/ingest/layers.js';
import { UserError } from '../../src/errors.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/geodata/${name}`, import.meta.url));
const options = { id: 'buurtcode', label: 'buurtnaam' };
const fromGeoJson = parseBlockLayer(fixture('zuid_buurten_kwb2024_rd.geojson').toString('utf8'), 'zuid.geojson', options);
const none = () => undefined;

describe('blocks from a GeoPackage and a zipped Shapefile', () => {
  it.each(['zuid_buurten.gpkg', 'zuid_buurten_shp.zip'])('%s gives the GeoJSON\'s 76 buurten, ids, labels and outlines, in RD New read from the file', async (name) => {
    const collection = await readPackagedLayer(fixture(name), name, undefined, none);
    expect(collection.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::28992');
    const layer = parseBlockLayer(collection, name, options);
    expect(layer.crs).toBe('EPSG:28992');
    expect(layer.ids).toEqual(fromGeoJson.ids);
    expect(layer.labels).toEqual(fromGeoJson.labels);
    layer.shapes.forEach((shape, b) => {
      const ring = shape[0]![0]!;
      const expected = fromGeoJson.shapes[b]![0]![0]!;
      expect(ring.length).toBe(expected.length);
      expect(Math.max(...ring.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(0.01);
    });
  });

  it('refuses a layer the file does not have, naming the ones it has', async () => {
    const wrong = await readPackagedLayer(fixture('zuid_buurten.gpkg'), 'zuid_buurten.gpkg', 'blokken', none).then(() => undefined, (error: unknown) => error);
    expect(wrong).toBeInstanceOf(UserError);
    expect((wrong as UserError).message).toContain('no layer "blokken"');
    expect((wrong as UserError).expected).toContain('layer: one of buurten');
  });
});
