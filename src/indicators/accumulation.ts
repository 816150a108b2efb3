import type { Bilingual } from './builtins.js';
import { IndicatorBlocks, type IndicatorBlock } from './blocks.js';
import { round, type IndicatorResult } from './compute.js';
import { rateInterval, shareInterval } from '../stats/intervals.js';
import { capitalise } from './sentences.js';
import { compareIds } from '../text.js';
import type { Samenloop } from '../analysis/samenloop.js';

/**
 * How a block stands in a domain: `signal` (an indicator passes the signal rule), `elevated` (above
 * the reference with an interval that excludes it, short of a signal), `unknown` (a value hidden or
 * on small numbers: it could be either) or `none`.
 */
export type DomainState = 'signal' | 'elevated' | 'unknown' | 'none';

export interface Domain {
  id: string;
  label: Bilingual;
  indicators: string[];
}

export interface BlockAccumulation {
  id: string;
  label: string;
  /** Indicators of a domain with "relatively many" here by the Regiomonitor rule. */
  relatively_many: string[];
  /** Per domain id. */
  domains: Record<string, DomainState>;
  /** Domains signalled or elevated: at least `min`, at most `max` once the unknown ones are counted too. */
  min: number;
  max: number;
  /** With `accumulation: { index: true }`: 100 = the reference; null where a value is hidden or missing. */
  index?: BlockIndex | null;
}

/** A Wijkprofiel-style index: each indicator 100 × value / reference, averaged within domains, then across them. */
export interface BlockIndex {
  value: number;
  lower: number;
  upper: number;
  /** Per domain id, the domain's index, null where a value in it is hidden or missing: the parts the single number must never hide. */
  domains: Record<string, number | null>;
}

/** Neighbouring blocks with relatively many of one indicator, merged: the Regiomonitor's ruimtelijke concentratie. */
export interface Concentration {
  indicator: string;
  blocks: string[];
  numerator: number;
  denominator: number;
  value: number;
  lower: number;
  upper: number;
}

export interface Accumulation {
  domains: Domain[];
  blocks: BlockAccumulation[];
  /** Concentrations with at least `floor` events, largest count first. */
  concentrations: Concentration[];
  /** Samenloop at the same front door, where the project has markers of sources that name addresses. */
  samenloop?: Samenloop;
  /** Indicators in no domain (a category's indicator goes with its own): they do not count in the stapeling. */
  outside_domains: string[];
}

/**
 * The Regiomonitor's "relatively many": a block's value above P + 2·√(P·Q/N), P the reference in
 * the indicator's unit, Q = scale − P and N the block's denominator (for a share); for a rate the
 * Poisson analogue P + 2·√(P·scale/(N·years)). Hidden and empty blocks never qualify.
 */
export function relativelyMany(indicator: IndicatorResult, b: number, years: number): boolean {
  const block = indicator.blocks.at(b);
  const p = indicator.reference.value;
  if (p === null || block.value === null || block.denominator === null || block.denominator <= 0) return false;
  const spread = indicator.kind === 'share' ? Math.sqrt((p * (indicator.scale - p)) / block.denominator) : Math.sqrt((p * indicator.scale) / (block.denominator * (indicator.per_year ? years : 1)));
  return block.value > p + 2 * spread;
}

/** The Buurtbalans domains of the built-in indicators; a project indicator names its own with `domain:`. */
export const defaultDomains: Domain[] = [
  { id: 'wonen', label: { nl: 'Wonen en kwetsbare huisvesting', en: 'Housing and vulnerable tenancies' }, indicators: ['omklapwoningen', 'kwetsbare_toewijzingen'] },
  { id: 'zorg', label: { nl: 'Zorg', en: 'Care' }, indicators: ['zorgmijders', 'zorgdruk'] },
  { id: 'ouderen', label: { nl: 'Ouderen', en: 'Older residents' }, indicators: ['alleenstaande_75plus', '75plus_bovenwoning_zonder_lift'] },
  { id: 'overlast', label: { nl: 'Overlast', en: 'Nuisance' }, indicators: ['meldingen'] },
  { id: 'signalen', label: { nl: 'Signalen van professionals', en: 'Signals from professionals' }, indicators: ['huisarts_signalen'] },
];

/**
 * The domains a project uses: the defaults, with each project indicator's `domain:` added (a new
 * domain where the name is new) and `domains:` of the project file replacing a domain's list.
 * Domains without an indicator of this analysis are left out.
 */
