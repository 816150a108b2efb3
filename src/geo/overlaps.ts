import { featureCollection, intersect, multiPolygon } from '@turf/turf';
import { ringArea, type PlanarPolygons, type PolygonIndex } from './polygon-index.js';

/** Pairs of blocks whose interiors share more than this many square metres overlap. */
export const overlapToleranceM2 = 1;

/** Two blocks that overlap, and by how much (m², planar). */
export interface Overlap {
  a: number;
  b: number;
  area: number;
}

/**
 * Pairs of blocks that really overlap: their interiors share more than `overlapToleranceM2`.
 * Shared borders, a vertex on a neighbour's edge and slivers of floating-point size are no overlap.
 * Candidates come cheaply (a corner of one, moved a little inwards, lies inside another); each is
 * then clipped exactly (polyclip-ts through @turf/intersect) and its area measured.
 */
export function overlappingBlocks(shapes: readonly PlanarPolygons[], index: PolygonIndex): Overlap[] {
  const overlaps: Overlap[] = [];
  for (const [a, b] of candidatePairs(shapes, index)) {
    const area = intersectionArea(shapes[a]!, shapes[b]!);
    if (area > overlapToleranceM2) overlaps.push({ a, b, area });
  }
  return overlaps;
}

function intersectionArea(a: PlanarPolygons, b: PlanarPolygons): number {
  const coordinates = (shape: PlanarPolygons) => shape.map((polygon) => polygon.map((ring) => Array.from({ length: ring.length / 2 }, (_, i) => [ring[2 * i]!, ring[2 * i + 1]!])));
  try {
    const shared = intersect(featureCollection([multiPolygon(coordinates(a)), multiPolygon(coordinates(b))]));
    if (!shared) return 0;
    const polygons = shared.geometry.type === 'Polygon' ? [shared.geometry.coordinates] : shared.geometry.coordinates;
    return polygons.reduce((sum, polygon) => sum + polygon.reduce((inner, ring, r) => inner + (r === 0 ? 1 : -1) * Math.abs(ringArea(ring)), 0), 0);
  } catch {
    // Geometry the clipper cannot handle (self-intersections are reported elsewhere): say it overlaps.
    return Infinity;
  }
}

/**
 * Pairs of blocks that may overlap: a corner of one, moved a little inwards, lies inside another.
 */
function candidatePairs(shapes: readonly PlanarPolygons[], index: PolygonIndex): [number, number][] {
  const pairs = new Set<string>();
  shapes.forEach((shape, a) => {
    for (const polygon of shape) {
      const ring = polygon[0];
      if (!ring) continue;
      let cx = 0, cy = 0;
      const n = ring.length / 2;
      for (let i = 0; i < ring.length; i += 2) {
        cx += ring[i]! / n;
        cy += ring[i + 1]! / n;
      }
      const step = Math.max(2, Math.floor(n / 50)) * 2;
      for (let i = 0; i < ring.length; i += step) {
        const x = ring[i]! + (cx - ring[i]!) * 0.02;
        const y = ring[i + 1]! + (cy - ring[i + 1]!) * 0.02;
        for (const b of index.locate(x, y)) if (b !== a) pairs.add(a < b ? `${a},${b}` : `${b},${a}`);
      }
    }
  });
  return [...pairs].map((pair) => pair.split(',').map(Number) as [number, number]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}
