import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analyse.js';
import { accumulation, indicatorState, projectDomains } from '../../src/indicators/accumulation.js';
import { IndicatorBlocks, type IndicatorBlock } from '../../src/indicators/blocks.js';
import type { IndicatorResult } from '../../src/indicators/compute.js';
import { loadProject } from '../../src/ingest/load.js';
import { loadSolver } from '../../src/privacy/solver.js';
import { generateSample, type SampleTruth } from '../../src/samples/generate.js';
import { fileSink } from '../../src/cli/file-sink.js';
import { mapInputFromProject } from '../../src/render/map/input.js';
import { defaultMapJobs, renderMap } from '../../src/render/maps.js';
import { buildReport } from '../../src/report/content.js';
import { formatSummary } from '../../src/cli/summary.js';
import { zuidProject } from '../helpers.js';
import { writeFileSync } from 'node:fs';

const block = (extra: Partial<IndicatorBlock>): IndicatorBlock => ({
  id: 'B',
  numerator: 20,
  denominator: 100,
  value: 20,
  lower: 12,
  upper: 31,
  ratio: 1,
  ratio_lower: 0.6,
  ratio_upper: 1.5,
  small_numbers: false,
  incomplete: false,
  signal: false,
  spatial: null,
  ...extra,
});

/** An indicator with a reference of 10 and one block per given figure. */
function indicator(id: string, blocks: Partial<IndicatorBlock>[]): IndicatorResult {
  return {
    id,
    label: { nl: id, en: id },
    definition: { nl: id, en: id },
    unit: { nl: 'per 100', en: 'per 100' },
    kind: 'rate',
    scale: 100,
    per_year: false,
    numerator: { keys: [id] },
    denominator: { keys: ['woningen'] },
    reference: { value: 10, source: 'area' },
    area: { numerator: 0, denominator: 0, value: 10, lower: 9, upper: 11, unknown_cells: 0 },
    by_source: [],
    blocks: IndicatorBlocks.from(blocks.map((b, i) => block({ id: `B${i + 1}`, ...b }))),
    signalled: [],
  };
}

