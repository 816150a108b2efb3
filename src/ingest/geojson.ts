import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import type { Bilingual } from '../indicators/builtins.js';
import { UserError } from '../errors.js';
import { closestNames } from '../text.js';
import type { CrsName } from '../project/schema.js';
import { diagnoseCoordinates, insideNetherlands, rdToLonLat, toRd } from '../geo/crs.js';
import type { PlanarPolygons } from '../geo/polygon-index.js';
import { Float64Arena } from '../arena.js';

/** The address blocks: ids, labels, geometry in RD New for placing and in WGS84 for output. */
export interface BlockLayer {
  file: string;
  /** The CRS the file was in. */
  crs: CrsName;
  ids: string[];
  labels: string[];
  /** Geometry in RD New (metres), the working CRS. */
  shapes: PlanarPolygons[];
  /** Geometry in WGS84 lon/lat as GeoJSON, for blocks.geojson. */
  geometries: (Polygon | MultiPolygon)[];
  /** Repairs and doubts about the geometry (unclosed rings, self-intersections, overlaps). */
  warnings?: Bilingual[];
}

export interface BlockLayerOptions {
  id: string;
  label?: string | undefined;
  crs?: CrsName | undefined;
}

/** Parses JSON text, turning a syntax error into a UserError with its line. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new UserError(`the file is not valid JSON: ${message.replace(/^JSON\.parse: /, '')}`, {
      file,
      line,
      expected: 'a GeoJSON FeatureCollection',
      fix: 'export the layer again as GeoJSON (QGIS: Export > Save Features As > GeoJSON)',
    });
  }
}

/**
 * Reads block polygons from GeoJSON in RD New (with a `crs` member) or WGS84.
 * Rejects features without geometry or id, duplicate ids and coordinates outside the Netherlands.
 */
