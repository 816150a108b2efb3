import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { Random } from '../stats/random.js';
import { noScratch, type Lender } from './scratch.js';
import type { SpatialWeights } from './weights.js';

/** Global Moran's I as R spdep's moran.test (adjust.n = TRUE): randomisation and normality variances. */
export interface GlobalMoran {
  I: number;
  expected: number;
  variance: number;
  z: number;
  p_norm: number;
  variance_normality: number;
  z_normality: number;
  p_sim: number | null;
}

export interface LocalStatistics {
  /** Local Moran Ii = (z_i / m2) Σ_j w_ij z_j. */
  localI: Float64Array;
  /** Under total randomisation (spdep localmoran conditional = FALSE). */
  localZ: Float64Array;
  /** Conditional on z_i (spdep's default). */
  localZConditional: Float64Array;
  /** Getis-Ord Gi (self excluded) as a z-value. */
  gi: Float64Array;
  /** Getis-Ord Gi* (self included, restyled) as a z-value. */
  giStar: Float64Array;
  /** Deviation from the mean and its spatial lag: the quadrant of each area. */
  deviation: Float64Array;
  lag: Float64Array;
}

/** Constants of a weights matrix (spdep spweights.constants): S0, S1, S2 and n without islands. */
function constants(w: SpatialWeights, lend: Lender) {
  const n = w.n - w.islands.length;
  let s0 = 0;
  let s1 = 0;
  const rowSums = lend.float64('constants.rowSums', w.n);
  const colSums = lend.float64('constants.colSums', w.n);
  // w_ji by binary search in j's sorted neighbours: no map of all links.
  const weightOf = (i: number, j: number) => {
    const list = w.neighbors[i]!;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (list[mid] === j) return w.weights[i]![mid]!;
      if (list[mid]! < j) low = mid + 1;
      else high = mid - 1;
    }
    return 0;
  };
  for (let i = 0; i < w.n; i++) {
    const neighbours = w.neighbors[i]!;
    const weights = w.weights[i]!;
    for (let k = 0; k < neighbours.length; k++) {
      const j = neighbours[k]!;
      const value = weights[k]!;
      s0 += value;
      rowSums[i]! += value;
      colSums[j]! += value;
      const back = weightOf(j, i);
      // Each ordered pair once: (w_ij + w_ji)² counted from both sides when both exist.
      s1 += (value + back) ** 2 + (back === 0 ? value ** 2 : 0);
    }
  }
  s1 /= 2;
  let s2 = 0;
  for (let i = 0; i < w.n; i++) s2 += (rowSums[i]! + colSums[i]!) ** 2;
  return { n, s0, s1, s2 };
}

/** Σ w and Σ w² of one row of weights. */
function rowTotals(weights: Float64Array): [number, number] {
  let sum = 0;
  let squares = 0;
  for (let k = 0; k < weights.length; k++) {
    sum += weights[k]!;
    squares += weights[k]! ** 2;
  }
  return [sum, squares];
}

function lagOf(w: SpatialWeights, values: ArrayLike<number>, lag: Float64Array): Float64Array {
  for (let i = 0; i < w.n; i++) {
    const neighbours = w.neighbors[i]!;
    const weights = w.weights[i]!;
    let sum = 0;
    for (let k = 0; k < neighbours.length; k++) sum += weights[k]! * values[neighbours[k]!]!;
    lag[i] = sum;
  }
  return lag;
}

/**
 * Global Moran's I with expectation −1/(n−1) and the variance under randomisation (spdep
 * moran.test default) and under normality; asymmetric weights through S1 and S2.
 */
