import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { noScratch, type Lender } from './scratch.js';
import { bonferroni, conditionalPermutations, fdr, globalMoran, localStatistics, type PermutationRunner } from './statistics.js';
import { centroids, contiguity, distanceBand, nearestNeighbours, toWeights, type Metric, type Rings, type SpatialWeights, type WeightsStyle, type WeightsType } from './weights.js';

export interface WeightsSpec {
  type: WeightsType;
  /** Neighbours for knn. */
  k?: number | undefined;
  /** Band for distance weights, in metres (planar: coordinate units). */
  distance?: number | undefined;
}

export type Correction = 'none' | 'fdr' | 'bonferroni';

export interface HotspotOptions {
  weights: WeightsSpec;
  style: WeightsStyle;
  metric: Metric;
  /** Vertex snap for contiguity, in coordinate units. */
  snap: number;
  permutations: number;
  seed: number;
  alpha: number;
  correction: Correction;
  /**
   * `features` with an object per area (default). analyse reads `local` instead: for a country's
   * 460,000 blocks and 16 indicators the objects were most of the time of its spatial statistics.
   */
  featureList?: boolean;
  /** Runs the permutation loop (worker threads, same figures); this thread by default. */
  permutationRunner?: PermutationRunner | undefined;
}

export interface HotspotInput {
  variable: string;
  ids: (string | number)[];
  /** null (or NaN) where the value is missing: such areas are reported and left out. */
  values: (number | null)[];
  shapes: Rings[];
}

export type Cluster = 'HH' | 'LL' | 'HL' | 'LH';

export interface FeatureStatistics {
  id: string | number;
  value: number | null;
  neighbors: (string | number)[];
  local_moran: { I: number | null; z: number | null; z_conditional: number | null; p_sim: number | null; cluster: Cluster | null; significant: boolean };
  gi_star: { z: number | null; p_sim: number | null; significant: boolean; spot: 'hot' | 'cold' | null };
  gi: { z: number | null };
}

/** The local statistics as arrays: input area i is area `position[i]` of the computation, -1 when left out. */
export interface LocalResults {
  position: Int32Array;
  /** Undefined when there is no pattern to test (fewer than 3 areas, equal values). */
  computed?: {
    local: ReturnType<typeof localStatistics>;
    permuted: ReturnType<typeof conditionalPermutations> | undefined;
    /** Adjusted p-values of local Moran and Gi* (NaN for islands). */
    pMoran: Float64Array;
    pGi: Float64Array;
    isIsland: ReadonlySet<number>;
    alpha: number;
  };
}

/** Local Moran and Gi* of one computed area; null fields for an island. */
export function localAt(computed: NonNullable<LocalResults['computed']>, i: number) {
  const { local, permuted, pMoran, pGi, alpha } = computed;
  if (computed.isIsland.has(i)) return undefined;
  const deviation = local.deviation[i]!;
  const lag = local.lag[i]!;
  const giSignificant = pGi[i]! <= alpha;
  return {
    I: finite(local.localI[i]!),
    z: finite(local.localZ[i]!),
    z_conditional: finite(local.localZConditional[i]!),
    p_sim: permuted ? finite(permuted.localMoran[i]!) : null,
    cluster: (deviation > 0 ? (lag > 0 ? 'HH' : 'HL') : lag > 0 ? 'LH' : 'LL') as Cluster,
    significant: pMoran[i]! <= alpha,
    gi_star: { z: finite(local.giStar[i]!), p_sim: permuted ? finite(permuted.giStar[i]!) : null, significant: giSignificant, spot: giSignificant ? (local.giStar[i]! > 0 ? ('hot' as const) : ('cold' as const)) : null },
    gi_z: finite(local.gi[i]!),
  };
}

export interface HotspotResult {
  n: number;
  variable: string;
  weights: {
    type: WeightsType;
    style: WeightsStyle;
    k?: number;
    distance?: number;
    metric: Metric;
    snap?: number;
    links: number;
    islands: (string | number)[];
    min_neighbors: number;
    max_neighbors: number;
  };
  global: { moran: ReturnType<typeof globalMoran> | null };
  features: FeatureStatistics[];
  local: LocalResults;
  permutations: number;
  seed: number;
  alpha: number;
  correction: Correction;
  missing: (string | number)[];
  notes: string[];
}

