import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { AnalysisResult, UnplacedRow } from '../analysis/result.js';

/** analysis.json: stable key order and a trailing newline, so the same input gives the same bytes. */
export function analysisJson(result: AnalysisResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** The flat columns of the block table: `<key>` and, for aggregated keys, `<key>.unknown_cells`. */
export function blockColumns(result: AnalysisResult): string[] {
  const first = result.blocks[0];
  if (!first) return [];
  return Object.keys(first.counts).flatMap((key) => (key in first.unknown_cells ? [key, `${key}.unknown_cells`] : [key]));
}

function blockValues(block: AnalysisResult['blocks'][number], columns: string[]): Record<string, number> {
  return Object.fromEntries(
    columns.map((column) => [column, column.endsWith('.unknown_cells') ? block.unknown_cells[column.slice(0, -'.unknown_cells'.length)]! : block.counts[column]!]),
  );
}

/** blocks.csv: one row per block with every count; comma-separated UTF-8 with a point as decimal. */
export function blocksCsv(result: AnalysisResult): string {
  const columns = blockColumns(result);
  const lines = [['id', 'label', 'addresses', ...columns].map(csvField).join(',')];
  for (const block of result.blocks) {
    const values = blockValues(block, columns);
    lines.push([block.id, block.label, String(block.addresses), ...columns.map((c) => String(values[c]))].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** unplaced.csv: source, line, reason. Deliberately no address fields. */
export function unplacedCsv(rows: readonly UnplacedRow[]): string {
  const lines = ['source,line,reason', ...rows.map((row) => [row.source, String(row.line), row.reason].map(csvField).join(','))];
  return `${lines.join('\n')}\n`;
}

/** blocks.geojson: WGS84 with counter-clockwise exterior rings, as RFC 7946 asks. */
export function blocksGeoJson(result: AnalysisResult, geometries: readonly (Polygon | MultiPolygon)[]): string {
  const columns = blockColumns(result);
  const features: Feature[] = result.blocks.map((block, i) => ({
    type: 'Feature',
    properties: { id: block.id, label: block.label, addresses: block.addresses, ...blockValues(block, columns) },
    geometry: rfc7946(geometries[i]!),
  }));
  const collection: FeatureCollection = { type: 'FeatureCollection', features };
  return `${JSON.stringify(collection)}\n`;
}

function rfc7946(geometry: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const polygon = (rings: Position[][]) => rings.map((ring, i) => orient(ring, i === 0));
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: polygon(geometry.coordinates) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(polygon) };
}

/** Exterior rings counter-clockwise, holes clockwise (shoelace sign on lon/lat is enough at block scale). */
function orient(ring: Position[], exterior: boolean): Position[] {
  let twiceArea = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    twiceArea += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  const counterClockwise = twiceArea > 0;
  return counterClockwise === exterior ? ring : [...ring].reverse();
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
