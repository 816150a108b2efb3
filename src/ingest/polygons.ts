import type { Geometry } from 'geojson';
import { UserError } from '../errors.js';
import type { Rings } from '../spatial/weights.js';
import { closestNames } from '../text.js';
import { parseJson } from './geojson.js';

export type PolygonCrs = 'planar' | 'EPSG:4326' | 'EPSG:28992';

export interface PolygonLayer {
  ids: (string | number)[];
  values: (number | null)[];
  shapes: Rings[];
  crs: PolygonCrs;
  /** The features as read, to write back with statistics added. */
  features: { type: 'Feature'; properties: Record<string, unknown>; geometry: Geometry }[];
}

/**
 * Reads any polygon GeoJSON with one numeric value per feature, in its own coordinates.
 * Non-numeric or missing values become null (reported and left out by the statistics).
 */
export function readPolygonLayer(text: string, file: string, valueField: string, idField: string | undefined, crs: PolygonCrs | undefined): PolygonLayer {
  const json = parseJson(text.replace(/^\ufeff/, ''), file) as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new UserError('not a GeoJSON FeatureCollection', { file, expected: '{"type": "FeatureCollection", "features": [...]}', fix: 'export the layer as a GeoJSON FeatureCollection of polygons' });
  }
  const features = json.features as PolygonLayer['features'];
  const names = [...new Set(features.flatMap((feature) => Object.keys(feature.properties ?? {})))];
  for (const [field, option] of [[valueField, '--value'], [idField, '--id']] as const) {
    if (field !== undefined && !names.includes(field)) {
      const close = closestNames(field, names);
      throw new UserError(`no feature has the property "${field}"`, {
        file,
        column: field,
        expected: `a property named by ${option}`,
        fix: close.length > 0 ? `did you mean "${close[0]}"?` : `the properties are: ${names.join(', ')}`,
      });
    }
  }
  const layer: PolygonLayer = { ids: [], values: [], shapes: [], crs: crs ?? detectCrs(json.crs?.properties?.name, features), features };
  const seen = new Map<string, number>();
  features.forEach((feature, index) => {
    const geometry = feature?.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      throw new UserError(`feature has ${geometry ? `a ${geometry.type}` : 'no geometry'}`, { file, feature: index, expected: 'a Polygon or MultiPolygon', fix: 'remove the feature or give it a polygon' });
    }
    const properties = feature.properties ?? {};
    const rawId = idField === undefined ? index + 1 : properties[idField];
    const id = typeof rawId === 'number' || typeof rawId === 'string' ? rawId : String(rawId);
    const previous = seen.get(String(id));
    if (previous !== undefined) {
      throw new UserError(`id ${JSON.stringify(id)} is used by feature ${previous} and feature ${index}`, { file, feature: index, column: idField, expected: 'a unique id per feature', fix: 'choose another --id property, or leave --id out to number the features' });
    }
    seen.set(String(id), index);
    const raw = properties[valueField];
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : null;
    layer.ids.push(id);
    layer.values.push(value !== null && Number.isFinite(value) ? value : null);
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    layer.shapes.push(polygons.map((polygon) => polygon.map((ring) => Float64Array.from(ring.flatMap((position) => [position[0]!, position[1]!])))));
  });
  return layer;
}

function detectCrs(name: unknown, features: { geometry?: Geometry | null }[]): PolygonCrs {
  if (typeof name === 'string' && /28992/.test(name)) return 'EPSG:28992';
  if (typeof name === 'string' && /CRS84|4326/.test(name)) return 'EPSG:4326';
  // Without a crs member GeoJSON is WGS84 (RFC 7946), unless the numbers cannot be degrees; --crs planar overrides.
  const numbers = JSON.stringify(features.slice(0, 50).map((feature) => feature.geometry?.type === 'Polygon' || feature.geometry?.type === 'MultiPolygon' ? feature.geometry.coordinates : [])).match(/-?\d+(\.\d+)?(e-?\d+)?/g)?.map(Number) ?? [];
  return numbers.every((value) => Math.abs(value) <= 180) ? 'EPSG:4326' : 'planar';
}