export function parseBlockLayer(text: string | object, file: string, options: BlockLayerOptions): BlockLayer {
  const json = (typeof text === 'string' ? parseJson(text.replace(/^\ufeff/, ''), file) : text) as { type?: unknown; features?: unknown; crs?: unknown };
  if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new UserError('not a GeoJSON FeatureCollection', {
      file,
      expected: '{"type": "FeatureCollection", "features": [...]}',
      fix: 'export the blocks as a GeoJSON FeatureCollection of polygons',
    });
  }
  const features = json.features as { type?: unknown; geometry?: Geometry | null; properties?: Record<string, unknown> | null }[];
  features.forEach((feature, index) => {
    const geometry = feature?.geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) return;
    const isPosition = (p: unknown) => Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number';
    const isRings = (rings: unknown) => Array.isArray(rings) && rings.length > 0 && rings.every((ring) => Array.isArray(ring) && ring.length > 0 && ring.every(isPosition));
    const ok = geometry.type === 'Polygon' ? isRings(geometry.coordinates) : Array.isArray(geometry.coordinates) && geometry.coordinates.length > 0 && geometry.coordinates.every(isRings);
    if (!ok) {
      throw new UserError(`feature's ${geometry.type} has no usable coordinates`, {
        file,
        feature: index,
        expected: `coordinates as GeoJSON writes them: ${geometry.type === 'Polygon' ? 'a list of rings' : 'a list of polygons, each a list of rings'}, each ring a list of [x, y] numbers`,
        fix: 'export the blocks again, or remove this feature',
      });
    }
  });
  const crs = options.crs ?? crsOfCollection(json.crs, features, file);
  // WGS84 outlines only when asked for (blocks.geojson): a country's are millions of small arrays
  // that every garbage collection walks. RD outlines come back from the shapes (the same numbers).
  const lonLat: (Polygon | MultiPolygon)[] = [];
  const multi: boolean[] = [];
  let geometries: (Polygon | MultiPolygon)[] | undefined;
  const layer: BlockLayer = {
    file,
    crs,
    ids: [],
    labels: [],
    shapes: [],
    get geometries() {
      return (geometries ??= crs === 'EPSG:4326' ? lonLat : layer.shapes.map((shape, b) => toWgs84Geometry(shape, multi[b]!)));
    },
    warnings: [],
  };
  const arena = new Float64Arena();
  const firstFeatureOfId = new Map<string, number>();

  features.forEach((feature, index) => {
    const geometry = feature?.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      throw new UserError(`feature has ${geometry ? `a ${geometry.type}` : 'no geometry'}`, {
        file,
        feature: index,
        expected: 'a Polygon or MultiPolygon for every block',
        fix: 'remove the feature or give it a polygon (blocks are areas, not points or lines)',
      });
    }
    const properties = feature.properties ?? {};
    const rawId = properties[options.id];
    if (rawId === undefined || rawId === null || String(rawId).trim() === '') {
      const close = closestNames(options.id, Object.keys(properties));
      throw new UserError(`feature has no block id property "${options.id}"`, {
        file,
        feature: index,
        column: options.id,
        expected: `a non-empty "${options.id}" property on every feature (blocks.id in buurtbalans.yml)`,
        fix: close.length > 0 ? `did you mean "${close[0]}"? Correct blocks.id` : `give the feature an id, or set blocks.id to one of: ${Object.keys(properties).join(', ')}`,
      });
    }
    if (typeof rawId !== 'string' && typeof rawId !== 'number') {
      throw new UserError(`the block id property "${options.id}" holds ${Array.isArray(rawId) ? 'a list' : typeof rawId === 'object' ? 'an object' : `a ${typeof rawId}`}, not a text or number`, {
        file,
        feature: index,
        column: options.id,
        expected: `a text or number as "${options.id}" of every feature`,
        fix: 'choose another property as blocks.id, or correct the export',
      });
    }
    const id = String(rawId).trim();
    const previous = firstFeatureOfId.get(id);
    if (previous !== undefined) {
      throw new UserError(`block id "${id}" is used by feature ${previous} and feature ${index}`, {
        file,
        feature: index,
        column: options.id,
        expected: 'a unique id per block',
        fix: 'give each block its own id, or merge the two polygons into one MultiPolygon',
      });
    }
    firstFeatureOfId.set(id, index);
    const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates).map((rings) => rings.map((ring) => closeRing(ring)));
    if (polygons.some((rings, p) => rings.some((ring, r) => ring.length !== (geometry.type === 'Polygon' ? geometry.coordinates[r]! : geometry.coordinates[p]![r]!).length))) {
      layer.warnings!.push({
        en: `feature ${index} (${String(rawId).trim()}): a ring was not closed; it is closed by repeating its first point`,
        nl: `object ${index} (${String(rawId).trim()}): een ring was niet gesloten; hij is gesloten door zijn eerste punt te herhalen`,
      });
    }
    if (polygons.some((rings) => rings.some((ring) => ring.length < 4))) {
      throw new UserError('feature has a ring of fewer than 3 points', { file, feature: index, expected: 'polygons with at least 3 corners', fix: 'repair or remove the feature (QGIS: Fix geometries)' });
    }
    if (polygons.some((rings) => rings.some(selfIntersects))) {
      layer.warnings!.push({
        en: `feature ${index} (${String(rawId).trim()}) crosses itself; points in it may be placed wrongly: repair it (QGIS: Fix geometries)`,
        nl: `object ${index} (${String(rawId).trim()}) snijdt zichzelf; punten erin kunnen verkeerd geplaatst worden: herstel het (QGIS: Geometrieën repareren)`,
      });
    }
    checkInsideNetherlands(polygons, crs, file, index);
    layer.ids.push(id);
    const label = options.label ? properties[options.label] : undefined;
    layer.labels.push(label === undefined || label === null ? id : String(label));
    layer.shapes.push(polygons.map((rings) => rings.map((ring) => flatRing(ring, crs, arena))));
    if (crs === 'EPSG:4326') lonLat.push(geometry.type === 'Polygon' ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons });
    else multi.push(geometry.type === 'MultiPolygon');
  });
  if (layer.ids.length === 0) {
    throw new UserError('the FeatureCollection has no features', { file, expected: 'at least one block polygon', fix: 'check that the right file is named in blocks.file' });
  }
  return layer;
}

