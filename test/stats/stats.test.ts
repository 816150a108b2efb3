import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { poissonInterval, rateInterval, rateRatioInterval, shareInterval } from '../../src/stats/intervals.js';
import { fitPoisson } from '../../src/stats/poisson-regression.js';
import { Random } from '../../src/stats/random.js';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));

describe('intervals against R (poisson.test, binom.test; test/fixtures/intervals/intervals.R)', () => {
  const expected = fixture('intervals/expected.json') as {
    poisson: { k: number; lower: number; upper: number }[];
    binomial: { k: number; n: number; lower: number; upper: number }[];
    rate_ratio: { a: number; ea: number; b: number; eb: number; lower: number; upper: number | null }[];
  };

  it.each(expected.poisson)('exact Poisson interval for $k events', ({ k, lower, upper }) => {
    const interval = poissonInterval(k);
    expect(interval.lower).toBeCloseTo(lower, 9);
    expect(interval.upper).toBeCloseTo(upper, 9);
  });

  it.each(expected.binomial)('Clopper-Pearson interval for $k of $n', ({ k, n, lower, upper }) => {
    const interval = shareInterval(k, n);
    expect(interval.lower).toBeCloseTo(lower, 9);
    expect(interval.upper).toBeCloseTo(upper, 9);
  });

  it.each(expected.rate_ratio)('rate ratio $a/$ea against $b/$eb', ({ a, ea, b, eb, lower, upper }) => {
    const interval = rateRatioInterval(a, ea, b, eb);
    expect(interval.lower).toBeCloseTo(lower, 9);
    if (upper === null) expect(interval.upper).toBeNull();
    else expect(interval.upper).toBeCloseTo(upper, 9);
  });
});

describe('interval edge cases', () => {
  it('gives no value for a zero denominator, instead of Infinity or NaN', () => {
    expect(rateInterval(3, 0, 100)).toEqual({ value: null, lower: null, upper: null });
    expect(shareInterval(0, 0)).toEqual({ value: null, lower: null, upper: null });
    // More in the numerator than the denominator is no share, never 100%.
    expect(shareInterval(7, 5)).toEqual({ value: null, lower: null, upper: null });
    expect(rateRatioInterval(0, 10, 0, 10)).toEqual({ value: null, lower: null, upper: null });
  });

  it('gives zero events a zero rate with an upper limit', () => {
    const interval = rateInterval(0, 200, 100);
    expect(interval.value).toBe(0);
    expect(interval.lower).toBe(0);
    expect(interval.upper).toBeCloseTo((3.68887945411394 / 200) * 100, 9);
  });

  it('scales rates per 100 and per 1,000', () => {
    expect(rateInterval(3, 120, 100).value).toBeCloseTo(2.5, 12);
    expect(shareInterval(5, 1000, 1000).value).toBeCloseTo(5, 12);
  });
});

describe('Poisson regression against R glm (test/fixtures/glm/glm.R)', () => {
  const expected = fixture('glm/expected.json') as { estimate: number[]; se: number[]; se_quasi: number[]; deviance: number; pearson_chi2: number; dispersion: number; df_residual: number };
  const rows = readFileSync(new URL('../fixtures/glm/blocks.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
  const fit = fitPoisson({
    y: rows.map((r) => r[4]!),
    covariates: { zorgmijders: rows.map((r) => r[2]!), omklapwoningen: rows.map((r) => r[3]!) },
    offset: rows.map((r) => Math.log(r[1]!)),
  })!;

  it('matches the coefficients and standard errors to 1e-6', () => {
    fit.coefficients.forEach((coefficient, j) => {
      expect(Math.abs(coefficient.estimate - expected.estimate[j]!)).toBeLessThan(1e-6);
      expect(Math.abs(coefficient.se - expected.se[j]!)).toBeLessThan(1e-6);
      expect(Math.abs(coefficient.se_quasi - expected.se_quasi[j]!)).toBeLessThan(1e-6);
    });
  });

  it('measures overdispersion as R does and widens the intervals', () => {
    expect(fit.deviance).toBeCloseTo(expected.deviance, 6);
    expect(fit.pearson_chi2).toBeCloseTo(expected.pearson_chi2, 6);
    expect(fit.dispersion).toBeCloseTo(expected.dispersion, 6);
    expect(fit.df_residual).toBe(expected.df_residual);
    expect(fit.correction).toBe('quasi-poisson');
    const zorg = fit.coefficients[1]!;
    expect(zorg.irr_lower).toBeCloseTo(Math.exp(zorg.estimate - 1.959963984540054 * zorg.se_quasi), 9);
  });

  it('returns nothing without events, and drops a covariate that does not vary', () => {
    expect(fitPoisson({ y: [0, 0, 0], covariates: { x: [1, 2, 3] }, offset: [0, 0, 0] })).toBeUndefined();
    const constant = fitPoisson({ y: [3, 5, 4, 6], covariates: { x: [1, 2, 3, 4], same: [2, 2, 2, 2] }, offset: [0, 0, 0, 0] })!;
    expect(constant.dropped).toEqual(['same']);
    expect(constant.coefficients.map((c) => c.name)).toEqual(['(intercept)', 'x']);
  });

  it('drops a covariate that repeats another', () => {
    const fit2 = fitPoisson({ y: [3, 5, 4, 6, 9], covariates: { x: [1, 2, 3, 4, 5], twice: [2, 4, 6, 8, 10] }, offset: [0, 0, 0, 0, 0] })!;
    expect(fit2.dropped).toEqual(['twice']);
  });

  it('gives equal blocks an IRR of 1 for a covariate without effect, and no overdispersion correction', () => {
    const equal = fitPoisson({ y: [10, 10, 10, 10], covariates: { x: [0, 1, 0, 1] }, offset: [0, 0, 0, 0] })!;
    expect(equal.coefficients[1]!.irr).toBeCloseTo(1, 9);
    expect(equal.correction).toBe('none');
  });
});

describe('the seeded generator', () => {
  it('draws the same numbers as ever for a seed (sfc32; recorded before its state moved to a typed array)', () => {
    const recorded: Record<number, [number[], number]> = {
      1: [[0.9805858375038952, 0.6556431967765093, 0.9556611387524754], 0.12710687355138361],
      42: [[0.6796399562153965, 0.1394791577477008, 0.11227425467222929], 0.7393690533936024],
    };
    for (const [seed, [first, millionth]] of Object.entries(recorded)) {
      const random = new Random(Number(seed));
      expect([random.next(), random.next(), random.next()]).toEqual(first);
      for (let i = 3; i < 999_999; i++) random.next();
      expect(random.next()).toBe(millionth);
    }
  });
});
