import type { AnalysisResult } from '../analysis/result.js';
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
  // shared. A deep clone of a country's result took a minute and twice its memory.
  const result: AnalysisResult = {
    ...internal,
    blocks: internal.blocks.map((block) => ({ ...block, counts: { ...block.counts } })),
    indicators: internal.indicators.map((indicator) => ({ ...indicator, area: { ...indicator.area }, blocks: indicator.blocks.copy() })),
    comparisons: structuredClone(internal.comparisons),
  };
  const keys = Object.keys(result.blocks[0]?.counts ?? {});
  const log: SuppressedCell[] = [];
  // One flag per (block, key), indexed by number: a city has a million cells.
  const keyIndex = new Map(keys.map((key, k) => [key, k]));
  const flags = new Uint8Array(result.blocks.length * keys.length);
  const suppressed = {
    has: (c: number) => flags[c] === 1,
    add: (c: number) => {
      flags[c] = 1;
    },
  };
  const cell = (block: number, key: string) => block * keys.length + keyIndex.get(key)!;
  const value = (block: number, key: string) => internal.blocks[block]!.counts[key] ?? 0;

  for (const key of keys) {
    const range = rangeFor(key, config);
    result.blocks.forEach((block, b) => {
      const count = value(b, key);
      if (count >= range.min && count <= range.max) {
        suppressed.add(cell(b, key));
        log.push({ block: block.id, key, rule: 'primary', reason: `${range.label}` });
      }
    });
  }

  // Groups whose sum is published or implied: a key over the blocks (its area total is in the
  // indicators), and within a block a total with its categories.
  const groups: { cells: [number, string][]; label: string }[] = keys.map((key) => ({ cells: result.blocks.map((_, b) => [b, key] as [number, string]), label: `${key} over the blocks adds up to the area total` }));
  for (const { total, parts } of result.sums) {
    result.blocks.forEach((block, b) => groups.push({ cells: [[b, total], ...parts.map((k) => [b, k] as [number, string])], label: `the categories of ${total} add up to its total in block ${block.id}` }));
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of groups) {
      const hidden = group.cells.filter(([b, k]) => suppressed.has(cell(b, k)));
      if (hidden.length !== 1) continue;
      const candidates = group.cells.filter(([b, k]) => !suppressed.has(cell(b, k)) && value(b, k) > 0).sort((x, y) => value(x[0], x[1]) - value(y[0], y[1]) || x[0] - y[0]);
      const pick = candidates[0];
      if (!pick) continue;
      suppressed.add(cell(pick[0], pick[1]));
      log.push({ block: result.blocks[pick[0]]!.id, key: pick[1], rule: 'secondary', reason: `${group.label}: otherwise ${result.blocks[hidden[0]![0]]!.id} ${hidden[0]![1]} could be recovered by subtraction` });
      changed = true;
    }
  }

  result.blocks.forEach((block, b) => {
    for (const key of keys) {
      if (suppressed.has(cell(b, key))) block.counts[key] = null;
      else if (config.rounding > 0) block.counts[key] = Math.round(value(b, key) / config.rounding) * config.rounding;
    }
  });

  let suppressedValues = 0;
  for (const indicator of result.indicators) {
    const inputs = [...indicator.numerator.keys, ...indicator.denominator.keys].filter((key) => key !== 'addresses');
    const threshold = config.threshold;
    for (const [b, block] of indicator.blocks.entries()) {
      const small = block.numerator !== null && block.numerator > 0 && block.numerator < threshold;
      if (!small && !inputs.some((key) => suppressed.has(cell(b, key)))) continue;
      suppressedValues++;
      indicator.blocks.set(b, { ...block, numerator: null, denominator: null, value: null, lower: null, upper: null, ratio: null, ratio_lower: null, ratio_upper: null, signal: false, suppressed: true, spatial: null });
    }
    const area = indicator.area;
    if (area.numerator !== null && area.numerator > 0 && area.numerator < threshold) {
      suppressedValues++;
      Object.assign(area, { numerator: null, value: null, lower: null, upper: null });
    }
    indicator.signalled = indicator.blocks.filter((block) => block.signal).map((block) => block.id);
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