function closeRing(ring: Position[]): Position[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return first && last && (first[0] !== last[0] || first[1] !== last[1]) ? [...ring, first] : ring;
}

/** Whether two edges of a ring that do not share a corner cross (a bow tie). */
function selfIntersects(ring: Position[]): boolean {
  const n = ring.length - 1;
  if (n > 400) return false; // long rings: left to the placement itself
  const cross = (a: Position, b: Position, c: Position) => (b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!);
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      const [a, b, c, d] = [ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!];
      if (cross(a, b, c) * cross(a, b, d) < 0 && cross(c, d, a) * cross(c, d, b) < 0) return true;
    }
  }
  return false;
}

function crsOfCollection(member: unknown, features: { geometry?: Geometry | null }[], file: string): CrsName {
  const name = (member as { properties?: { name?: unknown } } | undefined)?.properties?.name;
  if (typeof name === 'string') {
    if (/28992/.test(name)) return 'EPSG:28992';
    if (/CRS84|4326/.test(name)) return 'EPSG:4326';
    throw new UserError(`unsupported coordinate system "${name}"`, {
      file,
      expected: 'RD New (EPSG:28992) or WGS84 (EPSG:4326 / CRS84)',
      fix: 'reproject the file, for example: ogr2ogr -t_srs EPSG:28992 out.geojson in.geojson',
    });
  }
  const first = firstPosition(features);
  return first && (Math.abs(first[0]!) > 180 || Math.abs(first[1]!) > 90) ? 'EPSG:28992' : 'EPSG:4326';
}

function firstPosition(features: { geometry?: Geometry | null }[]): Position | undefined {
  for (const feature of features) {
    const geometry = feature?.geometry;
    if (geometry?.type === 'Polygon') return geometry.coordinates[0]?.[0];
    if (geometry?.type === 'MultiPolygon') return geometry.coordinates[0]?.[0]?.[0];
  }
  return undefined;
}

function checkInsideNetherlands(polygons: Position[][][], crs: CrsName, file: string, feature: number): void {
  const position = polygons[0]?.[0]?.[0];
  if (!position || position.length < 2 || !position.every(Number.isFinite)) {
    throw new UserError('feature has an empty or non-numeric ring', { file, feature, expected: 'rings of [x, y] numbers', fix: 'repair the geometry (QGIS: Fix geometries)' });
  }
  const [x, y] = position as [number, number];
  if (!insideNetherlands(x, y, crs)) {
    const hint = diagnoseCoordinates(x, y, crs);
    throw new UserError(`coordinates (${x}, ${y}) are outside the Netherlands for ${crs}`, {
      file,
      feature,
      expected: crs === 'EPSG:28992' ? 'RD New x 0–300000, y 289000–629000' : 'lon 3.2–7.3, lat 50.7–53.7',
      fix: hint ?? 'check the coordinate system of the export; set blocks.crs in buurtbalans.yml',
    });
  }
}

function flatRing(ring: Position[], crs: CrsName, arena: Float64Arena): Float64Array {
  const flat = arena.take(ring.length * 2);
  ring.forEach((position, i) => {
    const [x, y] = toRd(position[0]!, position[1]!, crs);
    flat[i * 2] = x;
    flat[i * 2 + 1] = y;
  });
  return flat;
}

/** A block's RD outline (closed rings) in WGS84, a Polygon or a MultiPolygon as the file had it. */
function toWgs84Geometry(shape: PlanarPolygons, multi: boolean): Polygon | MultiPolygon {
  const ring = (flat: Float64Array) => Array.from({ length: flat.length / 2 }, (_, i) => roundPosition(rdToLonLat(flat[2 * i]!, flat[2 * i + 1]!)));
  return multi ? { type: 'MultiPolygon', coordinates: shape.map((rings) => rings.map(ring)) } : { type: 'Polygon', coordinates: shape[0]!.map(ring) };
}

/** Seven decimals of a degree is about 1 cm: enough, and stable bytes. */
function roundPosition([lon, lat]: [number, number]): Position {
  return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}