export function globalMoran(x: Float64Array, w: SpatialWeights, permutations = 0, seed = 1, lend: Lender = noScratch): GlobalMoran {
  const { n, s0, s1, s2 } = constants(w, lend);
  const statistic = (values: Float64Array) => {
    const z = deviations(values, lend.float64('moran.z', values.length));
    const lag = lagOf(w, z, lend.float64('moran.lag', w.n));
    let cross = 0;
    let squares = 0;
    for (let i = 0; i < z.length; i++) {
      cross += z[i]! * lag[i]!;
      squares += z[i]! ** 2;
    }
    return { I: (n / s0) * (cross / squares), z, squares };
  };
  const { I, z, squares } = statistic(x);
  const quartics = z.reduce((sum, v) => sum + v ** 4, 0);
  const k = (x.length * quartics) / squares ** 2;
  const expected = -1 / (n - 1);
  const nn = n * n;
  const s02 = s0 * s0;
  const variance = (n * (s1 * (nn - 3 * n + 3) - n * s2 + 3 * s02) - k * (s1 * (nn - n) - 2 * n * s2 + 6 * s02)) / ((n - 1) * (n - 2) * (n - 3) * s02) - expected ** 2;
  const varianceNormality = (nn * s1 - n * s2 + 3 * s02) / (s02 * (nn - 1)) - expected ** 2;
  const zRandom = (I - expected) / Math.sqrt(variance);
  let pSim: number | null = null;
  if (permutations > 0) {
    // Permuting the values leaves the mean and Σz² as they are: only the cross-product changes.
    const random = new Random(seed);
    const shuffled = lend.float64('moran.shuffled', z.length);
    shuffled.set(z);
    // The neighbours in three flat arrays: a row's lists as objects cost two loads per area, a
    // third of the loop (100,000 areas, 999 permutations: 100 million rows).
    const start = lend.int32('moran.start', w.n + 1);
    let links = 0;
    for (let i = 0; i < w.n; i++) (start[i] = links), (links += w.neighbors[i]!.length);
    start[w.n] = links;
    const neighbour = lend.int32('moran.neighbour', links);
    const weight = lend.float64('moran.weight', links);
    for (let i = 0; i < w.n; i++) neighbour.set(w.neighbors[i]!, start[i]!), weight.set(w.weights[i]!, start[i]!);
    let larger = 0;
    for (let r = 0; r < permutations; r++) {
      shuffle(shuffled, random);
      let cross = 0;
      for (let i = 0; i < w.n; i++) {
        let lag = 0;
        for (let t = start[i]!, end = start[i + 1]!; t < end; t++) lag += weight[t]! * shuffled[neighbour[t]!]!;
        cross += shuffled[i]! * lag;
      }
      if ((n / s0) * (cross / squares) >= I) larger++;
    }
    pSim = fold(larger, permutations);
  }
  return {
    I,
    expected,
    variance,
    z: zRandom,
    p_norm: 2 * (1 - normalCdf(Math.abs(zRandom), 0, 1)),
    variance_normality: varianceNormality,
    z_normality: (I - expected) / Math.sqrt(varianceNormality),
    p_sim: pSim,
  };
}

/**
 * Local Moran (Anselin 1995, as spdep localmoran with mlvar) and Getis-Ord Gi / Gi* (Ord and
 * Getis 1995, as spdep localG). `wStar` is the weights with each area in its own set, restyled.
 */
export function localStatistics(x: Float64Array, w: SpatialWeights, wStar: SpatialWeights, lend: Lender = noScratch): LocalStatistics {
  const n = x.length;
  const z = deviations(x, lend.float64('local.z', n));
  const m2 = z.reduce((s, v) => s + v * v, 0) / n;
  const m4 = z.reduce((s, v) => s + v ** 4, 0) / n;
  const b2 = m4 / (m2 * m2);
  const lag = lagOf(w, z, lend.float64('local.lag', n));
  const localI = lend.float64('local.I', n);
  const localZ = lend.float64('local.Z', n);
  const localZConditional = lend.float64('local.ZConditional', n);
  const a = (n - b2) / (n - 1);
  const b = (2 * b2 - n) / ((n - 1) * (n - 2));
  for (let i = 0; i < n; i++) {
    const [wi, wi2] = rowTotals(w.weights[i]!);
    const ii = (z[i]! / m2) * lag[i]!;
    localI[i] = ii;
    const expected = -wi / (n - 1);
    const variance = a * wi2 + b * (wi * wi - wi2) - expected ** 2;
    localZ[i] = (ii - expected) / Math.sqrt(variance);
    const expectedConditional = -(z[i]! ** 2 * wi) / ((n - 1) * m2);
    const varianceConditional = (z[i]! / m2) ** 2 * (n / (n - 2)) * (wi2 - (wi * wi) / (n - 1)) * (m2 - z[i]! ** 2 / (n - 1));
    localZConditional[i] = (ii - expectedConditional) / Math.sqrt(varianceConditional);
  }
  return { localI, localZ, localZConditional, gi: getisOrd(x, w, false, lend), giStar: getisOrd(x, wStar, true, lend), deviation: z, lag };
}