export function projectDomains(
  indicators: readonly IndicatorResult[],
  own: readonly { id: string; domain?: string | undefined }[] = [],
  regrouped: Readonly<Record<string, readonly string[]>> = {},
): Domain[] {
  // An indicator the project file places in a domain leaves every other one.
  const placed = new Set(Object.values(regrouped).flat());
  const domains = defaultDomains.map((domain) => ({ ...domain, indicators: [...(regrouped[domain.id] ?? domain.indicators.filter((id) => !placed.has(id)))] }));
  for (const [id, list] of Object.entries(regrouped)) if (!domains.some((d) => d.id === id)) domains.push(newDomain(id, [...list]));
  for (const indicator of own) {
    if (!indicator.domain) continue;
    for (const domain of domains) domain.indicators = domain.indicators.filter((i) => i !== indicator.id);
    const domain = domains.find((d) => d.id === indicator.domain);
    if (domain) domain.indicators.push(indicator.id);
    else domains.push(newDomain(indicator.domain, [indicator.id]));
  }
  const present = new Set(indicators.map((i) => i.id));
  return domains.map((d) => ({ ...d, indicators: d.indicators.filter((i) => present.has(i)) })).filter((d) => d.indicators.length > 0);
}

/** One indicator's verdict for one block. */
export function indicatorState(block: IndicatorBlock, reference: number | null): DomainState {
  if (block.signal) return 'signal';
  // Without a reference (the area's total hidden, no city average) nothing says whether it is raised.
  if (block.suppressed || block.value === null || block.small_numbers || reference === null) return 'unknown';
  if (block.lower !== null && block.lower > reference) return 'elevated';
  return 'none';
}

const rank: Record<DomainState, number> = { none: 0, unknown: 1, elevated: 2, signal: 3 };

/**
 * Per block and domain the strongest state of the domain's indicators, where "unknown" outranks
 * "none" (a hidden value could be high) but not a known elevation; and the block's stapeling as a
 * range: domains known to be signalled or elevated, and how many more the unknown ones could add.
 */
export function accumulation(
  indicators: readonly IndicatorResult[],
  domains: readonly Domain[],
  blockIds: readonly string[],
  labels: readonly string[],
  options: { neighbours: readonly (readonly number[])[]; years: number; floor: number; index?: boolean } = { neighbours: [], years: 1, floor: 10 },
): Accumulation {
  const byId = new Map(indicators.map((indicator) => [indicator.id, indicator]));
  const inDomains = domains.flatMap((domain) => domain.indicators.map((id) => byId.get(id)!));
  const many = inDomains.map((indicator) => blockIds.map((_, b) => relativelyMany(indicator, b, options.years)));
  const blocks = blockIds.map((id, b): BlockAccumulation => {
    const states: Record<string, DomainState> = {};
    for (const domain of domains) {
      let state: DomainState = 'none';
      for (const id of domain.indicators) {
        const indicator = byId.get(id)!;
        const own = indicatorState(indicator.blocks.at(b), indicator.reference.value);
        if (rank[own] > rank[state]) state = own;
      }
      states[domain.id] = state;
    }
    const values = Object.values(states);
    const min = values.filter((state) => state === 'signal' || state === 'elevated').length;
    const relatively = inDomains.filter((_, i) => many[i]![b]).map((indicator) => indicator.id);
    const block: BlockAccumulation = { id, label: labels[b] ?? id, relatively_many: relatively, domains: states, min, max: min + values.filter((state) => state === 'unknown').length };
    if (options.index) block.index = blockIndex(domains, byId, b);
    return block;
  });
  const concentrations = inDomains.flatMap((indicator, i) => merged(indicator, many[i]!, blockIds, options.neighbours, options.years)).filter((c) => c.numerator >= options.floor);
  concentrations.sort((a, b) => b.numerator - a.numerator || (a.indicator < b.indicator ? -1 : a.indicator > b.indicator ? 1 : 0) || (a.blocks[0]! < b.blocks[0]! ? -1 : 1));
  const inDomain = new Set(inDomains.map((indicator) => indicator.id));
  const outside = indicators.filter((indicator) => !indicator.descriptive && !inDomain.has(indicator.id) && !indicators.some((parent) => parent !== indicator && indicator.id.startsWith(`${parent.id}.`)));
  return { domains: [...domains], blocks, concentrations, outside_domains: outside.map((indicator) => indicator.id) };
}

/**
 * The index of one block over the domains whose every indicator has a value here; a domain with a
 * hidden or missing value is null among the parts (never a partial domain), and a block without
 * any known domain has no index. The interval comes from the indicators' own exact intervals, read
 * as standard errors (width / 3.92) and combined through the averages (independent sources).
 */
