/**
 * Attacks on what analyse shares, by someone who has the published files and the polygons. Each
 * attack is first shown to work on a leaky variant (what the tool published before disclosure
 * control came first), then shown to learn nothing from the shareable output.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analyse.js';
import type { AnalysisResult } from '../../src/analysis/result.js';
import type { IndicatorResult } from '../../src/indicators/compute.js';
import { loadProject } from '../../src/ingest/load.js';
import { auditCells } from '../../src/privacy/audit.js';
import { cellModel, countTable } from '../../src/privacy/disclosure.js';
import { publishedTables } from '../../src/privacy/published.js';
import { loadSolver } from '../../src/privacy/solver.js';
import { hotspots, parseWeightsSpec, type HotspotOptions } from '../../src/spatial/hotspots.js';

const sample = fileURLToPath(new URL('../../data-samples/rijnbuurt-west/', import.meta.url));
const tool = { name: 'buurtbalans', version: 'test' };
const highs = await loadSolver();
const input = loadProject(sample, tool);
const internal = analyse(input).result;
const shared = analyse(input, { highs }).result;
const options: HotspotOptions = { weights: parseWeightsSpec('queen')!, style: 'W', metric: 'planar', snap: input.project.spatial.snap, permutations: 0, seed: 1, alpha: 0.05, correction: 'fdr' };
const indicatorOf = (result: AnalysisResult, id: string) => result.indicators.find((i) => i.id === id)!;
const hiddenBlocks = (indicator: IndicatorResult) => [...indicator.blocks].flatMap((block, b) => (block.suppressed ? [b] : []));

/**
 * The Gi* inversion of the issue: with W weights and self included, each shown block's Gi* z is
 * linear in the values once the mean and the standard deviation are unknowns of their own:
 * z_i · s · c_i = Σ_j w_ij x_j − x̄, with c_i = √((n S1_i − 1)/(n − 1)). Solving the shown blocks'
 * equations (and x̄ = Σx/n) by least squares gives the hidden values; times the published
 * denominator, the hidden counts.
 */
function giStarInversion(indicator: IndicatorResult, z: (number | null)[], shown: (number | null)[], lists: number[][]): Map<number, number> {
  const n = shown.length;
  const hidden = shown.flatMap((value, b) => (value === null ? [b] : []));
  const unknown = new Map(hidden.map((b, u) => [b, u]));
  const columns = hidden.length + 2; // hidden values, x̄, s
  const rows: { a: number[]; y: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (z[i] === null || shown[i] === null) continue;
    const members = [i, ...lists[i]!];
    const w = 1 / members.length;
    const a = new Array(columns).fill(0);
    let y = 0;
    for (const j of members) {
      if (unknown.has(j)) a[unknown.get(j)!] += w;
      else y -= w * shown[j]!;
    }
    a[hidden.length] = -1;
    a[hidden.length + 1] = -z[i]! * Math.sqrt((n * w - 1) / (n - 1));
    rows.push({ a, y });
  }
  const mean = new Array(columns).fill(0);
  hidden.forEach((_, u) => (mean[u] = 1 / n));
  mean[hidden.length] = -1;
  rows.push({ a: mean, y: -shown.reduce<number>((sum, value) => sum + (value ?? 0), 0) / n });
  const solution = leastSquares(rows, columns);
  const recovered = new Map<number, number>();
  const years = indicator.per_year ? Number(internal.comparisons[0]?.years ?? 2) : 1;
  hidden.forEach((b, u) => {
    const units = internal.blocks[b]!.counts[indicator.denominator.keys[0]!] ?? internal.blocks[b]!.addresses;
    if (solution) recovered.set(b, Math.round((solution[u]! * units * years) / indicator.scale));
  });
  return recovered;
}

