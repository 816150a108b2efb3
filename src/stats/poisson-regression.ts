import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { zFor } from './intervals.js';

export interface PoissonFitInput {
  /** Outcome counts, one per unit (block). */
  y: readonly number[];
  /** Covariates by name, one value per unit; an intercept is added. */
  covariates: Record<string, readonly number[]>;
  /** log(exposure) per unit, for example log(homes × years). */
  offset: readonly number[];
}

export interface Coefficient {
  name: string;
  estimate: number;
  /** Poisson (model-based) standard error. */
  se: number;
  /** Quasi-Poisson standard error: se × √dispersion. */
  se_quasi: number;
  /** exp(estimate): incidence rate ratio per unit of the covariate. */
  irr: number;
  /** 95% interval of the IRR with the standard error in use (see `PoissonFit.correction`). */
  irr_lower: number;
  irr_upper: number;
  p_value: number;
}

export interface PoissonFit {
  n: number;
  coefficients: Coefficient[];
  deviance: number;
  pearson_chi2: number;
  df_residual: number;
  /** Pearson χ² / df: about 1 when the Poisson assumption holds. */
  dispersion: number;
  /** P(χ²(df) ≥ Pearson χ²): small when the counts vary more than Poisson allows. */
  overdispersion_p: number;
  /** 'quasi-poisson' when overdispersion is present (p < 0.05 and dispersion > 1): the intervals are widened. */
  correction: 'none' | 'quasi-poisson';
  iterations: number;
  /** Covariates left out because they are constant or collinear. */
  dropped: string[];
}

/**
 * Poisson regression with a log link and an offset, fitted by iteratively reweighted least
 * squares as R's glm() does. Returns undefined when there are no events or too few units.
 */
export function fitPoisson(input: PoissonFitInput, confidence = 0.95): PoissonFit | undefined {
  const n = input.y.length;
  const total = input.y.reduce((sum, value) => sum + value, 0);
  if (total <= 0) return undefined;
  const dropped: string[] = [];
  let names = Object.keys(input.covariates);
  // A covariate that does not vary cannot be told apart from the intercept.
  names = names.filter((name) => {
    const values = input.covariates[name]!;
    const varies = values.some((value) => value !== values[0]);
    if (!varies) dropped.push(name);
    return varies;
  });
  let columns = [Array.from({ length: n }, () => 1), ...names.map((name) => [...input.covariates[name]!])];
  let labels = ['(intercept)', ...names];
  if (n <= columns.length) return undefined;

  let fit = irls(input.y, columns, input.offset);
  while (fit.singular !== undefined) {
    dropped.push(labels[fit.singular]!);
    columns = columns.filter((_, j) => j !== fit.singular);
    labels = labels.filter((_, j) => j !== fit.singular);
    fit = irls(input.y, columns, input.offset);
  }
  const p = columns.length;
  const dfResidual = n - p;
  const dispersion = fit.pearson / dfResidual;
  const overdispersionP = 1 - chisquareCdf(fit.pearson, dfResidual);
  const correction = overdispersionP < 0.05 && dispersion > 1 ? 'quasi-poisson' : 'none';
  const z = zFor(confidence);
  const coefficients = labels.map((name, j) => {
    const estimate = fit.beta[j]!;
    const se = Math.sqrt(fit.covariance[j]![j]!);
    const seQuasi = se * Math.sqrt(dispersion);
    const used = correction === 'quasi-poisson' ? seQuasi : se;
    return {
      name,
      estimate,
      se,
      se_quasi: seQuasi,
      irr: Math.exp(estimate),
      irr_lower: Math.exp(estimate - z * used),
      irr_upper: Math.exp(estimate + z * used),
      p_value: 2 * (1 - normalCdf(Math.abs(estimate / used), 0, 1)),
    };
  });
  return {
    n,
    coefficients,
    deviance: fit.deviance,
    pearson_chi2: fit.pearson,
    df_residual: dfResidual,
    dispersion,
    overdispersion_p: overdispersionP,
    correction,
    iterations: fit.iterations,
    dropped,
  };
}

