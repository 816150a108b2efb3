import type { Bilingual } from './builtins.js';
import { IndicatorBlocks, type IndicatorBlock } from './blocks.js';
import type { IndicatorResult } from './compute.js';

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
  /** Per domain id. */
  domains: Record<string, DomainState>;
  /** Domains signalled or elevated: at least `min`, at most `max` once the unknown ones are counted too. */
  min: number;
  max: number;
}

export interface Accumulation {
  domains: Domain[];
  blocks: BlockAccumulation[];
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
  for (const [id, list] of Object.entries(regrouped)) if (!domains.some((d) => d.id === id)) domains.push({ id, label: { nl: capitalise(id), en: capitalise(id) }, indicators: [...list] });
  for (const indicator of own) {
    if (!indicator.domain) continue;
    for (const domain of domains) domain.indicators = domain.indicators.filter((i) => i !== indicator.id);
    const domain = domains.find((d) => d.id === indicator.domain);
    if (domain) domain.indicators.push(indicator.id);
    else domains.push({ id: indicator.domain, label: { nl: capitalise(indicator.domain), en: capitalise(indicator.domain) }, indicators: [indicator.id] });
  }
  const present = new Set(indicators.map((i) => i.id));
  return domains.map((d) => ({ ...d, indicators: d.indicators.filter((i) => present.has(i)) })).filter((d) => d.indicators.length > 0);
}

/** One indicator's verdict for one block. */
export function indicatorState(block: IndicatorBlock, reference: number | null): DomainState {
  if (block.signal) return 'signal';
  if (block.suppressed || block.value === null || block.small_numbers) return 'unknown';
  if (reference !== null && block.lower !== null && block.lower > reference) return 'elevated';
  return 'none';
}

const rank: Record<DomainState, number> = { none: 0, unknown: 1, elevated: 2, signal: 3 };

/**
 * Per block and domain the strongest state of the domain's indicators, where "unknown" outranks
 * "none" (a hidden value could be high) but not a known elevation; and the block's stapeling as a
 * range: domains known to be signalled or elevated, and how many more the unknown ones could add.
 */
export function accumulation(indicators: readonly IndicatorResult[], domains: readonly Domain[], blockIds: readonly string[], labels: readonly string[]): Accumulation {
  const byId = new Map(indicators.map((indicator) => [indicator.id, indicator]));
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
    return { id, label: labels[b] ?? id, domains: states, min, max: min + values.filter((state) => state === 'unknown').length };
  });
  return { domains: [...domains], blocks };
}

/** "2", or "2 tot 4" when unknown domains could add to it. */
export function stapelingText(block: Pick<BlockAccumulation, 'min' | 'max'>, lang: 'nl' | 'en'): string {
  return block.max === block.min ? String(block.min) : `${block.min} ${lang === 'nl' ? 'tot' : 'to'} ${block.max}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/_/g, ' ');
}

/**
 * The stapeling as an indicator a map can draw: per block the domains known to be signalled or
 * elevated; where unknown domains could add to it (a range), the value is incomplete (open hatching).
 */
export function stapelingIndicator(acc: Accumulation): IndicatorResult {
  const label = { nl: 'Opeenstapeling: leefgebieden met een signaal of verhoogd', en: 'Accumulation: domains with a signal or elevated' };
  const unit = { nl: 'leefgebieden', en: 'domains' };
  return {
    id: 'stapeling',
    label,
    definition: label,
    unit,
    kind: 'rate',
    scale: 1,
    per_year: false,
    numerator: { keys: acc.domains.flatMap((d) => d.indicators) },
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