function getisOrd(x: Float64Array, w: SpatialWeights, star: boolean, lend: Lender): Float64Array {
  const n = x.length;
  const sum = x.reduce((a, b) => a + b, 0);
  const sumSquares = x.reduce((a, b) => a + b * b, 0);
  const mean = sum / n;
  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  const name = star ? 'giStar' : 'gi';
  const lag = lagOf(w, x, lend.float64(`${name}.lag`, n));
  const out = lend.float64(name, n);
  for (let i = 0; i < n; i++) {
    const [wi, s1i] = rowTotals(w.weights[i]!);
    const xbar = star ? mean : (sum - x[i]!) / (n - 1);
    const s2 = star ? variance : (sumSquares - x[i]! ** 2) / (n - 1) - xbar * xbar;
    const vg = star ? s2 * ((n * s1i - wi * wi) / (n - 1)) : s2 * (((n - 1) * s1i - wi * wi) / (n - 2));
    out[i] = (lag[i]! - wi * xbar) / Math.sqrt(vg);
  }
  return out;
}

/**
 * Conditional permutation inference: for each area its value stays and its neighbours' values are
 * drawn at random from the other areas, `permutations` times. As PySAL's crand, one matrix of
 * draws without replacement from n − 1 serves every area (an index at or above the area's own
 * shifts up by one), which makes 100,000 areas fast. Returns folded pseudo p-values
 * (M + 1) / (R + 1), M the number of draws as or more extreme in the observed direction.
 * The draws are made here, once; each area's loop depends on nothing else, so `run` (a pool of
 * worker threads) may share the areas out, with the same figures as one thread.
 */
export function conditionalPermutations(
  x: Float64Array,
  w: SpatialWeights,
  wStar: SpatialWeights,
  observed: { localI: Float64Array; giStar: Float64Array },
  permutations: number,
  seed: number,
  lend: Lender = noScratch,
  run: PermutationRunner = runInThisThread,
): { localMoran: Float64Array; giStar: Float64Array } {
  const n = x.length;
  const random = new Random(seed);
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const z = deviations(x, lend.float64('permutations.z', n));
  const m2 = z.reduce((s, v) => s + v * v, 0) / n;
  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  const kMax = Math.min(n - 1, w.neighbors.reduce((max, list) => Math.max(max, list.length), 0));
  const task: PermutationTask = {
    permutations,
    kMax,
    x,
    z,
    draws: randomDraws(n - 1, kMax, permutations, random, lend),
    k: lend.int32('permutations.k', n),
    scaleI: lend.float64('permutations.scaleI', n),
    giOffset: lend.float64('permutations.giOffset', n),
    starWeight: lend.float64('permutations.starWeight', n),
    sdGi: lend.float64('permutations.sdGi', n),
    observedI: observed.localI,
    observedGi: observed.giStar,
    pMoran: lend.float64('permutations.moran', n).fill(Number.NaN),
    pGi: lend.float64('permutations.giStar', n).fill(Number.NaN),
  };
  for (let i = 0; i < n; i++) {
    const weights = w.weights[i]!;
    task.k[i] = weights.length;
    if (weights.length === 0 || weights.length > n - 1) continue;
    const starWeights = wStar.weights[i]!;
    const starNeighbours = wStar.neighbors[i]!;
    const selfWeight = starWeights[starNeighbours.indexOf(i)] ?? 0;
    const [wi, s1i] = rowTotals(starWeights);
    task.sdGi[i] = Math.sqrt(variance * ((n * s1i - wi * wi) / (n - 1)));
    // Within a row the weights are equal (W and B styles), so position does not matter.
    task.starWeight[i] = starWeights.find((_, t) => starNeighbours[t] !== i) ?? 0;
    task.scaleI[i] = (z[i]! / m2) * weights[0]!;
    task.giOffset[i] = selfWeight * x[i]! - wi * mean;
  }
  run(task);
  return { localMoran: task.pMoran, giStar: task.pGi };
}

/** Everything the permutation loop of every area reads (per area: its number of neighbours and constants) and writes (`pMoran`, `pGi`). */
export interface PermutationTask {
  permutations: number;
  kMax: number;
  x: Float64Array;
  z: Float64Array;
  draws: Int32Array;
  k: Int32Array;
  scaleI: Float64Array;
  giOffset: Float64Array;
  starWeight: Float64Array;
  sdGi: Float64Array;
  observedI: Float64Array;
  observedGi: Float64Array;
  pMoran: Float64Array;
  pGi: Float64Array;
}

/** Runs a task's areas, in this thread or shared out over several. */
export type PermutationRunner = (task: PermutationTask) => void;

