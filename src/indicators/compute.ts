import type { BlockRow } from '../analysis/result.js';
import { UserError } from '../errors.js';
import { suggestion } from '../text.js';
import type { Period } from '../filter/period.js';
import type { IndicatorConfig, Thresholds } from '../project/schema.js';
import { rateInterval, shareInterval, type Estimate } from '../stats/intervals.js';
import { builtinIndicators, type Bilingual, type IndicatorDefinition } from './builtins.js';
import { Float64Arena } from '../arena.js';
import { IndicatorBlocks } from './blocks.js';
import type { Progress } from '../progress.js';
import { categoryKeys, perBlock, resolveMeasure, type Measure } from './measures.js';

export interface IndicatorResult {
  id: string;
  label: Bilingual;
  definition: Bilingual;
  unit: Bilingual;
  kind: 'rate' | 'share';
  scale: number;
  per_year: boolean;
  numerator: { keys: string[] };
  denominator: { keys: string[] };
  reference: { value: number | null; source: 'project' | 'area' };
  area: { numerator: number | null; denominator: number | null; value: number | null; lower: number | null; upper: number | null; unknown_cells: number };
  /** Where the numerator sums several sources (corporations): the area total of each. */
  by_source: { key: string; numerator: number | null }[];
  blocks: IndicatorBlocks;
  signalled: string[];
  /** Describes the blocks without a direction: never a signal or a finding (see IndicatorDefinition). */
  descriptive?: true;
}

export interface SkippedIndicator {
  id: string;
  /** In English, for scripts that read analysis.json. */
  reason: string;
  /** The reason in both languages. */
  text: Bilingual;
  /** The measures or keys the project has not mapped (a built-in whose inputs are simply absent). */
  missing?: string[];
}

export interface IndicatorContext {
  /** For error messages about the project's own indicators. */
  projectFile: string;
  blocks: readonly BlockRow[];
  /** Every key's area total; null where disclosure control hid it. */
  totals: Readonly<Record<string, number | null>>;
  /** Categories that add up to a key: only these are split into an indicator per category (flags are no categories). */
  sums: readonly { total: string; parts: string[] }[];
  measures: Readonly<Record<string, string | string[]>>;
  references: Readonly<Record<string, number>>;
  thresholds: Thresholds;
  period: Period | undefined;
  progress?: Progress | undefined;
}

/**
 * Computes the built-in and the project's own indicators per block and for the area, each against
 * its reference with exact intervals. An indicator whose inputs the project lacks is skipped with a note.
 */
