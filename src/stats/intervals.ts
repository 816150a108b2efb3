import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import gammaQuantile from '@stdlib/stats-base-dists-gamma-quantile';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** An estimate with its interval; null where it cannot be computed (for example a zero denominator). */
export interface Estimate {
  value: number | null;
  lower: number | null;
  upper: number | null;
}

const none: Estimate = { value: null, lower: null, upper: null };

/**
 * Exact (Garwood) interval for a Poisson count, right for small counts.
 * @example poissonInterval(3) // { value: 3, lower: 0.619, upper: 8.767 }
 */
export function poissonInterval(count: number, confidence = 0.95): Estimate {
  const key = `${count}|${confidence}`;
  let limits = poissonLimits.get(key);
  if (!limits) {
    const alpha = 1 - confidence;
    limits = [count === 0 ? 0 : gammaQuantile(alpha / 2, count, 1), gammaQuantile(1 - alpha / 2, count + 1, 1)];
    remember(poissonLimits, key, limits);
  }
  return { value: count, lower: limits[0], upper: limits[1] };
}

// Blocks repeat the same few thousand counts: each exact interval is computed once per process
// (a country's 460,000 blocks × 16 indicators asked for 15 M quantiles).
const poissonLimits = new Map<string, [number, number]>();
const shareLimits = new Map<string, [number, number]>();

function remember(cache: Map<string, [number, number]>, key: string, limits: [number, number]): void {
  if (cache.size >= 1_000_000) cache.clear();
  cache.set(key, limits);
}

/**
 * A rate (events per unit of exposure, times `scale`) with its exact Poisson interval.
 * @example rateInterval(3, 120, 100) // 2.5 per 100, interval 0.52–7.31
 */
export function rateInterval(events: number, exposure: number, scale = 1, confidence = 0.95): Estimate {
  if (!(exposure > 0)) return none;
  const interval = poissonInterval(events, confidence);
  const factor = scale / exposure;
  return { value: events * factor, lower: interval.lower! * factor, upper: interval.upper! * factor };
}

/**
 * Exact (Clopper-Pearson) interval for a share k of n, times `scale`.
 * @example shareInterval(1, 20, 100) // 5 per 100, interval 0.13–24.9
 */
export function shareInterval(k: number, n: number, scale = 1, confidence = 0.95): Estimate {
  // More in the numerator than in the denominator is no share: never clamped to 100% (analyse warns).
  if (!(n > 0) || k > n) return none;
  const successes = k;
  const key = `${successes}|${n}|${confidence}`;
  let limits = shareLimits.get(key);
  if (!limits) {
    const alpha = 1 - confidence;
    limits = [successes <= 0 ? 0 : betaQuantile(alpha / 2, successes, n - successes + 1), successes >= n ? 1 : betaQuantile(1 - alpha / 2, successes + 1, n - successes)];
    remember(shareLimits, key, limits);
  }
  return { value: (successes / n) * scale, lower: limits[0] * scale, upper: limits[1] * scale };
}

/**
 * Ratio of two Poisson rates (a per exposureA against b per exposureB) with the exact interval
 * conditional on a + b (binomial, Clopper-Pearson). An unbounded upper limit is null.
 */
export function rateRatioInterval(a: number, exposureA: number, b: number, exposureB: number, confidence = 0.95): Estimate {
  if (!(exposureA > 0) || !(exposureB > 0) || a + b <= 0) return none;
  const share = shareInterval(a, a + b, 1, confidence);
  const toRatio = (p: number) => (p >= 1 ? null : (p / (1 - p)) * (exposureB / exposureA));
  return { value: b === 0 ? null : (a / exposureA) / (b / exposureB), lower: toRatio(share.lower!), upper: toRatio(share.upper!) };
}

/** The standard normal quantile for a two-sided interval (1.959964 for 95%). */
export function zFor(confidence = 0.95): number {
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1);
}