const runInThisThread: PermutationRunner = (task) => permuteAreas(task, 0, task.x.length);

/** The permutation loop of areas [from, to). */
export function permuteAreas(task: PermutationTask, from: number, to: number): void {
  const { permutations, kMax, x, z, draws, k: neighbours, scaleI, giOffset, starWeight, sdGi, observedI, observedGi, pMoran, pGi } = task;
  const n = x.length;
  for (let i = from; i < to; i++) {
    const k = neighbours[i]!;
    if (k === 0 || k > n - 1) continue;
    const scale = scaleI[i]!;
    const offset = giOffset[i]!;
    const weight = starWeight[i]!;
    const sd = sdGi[i]!;
    const moranI = observedI[i]!;
    const gi = observedGi[i]!;
    let moreMoran = 0;
    let moreGi = 0;
    for (let r = 0, row = 0; r < permutations; r++, row += kMax) {
      let sumZ = 0;
      let sumX = 0;
      for (let t = 0; t < k; t++) {
        const drawn = draws[row + t]!;
        const j = drawn >= i ? drawn + 1 : drawn;
        sumZ += z[j]!;
        sumX += x[j]!;
      }
      if (scale * sumZ >= moranI) moreMoran++;
      if ((offset + weight * sumX) / sd >= gi) moreGi++;
    }
    pMoran[i] = fold(moreMoran, permutations);
    pGi[i] = fold(moreGi, permutations);
  }
}

/** `rows` draws of `k` distinct integers from [0, size), as one flat array. */
function randomDraws(size: number, k: number, rows: number, random: Random, lend: Lender): Int32Array {
  const out = lend.int32('draws', rows * k);
  const pool = lend.int32('draws.pool', size);
  for (let j = 0; j < size; j++) pool[j] = j;
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < k; t++) {
      const pick = t + Math.floor(random.next() * (size - t));
      const swap = pool[t]!;
      pool[t] = pool[pick]!;
      pool[pick] = swap;
      out[r * k + t] = pool[t]!;
    }
  }
  return out;
}

function shuffle(values: Float64Array, random: Random): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const swap = values[i]!;
    values[i] = values[j]!;
    values[j] = swap;
  }
}

function fold(larger: number, permutations: number): number {
  const extreme = Math.min(larger, permutations - larger);
  return (extreme + 1) / (permutations + 1);
}

/** Benjamini-Hochberg adjusted p-values (NaN stays NaN), lent under `name`. */
export function fdr(p: Float64Array, lend: Lender = noScratch, name = 'fdr'): Float64Array {
  // Sorted values instead of indices sorted by value: a numeric typed-array sort is ten times as
  // fast for a country's 460,000 blocks. Tied p-values share the adjusted value of the highest
  // rank among them, as with R's p.adjust (its running minimum reaches them from above).
  const m = tested(p);
  const sorted = lend.float64('fdr.sorted', m);
  for (let i = 0, rank = 0; i < p.length; i++) if (!Number.isNaN(p[i]!)) sorted[rank++] = p[i]!;
  sorted.sort();
  const adjustedByRank = lend.float64('fdr.adjustedByRank', m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    running = Math.min(running, (sorted[rank - 1]! * m) / rank);
    adjustedByRank[rank - 1] = running;
  }
  const out = lend.float64(name, p.length);
  for (let i = 0; i < p.length; i++) out[i] = Number.isNaN(p[i]!) ? p[i]! : adjustedByRank[lastIndexOf(sorted, p[i]!)]!;
  return out;
}

/** The last position of `value` in ascending `sorted` (which holds it). */
function lastIndexOf(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** Bonferroni adjusted p-values (NaN stays NaN), lent under `name`. */
export function bonferroni(p: Float64Array, lend: Lender = noScratch, name = 'bonferroni'): Float64Array {
  const m = tested(p);
  const out = lend.float64(name, p.length);
  for (let i = 0; i < p.length; i++) out[i] = Number.isNaN(p[i]!) ? p[i]! : Math.min(1, p[i]! * m);
  return out;
}

/** The number of p-values that are not NaN. */
function tested(p: Float64Array): number {
  let m = 0;
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i]!)) m++;
  return m;
}

/** values − their mean, into `out`. */
function deviations(values: Float64Array, out: Float64Array): Float64Array {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  for (let i = 0; i < values.length; i++) out[i] = values[i]! - mean;
  return out;
}
