import { Random } from './random.js';

/**
 * A binomial draw: by inversion where the expected count is small, else the normal approximation
 * (rounded, kept within 0..n), which is close once n·p·(1 − p) exceeds 25.
 */
export function binomial(random: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const spread = n * p * (1 - p);
  if (spread > 25) {
    const u = Math.max(random.next(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
    return Math.min(n, Math.max(0, Math.round(n * p + z * Math.sqrt(spread))));
  }
  const q = 1 - p;
  let probability = q ** n;
  let cumulative = probability;
  const u = random.next();
  let k = 0;
  while (u > cumulative && k < n) {
    probability *= ((n - k) / (k + 1)) * (p / q);
    cumulative += probability;
    k++;
  }
  return k;
}

/**
 * A bootstrap sample of a histogram (`frequencies[i]` units with value `values[i]`): the same
 * number of units drawn with replacement, as a multinomial draw by conditional binomials. Lets a
 * statistic of half a million addresses be bootstrapped in the time of its few dozen distinct values.
 */
export function resampleHistogram(random: Random, frequencies: readonly number[]): number[] {
  let left = frequencies.reduce((sum, f) => sum + f, 0);
  let rest = left;
  return frequencies.map((frequency) => {
    const drawn = rest <= 0 ? 0 : binomial(random, left, frequency / rest);
    left -= drawn;
    rest -= frequency;
    return drawn;
  });
}

/** The 2.5th and 97.5th percentiles of `replicates` (sorted in place: numerically, as a typed array sorts). */
export function percentileInterval(replicates: Float64Array): { lower: number; upper: number } {
  replicates.sort();
  const at = (q: number) => replicates[Math.min(replicates.length - 1, Math.max(0, Math.round(q * (replicates.length - 1))))]!;
  return { lower: at(0.025), upper: at(0.975) };
}
