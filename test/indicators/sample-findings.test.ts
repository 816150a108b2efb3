import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analyse.js';
import type { AnalysisResult } from '../../src/analysis/result.js';
import { fileSink } from '../../src/cli/file-sink.js';
import { parsePeriod } from '../../src/filter/period.js';
import { loadProject } from '../../src/ingest/load.js';
import { generateSample, type SampleTruth } from '../../src/samples/generate.js';
import { forestChart } from '../../src/report/charts.js';

const tool = { name: 'buurtbalans', version: 'test' };
const committed = fileURLToPath(new URL('../../data-samples/rijnbuurt-west/', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(seed: number | 'committed'): { dir: string; truth: SampleTruth; result: AnalysisResult } {
  let dir = committed;
  if (seed !== 'committed') {
    dir = mkdtempSync(join(tmpdir(), 'buurtbalans-seed-'));
    dirs.push(dir);
    generateSample({ scale: 'buurt', seed }, fileSink(dir));
  }
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as SampleTruth;
  return { dir, truth, result: analyse(loadProject(dir, tool)).result };
}

describe.each(['committed', 1, 2, 3] as const)('the planted nuisance effect, sample %s', (seed) => {
  const { truth, result } = project(seed);
  const comparison = result.comparisons.find((c) => c.id === 'overlast')!;
  const exposure = (name: string) => comparison.exposures.find((e) => e.exposure === name)!;

  it('was planted at zorgmijders, not at omklapwoningen', () => {
    const planted = truth.effects.nuisance_from_zorgmijders.report_multiplier;
    expect(planted.zorgmijder).toBeGreaterThan(4);
    expect(planted.omklapwoning).toBeLessThan(1.2);
  });

  it('is found at zorgmijders: the adjusted interval excludes 1', () => {
    const zorg = exposure('zorgmijders');
    expect(zorg.irr!.lower).toBeGreaterThan(1);
    expect(zorg.verdict).toBe('higher');
    expect(zorg.sentence.en).toContain('a clear difference');
    expect(zorg.sentence.nl).toContain('een duidelijk verschil');
  });

  it('is said on one scale: the adjusted ratio compares the same two groups as the counted one, and the chart shows only those', () => {
    for (const e of comparison.exposures) {
      const adjusted = e.adjusted_ratio!;
      // Blocks with many have more of the exposure per 100 homes than the others, by definition.
      expect(adjusted.difference).toBeGreaterThan(0);
      expect(adjusted.value).toBeCloseTo(e.irr!.value ** adjusted.difference, 4);
      expect(adjusted.lower > 1).toBe(e.irr!.lower > 1);
      expect(adjusted.upper < 1).toBe(e.irr!.upper < 1);
    }
    const rows = (forestChart(comparison, 'nl').data as { values: { exposure: string; kind: string; value: number }[] }).values;
    expect(rows.map((r) => r.kind)).toEqual(['zoals geteld', 'gecorrigeerd voor de andere factoren', 'zoals geteld', 'gecorrigeerd voor de andere factoren']);
    expect(rows.map((r) => r.value)).toEqual(comparison.exposures.flatMap((e) => [e.rate_ratio.value, e.adjusted_ratio!.value]));
    // The per-unit rate ratio (about 1.05 per extra zorgmijder per 100 homes) is on another scale: never in the chart.
    for (const e of comparison.exposures) expect(rows.map((r) => r.value)).not.toContain(e.irr!.value);
    expect(exposure('zorgmijders').sentence.nl).toMatch(/Rekening houdend met omklapwoningen: \d,\d keer zo vaak \(95%-interval \d,\d tot \d,\d; \d+(,\d)?% meer per extra zorgmijder per 100 woningen\)/);
  });

  it('is not blamed on omklapwoningen: the adjusted interval includes 1 and the small counts are flagged', () => {
    const omklap = exposure('omklapwoningen');
    expect(omklap.irr!.lower).toBeLessThan(1);
    expect(omklap.irr!.upper).toBeGreaterThan(1);
    expect(['no_difference', 'explained_by_other']).toContain(omklap.verdict);
    expect(omklap.exposure_small_numbers).toBe(true);
    expect(omklap.sentence.en).toContain('small numbers');
    expect(omklap.sentence.en).not.toContain('a clear difference');
    const indicator = result.indicators.find((i) => i.id === 'omklapwoningen')!;
    expect(indicator.blocks.every((block) => block.small_numbers)).toBe(true);
    expect(indicator.signalled).toEqual([]);
  });

  it('signals nuisance only in the planted zorgmijder blocks, and isolated over-75s only in the planted cluster', () => {
    const signalled = (id: string) => result.indicators.find((i) => i.id === id)!.signalled;
    const hotspots = truth.effects.nuisance_from_zorgmijders.zorgmijder_hotspot_blocks;
    const cluster = truth.effects.isolated_75plus_cluster.blocks;
    for (const block of signalled('meldingen')) expect(hotspots).toContain(block);
    expect(signalled('alleenstaande_75plus').length).toBeGreaterThanOrEqual(2);
    for (const block of signalled('alleenstaande_75plus')) expect(cluster).toContain(block);
  });

  it('finds the over-75 cluster as positive spatial autocorrelation with Gi* hot spots inside it', () => {
    const spatial = result.spatial.indicators.find((i) => i.id === 'alleenstaande_75plus')!;
    expect(spatial.global_moran!.I).toBeGreaterThan(0);
    expect(spatial.global_moran!.p_sim!).toBeLessThan(0.05);
    expect(spatial.hot.length).toBeGreaterThan(0);
    for (const block of spatial.hot) expect(truth.effects.isolated_75plus_cluster.blocks).toContain(block);
  });

  it('puts the comparison first among the findings', () => {
    expect(result.findings[0]!.kind).toBe('comparison');
    expect(result.findings[0]!.text.en).toContain('zorgmijders');
  });
});

describe('the built-in indicators on the committed sample', () => {
  const { result } = project('committed');
  const indicator = (id: string) => result.indicators.find((i) => i.id === id)!;

  it('computes all seven kinds, with labels in both languages, units and references', () => {
    for (const id of ['alleenstaande_75plus', 'zorgmijders', 'omklapwoningen', 'kwetsbare_toewijzingen', 'meldingen', '75plus_bovenwoning_zonder_lift', 'huisarts_signalen', 'zorgdruk']) {
      const found = indicator(id);
      expect(found, id).toBeDefined();
      expect(found.label.nl.length).toBeGreaterThan(3);
      expect(found.label.en.length).toBeGreaterThan(3);
      expect(found.blocks).toHaveLength(16);
    }
    expect(result.skipped_indicators).toEqual([]);
    expect(indicator('alleenstaande_75plus').reference).toEqual({ value: 2.7, source: 'project' });
    expect(indicator('zorgmijders').reference.source).toBe('area');
  });

  it('splits nuisance by category and GP signals by theme', () => {
    const ids = result.indicators.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['meldingen.burenoverlast', 'meldingen.vervuiling', 'meldingen.schade', 'huisarts_signalen.eenzaamheid']));
    const total = indicator('meldingen').area.numerator;
    const parts = ['burenoverlast', 'vervuiling', 'schade'].reduce((sum, c) => sum + indicator(`meldingen.${c}`).area.numerator!, 0);
    expect(parts).toBe(total);
  });

  it('gives omklapwoningen by corporation', () => {
    const bySource = indicator('omklapwoningen').by_source;
    expect(bySource.map((s) => s.key)).toEqual(['a', 'b', 'c', 'd', 'e'].map((x) => `corporatie_${x}[omklapwoning]`));
    expect(bySource.reduce((sum, s) => sum + s.numerator!, 0)).toBe(indicator('omklapwoningen').area.numerator);
  });

  it('computes nuisance per 100 homes per year over the two-year period', () => {
    const meldingen = indicator('meldingen');
    const years = (Date.UTC(2025, 11, 31) - Date.UTC(2024, 0, 1)) / 86_400_000 + 1;
    expect(meldingen.area.value).toBeCloseTo((meldingen.area.numerator! / (meldingen.area.denominator! * (years / 365.25))) * 100, 5);
  });

  it('marks values with suppressed input cells as incomplete', () => {
    expect(indicator('zorgdruk').blocks.some((block) => block.incomplete)).toBe(true);
  });
});