/** The conventions, stated once for the README, the CLI and analysis.json. */
export const conventions =
  'queen: at least one shared boundary point, rook: at least two (vertices matched within the snap); knn: the k nearest other area-weighted centroids, not symmetrised; ' +
  'distance: other centroids with 0 < d <= D; style W row-standardised, B binary; global Moran as spdep moran.test (randomisation, adjust.n); ' +
  'local Moran z under total randomisation, z_conditional as spdep localmoran default; Gi and Gi* z as spdep localG, Gi* with self included and restyled; ' +
  'p_sim from conditional permutations, folded pseudo p = (M+1)/(R+1) (with 0 permutations significance uses the two-sided normal p of z); clusters split at the mean; islands and missing values left out of local statistics.';

/**
 * Spatial weights, global Moran's I, local Moran, Gi and Gi* with permutation inference and
 * multiple-testing control, for any set of polygons with one value each.
 */
/** Neighbour lists and weights made for one set of areas with a value, kept for the next variable with the same set. */
export type WeightsCache = { present: Int32Array; lists: number[][]; w: SpatialWeights; wStar: SpatialWeights }[];

/**
 * With a `lend` (a Scratch), the arrays in `local.computed` are valid until the next call with it:
 * for reading one variable's results before computing the next.
 */
export function hotspots(input: HotspotInput, options: HotspotOptions, neighbourListsOfAll?: number[][], cache?: WeightsCache, lend: Lender = noScratch): HotspotResult {
  const notes: string[] = [];
  const present = input.values.map((value, i) => (value === null || !Number.isFinite(value) ? -1 : i)).filter((i) => i >= 0);
  const position = lend.int32('position', input.ids.length).fill(-1);
  present.forEach((original, i) => (position[original] = i));
  const missing = input.ids.filter((_, i) => position[i] === -1);
  if (missing.length > 0) notes.push(`${missing.length} areas without a value are left out: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}`);
  const shapes = present.map((i) => input.shapes[i]!);
  const x = lend.float64('x', present.length);
  present.forEach((original, i) => (x[i] = input.values[original]!));
  const ids = present.map((i) => input.ids[i]!);
  const n = x.length;

  // Neighbours computed once for all areas are narrowed to those with a value (as spdep's subset.listw);
  // indicators over the same denominator have the same areas, so their weights are made once.
  let weights = cache?.find((entry) => entry.present.length === present.length && entry.present.every((value, i) => value === present[i]));
  if (!weights) {
    const lists = neighbourListsOfAll
      ? present.map((original) => neighbourListsOfAll[original]!.filter((j) => position[j]! >= 0).map((j) => position[j]!))
      : neighbourLists(shapes, options);
    weights = { present: Int32Array.from(present), lists, w: toWeights(lists, options.weights.type, options.style), wStar: toWeights(lists, options.weights.type, options.style, true) };
    cache?.push(weights);
    if (cache && cache.length > 4) cache.shift();
  }
  const { lists, w, wStar } = weights;
  const cardinalities = lists.map((list) => list.length);
  const islands = w.islands.map((i) => ids[i]!);
  if (islands.length > 0) notes.push(`${islands.length} areas have no neighbours (islands) and get no local statistics: ${islands.slice(0, 10).join(', ')}`);

  const empty = (id: string | number, value: number | null, neighbors: (string | number)[] = []): FeatureStatistics => ({
    id,
    value,
    neighbors,
    local_moran: { I: null, z: null, z_conditional: null, p_sim: null, cluster: null, significant: false },
    gi_star: { z: null, p_sim: null, significant: false, spot: null },
    gi: { z: null },
  });
  const result: HotspotResult = {
    n,
    variable: input.variable,
    weights: {
      type: options.weights.type,
      style: options.style,
      ...(options.weights.type === 'knn' ? { k: options.weights.k! } : {}),
      ...(options.weights.type === 'distance' ? { distance: options.weights.distance! } : {}),
      metric: options.metric,
      ...(options.weights.type === 'queen' || options.weights.type === 'rook' ? { snap: options.snap } : {}),
      links: cardinalities.reduce((a, b) => a + b, 0),
      islands,
      // Reduced, not spread: a country's 460,000 blocks exceed the arguments a call may take.
      min_neighbors: n > 0 ? cardinalities.reduce((a, b) => Math.min(a, b)) : 0,
      max_neighbors: n > 0 ? cardinalities.reduce((a, b) => Math.max(a, b)) : 0,
    },
    global: { moran: null },
    features: [],
    local: { position },
    permutations: options.permutations,
    seed: options.seed,
    alpha: options.alpha,
    correction: options.correction,
    missing,
    notes,
  };
  const withMissing = (computed: FeatureStatistics[]) =>
    input.ids.map((id, i) => computed[position[i]!] ?? empty(id, input.values[i] ?? null));

  const constant = n > 0 && x.every((value) => value === x[0]);
  if (n < 3 || constant || n - islands.length < 3) {
    notes.push(n < 3 ? `only ${n} areas with a value: at least 3 are needed` : constant ? 'all values are equal: there is no pattern to test' : 'fewer than 3 areas have neighbours');
    if (options.featureList !== false) result.features = withMissing(ids.map((id, i) => empty(id, x[i]!, lists[i]!.map((j) => ids[j]!))));
    return result;
  }

  result.global.moran = clean(globalMoran(x, w, options.permutations, options.seed, lend));
  const local = localStatistics(x, w, wStar, lend);
  const p = options.permutations > 0 ? conditionalPermutations(x, w, wStar, local, options.permutations, options.seed, lend, options.permutationRunner) : undefined;
  const isIsland = new Set(w.islands);
  // Without permutations, significance comes from the z-values (two-sided normal), as spdep's localmoran and localG.
  const twoSided = (z: number) => (Number.isFinite(z) ? 2 * (1 - normalCdf(Math.abs(z), 0, 1)) : Number.NaN);
  /** Raw p-values with islands left out, adjusted for multiple testing. */
  const adjusted = (name: string, permuted: Float64Array | undefined, z: Float64Array) => {
    const raw = lend.float64(`${name}.raw`, n);
    for (let i = 0; i < n; i++) raw[i] = isIsland.has(i) ? Number.NaN : permuted ? permuted[i]! : twoSided(z[i]!);
    return options.correction === 'fdr' ? fdr(raw, lend, name) : options.correction === 'bonferroni' ? bonferroni(raw, lend, name) : raw;
  };
  const pMoran = adjusted('p.moran', p?.localMoran, local.localZ);
  const pGi = adjusted('p.giStar', p?.giStar, local.giStar);

  const computed = { local, permuted: p, pMoran, pGi, isIsland, alpha: options.alpha };
  result.local.computed = computed;
  if (options.featureList === false) return result;
  result.features = withMissing(
    ids.map((id, i): FeatureStatistics => {
      const neighbors = lists[i]!.map((j) => ids[j]!);
      const at = localAt(computed, i);
      if (!at) return empty(id, x[i]!, neighbors);
      return {
        id,
        value: x[i]!,
        neighbors,
        local_moran: { I: at.I, z: at.z, z_conditional: at.z_conditional, p_sim: at.p_sim, cluster: at.cluster, significant: at.significant },
        gi_star: at.gi_star,
        gi: { z: at.gi_z },
      };
    }),
  );
  return result;
}