describe('the accumulation profile, against hand-worked blocks', () => {
  it('calls a block signalled, elevated (interval above the reference), unknown (hidden or small numbers) or none', () => {
    expect(indicatorState(block({ signal: true, lower: 30 }), 10)).toBe('signal');
    expect(indicatorState(block({ lower: 12 }), 10)).toBe('elevated');
    expect(indicatorState(block({ lower: 8 }), 10)).toBe('none');
    expect(indicatorState(block({ value: null, lower: null, upper: null, numerator: null, suppressed: true }), 10)).toBe('unknown');
    // A high value on small numbers could be chance: unknown, not elevated.
    expect(indicatorState(block({ lower: 12, small_numbers: true }), 10)).toBe('unknown');
  });

  it('gives the stapeling as a range where domains are unknown, never counting unknown as zero', () => {
    const indicators = [
      // Domain zorg: B1 signal, B2 none, B3 hidden.
      indicator('zorgmijders', [{ signal: true, lower: 30 }, { lower: 5 }, { value: null, lower: null, numerator: null, suppressed: true }]),
      // Domain ouderen, two indicators: B1 elevated by the second, B2 none, B3 elevated by the first.
      indicator('alleenstaande_75plus', [{ lower: 5 }, { lower: 5 }, { lower: 15 }]),
      indicator('75plus_bovenwoning_zonder_lift', [{ lower: 11 }, { lower: 5 }, { small_numbers: true }]),
      // Domain overlast: B1 small numbers, B2 elevated, B3 none.
      indicator('meldingen', [{ small_numbers: true }, { lower: 10.5 }, { lower: 2 }]),
    ];
    const domains = projectDomains(indicators);
    expect(domains.map((d) => d.id)).toEqual(['zorg', 'ouderen', 'overlast']);
    const result = accumulation(indicators, domains, ['B1', 'B2', 'B3'], ['Eén', 'Twee', 'Drie']);
    expect(result.blocks.map((b) => [b.domains.zorg, b.domains.ouderen, b.domains.overlast])).toEqual([
      ['signal', 'elevated', 'unknown'],
      ['none', 'none', 'elevated'],
      ['unknown', 'elevated', 'none'],
    ]);
    expect(result.blocks.map((b) => [b.min, b.max])).toEqual([
      [2, 3],
      [1, 1],
      [1, 2],
    ]);
  });

  it('marks relatively many by the Regiomonitor rule and merges neighbouring blocks into concentrations (worked by hand)', () => {
    // Reference 10 per 100, 100 homes per block: the rule's threshold is 10 + 2·√(10·100/100) = 16.32.
    const meldingen = indicator('meldingen', [
      { numerator: 20, denominator: 100, value: 20, lower: 12.2 },
      { numerator: 18, denominator: 100, value: 18, lower: 10.7 },
      { numerator: 5, denominator: 100, value: 5, lower: 1.6 },
      { numerator: 25, denominator: 100, value: 25, lower: 16.2 },
      { numerator: null, denominator: 100, value: null, lower: null, suppressed: true },
    ]);
    // A chain of neighbours: B1–B2–B3–B4–B5.
    const neighbours = [[1], [0, 2], [1, 3], [2, 4], [3]];
    const result = accumulation([meldingen], projectDomains([meldingen]), ['B1', 'B2', 'B3', 'B4', 'B5'], [], { neighbours, years: 1, floor: 10 });
    expect(result.blocks.map((b) => b.relatively_many.length)).toEqual([1, 1, 0, 1, 0]);
    expect(result.concentrations.map((c) => [c.blocks, c.numerator, c.denominator])).toEqual([
      [['B1', 'B2'], 38, 200],
      [['B4'], 25, 100],
    ]);
    // 38 per 200 homes is 19 per 100; Garwood's interval of 38 events, χ²(0.025; 76)/2 to χ²(0.975; 78)/2 (scipy): 26.8911 to 52.1580, per 200.
    expect(result.concentrations[0]!.value).toBeCloseTo(19, 6);
    expect(result.concentrations[0]!.lower).toBeCloseTo(26.8911 / 2, 3);
    expect(result.concentrations[0]!.upper).toBeCloseTo(52.158 / 2, 3);
    // Under the count floor a concentration is not shown.
    expect(accumulation([meldingen], projectDomains([meldingen]), ['B1', 'B2', 'B3', 'B4', 'B5'], [], { neighbours, years: 1, floor: 30 }).concentrations.map((c) => c.blocks)).toEqual([['B1', 'B2']]);
  });

  it('gives the index only when asked: 100 = reference per indicator, averaged within and across known domains, with its parts; a domain with a hidden value unknown', () => {
    // Reference 10 for both. Zorg: 20 (index 200, interval 12–31 → se 100·19/39.2). Overlast: 5 (50, 3–9 → se 100·6/39.2).
    const zorg = indicator('zorgmijders', [{ value: 20, lower: 12, upper: 31 }, { value: 20, lower: 12, upper: 31 }]);
    const overlast = indicator('meldingen', [{ value: 5, lower: 3, upper: 9 }, { value: null, lower: null, upper: null, numerator: null, suppressed: true }]);
    const domains = projectDomains([zorg, overlast]);
    const plain = accumulation([zorg, overlast], domains, ['B1', 'B2'], []);
    expect(plain.blocks[0]!.index).toBeUndefined();
    const withIndex = accumulation([zorg, overlast], domains, ['B1', 'B2'], [], { neighbours: [[1], [0]], years: 1, floor: 10, index: true });
    const se = Math.sqrt((1900 / 39.2) ** 2 + (600 / 39.2) ** 2) / 2;
    expect(withIndex.blocks[0]!.index).toEqual({ value: 125, lower: expect.closeTo(125 - 1.96 * se, 5), upper: expect.closeTo(125 + 1.96 * se, 5), domains: { zorg: 200, overlast: 50 } });
    // A hidden value makes its domain unknown, never a partial domain: B2's index is zorg's alone, and says so.
    expect(withIndex.blocks[1]!.index).toEqual({ value: 200, lower: expect.closeTo(200 - 1.96 * (1900 / 39.2), 5), upper: expect.closeTo(200 + 1.96 * (1900 / 39.2), 5), domains: { zorg: 200, overlast: null } });
    const nothing = accumulation([overlast], projectDomains([overlast]), ['B1', 'B2'], [], { neighbours: [[1], [0]], years: 1, floor: 10, index: true });
    expect(nothing.blocks[1]!.index).toBeNull();
  });

  it('takes a project indicator into the domain it names, and a regrouping of the project file', () => {
    const indicators = [indicator('meldingen', [{}]), indicator('schulden', [{}]), indicator('zorgmijders', [{}])];
    const domains = projectDomains(indicators, [{ id: 'schulden', domain: 'geld' }], { overlast: ['meldingen', 'zorgmijders'] });
    expect(domains.map((d) => [d.id, d.indicators])).toEqual([
      ['overlast', ['meldingen', 'zorgmijders']],
      ['geld', ['schulden']],
    ]);
  });
});