function blockIndex(domains: readonly Domain[], byId: ReadonlyMap<string, IndicatorResult>, b: number): BlockIndex | null {
  const parts: { id: string; value: number; se: number }[] = [];
  const unknown: string[] = [];
  for (const domain of domains) {
    const figures = domain.indicators.map((id) => {
      const indicator = byId.get(id)!;
      const block = indicator.blocks.at(b);
      const reference = indicator.reference.value;
      if (reference === null || reference <= 0 || block.value === null || block.lower === null || block.upper === null) return null;
      return { value: (100 * block.value) / reference, se: (100 * (block.upper - block.lower)) / (3.92 * reference) };
    });
    if (figures.some((figure) => figure === null)) {
      unknown.push(domain.id);
      continue;
    }
    const known = figures as { value: number; se: number }[];
    parts.push({ id: domain.id, value: mean(known.map((f) => f.value)), se: Math.sqrt(known.reduce((sum, f) => sum + f.se ** 2, 0)) / known.length });
  }
  if (parts.length === 0) return null;
  const value = mean(parts.map((p) => p.value));
  const se = Math.sqrt(parts.reduce((sum, p) => sum + p.se ** 2, 0)) / parts.length;
  const byDomain = new Map<string, number | null>([...parts.map((p): [string, number | null] => [p.id, round(p.value)!]), ...unknown.map((id): [string, null] => [id, null])]);
  return { value: round(value)!, lower: round(Math.max(0, value - 1.96 * se))!, upper: round(value + 1.96 * se)!, domains: Object.fromEntries(domains.map((d) => [d.id, byDomain.get(d.id) ?? null])) };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Groups of neighbouring qualifying blocks (connected components), each with its pooled value and exact interval. */
function merged(indicator: IndicatorResult, qualifies: readonly boolean[], ids: readonly string[], neighbours: readonly (readonly number[])[], years: number): Concentration[] {
  const seen = new Uint8Array(ids.length);
  const groups: Concentration[] = [];
  for (let start = 0; start < ids.length; start++) {
    if (!qualifies[start] || seen[start]) continue;
    const members: number[] = [];
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const b = stack.pop()!;
      members.push(b);
      for (const n of neighbours[b] ?? []) {
        if (qualifies[n] && !seen[n]) {
          seen[n] = 1;
          stack.push(n);
        }
      }
    }
    members.sort((a, b) => a - b);
    const numerator = members.reduce((sum, b) => sum + indicator.blocks.at(b).numerator!, 0);
    const denominator = members.reduce((sum, b) => sum + indicator.blocks.at(b).denominator!, 0);
    const estimate = indicator.kind === 'share' ? shareInterval(numerator, denominator, indicator.scale) : rateInterval(numerator, denominator * (indicator.per_year ? years : 1), indicator.scale);
    groups.push({ indicator: indicator.id, blocks: members.map((b) => ids[b]!), numerator, denominator, value: round(estimate.value)!, lower: round(estimate.lower)!, upper: round(estimate.upper)! });
  }
  return groups;
}

/** "2", or "2 tot 4" when unknown domains could add to it. */
/** The blocks with the most domains first (known, then possible), in id order among equals. */
export function byStapeling(blocks: readonly BlockAccumulation[]): BlockAccumulation[] {
  return [...blocks].sort((a, b) => b.min - a.min || b.max - a.max || compareIds(a.id, b.id));
}

export function stapelingText(block: Pick<BlockAccumulation, 'min' | 'max'>, lang: 'nl' | 'en'): string {
  return block.max === block.min ? String(block.min) : `${block.min} ${lang === 'nl' ? 'tot' : 'to'} ${block.max}`;
}

/** A domain the project names itself: its id, capitalised, is its label. */
function newDomain(id: string, indicators: string[]): Domain {
  const label = capitalise(id.replace(/_/g, ' '));
  return { id, label: { nl: label, en: label }, indicators };
}

/**
 * The stapeling as an indicator a map can draw: per block the domains known to be signalled or
 * elevated; where unknown domains could add to it (a range), the value is incomplete (open hatching).
 */
export function stapelingIndicator(acc: Accumulation, indicators: readonly IndicatorResult[]): IndicatorResult {
  const label = { nl: 'Opeenstapeling: aantal leefgebieden met een signaal of een verhoogd cijfer', en: 'Accumulation: domains with a signal or an elevated figure' };
  const unit = { nl: 'leefgebieden', en: 'domains' };
  return {
    id: 'stapeling',
    label,
    definition: label,
    unit,
    kind: 'rate',
    scale: 1,
    per_year: false,
    // The count keys behind it (so a map credits every organisation whose data it draws), the samenloop's too.
    numerator: { keys: [...new Set([...acc.domains.flatMap((d) => d.indicators.flatMap((id) => indicators.find((i) => i.id === id)?.numerator.keys ?? [])), ...(acc.samenloop?.markers.flatMap((m) => m.keys) ?? [])])] },
    denominator: { keys: [] },
    reference: { value: null, source: 'area' },
    area: { numerator: null, denominator: null, value: null, lower: null, upper: null, unknown_cells: 0 },
    by_source: [],
    blocks: IndicatorBlocks.from(
      acc.blocks.map((block) => ({
        id: block.id,
        numerator: block.min,
        denominator: null,
        value: block.min,
        lower: block.min,
        upper: block.max,
        ratio: null,
        ratio_lower: null,
        ratio_upper: null,
        small_numbers: false,
        incomplete: block.max > block.min,
        signal: false,
        spatial: null,
      })),
    ),
    signalled: [],
  };
}