export function computeIndicators(userIndicators: readonly IndicatorConfig[], context: IndicatorContext, defaults: readonly IndicatorDefinition[] = []): { indicators: IndicatorResult[]; skipped: SkippedIndicator[] } {
  const indicators: IndicatorResult[] = [];
  const skipped: SkippedIndicator[] = [];
  const definitions = [...builtinIndicators.map((d) => ({ ...d, own: false })), ...defaults.map((d) => ({ ...d, own: false })), ...userIndicators.map((c) => ({ ...fromConfig(c), own: true }))];
  // The blocks' figures of sixteen indicators per buffer, and each measure resolved once (most
  // indicators share a denominator): few large buffers instead of a new one per indicator.
  const arena = new Float64Arena(16 * IndicatorBlocks.numbersPerBlock * context.blocks.length);
  const resolved = new Map<string, ReturnType<typeof resolveMeasure>>();
  const measure = (reference: string | string[]) => {
    const key = JSON.stringify(reference);
    if (!resolved.has(key)) resolved.set(key, resolveMeasure(reference, context.blocks, context.measures));
    return resolved.get(key)!;
  };
  for (const [done, definition] of definitions.entries()) {
    context.progress?.('computing the indicators', done, definitions.length);
    const numerator = measure(definition.numerator);
    const denominator = measure(definition.denominator);
    if ('missing' in numerator || 'missing' in denominator) {
      const missing = [...('missing' in numerator ? numerator.missing : []), ...('missing' in denominator ? denominator.missing : [])];
      if (definition.own) {
        const known = [...new Set(['addresses', ...Object.keys(context.measures), ...Object.keys(context.blocks[0]?.counts ?? {})])];
        throw new UserError(`indicator ${definition.id}: "${missing[0]}" is no measure or count key`, {
          file: context.projectFile,
          expected: 'a name from measures:, addresses, <source>, <source>.<column> or <source>[<flag or category>]',
          fix: suggestion(missing[0]!, known),
        });
      }
      skipped.push(skippedFor(definition.id, missing, { en: ' (map it under measures: in buurtbalans.yml)', nl: ' (koppel die onder measures: in buurtbalans.yml)' }));
      continue;
    }
    if (definition.per_year && !context.period) {
      const text = { en: 'a rate per year needs a period (period: in buurtbalans.yml, or --period)', nl: 'een aantal per jaar vraagt een periode (period: in buurtbalans.yml, of --period)' };
      skipped.push({ id: definition.id, reason: text.en, text });
      continue;
    }
    indicators.push(indicator(definition, numerator, denominator, context, arena));
    if (definition.by_category && numerator.keys.length === 1) {
      for (const { key, category } of categoryKeys(numerator.keys[0]!, context.sums)) {
        const part = measure(key) as Measure;
        const sub: IndicatorDefinition = {
          ...definition,
          id: `${definition.id}.${category}`,
          label: { nl: `${definition.label.nl}: ${category}`, en: `${definition.label.en}: ${category}` },
          // The total's definition, narrowed: a category's page must not read as the total's.
          definition: { nl: `${definition.definition.nl} Alleen de categorie „${category}”.`, en: `${definition.definition.en} Only the category “${category}”.` },
          reference: context.references[`${definition.id}.${category}`],
        };
        indicators.push(indicator(sub, part, denominator, context, arena));
      }
    }
  }
  return { indicators, skipped };
}

function fromConfig(config: IndicatorConfig): IndicatorDefinition {
  const label = typeof config.label === 'string' ? { nl: config.label, en: config.label } : config.label;
  const definition = config.definition === undefined ? label : typeof config.definition === 'string' ? { nl: config.definition, en: config.definition } : config.definition;
  const per = config.scale === 1 ? '' : `per ${config.scale.toLocaleString('en')} `;
  return {
    id: config.id,
    label,
    definition,
    unit: { nl: `${per.replace(',', '.')}${config.per_year ? 'per jaar' : ''}`.trim(), en: `${per}${config.per_year ? 'per year' : ''}`.trim() },
    numerator: config.numerator,
    denominator: config.denominator,
    kind: config.kind,
    scale: config.scale,
    per_year: config.per_year,
    by_category: false,
    reference: config.reference,
  };
}

