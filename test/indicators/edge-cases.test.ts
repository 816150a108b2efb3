import { describe, expect, it } from 'vitest';
import type { BlockRow } from '../../src/analysis/result.js';
import { parsePeriod } from '../../src/filter/period.js';
import { comparePeriods } from '../../src/indicators/change.js';
import { compareExposures } from '../../src/indicators/compare.js';
import { countTable } from '../../src/privacy/disclosure.js';
import { computeIndicators, type IndicatorContext } from '../../src/indicators/compute.js';
import type { Thresholds } from '../../src/project/schema.js';
import { userError } from '../helpers.js';

const thresholds: Thresholds = { min_events: 10, min_homes: 20, signal_events: 10, signal_ratio: 1.5, signal_interval: true };

function blocks(rows: { homes: number; meldingen: number; zorg?: number; omklap?: number }[]): BlockRow[] {
  return rows.map((row, i) => ({
    id: `B${i + 1}`,
    label: `B${i + 1}`,
    addresses: row.homes,
    counts: { meldingen: row.meldingen, 'wijkteam.zorg': row.zorg ?? 0, 'corp[omklap]': row.omklap ?? 0 },
    unknown_cells: { 'wijkteam.zorg': 0 },
  }));
}

const measures = { woningen: 'addresses', meldingen: 'meldingen', zorgmijder_signalen: 'wijkteam.zorg', omklapwoningen: 'corp[omklap]' };
const context = (rows: BlockRow[], extra: Partial<IndicatorContext> = {}): IndicatorContext => ({
  projectFile: 'buurtbalans.yml',
  blocks: rows,
  totals: countTable(rows, []).key_totals,
  sums: [],
  measures,
  references: {},
  thresholds,
  period: parsePeriod('2025-01-01..2025-12-31', 'period'),
  ...extra,
});
const find = (rows: BlockRow[], id: string, extra: Partial<IndicatorContext> = {}) => computeIndicators([], context(rows, extra)).indicators.find((i) => i.id === id)!;

describe('indicator edge cases', () => {
  it('zero events: a zero rate with an upper limit, small numbers, no signal', () => {
    const result = find(blocks([{ homes: 100, meldingen: 0 }, { homes: 100, meldingen: 30 }]), 'meldingen');
    const block = result.blocks.at(0);
    expect(block).toMatchObject({ numerator: 0, value: 0, lower: 0, small_numbers: true, signal: false });
    expect(block.upper).toBeGreaterThan(0);
  });

  it('zero denominators: no value and no ratio, never NaN or Infinity', () => {
    const result = find(blocks([{ homes: 0, meldingen: 3 }, { homes: 100, meldingen: 30 }]), 'meldingen');
    expect(result.blocks.at(0)).toMatchObject({ value: null, lower: null, upper: null, ratio: null, small_numbers: true, signal: false });
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
  });

  it('all blocks equal: every ratio is 1 and nothing lights up', () => {
    const result = find(blocks([{ homes: 100, meldingen: 40 }, { homes: 100, meldingen: 40 }, { homes: 100, meldingen: 40 }]), 'meldingen');
    for (const block of result.blocks) {
      expect(block.ratio).toBeCloseTo(1, 9);
      expect(block.signal).toBe(false);
    }
  });

  it('one event never lights up a block, however high its rate', () => {
    const result = find(blocks([{ homes: 2, meldingen: 1 }, ...Array.from({ length: 9 }, () => ({ homes: 100, meldingen: 1 }))]), 'meldingen');
    expect(result.blocks.at(0).ratio).toBeGreaterThan(10);
    expect(result.blocks.at(0).signal).toBe(false);
    expect(result.blocks.at(0).small_numbers).toBe(true);
  });

  it('signals a block with many events far above the reference', () => {
    const rows = blocks([{ homes: 100, meldingen: 120 }, ...Array.from({ length: 7 }, () => ({ homes: 100, meldingen: 20 }))]);
    expect(find(rows, 'meldingen').signalled).toEqual(['B1']);
  });

  it('skips an indicator whose inputs the project lacks, with a note', () => {
    const { skipped } = computeIndicators([], context(blocks([{ homes: 10, meldingen: 1 }])));
    expect(skipped.find((s) => s.id === 'alleenstaande_75plus')!.reason).toContain('"alleenstaande_75plus"');
  });

  it('skips a rate per year without a period', () => {
    const { skipped } = computeIndicators([], context(blocks([{ homes: 10, meldingen: 1 }]), { period: undefined }));
    expect(skipped.find((s) => s.id === 'meldingen')!.reason).toContain('period');
  });

  it('stops with a suggestion when a project indicator names a key that does not exist', () => {
    const indicator = { id: 'eigen', label: 'Eigen', numerator: 'meldngen', denominator: 'woningen', scale: 100 as const, kind: 'rate' as const, per_year: false };
    const error = userError(() => computeIndicators([indicator], context(blocks([{ homes: 10, meldingen: 1 }]))));
    expect(error.message).toContain('"meldngen"');
    expect(error.fix).toContain('did you mean "meldingen"?');
  });

  it('computes a project indicator per 1,000 against its own reference', () => {
    const indicator = { id: 'eigen', label: { nl: 'Eigen', en: 'Own' }, numerator: 'meldingen', denominator: 'woningen', scale: 1000 as const, kind: 'rate' as const, per_year: false, reference: 200 };
    const result = computeIndicators([indicator], context(blocks([{ homes: 100, meldingen: 30 }]))).indicators.find((i) => i.id === 'eigen')!;
    expect(result.blocks.at(0).value).toBeCloseTo(300, 9);
    expect(result.blocks.at(0).ratio).toBeCloseTo(1.5, 9);
    expect(result.reference).toEqual({ value: 200, source: 'project' });
    expect(result.unit.en).toBe('per 1,000');
  });
});

