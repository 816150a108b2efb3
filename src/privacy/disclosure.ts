import type { AnalysisResult } from '../analysis/result.js';
import { Float64Arena } from '../arena.js';
import { IndicatorBlocks } from '../indicators/blocks.js';
import type { PrivacyConfig } from '../project/schema.js';

export interface SuppressedCell {
  block: string;
  key: string;
  rule: 'primary' | 'secondary';
  reason: string;
}

/** What disclosure control did, for analysis.json and the report's method section. */
export interface DisclosureLog {
  threshold: number;
  suppress_zero: boolean;
  rules: PrivacyConfig['rules'];
  rounding: number;
  suppressed: SuppressedCell[];
  /** Indicator values (per block and for the area) left out because a count behind them is suppressed. */
  suppressed_values: number;
}

/**
 * The shareable version of an analysis result. Primary suppression: every count in the suppressed
 * range (default 1–4) becomes null, and so does every value computed from it. Secondary
 * suppression: where a group that adds up (a key over all blocks and its area total; categories
 * and their total within a block) has exactly one suppressed cell, the smallest other non-zero
 * cell is suppressed too, until no cell can be recovered by subtraction. Then optional rounding.
 * Applied before any map or report sees the data.
 */
export function discloseResult(internal: AnalysisResult, config: PrivacyConfig): AnalysisResult {
  // A copy of what disclosure changes (counts, indicator values, comparison groups); the rest is
  // shared. A deep clone of a country's result took a minute and twice its memory. The indicators'
  // figures share a few large buffers (see Float64Arena).
  const arena = new Float64Arena(16 * IndicatorBlocks.numbersPerBlock * internal.blocks.length);
  const result: AnalysisResult = {
    ...internal,
    blocks: internal.blocks.map((block) => ({ ...block, counts: { ...block.counts } })),
    indicators: internal.indicators.map((indicator) => ({ ...indicator, area: { ...indicator.area }, blocks: indicator.blocks.copy(arena) })),
    comparisons: structuredClone(internal.comparisons),
  };
  const keys = Object.keys(result.blocks[0]?.counts ?? {});
  const blockCount = result.blocks.length;
  const log: SuppressedCell[] = [];
  // The counts and a suppressed flag per (key, block) as typed columns: a country has 28 million
  // cells, and pairs of (block, key) per group took a minute there.
  const keyIndex = new Map(keys.map((key, k) => [key, k]));
  const values = new Float64Array(keys.length * blockCount);
  keys.forEach((key, k) => internal.blocks.forEach((block, b) => (values[k * blockCount + b] = block.counts[key] ?? 0)));
  const flags = new Uint8Array(keys.length * blockCount);
  /** Suppressed cells per key: a key over the blocks is a group that adds up. */
  const hiddenInKey = new Int32Array(keys.length);
  const suppress = (k: number, b: number) => {
    flags[k * blockCount + b] = 1;
    hiddenInKey[k]!++;
  };
  const isSuppressed = (k: number, b: number) => flags[k * blockCount + b] === 1;
  const value = (k: number, b: number) => values[k * blockCount + b]!;

  keys.forEach((key, k) => {
    const range = rangeFor(key, config);
    for (let b = 0; b < blockCount; b++) {
      const count = value(k, b);
      if (count >= range.min && count <= range.max) {
        suppress(k, b);
        log.push({ block: result.blocks[b]!.id, key, rule: 'primary', reason: `${range.label}` });
      }
    }
  });

  // Groups whose sum is published or implied: a key over the blocks (its area total is in the
  // indicators), and within a block a total with its categories. Where a group has exactly one
  // suppressed cell, its smallest other non-zero cell (ties: the first) is suppressed too.
  const secondary = (hidden: [number, number], pick: [number, number] | undefined, label: string) => {
    if (!pick) return false;
    suppress(pick[0], pick[1]);
    log.push({ block: result.blocks[pick[1]]!.id, key: keys[pick[0]]!, rule: 'secondary', reason: `${label}: otherwise ${result.blocks[hidden[1]]!.id} ${keys[hidden[0]]} could be recovered by subtraction` });
    return true;
  };
  /** The smallest non-zero cell that is not suppressed, first among equals. */
  const smallest = (cells: Iterable<[number, number]>) => {
    let pick: [number, number] | undefined;
    for (const [k, b] of cells) if (!isSuppressed(k, b) && value(k, b) > 0 && (!pick || value(k, b) < value(pick[0], pick[1]))) pick = [k, b];
    return pick;
  };
  function* column(k: number): Generator<[number, number]> {
    for (let b = 0; b < blockCount; b++) yield [k, b];
  }
  const sums = result.sums.map(({ total, parts }) => ({ total, cells: [total, ...parts].map((key) => keyIndex.get(key)!) }));
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = 0; k < keys.length; k++) {
      if (hiddenInKey[k] !== 1) continue;
      let hidden = 0;
      while (!isSuppressed(k, hidden)) hidden++;
      changed = secondary([k, hidden], smallest(column(k)), `${keys[k]} over the blocks adds up to the area total`) || changed;
    }
    for (const { total, cells } of sums) {
      for (let b = 0; b < blockCount; b++) {
        const hidden = cells.filter((k) => isSuppressed(k, b));
        if (hidden.length !== 1) continue;
        changed = secondary([hidden[0]!, b], smallest(cells.map((k) => [k, b] as [number, number])), `the categories of ${total} add up to its total in block ${result.blocks[b]!.id}`) || changed;
      }
    }
  }

  keys.forEach((key, k) => {
    for (let b = 0; b < blockCount; b++) {
      const counts = result.blocks[b]!.counts;
      if (isSuppressed(k, b)) counts[key] = null;
      else if (config.rounding > 0) counts[key] = Math.round(value(k, b) / config.rounding) * config.rounding;
    }
  });

  let suppressedValues = 0;
  for (const indicator of result.indicators) {
    const inputs = [...indicator.numerator.keys, ...indicator.denominator.keys].filter((key) => key !== 'addresses').map((key) => keyIndex.get(key)!);
    const threshold = config.threshold;
    const blocks = indicator.blocks;
    for (let b = 0; b < blocks.length; b++) {
      const numerator = blocks.figure(b, 'numerator');
      const small = numerator !== null && numerator > 0 && numerator < threshold;
      if (!small && !inputs.some((k) => isSuppressed(k, b))) continue;
      suppressedValues++;
      blocks.set(b, { ...blocks.at(b), numerator: null, denominator: null, value: null, lower: null, upper: null, ratio: null, ratio_lower: null, ratio_upper: null, signal: false, suppressed: true, spatial: null });
    }
    const area = indicator.area;
    if (area.numerator !== null && area.numerator > 0 && area.numerator < threshold) {
      suppressedValues++;
      Object.assign(area, { numerator: null, value: null, lower: null, upper: null });
    }
    indicator.signalled = blocks.ids.filter((_, b) => blocks.signal(b));
  }
  for (const comparison of result.comparisons) {
    for (const group of [...comparison.groups, ...comparison.exposures.flatMap((e) => [e.rate_ratio.exposed, e.rate_ratio.others])]) {
      if (group.events > 0 && group.events < config.threshold) Object.assign(group, { events: null, rate: null, lower: null, upper: null });
    }
  }
  result.disclosure = { threshold: config.threshold, suppress_zero: config.suppress_zero, rules: config.rules, rounding: config.rounding, suppressed: log, suppressed_values: suppressedValues };
  return result;
}

function rangeFor(key: string, config: PrivacyConfig): { min: number; max: number; label: string } {
  const rule = config.rules[key] ?? config.rules[key.replace(/\[.*$/, '')] ?? config.rules[key.split('.')[0]!.replace(/\[.*$/, '')];
  if (rule) return { min: rule.min, max: rule.max, label: `${rule.min}–${rule.max} geheim (rule for ${key.split('.')[0]!.replace(/\[.*$/, '')})` };
  const min = config.suppress_zero ? 0 : 1;
  return { min, max: config.threshold - 1, label: `${min}–${config.threshold - 1}: below the threshold of ${config.threshold}` };
}