interface IrlsResult {
  beta: number[];
  covariance: number[][];
  deviance: number;
  pearson: number;
  iterations: number;
  /** Index of a column that made XᵀWX singular, if any. */
  singular: number | undefined;
}

function irls(y: readonly number[], columns: number[][], offset: readonly number[]): IrlsResult {
  const n = y.length;
  const p = columns.length;
  // R's starting values: mu = y + 0.1, eta = log(mu).
  let eta = y.map((value) => Math.log(value + 0.1));
  let beta = new Array<number>(p).fill(0);
  let covariance: number[][] = [];
  let deviance = Infinity;
  let iterations = 0;
  for (; iterations < 100; iterations++) {
    const mu = eta.map(Math.exp);
    const z = eta.map((e, i) => e - offset[i]! + (y[i]! - mu[i]!) / mu[i]!);
    const xtwx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const xtwz = new Array<number>(p).fill(0);
    for (let i = 0; i < n; i++) {
      const w = mu[i]!;
      for (let a = 0; a < p; a++) {
        const xa = columns[a]![i]! * w;
        xtwz[a]! += xa * z[i]!;
        for (let b = 0; b <= a; b++) xtwx[a]![b]! += xa * columns[b]![i]!;
      }
    }
    for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) xtwx[a]![b] = xtwx[b]![a]!;
    const inverse = invertSymmetric(xtwx);
    if ('singular' in inverse) return { beta, covariance, deviance, pearson: NaN, iterations, singular: inverse.singular };
    covariance = inverse.matrix;
    beta = covariance.map((row) => row.reduce((sum, value, b) => sum + value * xtwz[b]!, 0));
    eta = y.map((_, i) => offset[i]! + columns.reduce((sum, column, j) => sum + column[i]! * beta[j]!, 0));
    const next = poissonDeviance(y, eta.map(Math.exp));
    // R's glm.control: |dev - devold| / (|dev| + 0.1) < 1e-8; one more step makes the standard errors match.
    if (Math.abs(next - deviance) / (Math.abs(next) + 0.1) < 1e-10) {
      deviance = next;
      break;
    }
    deviance = next;
  }
  const mu = eta.map(Math.exp);
  const pearson = y.reduce((sum, value, i) => sum + (value - mu[i]!) ** 2 / mu[i]!, 0);
  // The covariance at the final estimate.
  const xtwx = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => columns[a]!.reduce((sum, x, i) => sum + x * mu[i]! * columns[b]![i]!, 0)));
  const final = invertSymmetric(xtwx);
  if ('matrix' in final) covariance = final.matrix;
  return { beta, covariance, deviance, pearson, iterations: iterations + 1, singular: undefined };
}

function poissonDeviance(y: readonly number[], mu: readonly number[]): number {
  return 2 * y.reduce((sum, value, i) => sum + (value > 0 ? value * Math.log(value / mu[i]!) : 0) - (value - mu[i]!), 0);
}

/** Gauss-Jordan inversion with partial pivoting; reports the column that is (nearly) dependent. */
function invertSymmetric(matrix: number[][]): { matrix: number[][] } | { singular: number } {
  const p = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: p }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(...matrix.map((row, i) => Math.abs(row[i]!)), 1e-300);
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let row = col + 1; row < p; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    if (Math.abs(a[pivot]![col]!) < 1e-10 * scale) return { singular: col };
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const divisor = a[col]![col]!;
    for (let j = 0; j < 2 * p; j++) a[col]![j]! /= divisor;
    for (let row = 0; row < p; row++) {
      if (row === col) continue;
      const factor = a[row]![col]!;
      if (factor === 0) continue;
      for (let j = 0; j < 2 * p; j++) a[row]![j]! -= factor * a[col]![j]!;
    }
  }
  return { matrix: a.map((row) => row.slice(p)) };
}
