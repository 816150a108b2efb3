import type { Geometry, Position } from 'geojson';
import { UserError } from '../errors.js';
import { insideNetherlands, toRd } from '../geo/crs.js';
import type { CrsName } from '../project/schema.js';
import { parseJson } from './geojson.js';
import { csvLine } from '../samples/csv-line.js';

/** The columns a GeoJSON source gains: its point (RD New), or the RD New coordinates of a line or polygon. */
export const geometryColumns = { x: 'geometrie_x', y: 'geometrie_y', shape: 'geometrie' } as const;

/** Lines and polygons in RD New: every part a flat list of x, y; `area` tells polygons (rings) from lines. */
export interface FeatureShape {
  area: boolean;
  /** Polygons: per polygon its rings; lines: one entry per line holding that line. */
  parts: number[][][];
}

/**
 * A GeoJSON FeatureCollection as exported by participatory-mapping tools (a gevoelskaart, ODK) as a
 * CSV text: one row per feature, its properties as columns (nested values as JSON), plus the
 * point in RD New or, for a line or polygon, its RD New coordinates as JSON. Row n is feature n − 2,
 * as line n of a CSV file. The CSV reader then treats it as any export: scanned, filtered, dated.
 */
export function featuresAsCsv(text: string, file: string, crs?: CrsName): string {
  const json = parseJson(text.replace(/^\ufeff/, ''), file) as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new UserError('not a GeoJSON FeatureCollection', {
      file,
      expected: '{"type": "FeatureCollection", "features": [...]}',
      fix: 'export the layer again as GeoJSON (QGIS: Export > Save Features As > GeoJSON; ODK Central: Download > GeoJSON)',
    });
  }
  const features = json.features as { geometry?: Geometry | null; properties?: Record<string, unknown> | null }[];
  const named = json.crs?.properties?.name;
  const fileCrs: CrsName = crs ?? (typeof named === 'string' && /28992/.test(named) ? 'EPSG:28992' : 'EPSG:4326');
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const feature of features) {
    for (const key of Object.keys(feature?.properties ?? {})) {
      if (!seen.has(key)) (seen.add(key), columns.push(key));
    }
  }
  const clash = columns.find((column) => (Object.values(geometryColumns) as string[]).includes(column));
  if (clash) {
    throw new UserError(`a feature property is called "${clash}", a name the tool gives the geometry`, {
      file,
      column: clash,
      expected: `properties other than ${Object.values(geometryColumns).join(', ')}`,
      fix: 'rename the property in the export',
    });
  }
  const lines = [csvLine([...columns, geometryColumns.x, geometryColumns.y, geometryColumns.shape], ',', true)];
  features.forEach((feature, index) => {
    const properties = feature?.properties ?? {};
    const values = columns.map((column) => cellText(properties[column]));
    const geometry = feature?.geometry ?? null;
    const rd = (position: Position): [number, number] => {
      const [x, y] = [Number(position[0]), Number(position[1])];
      if (!Number.isFinite(x) || !Number.isFinite(y) || !insideNetherlands(x, y, fileCrs)) {
        throw new UserError(`feature ${index} has coordinates (${position.slice(0, 2).join(', ')}) outside the Netherlands for ${fileCrs}`, {
          file,
          feature: index,
          expected: fileCrs === 'EPSG:4326' ? 'lon 3.2–7.3, lat 50.7–53.7 (GeoJSON is WGS84 unless its crs member says otherwise)' : 'RD New x 0–300000, y 289000–629000',
          fix: 'export the layer again in WGS84 or RD New, or set crs: on the source in buurtbalans.yml',
        });
      }
      const [rx, ry] = toRd(x, y, fileCrs);
      return [Math.round(rx * 100) / 100, Math.round(ry * 100) / 100];
    };
    const flat = (positions: Position[]) => positions.flatMap(rd);
    let point = ['', ''];
    let shape = '';
    if (geometry?.type === 'Point') point = rd(geometry.coordinates).map(String);
    else if (geometry?.type === 'MultiPoint' && geometry.coordinates.length === 1) point = rd(geometry.coordinates[0]!).map(String);
    else if (geometry?.type === 'Polygon') shape = JSON.stringify({ area: true, parts: [geometry.coordinates.map(flat)] });
    else if (geometry?.type === 'MultiPolygon') shape = JSON.stringify({ area: true, parts: geometry.coordinates.map((rings) => rings.map(flat)) });
    else if (geometry?.type === 'LineString') shape = JSON.stringify({ area: false, parts: [[flat(geometry.coordinates)]] });
    else if (geometry?.type === 'MultiLineString') shape = JSON.stringify({ area: false, parts: geometry.coordinates.map((line) => [flat(line)]) });
    else if (geometry?.type === 'MultiPoint') shape = JSON.stringify({ area: false, parts: geometry.coordinates.map((position) => [rd(position)]) });
    lines.push(csvLine([...values, ...point, shape], ',', true));
  });
  return `${lines.join('\n')}\n`;
}

/** The shape a row's geometry column holds, or undefined for an empty cell. */
export function readShape(cell: string): FeatureShape | undefined {
  return cell.trim() === '' ? undefined : (JSON.parse(cell) as FeatureShape);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Whether a file is read as GeoJSON features (by its extension). */
export function isFeatureFile(path: string): boolean {
  return /\.(geo)?json$/i.test(path);
}