function indicator(definition: IndicatorDefinition, numerator: Measure, denominator: Measure, context: IndicatorContext, arena: Float64Arena): IndicatorResult {
  const { thresholds } = context;
  const years = definition.per_year ? context.period!.years : 1;
  const estimate = (events: number, units: number, confidence = 0.95): Estimate =>
    definition.kind === 'share' ? shareInterval(events, units, definition.scale, confidence) : rateInterval(events, units * years, definition.scale, confidence);
  // A signal must hold for every block at once: its interval is Bonferroni-adjusted for the number of blocks.
  const signalConfidence = 1 - 0.05 / Math.max(1, context.blocks.length);
  // The area's figures come from the keys' area totals (hidden blocks included), never from the shown blocks alone.
  const totalNumerator = areaTotal(numerator.keys, context);
  const totalDenominator = areaTotal(denominator.keys, context);
  const area = totalNumerator === null || totalDenominator === null ? { value: null, lower: null, upper: null } : estimate(totalNumerator, totalDenominator);
  const projectReference = definition.reference ?? context.references[definition.id];
  const reference = projectReference ?? area.value;
  const ratio = (value: number | null) => (value === null || reference === null || reference === undefined || reference <= 0 ? null : value / reference);

  const countsPerBlock = denominator.keys.length === 1 && denominator.keys[0] === perBlock;
  const blocks = IndicatorBlocks.empty(context.blocks.map((block) => block.id), arena);
  context.blocks.forEach((_, b) => {
    if (numerator.hidden[b] || denominator.hidden[b]) {
      // Hidden by disclosure control: nothing computed from it, and the same flags for every hidden block.
      blocks.set(b, { ...hiddenBlock, incomplete: numerator.unknown[b]! + denominator.unknown[b]! > 0 });
      return;
    }
    const events = numerator.values[b]!;
    const units = denominator.values[b]!;
    const value = estimate(events, units);
    const blockRatio = ratio(value.value);
    blocks.set(b, {
      numerator: events,
      denominator: units,
      value: round(value.value),
      lower: round(value.lower),
      upper: round(value.upper),
      ratio: round(blockRatio),
      ratio_lower: round(ratio(value.lower)),
      ratio_upper: round(ratio(value.upper)),
      // A count per block has no population under it: only its own size makes it small.
      small_numbers: events < thresholds.min_events || (!countsPerBlock && units < thresholds.min_homes),
      incomplete: numerator.unknown[b]! + denominator.unknown[b]! > 0,
      signal:
        !definition.descriptive &&
        units > 0 &&
        events >= thresholds.signal_events &&
        blockRatio !== null &&
        blockRatio >= thresholds.signal_ratio &&
        (!thresholds.signal_interval || (ratio(estimate(events, units, signalConfidence).lower) ?? 0) > 1),
      spatial: null,
    });
  });
  return {
    id: definition.id,
    label: definition.label,
    definition: definition.definition,
    unit: definition.unit,
    kind: definition.kind,
    scale: definition.scale,
    per_year: definition.per_year,
    numerator: { keys: numerator.keys },
    denominator: { keys: denominator.keys },
    reference: { value: round(reference ?? null), source: projectReference === undefined ? 'area' : 'project' },
    area: {
      numerator: totalNumerator,
      denominator: totalDenominator,
      value: round(area.value),
      lower: round(area.lower),
      upper: round(area.upper),
      unknown_cells: sum(numerator.unknown) + sum(denominator.unknown),
    },
    by_source: numerator.keys.length > 1 ? numerator.keys.map((key) => ({ key, numerator: areaTotal([key], context) })) : [],
    blocks,
    signalled: blocks.filter((block) => block.signal).map((block) => block.id),
    ...(definition.descriptive ? { descriptive: true as const } : {}),
  };
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return Math.round(total * 1e6) / 1e6;
}

/** The area total of a measure's keys; null when disclosure control hid any of them. */
function areaTotal(keys: readonly string[], context: IndicatorContext): number | null {
  let total = 0;
  for (const key of keys) {
    const part = key === 'addresses' ? sum(context.blocks.map((block) => block.addresses)) : key === perBlock ? context.blocks.length : context.totals[key];
    if (part === null || part === undefined) return null;
    total += part;
  }
  return Math.round(total * 1e6) / 1e6;
}

const hiddenBlock = {
  numerator: null,
  denominator: null,
  value: null,
  lower: null,
  upper: null,
  ratio: null,
  ratio_lower: null,
  ratio_upper: null,
  small_numbers: true,
  incomplete: false,
  signal: false,
  spatial: null,
  suppressed: true,
};

/** Six decimals: enough for any rate here, and stable bytes in analysis.json. */
export function round(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : Math.round(value * 1e6) / 1e6;
}

/** Skipped because the project has no data for some of its inputs. */
export function skippedFor(id: string, missing: string[], advice: Bilingual = { nl: '', en: '' }): SkippedIndicator {
  const names = missing.map((m) => `"${m}"`).join(', ');
  const text = { en: `no data for ${names}${advice.en}`, nl: `geen gegevens voor ${names}${advice.nl}` };
  return { id, reason: text.en, text, missing };
}