function leastSquares(rows: { a: number[]; y: number }[], columns: number): number[] | undefined {
  const m = Array.from({ length: columns }, () => new Array(columns + 1).fill(0));
  for (const { a, y } of rows) for (let i = 0; i < columns; i++) {
    for (let j = 0; j < columns; j++) m[i]![j] += a[i]! * a[j]!;
    m[i]![columns] += a[i]! * y;
  }
  for (let c = 0; c < columns; c++) {
    let pivot = c;
    for (let r = c + 1; r < columns; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    if (Math.abs(m[pivot]![c]!) < 1e-12) return undefined;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = 0; r < columns; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= columns; k++) m[r]![k] -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[columns]! / row[i]!);
}

describe('Gi* and local Moran give no hidden value away', () => {
  const attacked = shared.indicators.filter((indicator) => hiddenBlocks(indicator).length > 0 && indicator.denominator.keys.length === 1);

  it('the inversion recovers hidden counts when Gi* is computed with them (the leak the issue found)', () => {
    let hidden = 0;
    let recovered = 0;
    for (const indicator of attacked) {
      const blocks = hiddenBlocks(indicator);
      // The leaky variant: Gi* over the internal values, published for the shown blocks only.
      const values = [...indicatorOf(internal, indicator.id).blocks].map((block) => block.value);
      if (values.some((value) => value === null)) continue;
      const leaky = hotspots({ variable: indicator.id, ids: input.blocks.ids, values, shapes: input.blocks.shapes }, options);
      const z = leaky.features.map((feature, b) => (blocks.includes(b) ? null : feature.gi_star.z));
      const shown = values.map((value, b) => (blocks.includes(b) ? null : value));
      const guess = giStarInversion(indicator, z, shown, leaky.features.map((f) => f.neighbors.map((id) => input.blocks.ids.indexOf(String(id)))));
      // Solvable where fewer values are hidden than blocks shown (the old suppression hid far fewer).
      for (const b of blocks) {
        if (!guess.has(b)) continue;
        hidden++;
        if (guess.get(b) === indicatorOf(internal, indicator.id).blocks.at(b).numerator) recovered++;
      }
    }
    expect(hidden).toBeGreaterThan(20);
    expect(recovered).toBe(hidden);
  });

  it('every published Gi* and local Moran figure is a function of the shown values alone', () => {
    let checked = 0;
    for (const indicator of shared.indicators) {
      const values = [...indicator.blocks].map((block) => block.value);
      const again = hotspots({ variable: indicator.id, ids: input.blocks.ids, values, shapes: input.blocks.shapes }, options);
      indicator.blocks.ids.forEach((_, b) => {
        const published = indicator.blocks.at(b).spatial;
        const recomputed = again.features[b]!;
        const z = published?.gi_star_z ?? null;
        if (z === null) expect(recomputed.gi_star.z === null || recomputed.value === null).toBe(true);
        else expect(z).toBeCloseTo(recomputed.gi_star.z!, 5);
        if (published?.local_moran_I !== null && published?.local_moran_I !== undefined) expect(published.local_moran_I).toBeCloseTo(recomputed.local_moran.I!, 5);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('the same inversion on the shared output recovers (almost) nothing', () => {
    let hidden = 0;
    let recovered = 0;
    for (const indicator of attacked) {
      const blocks = hiddenBlocks(indicator);
      const z = [...indicator.blocks].map((block) => block.spatial?.gi_star_z ?? null);
      const shown = [...indicator.blocks].map((block) => block.value);
      const lists = hotspots({ variable: indicator.id, ids: input.blocks.ids, values: input.blocks.ids.map(() => 1), shapes: input.blocks.shapes }, options).features.map((f) => f.neighbors.map((id) => input.blocks.ids.indexOf(String(id))));
      const guess = giStarInversion(indicator, z, shown, lists);
      for (const b of blocks) {
        if (!guess.has(b)) continue;
        hidden++;
        if (guess.get(b) === indicatorOf(internal, indicator.id).blocks.at(b).numerator) recovered++;
      }
    }
    expect(hidden).toBeGreaterThan(20);
    // What matches is chance: the published z-values do not depend on the hidden values (above).
    expect(recovered / hidden).toBeLessThan(0.25);
  });
});

describe('subtraction and integer programming over every published relation', () => {
  it('the old suppression (one extra cell per group, the log saying which cells are small) can be narrowed below the threshold', () => {
    // The pattern the tool used to publish: primary cells and, per group with one hidden cell, its smallest other cell.
    const table = countTable(internal.blocks, internal.sums);
    const model = cellModel(table, input.project.privacy);
    const width = model.blockIds.length + 1;
    model.keys.forEach((_, k) => {
      for (let b = 0; b < width - 1; b++) if (model.values[k * width + b]! >= 1 && model.values[k * width + b]! <= 4) model.hidden[k * width + b] = 1;
    });
    model.keys.forEach((_, k) => {
      const hidden = Array.from({ length: width - 1 }, (_, b) => b).filter((b) => model.hidden[k * width + b]);
      if (hidden.length !== 1) return;
      const other = Array.from({ length: width - 1 }, (_, b) => b).filter((b) => !model.hidden[k * width + b] && model.values[k * width + b]! > 0).sort((a, b) => model.values[k * width + a]! - model.values[k * width + b]!)[0];
      if (other !== undefined) model.hidden[k * width + other] = 1;
    });
    const audit = auditCells(model, highs, 'intervals');
    expect(audit.unprotected.length).toBeGreaterThan(10);
    // The example: the GP themes of B13 leave two hidden cells that add up to less than the threshold.
    expect(audit.unprotected.some((cell) => cell.key.startsWith('huisartsen.signalen[') && cell.upper !== null && cell.upper < 5)).toBe(true);
  });

  it('on the shared output every hidden cell could be anywhere from 0 to the threshold', () => {
    for (const { model, shown } of publishedTables(shared, 'analysis.json')) {
      const audit = auditCells(model, highs, 'intervals', shown);
      expect(audit.cells.length).toBeGreaterThan(100);
      expect(audit.unprotected).toEqual([]);
    }
  });

  it('no source, flag or category total that is small is published anywhere', () => {
    for (const [key, total] of Object.entries(shared.key_totals)) if (total !== null) expect(total === 0 || total >= 5, key).toBe(true);
    for (const indicator of shared.indicators) {
      for (const part of indicator.by_source) if (part.numerator !== null) expect(part.numerator === 0 || part.numerator >= 5).toBe(true);
      if (indicator.area.numerator !== null) expect(indicator.area.numerator === 0 || indicator.area.numerator >= 5).toBe(true);
    }
    // The log names the hidden cells, never which of them were small.
    expect(JSON.stringify(shared.disclosure)).not.toMatch(/primary|secondary/);
  });
});

describe('a hidden count is never 0: zeros are shown and never hidden as partners', () => {
  /** Every table of whole numbers, hidden cells at least 1, that fits the published key total: the attacker's enumeration. */
  function attackerRange(published: (number | null)[], total: number | null, cell: number): { lower: number; upper: number } {
    const hidden = published.flatMap((value, b) => (value === null ? [b] : []));
    if (total === null) return { lower: 1, upper: Infinity };
    const rest = total - published.reduce<number>((sum, value) => sum + (value ?? 0), 0);
    // k hidden cells, each at least 1, adding up to `rest`: one of them anywhere from 1 to rest − (k − 1).
    expect(hidden).toContain(cell);
    return { lower: 1, upper: rest - (hidden.length - 1) };
  }

  it('pins every hidden cell of a key at 1 when the total is published, unless disclosure control hides more (the attacker’s pass on geluiden)', async () => {
    // Five blocks with one verkeer each and a sixth with none: the total 5 and five nulls said "1 each".
    const blocks = ['A', 'B', 'C', 'D', 'E', 'F'].map((id, b) => ({ id, label: id, addresses: 0, counts: { 'geluiden[verkeer]': b < 5 ? 1 : 0, 'geluiden[eenzaamheid]': b === 5 ? 7 : 0 }, unknown_cells: {} }));
    const { protectCounts } = await import('../../src/privacy/disclosure.js');
    const { table } = protectCounts(countTable(blocks, []), { threshold: 5, suppress_zero: false, rules: {}, rounding: 0 }, highs);
    const published = table.blocks.map((block) => block.counts['geluiden[verkeer]'] ?? null);
    expect(published.slice(0, 5)).toEqual([null, null, null, null, null]);
    for (let b = 0; b < 5; b++) {
      const { upper } = attackerRange(published, table.key_totals['geluiden[verkeer]'] ?? null, b);
      expect(upper, `block ${b}`).toBeGreaterThanOrEqual(5);
    }
  });

  it('on the sample every hidden cell could be anywhere from 1 to the threshold, or as wide a range reaching it', () => {
    const published = publishedTables(shared, 'analysis.json')[0]!;
    const audit = auditCells(published.model, highs, 'intervals');
    expect(audit.cells.length).toBeGreaterThan(0);
    for (const cell of audit.cells) {
      if (cell.floor === 1) expect(cell.lower, `${cell.key} ${cell.block}`).toBeGreaterThanOrEqual(1);
      expect(cell.protected, `${cell.key} in ${cell.block}: ${cell.lower} to ${cell.upper}`).toBe(true);
    }
    expect(published.model.floors.some((floor) => floor === 1)).toBe(true);
  });
});

describe('categories that leave rows uncounted', () => {
  it('protects a hidden category whose block total, less the categories shown, is below the threshold, where every other block adds up (a reviewer’s pass found the run stopping with "report this as a bug")', async () => {
    // In P, 13 afval + a hidden geluid ≤ 17 (three rows have no category): geluid ≤ 4. Hiding P's
    // total is not enough, for every partner it could have adds up exactly and pins the column:
    // P's total is then at most 17 again. Only hiding P's afval as well gives geluid its room.
    const blocks = ['P', 'A', 'B', 'C', 'D', 'E'].map((id, b) => ({ id, label: id, addresses: 0, counts: b === 0 ? { m: 17, 'm[afval]': 13, 'm[geluid]': 1 } : { m: 16, 'm[afval]': 10, 'm[geluid]': 6 }, unknown_cells: {} }));
    const config = { threshold: 5, suppress_zero: false, rules: {}, rounding: 0 };
    const sums = [{ total: 'm', parts: ['m[afval]', 'm[geluid]'] }];
    const { protectCounts } = await import('../../src/privacy/disclosure.js');
    const { cellsOfTable } = await import('../../src/privacy/cells.js');
    const { table } = protectCounts(countTable(blocks, sums), config, highs);
    expect(table.blocks[0]!.counts['m[geluid]']).toBeNull();
    // The attacker's pass over what is published: every hidden cell reaches its threshold.
    const published = cellsOfTable(table.blocks, table.key_totals, table.sums, ['m', 'm[afval]', 'm[geluid]'], config, table.blockFirst);
    const audit = auditCells(published, highs, 'intervals');
    expect(audit.cells.length).toBeGreaterThan(0);
    for (const cell of audit.cells) expect(cell.protected, `${cell.key} in ${cell.block}: ${cell.lower} to ${cell.upper}`).toBe(true);
  });
});

describe('survey means', () => {
  it('a shareable result has no block mean: one beside the area’s gave a hidden block’s answers by subtraction', () => {
    for (const survey of shared.surveys ?? []) for (const block of survey.blocks) expect(block.mean, `${survey.question} ${block.id}`).toBeNull();
    expect(shared.surveys!.length).toBeGreaterThan(0);
    expect(internal.surveys!.some((survey) => survey.blocks.some((block) => block.mean !== null))).toBe(true);
  });
});
