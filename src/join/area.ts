import { NOWHERE, OVERLAP, shapeContains, type PolygonIndex } from '../geo/polygon-index.js';
import type { FeatureShape } from '../ingest/features.js';

/** The blocks a line or polygon covers, with the share of it that lies in each (the rest lies outside every block). */
export interface CoveredShares {
  blocks: Int32Array;
  shares: Float64Array;
}

/** Points a line or polygon is measured with: a share to within a few percent (a country's sample has 200,000 polygons). */
const samples = 256;

/**
 * Where a gevoelskaart's polygon or line lies: a regular grid over the polygon (points along the
 * line), each point placed in its block. A share is the part of the points in that block, so a
 * polygon drawn over three blocks counts there by how much of it each holds, and the shares add up
 * to at most 1. Returns undefined where no point lies in a block.
 */
export function coveredShares(shape: FeatureShape, index: PolygonIndex): CoveredShares | undefined {
  const points = shape.area ? gridInside(shape.parts) : alongLines(shape.parts);
  if (points.length === 0) return undefined;
  const perBlock = new Map<number, number>();
  for (let i = 0; i < points.length; i += 2) {
    const block = index.locateOne(points[i]!, points[i + 1]!);
    if (block !== NOWHERE && block !== OVERLAP) perBlock.set(block, (perBlock.get(block) ?? 0) + 1);
  }
  if (perBlock.size === 0) return undefined;
  const total = points.length / 2;
  const sorted = [...perBlock].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return { blocks: Int32Array.from(sorted, ([block]) => block), shares: Float64Array.from(sorted, ([, n]) => n / total) };
}

/** A grid of about `samples` points over the polygons' box, those inside; a polygon too thin for the grid gives its first corner. */
function gridInside(polygons: number[][][]): number[] {
  const shape = polygons.map((rings) => rings.map((ring) => Float64Array.from(ring)));
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polygons) {
    const ring = rings[0] ?? [];
    for (let i = 0; i < ring.length; i += 2) {
      x0 = Math.min(x0, ring[i]!);
      x1 = Math.max(x1, ring[i]!);
      y0 = Math.min(y0, ring[i + 1]!);
      y1 = Math.max(y1, ring[i + 1]!);
    }
  }
  if (!(x1 >= x0)) return [];
  const step = Math.max(Math.sqrt(((x1 - x0) * (y1 - y0)) / samples), 1e-3);
  const points: number[] = [];
  for (let y = y0 + step / 2; y < y1; y += step) for (let x = x0 + step / 2; x < x1; x += step) if (shapeContains(shape, x, y)) points.push(x, y);
  const first = polygons[0]?.[0];
  return points.length > 0 || !first ? points : [first[0]!, first[1]!];
}

/** Points at equal distances along the lines (a single point for a point). */
function alongLines(parts: number[][][]): number[] {
  const lines = parts.map((part) => part[0] ?? []);
  const lengthOf = (line: number[]) => {
    let length = 0;
    for (let i = 2; i < line.length; i += 2) length += Math.hypot(line[i]! - line[i - 2]!, line[i + 1]! - line[i - 1]!);
    return length;
  };
  const total = lines.reduce((sum, line) => sum + lengthOf(line), 0);
  if (total === 0) return lines.flatMap((line) => (line.length >= 2 ? [line[0]!, line[1]!] : []));
  const step = total / samples;
  const points: number[] = [];
  let carried = step / 2;
  for (const line of lines) {
    for (let i = 2; i < line.length; i += 2) {
      const [ax, ay, bx, by] = [line[i - 2]!, line[i - 1]!, line[i]!, line[i + 1]!];
      const segment = Math.hypot(bx - ax, by - ay);
      for (; carried <= segment; carried += step) points.push(ax + ((bx - ax) * carried) / segment, ay + ((by - ay) * carried) / segment);
      carried -= segment;
    }
  }
  return points;
}
