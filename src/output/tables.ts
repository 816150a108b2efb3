import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { AnalysisResult, UnplacedRow } from '../analysis/result.js';

/**
 * analysis.json: stable key order and a trailing newline, so the same input gives the same bytes;
 * indented for reading up to 1,000 blocks, compact above that (a city's result is hundreds of MB otherwise).
 */
export function analysisJson(result: AnalysisResult): string {
  return `${JSON.stringify(result, null, result.blocks.length <= 1000 ? 2 : undefined)}\n`;
}

type CellValue = number | boolean | string | null;

/**
 * The flat columns of the block table: every count `<key>` (and `<key>.unknown_cells` for
 * aggregated keys), then per indicator `<id>`, `<id>.lower`, `<id>.upper`, `<id>.ratio`,
 * `<id>.small_numbers` and `<id>.signal`.
 */
export function blockColumns(result: AnalysisResult): { name: string; value: (block: number) => CellValue }[] {
  const first = result.blocks[0];
  if (!first) return [];
  const counts = Object.keys(first.counts).flatMap((key) => [
    { name: key, value: (b: number) => result.blocks[b]!.counts[key]! },
    ...(key in first.unknown_cells ? [{ name: `${key}.unknown_cells`, value: (b: number) => result.blocks[b]!.unknown_cells[key]! }] : []),
  ]);
  const indicators = result.indicators.flatMap((indicator) => [
    { name: indicator.id, value: (b: number) => indicator.blocks[b]!.value },
    { name: `${indicator.id}.lower`, value: (b: number) => indicator.blocks[b]!.lower },
    { name: `${indicator.id}.upper`, value: (b: number) => indicator.blocks[b]!.upper },
    { name: `${indicator.id}.ratio`, value: (b: number) => indicator.blocks[b]!.ratio },
    { name: `${indicator.id}.small_numbers`, value: (b: number) => indicator.blocks[b]!.small_numbers },
    { name: `${indicator.id}.signal`, value: (b: number) => indicator.blocks[b]!.signal },
    { name: `${indicator.id}.gi_star_z`, value: (b: number) => indicator.blocks[b]!.spatial?.gi_star_z ?? null },
    { name: `${indicator.id}.hotspot`, value: (b: number) => indicator.blocks[b]!.spatial?.hotspot ?? null },
    { name: `${indicator.id}.cluster`, value: (b: number) => indicator.blocks[b]!.spatial?.cluster ?? null },
  ]);
  return [...counts, ...indicators];
}

/** blocks.csv: one row per block with every count and indicator; comma-separated UTF-8, decimal point, empty for no value. */
export function blocksCsv(result: AnalysisResult): string {
  const columns = blockColumns(result);
  const lines = [['id', 'label', 'addresses', ...columns.map((c) => c.name)].map(csvField).join(',')];
  result.blocks.forEach((block, b) => {
    lines.push([block.id, block.label, String(block.addresses), ...columns.map((c) => String(c.value(b) ?? ''))].map(csvField).join(','));
  });
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
    properties: { id: block.id, label: block.label, addresses: block.addresses, ...Object.fromEntries(columns.map((c) => [c.name, c.value(i)])) },
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