describe('comparison edge cases', () => {
  const config = { id: 'overlast', outcome: 'meldingen', exposures: { zorgmijders: 'zorgmijder_signalen', omklapwoningen: 'omklapwoningen' }, per: 'woningen' };

  it('says "too few to conclude" on tiny counts', () => {
    const rows = blocks([
      { homes: 30, meldingen: 2, zorg: 1, omklap: 1 },
      { homes: 30, meldingen: 1, zorg: 0, omklap: 0 },
      { homes: 30, meldingen: 0, zorg: 0, omklap: 1 },
      { homes: 30, meldingen: 1, zorg: 0, omklap: 0 },
    ]);
    const result = compareExposures(config, rows, measures, thresholds, undefined);
    if (!('exposures' in result)) throw new Error(result.reason);
    for (const exposure of result.exposures) {
      expect(exposure.verdict).toBe('too_few');
      expect(exposure.sentence.en).toContain('Too few to conclude');
      expect(exposure.sentence.nl).toContain('Te weinig gegevens');
    }
  });

  it('never writes a count below the project disclosure threshold in a sentence', () => {
    const rows = blocks([
      { homes: 30, meldingen: 6, zorg: 1, omklap: 1 },
      { homes: 30, meldingen: 1, zorg: 0, omklap: 0 },
      { homes: 30, meldingen: 0, zorg: 0, omklap: 1 },
      { homes: 30, meldingen: 1, zorg: 0, omklap: 0 },
    ]);
    const sentences = (threshold: number) => {
      const result = compareExposures(config, rows, measures, thresholds, undefined, threshold);
      if (!('exposures' in result)) throw new Error(result.reason);
      return result.exposures.map((exposure) => exposure.sentence.en).join(' ');
    };
    expect(sentences(5)).toContain(': 6 in 1 block');
    expect(sentences(10)).toContain(': fewer than 10 in 1 block');
    expect(sentences(10)).not.toMatch(/\b6\b/);
  });

  it('drops an exposure that is the same in every block from the regression, with a note', () => {
    const rows = blocks(Array.from({ length: 6 }, (_, i) => ({ homes: 100, meldingen: 20 + i * 3, zorg: i, omklap: 2 })));
    const result = compareExposures(config, rows, measures, thresholds, undefined);
    if (!('exposures' in result)) throw new Error(result.reason);
    expect(result.regression!.dropped).toEqual(['omklapwoningen']);
    expect(result.notes.join(' ')).toContain('omklapwoningen');
  });

  it('reports a missing input instead of failing', () => {
    const result = compareExposures({ ...config, outcome: 'geen' }, blocks([{ homes: 1, meldingen: 1 }]), measures, thresholds, undefined);
    expect(result).toMatchObject({ id: 'overlast', reason: 'no data for "geen"', text: { nl: 'geen gegevens voor "geen"' } });
  });

  it('says "no difference" when there is none, and "a real difference" when there is', () => {
    const rows = blocks(
      Array.from({ length: 12 }, (_, i) => ({ homes: 100, meldingen: i % 3 === 0 ? 60 : 20, zorg: i % 3 === 0 ? 8 : 1, omklap: i % 2 === 0 ? 4 : 1 })),
    );
    const result = compareExposures(config, rows, measures, thresholds, undefined);
    if (!('exposures' in result)) throw new Error(result.reason);
    const [zorg, omklap] = result.exposures;
    expect(zorg!.verdict).toBe('higher');
    expect(zorg!.rate_ratio.value).toBeCloseTo(3, 9);
    expect(omklap!.verdict).toBe('no_difference');
  });
});

describe('two periods compared', () => {
  const before = parsePeriod('2024-01-01..2024-12-31', 'p');
  const after = parsePeriod('2025-01-01..2025-12-31', 'p');
  const rates = (rows: BlockRow[], period: typeof before) => computeIndicators([], context(rows, { period })).indicators;

  it('finds a block whose rate went up, and does not call a change on small numbers', () => {
    const earlier = rates(blocks([{ homes: 100, meldingen: 20 }, { homes: 100, meldingen: 2 }, { homes: 100, meldingen: 30 }]), before);
    const later = rates(blocks([{ homes: 100, meldingen: 80 }, { homes: 100, meldingen: 6 }, { homes: 100, meldingen: 31 }]), after);
    const comparison = comparePeriods({ period: before, indicators: earlier }, { period: after, indicators: later }, thresholds);
    expect(comparison.before).toBe('2024-01-01..2024-12-31');
    const meldingen = comparison.indicators.find((i) => i.id === 'meldingen')!;
    const [up, small, same] = meldingen.blocks;
    expect(up).toMatchObject({ before: 20, after: 80, change: 'up' });
    expect(up!.ratio).toBeCloseTo((80 / 365) / (20 / 366), 6);
    expect(small).toMatchObject({ before: 2, after: 6, small_numbers: true, change: 'none' });
    expect(same!.change).toBe('none');
  });
});
