import Flatbush from 'flatbush';

/** One block's geometry in RD New: polygons, each a list of rings as flat [x0, y0, x1, y1, ...]. */
export type PlanarPolygons = Float64Array[][];

/**
 * A static spatial index over polygons that answers "which polygons hold this point".
 * Flatbush narrows by bounding box; an even-odd ray test on typed arrays decides exactly
 * (twice as fast as turf's point-in-polygon on 1 M points, see STACK.md).
 */
export class PolygonIndex {
  private readonly index: Flatbush;
  private readonly found: number[] = [];

  constructor(private readonly shapes: readonly PlanarPolygons[]) {
    this.index = new Flatbush(Math.max(1, shapes.length));
    for (const shape of shapes) {
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const polygon of shape) {
        const ring = polygon[0];
        if (!ring) continue;
        for (let i = 0; i < ring.length; i += 2) {
          const x = ring[i]!, y = ring[i + 1]!;
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
      this.index.add(minX, minY, maxX, maxY);
    }
    if (shapes.length === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /** Indices of the polygons containing (x, y), in index order. The array is reused between calls. */
  locate(x: number, y: number): readonly number[] {
    this.found.length = 0;
    if (this.shapes.length === 0) return this.found;
    // The exact test runs inside the index's filter, so only hits are collected.
    const hits = this.index.search(x, y, x, y, (candidate) => shapeContains(this.shapes[candidate]!, x, y));
    for (const hit of hits) this.found.push(hit);
    if (this.found.length > 1) this.found.sort((a, b) => a - b);
    return this.found;
  }
}

/** Even-odd test over a polygon's rings, so holes are excluded; a multipolygon holds the point if any part does. */
export function shapeContains(shape: PlanarPolygons, x: number, y: number): boolean {
  for (const polygon of shape) {
    let inside = false;
    for (const ring of polygon) {
      const n = ring.length;
      for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
        const xi = ring[i]!, yi = ring[i + 1]!, xj = ring[j]!, yj = ring[j + 1]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    if (inside) return true;
  }
  return false;
}

/**
 * Pairs of blocks that overlap: a corner of one, moved a little inwards, lies inside another.
 * Points in an overlap cannot be placed; the user should know which blocks to repair.
 */
export function overlappingPairs(shapes: readonly PlanarPolygons[], index: PolygonIndex): [number, number][] {
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