/** Neighbour lists of the areas for the weights in the options. */
export function neighbourLists(shapes: Rings[], options: Pick<HotspotOptions, 'weights' | 'snap' | 'metric'>): number[][] {
  switch (options.weights.type) {
    case 'queen':
      return contiguity(shapes, false, options.snap);
    case 'rook':
      return contiguity(shapes, true, options.snap);
    case 'knn':
      return nearestNeighbours(centroids(shapes), options.weights.k!, options.metric);
    case 'distance':
      return distanceBand(centroids(shapes), options.weights.distance!, options.metric);
  }
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** NaN and Infinity (a zero variance) become null: JSON has no place for them. */
function clean<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, typeof value === 'number' && !Number.isFinite(value) ? null : value])) as T;
}

/** Reads `queen`, `rook`, `knn:8`, `distance:250`. */
export function parseWeightsSpec(text: string): WeightsSpec | undefined {
  if (text === 'queen' || text === 'rook') return { type: text };
  const knn = /^knn:(\d+)$/.exec(text);
  if (knn && Number(knn[1]) >= 1) return { type: 'knn', k: Number(knn[1]) };
  const distance = /^distance:(\d+(\.\d+)?)$/.exec(text);
  if (distance && Number(distance[1]) > 0) return { type: 'distance', distance: Number(distance[1]) };
  return undefined;
}
