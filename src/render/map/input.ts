import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { AnalysisInput } from '../../analysis/analyse.js';
import type { AnalysisResult } from '../../analysis/result.js';
import { lonLatToRd, toRd } from '../../geo/crs.js';
import { columnIndex } from '../../ingest/csv.js';
import { parseDecimal } from '../../ingest/values.js';
import type { MapBlock, MapInput, MapStreet, Point, PolygonRings } from './compose.js';

/** Map input from a project just analysed: blocks in RD New, street names from the register. */
export function mapInputFromProject(input: AnalysisInput, result: AnalysisResult): MapInput {
  const blocks: MapBlock[] = input.blocks.ids.map((id, b) => ({
    id,
    label: input.blocks.labels[b]!,
    polygons: input.blocks.shapes[b]!.map((polygon) => polygon.map((ring) => pairs(ring))),
  }));
  return { result, blocks, streets: streetsFromRegister(input) };
}

/**
 * Map input from an analysis folder: analysis.json with the outlines of blocks.geojson (WGS84,
 * projected to RD New) or blocks.parquet (RD New), in the order of its blocks.
 */
export function mapInputFromFiles(result: AnalysisResult, outlines: readonly (Polygon | MultiPolygon)[], crs: 'EPSG:4326' | 'EPSG:28992'): MapInput {
  const point = crs === 'EPSG:4326' ? ([lon, lat]: Position) => lonLatToRd(lon!, lat!) as Point : ([x, y]: Position) => [x!, y!] as Point;
  const blocks = result.blocks.map((block, b): MapBlock => {
    const geometry = outlines[b]!;
    return { id: block.id, label: block.label, polygons: (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates).map((polygon) => polygon.map((ring) => ring.map(point))) };
  });
  return { result, blocks, streets: [] };
}

/** Polygons from any GeoJSON (RD New with a crs member, else WGS84) in RD New, for base and inset layers. */
export function polygonsInRd(collection: { crs?: { properties?: { name?: string } }; features: { geometry: Polygon | MultiPolygon | null }[] }): PolygonRings[] {
  const rd = /28992/.test(collection.crs?.properties?.name ?? '');
  return collection.features.flatMap((feature) => {
    const geometry = feature.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) return [];
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    return polygons.map((polygon) => polygon.map((ring) => ring.map(([x, y]) => (rd ? [x!, y!] : lonLatToRd(x!, y!)) as Point)));
  });
}

function streetsFromRegister(input: AnalysisInput): MapStreet[] {
  const config = input.project.addresses;
  const table = input.register;
  if (!config?.street || !config.x || !config.y || !table) return [];
  const street = columnIndex(table, config.street, 'addresses.street');
  const x = columnIndex(table, config.x, 'addresses.x');
  const y = columnIndex(table, config.y, 'addresses.y');
  const byName = new Map<string, Point[]>();
  for (let row = 0; row < table.rowCount; row++) {
    const name = table.cell(row, street).trim();
    const px = parseDecimal(table.cell(row, x), table.dialect.decimal);
    const py = parseDecimal(table.cell(row, y), table.dialect.decimal);
    if (!name || px === undefined || py === undefined) continue;
    let points = byName.get(name);
    if (!points) byName.set(name, (points = []));
    points.push(toRd(px, py, config.crs ?? 'EPSG:28992'));
  }
  return [...byName].map(([name, points]) => ({ name, points })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

function pairs(ring: Float64Array): Point[] {
  const points: Point[] = [];
  for (let i = 0; i + 1 < ring.length; i += 2) points.push([ring[i]!, ring[i + 1]!]);
  return points;
}