describe('the accumulation on the sample, after disclosure control', async () => {
  const root = fileURLToPath(new URL('../../data-samples/rijnbuurt-west/', import.meta.url));
  const truth = JSON.parse(readFileSync(join(root, 'truth.json'), 'utf8')) as SampleTruth;
  const input = loadProject(root, { name: 'buurtbalans', version: 'test' });
  const result = analyse(input, { highs: await loadSolver() }).result;
  const acc = result.accumulation!;

  it('finds the planted piles: the zorgmijder blocks in zorg and overlast, the over-75 cluster in ouderen, and no other block with two domains', () => {
    const planted = new Set([...truth.effects.nuisance_from_zorgmijders.zorgmijder_hotspot_blocks, ...truth.effects.isolated_75plus_cluster.blocks]);
    const piled = acc.blocks.filter((b) => b.min >= 2).map((b) => b.id);
    expect(piled.length).toBeGreaterThanOrEqual(2);
    for (const id of piled) expect(planted, id).toContain(id);
    for (const id of truth.effects.isolated_75plus_cluster.blocks) expect(acc.blocks.find((b) => b.id === id)!.domains.ouderen).toBe('signal');
    const zorgmijderBlocks = acc.blocks.filter((b) => truth.effects.nuisance_from_zorgmijders.zorgmijder_hotspot_blocks.includes(b.id));
    expect(zorgmijderBlocks.filter((b) => b.domains.zorg === 'signal').length).toBeGreaterThanOrEqual(2);
  });

  it('finds the planted clusters as concentrations: nuisance at the zorgmijder blocks, isolated over-75s in the 2×2 cluster', () => {
    const of = (id: string) => acc.concentrations.filter((c) => c.indicator === id);
    const nuisance = of('meldingen');
    expect(nuisance.length).toBeGreaterThanOrEqual(1);
    for (const c of nuisance) for (const id of c.blocks) expect(truth.effects.nuisance_from_zorgmijders.zorgmijder_hotspot_blocks).toContain(id);
    expect(Math.max(...nuisance.map((c) => c.blocks.length))).toBeGreaterThanOrEqual(2);
    const older = of('alleenstaande_75plus');
    expect(older.flatMap((c) => c.blocks).sort()).toEqual([...truth.effects.isolated_75plus_cluster.blocks].sort());
    // Every figure of a concentration rests on published counts: at least the disclosure threshold, and the floor.
    for (const c of acc.concentrations) expect(c.numerator).toBeGreaterThanOrEqual(10);
  });

  it('is drawn on stapeling.svg: each block in the colour of its known domains, hatched open where more are possible', async () => {
    const jobs = defaultMapJobs(result, input.project.maps, { date: '2026-12-01', version: 'test', lang: 'nl', internal: false });
    const job = jobs.find((j) => j.file === 'stapeling.svg')!;
    expect(jobs.some((j) => j.file === 'stapeling.pdf')).toBe(true);
    const { composed } = await renderMap(mapInputFromProject(input, result), job);
    expect(composed.legendEntries.slice(0, 4)).toEqual(['0', '1', '2', '3 of meer']);
    expect(composed.legendEntries).toContain('mogelijk meer: minstens één leefgebied is onbekend (geheim of te kleine aantallen)');
    const fills = new Map([...composed.svg.matchAll(/<path d="[^"]+" fill="(#[0-9a-f]{6})"[^>]*data-block="([^"]+)" data-value="(\d)"/g)].map((m) => [m[2]!, { fill: m[1]!, value: Number(m[3]) }]));
    const hatched = new Set([...composed.svg.matchAll(/data-block="([^"]+)" data-incomplete="true"/g)].map((m) => m[1]!));
    for (const block of acc.blocks) {
      expect(fills.get(block.id)!.value).toBe(block.min);
      expect(hatched.has(block.id)).toBe(block.max > block.min);
    }
    // Blocks with the same known count share a colour; more domains, another colour.
    const byCount = new Map(acc.blocks.map((b) => [b.min, fills.get(b.id)!.fill]));
    expect(new Set(byCount.values()).size).toBe(byCount.size);
  });

  it('outlines the three largest concentrations on stapeling.svg, each block of each, with a numbered legend entry naming its blocks', async () => {
    const job = defaultMapJobs(result, input.project.maps, { date: '2026-12-01', version: 'test', lang: 'nl', internal: false }).find((j) => j.file === 'stapeling.svg')!;
    const { composed } = await renderMap(mapInputFromProject(input, result), job);
    const outlined = [...composed.svg.matchAll(/data-block="([^"]+)" data-concentration="(\d)"/g)].map((m) => `${m[2]}:${m[1]}`).sort();
    const expected = acc.concentrations.slice(0, 3).flatMap((c, i) => c.blocks.map((id) => `${i + 1}:${id}`)).sort();
    expect(outlined).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    acc.concentrations.slice(0, 3).forEach((c, i) => expect(composed.legendEntries.some((entry) => entry.startsWith(`${i + 1}: `) && entry.includes(c.blocks.join(', ')))).toBe(true));
  });

  it('outlines on the big map the blocks known to have two or more domains, with its legend entry', async () => {
    const big = defaultMapJobs(result, input.project.maps, { date: '2026-12-01', version: 'test', lang: 'nl', internal: false }).find((j) => j.file === 'overzicht.svg')!;
    const { composed } = await renderMap(mapInputFromProject(input, result), big);
    const outlined = [...composed.svg.matchAll(/data-block="([^"]+)" data-stapeling="true"/g)].map((m) => m[1]!).sort();
    expect(outlined).toEqual(acc.blocks.filter((b) => b.min >= 2).map((b) => b.id).sort());
    expect(outlined.length).toBeGreaterThan(0);
    expect(composed.legendEntries).toContain('twee of meer leefgebieden met een signaal of een verhoogd cijfer');
  });

  it('never says "none" for a domain whose figure is secret: that domain is unknown and widens the range', () => {
    for (const domain of acc.domains) {
      for (const id of domain.indicators) {
        const indicator = result.indicators.find((i) => i.id === id)!;
        for (let b = 0; b < acc.blocks.length; b++) {
          if (indicator.blocks.at(b).suppressed) expect(['unknown', 'elevated', 'signal']).toContain(acc.blocks[b]!.domains[domain.id]);
        }
      }
    }
    for (const b of acc.blocks) expect(b.max - b.min).toBe(Object.values(b.domains).filter((state) => state === 'unknown').length);
  });
});

describe.each([1, 2, 3])('the planted clusters as concentrations, sample seed %s', async (seed) => {
  const dir = mkdtempSync(join(tmpdir(), 'buurtbalans-stapeling-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  generateSample({ scale: 'buurt', seed }, fileSink(dir));
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as SampleTruth;
  const input = loadProject(dir, { name: 'buurtbalans', version: 'test' });
  const result = analyse(input, { highs: await loadSolver() }).result;
  const acc = result.accumulation!;

  it('stands out where the generator piled problems up: the planted domains signalled or elevated before disclosure control, and after it a range that holds the true count', () => {
    const internal = analyse(loadProject(dir, { name: 'buurtbalans', version: 'test' })).result.accumulation!;
    const pile = truth.effects.samenloop.planted_blocks[0]!;
    const before = internal.blocks.find((b) => b.id === pile)!;
    for (const domain of truth.effects.samenloop.planted_domains) expect(['signal', 'elevated'], `${pile} ${domain}`).toContain(before.domains[domain]);
    expect(before.min).toBeGreaterThanOrEqual(2);
    // Every block's published range holds what the internal run knows: unknown never counted as zero.
    for (const block of acc.blocks) {
      const known = internal.blocks.find((b) => b.id === block.id)!;
      expect(block.min, block.id).toBeLessThanOrEqual(known.min);
      expect(block.max, block.id).toBeGreaterThanOrEqual(known.min);
    }
    const after = acc.blocks.find((b) => b.id === pile)!;
    if (after.domains.wonen === 'unknown') expect(after.max).toBeGreaterThan(after.min);
  });

  it('agrees with an independent computation from the published figures: the rule P + 2·√(P·Q/N) per block, and components over the 4×4 grid of blocks', () => {
    // The sample's blocks are a 4×4 grid, B01..B16 by rows; queen contiguity across the streets joins grid neighbours and diagonals.
    const cell = (id: string) => [Math.floor((Number(id.slice(1)) - 1) / 4), (Number(id.slice(1)) - 1) % 4] as const;
    const touching = (a: string, b: string) => a !== b && Math.abs(cell(a)[0] - cell(b)[0]) <= 1 && Math.abs(cell(a)[1] - cell(b)[1]) <= 1;
    const years = 2;
    const floor = Math.max(input.project.privacy.threshold, input.project.thresholds.min_events);
    const expected: string[] = [];
    for (const indicator of result.indicators.filter((i) => acc.domains.some((d) => d.indicators.includes(i.id)))) {
      const p = indicator.reference.value;
      const flagged = indicator.blocks.filter((b) => {
        if (p === null || b.value === null || b.denominator === null || b.denominator <= 0) return false;
        const n = indicator.kind === 'share' ? b.denominator : b.denominator * (indicator.per_year ? years : 1);
        const spread = indicator.kind === 'share' ? Math.sqrt((p * (indicator.scale - p)) / n) : Math.sqrt((p * indicator.scale) / n);
        return b.value > p + 2 * spread;
      });
      for (const b of indicator.blocks) expect(acc.blocks.find((a) => a.id === b.id)!.relatively_many.includes(indicator.id), `${indicator.id} ${b.id}`).toBe(flagged.some((f) => f.id === b.id));
      // Connected components by a plain flood fill.
      const left = new Set(flagged.map((b) => b.id));
      while (left.size > 0) {
        const component = [[...left][0]!];
        left.delete(component[0]!);
        for (let i = 0; i < component.length; i++) for (const other of [...left]) if (touching(component[i]!, other)) (component.push(other), left.delete(other));
        const events = component.reduce((sum, id) => sum + flagged.find((b) => b.id === id)!.numerator!, 0);
        if (events >= floor) expected.push(`${indicator.id}:${component.sort().join('+')}`);
      }
    }
    expect(acc.concentrations.map((c) => `${c.indicator}:${[...c.blocks].sort().join('+')}`).sort()).toEqual(expected.sort());
  });

  it('finds the over-75 cluster as the largest concentration and places every nuisance concentration inside the zorgmijder blocks', () => {
    // Measured against the city's average (2.7 per 100, far below this area's), a neighbour of the
    // cluster may pass the line by chance (seed 3: B15); the largest concentration is the cluster, mostly.
    const older = acc.concentrations.filter((c) => c.indicator === 'alleenstaande_75plus')[0]!;
    const cluster = truth.effects.isolated_75plus_cluster.blocks;
    const inCluster = older.blocks.filter((id) => cluster.includes(id)).length;
    expect(inCluster).toBeGreaterThanOrEqual(cluster.length - 1);
    expect(inCluster / older.blocks.length).toBeGreaterThanOrEqual(0.75);
    for (const c of acc.concentrations.filter((c) => c.indicator === 'meldingen')) {
      for (const id of c.blocks) expect(truth.effects.nuisance_from_zorgmijders.zorgmijder_hotspot_blocks).toContain(id);
    }
    const planted = new Set([...truth.effects.nuisance_from_zorgmijders.zorgmijder_hotspot_blocks, ...truth.effects.isolated_75plus_cluster.blocks]);
    for (const block of acc.blocks.filter((b) => b.min >= 2)) expect(planted).toContain(block.id);
  });
});

describe('a project whose indicators belong to no domain (the real Zuid buurten with CBS Kerncijfers only)', async () => {
  const highs = await loadSolver();
  const dir = mkdtempSync(join(tmpdir(), 'buurtbalans-zuid-domains-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  zuidProject(dir);

  it('says there is nothing to stack instead of leaving the chapter out, and counts a figure once the project file gives it a domain', () => {
    const before = analyse(loadProject(dir, { name: 'buurtbalans', version: 'test' }), { highs }).result;
    expect(before.accumulation!.domains).toEqual([]);
    // The CBS figures only describe the buurten: no domain is missing, there is nothing to stack.
    expect(before.indicators.every((i) => i.descriptive)).toBe(true);
    expect(before.accumulation!.outside_domains).toEqual([]);
    const chapter = buildReport(before, 'nl', '2026-12-01').parts;
    const heading = chapter.findIndex((part) => part.kind === 'heading' && part.text === 'Waar stapelen problemen zich op?');
    expect(heading).toBeGreaterThanOrEqual(0);
    expect((chapter[heading + 1] as { text: string }).text).toContain('De cijfers van dit project zijn alleen beschrijvend en geven geen signalen, dus er valt hier nog niets op te stapelen.');
    expect(formatSummary(before, 'out', 'nl')).not.toContain('de opeenstapeling telt alleen indicatoren met een leefgebied');

    // A figure of its own without a domain is still named as one.
    writeFileSync(join(dir, 'buurtbalans.yml'), `${readFileSync(join(dir, 'buurtbalans.yml'), 'utf8')}indicators:\n  - { id: ouderen_eigen, label: Ouderen, numerator: kwb.inwoners65plus, denominator: kwb.inwoners }\n`);
    const own = analyse(loadProject(dir, { name: 'buurtbalans', version: 'test' }), { highs }).result;
    expect(own.accumulation!.outside_domains).toEqual(['ouderen_eigen']);
    expect(formatSummary(own, 'out', 'nl')).toContain('de opeenstapeling telt alleen indicatoren met een leefgebied; deze heeft er geen: ouderen_eigen');
    writeFileSync(join(dir, 'buurtbalans.yml'), readFileSync(join(dir, 'buurtbalans.yml'), 'utf8').replace(/indicators:\n.*\n$/, ''));

    writeFileSync(join(dir, 'buurtbalans.yml'), `${readFileSync(join(dir, 'buurtbalans.yml'), 'utf8')}domains:\n  ouderen: [kwb.inwoners65plus]\n`);
    const after = analyse(loadProject(dir, { name: 'buurtbalans', version: 'test' }), { highs }).result.accumulation!;
    expect(after.domains.map((d) => [d.id, d.indicators])).toEqual([['ouderen', ['kwb.inwoners65plus']]]);
    expect(after.outside_domains).not.toContain('kwb.inwoners65plus');
    expect(after.blocks.some((b) => b.domains.ouderen === 'signal' || b.domains.ouderen === 'elevated')).toBe(true);
  });
});

