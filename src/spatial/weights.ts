import KDBush from 'kdbush';

/** A polygon's rings as flat [x0, y0, x1, y1, ...] arrays in the data's own coordinates. */
export type Rings = Float64Array[][];

export type WeightsType = 'queen' | 'rook' | 'knn' | 'distance';
export type WeightsStyle = 'W' | 'B';
/** planar: Euclidean on the coordinates as they are; geographic: great-circle metres on lon/lat. */
export type Metric = 'planar' | 'geographic';

/** Sparse spatial weights: per area its neighbours (sorted indices) and their weights. */
export interface SpatialWeights {
  n: number;
  type: WeightsType;
  style: WeightsStyle;
  neighbors: Int32Array[];
  weights: Float64Array[];
  /** Areas without neighbours. */
  islands: number[];
}

/**
 * Area-weighted centroid (centre of mass) of each area, over all its polygons, holes subtracted.
 * Falls back to the vertex mean for degenerate (zero-area) shapes.
 */
export function centroids(shapes: readonly Rings[]): Float64Array {
  const out = new Float64Array(shapes.length * 2);
  shapes.forEach((shape, i) => {
    let area = 0;
    let cx = 0;
    let cy = 0;
    let sx = 0;
    let sy = 0;
    let count = 0;
    for (const polygon of shape) {
      polygon.forEach((ring) => {
        // Signed area per ring: holes, wound the other way, subtract themselves.
        for (let p = 0; p + 3 < ring.length; p += 2) {
          const x0 = ring[p]!, y0 = ring[p + 1]!, x1 = ring[p + 2]!, y1 = ring[p + 3]!;
          const cross = x0 * y1 - x1 * y0;
          area += cross;
          cx += (x0 + x1) * cross;
          cy += (y0 + y1) * cross;
          sx += x0;
          sy += y0;
          count++;
        }
      });
    }
    if (Math.abs(area) > 1e-300) {
      out[i * 2] = cx / (3 * area);
      out[i * 2 + 1] = cy / (3 * area);
    } else {
      out[i * 2] = sx / Math.max(1, count);
      out[i * 2 + 1] = sy / Math.max(1, count);
    }
  });
  return out;
}

/**
 * Contiguity: queen = at least one boundary point in common, rook = at least two (a shared
 * segment), with vertices matched within `snap` (as spdep's poly2nb) so that tiny gaps and
 * slivers between real blocks do not break neighbourhood.
 */