describe('spatial statistics inside analyse', () => {
  const { result } = project('committed');

  it('uses queen weights across the streets between blocks, states the conventions, and finds no islands', () => {
    expect(result.spatial).toMatchObject({ weights: 'queen', style: 'W', links: 84, islands: [], permutations: 999, correction: 'fdr', snap: 25 });
    expect(result.spatial.conventions).toContain('spdep');
  });

  it('marks a hot spot only where Gi* is significant and the numbers are not small', () => {
    for (const indicator of result.indicators) {
      for (const block of indicator.blocks) {
        if (block.spatial!.hotspot !== null) expect(block.small_numbers).toBe(false);
        if (block.small_numbers) expect(block.spatial!.hotspot).toBeNull();
      }
    }
    const omklap = result.indicators.find((i) => i.id === 'omklapwoningen')!;
    expect(omklap.blocks.every((b) => b.spatial!.hotspot === null && b.spatial!.cluster === null)).toBe(true);
  });
});

describe('a period', () => {
  it('counts only reports in the period and says how many fell outside', () => {
    const input = loadProject(committed, tool);
    const full = analyse(input).result;
    input.period = parsePeriod('2025-01-01..2025-12-31', '--period');
    const year = analyse(input).result;
    const source = (r: AnalysisResult) => r.sources.find((s) => s.name === 'meldingen')!;
    const inYear = year.indicators.find((i) => i.id === 'meldingen')!.area.numerator;
    expect(source(year).rows_outside_period).toBe(full.indicators.find((i) => i.id === 'meldingen')!.area.numerator! - inYear!);
    expect(source(year).period).toBe('2025-01-01..2025-12-31');
    expect(inYear).toBeGreaterThan(0);
    expect(year.project.period).toBe('2025-01-01..2025-12-31');
  });
});