export function contiguity(shapes: readonly Rings[], rook: boolean, snap: number): number[][] {
  const n = shapes.length;
  const cell = Math.max(snap, 1e-12) * 2;
  // Vertices are added area by area, so every grid cell lists its vertices sorted by area.
  const grid = new Map<string, number[]>();
  const xs: number[] = [];
  const ys: number[] = [];
  const areas: number[] = [];
  shapes.forEach((shape, area) => {
    const seen = new Set<string>();
    for (const polygon of shape) {
      for (const ring of polygon) {
        // Each point of an area counts once (the closing vertex repeats the first).
        for (let p = 0; p + 1 < ring.length; p += 2) {
          const x = ring[p]!, y = ring[p + 1]!;
          const key = `${x},${y}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const gridKey = `${Math.floor(x / cell)},${Math.floor(y / cell)}`;
          let bucket = grid.get(gridKey);
          if (!bucket) grid.set(gridKey, (bucket = []));
          bucket.push(xs.length);
          xs.push(x);
          ys.push(y);
          areas.push(area);
        }
      }
    }
  });
  // The first entry of a sorted bucket whose area is above `area`.
  const firstAbove = (bucket: number[], area: number) => {
    let lo = 0, hi = bucket.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (areas[bucket[mid]!]! <= area) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Two shared points settle a pair for queen and rook alike; skipping settled pairs keeps a
  // densely digitised boundary (a million vertices within the snap of each other) linear.
  const settled = rook ? 2 : 1;
  const shared = new Map<number, number>();
  for (let v = 0; v < xs.length; v++) {
    const area = areas[v]!, x = xs[v]!, y = ys[v]!;
    const gx = Math.floor(x / cell);
    const gy = Math.floor(y / cell);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const bucket = grid.get(`${gx + dx},${gy + dy}`);
        if (!bucket) continue;
        for (let i = firstAbove(bucket, area); i < bucket.length; i++) {
          const other = bucket[i]!;
          const pair = area * n + areas[other]!;
          if ((shared.get(pair) ?? 0) >= settled) {
            i = firstAbove(bucket, areas[other]!) - 1;
            continue;
          }
          if (Math.abs(xs[other]! - x) <= snap && Math.abs(ys[other]! - y) <= snap) shared.set(pair, (shared.get(pair) ?? 0) + 1);
        }
      }
    }
  }
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (const [pair, count] of shared) {
    if (rook && count < 2) continue;
    const a = Math.floor(pair / n);
    const b = pair % n;
    lists[a]!.push(b);
    lists[b]!.push(a);
  }
  return lists.map((list) => list.sort((a, b) => a - b));
}

/**
 * The k nearest other centroids of each area (not symmetrised). Geographic points are searched
 * in a local equirectangular plane and ranked by great-circle distance.
 */
export function nearestNeighbours(points: Float64Array, k: number, metric: Metric): number[][] {
  const n = points.length / 2;
  const plane = metric === 'geographic' ? localMetres(points) : points;
  const index = buildIndex(plane);
  const distance = distanceFunction(points, metric);
  const want = Math.min(n - 1, k + (metric === 'geographic' ? 4 : 0));
  let radius = typicalSpacing(plane);
  return Array.from({ length: n }, (_, i) => {
    let found: number[] = [];
    for (let r = radius; ; r *= 2) {
      found = index.within(plane[i * 2]!, plane[i * 2 + 1]!, r).filter((j) => j !== i);
      if (found.length >= want) {
        radius = Math.max(radius * 0.9, r / 2);
        break;
      }
    }
    return found
      .map((j) => ({ j, d: distance(i, j) }))
      .sort((a, b) => a.d - b.d || a.j - b.j)
      .slice(0, Math.min(k, n - 1))
      .map(({ j }) => j)
      .sort((a, b) => a - b);
  });
}

/** All other centroids within 0 < d ≤ distance (metres for geographic). */
export function distanceBand(points: Float64Array, distance: number, metric: Metric): number[][] {
  const n = points.length / 2;
  const plane = metric === 'geographic' ? localMetres(points) : points;
  const index = buildIndex(plane);
  const measure = distanceFunction(points, metric);
  // The plane stretches distances by well under 1% within a city; search a little wider, then measure exactly.
  const search = metric === 'geographic' ? distance * 1.02 : distance;
  return Array.from({ length: n }, (_, i) =>
    index
      .within(plane[i * 2]!, plane[i * 2 + 1]!, search)
      .filter((j) => {
        if (j === i) return false;
        const d = measure(i, j);
        return d > 0 && d <= distance;
      })
      .sort((a, b) => a - b),
  );
}

function buildIndex(points: Float64Array): KDBush {
  const n = points.length / 2;
  const index = new KDBush(Math.max(1, n));
  for (let i = 0; i < n; i++) index.add(points[i * 2]!, points[i * 2 + 1]!);
  if (n === 0) index.add(0, 0);
  index.finish();
  return index;
}

function distanceFunction(points: Float64Array, metric: Metric): (i: number, j: number) => number {
  return metric === 'geographic'
    ? (i, j) => greatCircle(points[i * 2]!, points[i * 2 + 1]!, points[j * 2]!, points[j * 2 + 1]!)
    : (i, j) => Math.hypot(points[i * 2]! - points[j * 2]!, points[i * 2 + 1]! - points[j * 2 + 1]!);
}

/** Lon/lat to metres in a plane around the mean latitude (for searching only). */
function localMetres(points: Float64Array): Float64Array {
  const n = points.length / 2;
  let meanLat = 0;
  for (let i = 0; i < n; i++) meanLat += points[i * 2 + 1]! / n;
  const perDegree = (6_371_008.8 * Math.PI) / 180;
  const out = new Float64Array(points.length);
  for (let i = 0; i < n; i++) {
    out[i * 2] = points[i * 2]! * perDegree * Math.cos((meanLat * Math.PI) / 180);
    out[i * 2 + 1] = points[i * 2 + 1]! * perDegree;
  }
  return out;
}

/** A search radius that holds a few points on average: the extent over √n. */
function typicalSpacing(points: Float64Array): number {
  const n = points.length / 2;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, points[i * 2]!);
    maxX = Math.max(maxX, points[i * 2]!);
    minY = Math.min(minY, points[i * 2 + 1]!);
    maxY = Math.max(maxY, points[i * 2 + 1]!);
  }
  return Math.max(maxX - minX, maxY - minY, 1e-9) / Math.sqrt(Math.max(1, n));
}

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function greatCircle(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Weights from neighbour lists: W row-standardised, B binary. `includeSelf` adds each area to its own set (for Gi*). */
export function toWeights(lists: readonly number[][], type: WeightsType, style: WeightsStyle, includeSelf = false): SpatialWeights {
  // Each area's neighbours and weights are views into one buffer each: a country's 460,000 areas
  // as separate typed arrays made every garbage collection walk millions of small buffers.
  const total = lists.reduce((sum, list) => sum + list.length, 0) + (includeSelf ? lists.length : 0);
  const allNeighbors = new Int32Array(total);
  const allWeights = new Float64Array(total);
  let start = 0;
  const neighbors: Int32Array[] = [];
  const weights: Float64Array[] = [];
  lists.forEach((list, i) => {
    const members = includeSelf ? [...list, i].sort((a, b) => a - b) : list;
    const end = start + members.length;
    const own = allNeighbors.subarray(start, end);
    own.set(members);
    neighbors.push(own);
    weights.push(allWeights.subarray(start, end).fill(style === 'W' ? (members.length > 0 ? 1 / members.length : 0) : 1));
    start = end;
  });
  const islands = lists.flatMap((list, i) => (list.length === 0 ? [i] : []));
  return { n: lists.length, type, style, neighbors, weights, islands };
}
