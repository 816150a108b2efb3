import { periodWarning, unplacedRowsWarning } from '../analysis/tally-warnings.js';
import type { Highs } from 'highs';
import { sourceTotals, type AnalysisResult, type BlockRow, type SourceSummary } from '../analysis/result.js';
import { UserError } from '../errors.js';
import { signalsKey } from '../analysis/signals.js';
import type { PrivacyConfig } from '../project/schema.js';
import { auditCells, type AuditResult } from './audit.js';
import { oneThread, type CertificateSharing } from './certificate-thread.js';
import { cellOf, cellsOfTable, protectionRange, release, sourceOfKey, strengthen, suppressByRelation, type CellModel } from './cells.js';

/** The block table an analysis is derived from: per block the counts (null: hidden) and every key's area total. */
export interface CountTable {
  blocks: BlockRow[];
  key_totals: Record<string, number | null>;
  sums: { total: string; parts: string[]; exact: boolean }[];
  /** Keys whose block figures are the message: where secondary suppression needs a partner, their area total gives way first. */
  blockFirst?: readonly string[];
}

/** A count as a shareable output shows it with `privacy.rounding` (CBS-style, to a multiple of 5), or as it is. */
export function roundedCount(value: number, config: Pick<PrivacyConfig, 'rounding'>): number {
  return config.rounding > 0 ? Math.round(value / config.rounding) * config.rounding : value;
}

/** What disclosure control did, for analysis.json and the report's method section. */
export interface DisclosureLog {
  threshold: number;
  suppress_zero: boolean;
  rules: PrivacyConfig['rules'];
  rounding: number;
  /**
   * Every hidden cell (block null: the key's area total). Which of them were small and which hide
   * them is deliberately not said: that would tell an attacker which cells are small.
   */
  suppressed: { block: string | null; key: string }[];
  /** Indicator values per block left out because a count behind them is hidden. */
  suppressed_values: number;
  /** The audit of what is published: every hidden cell's feasibility interval covers its protection. */
  audit: { hidden_cells: number; unprotected: number; components: number; largest_component: number; solves: number; rounds: number };
  /** With --compare-period: the same for the earlier period's table. */
  earlier_period?: DisclosureLog;
}

declare const disclosed: unique symbol;
/**
 * A result every figure of which was derived from a protected table. Only `discloseAnalysis`
 * makes one; the shareable writers take nothing else (or a result marked `internal`).
 */
export type ShareableResult = AnalysisResult & { readonly [disclosed]: true; disclosure: DisclosureLog };

/** A key's counts per block in block order, as the blocks' `counts` hold them. */
export type KeyColumn = (key: string) => ArrayLike<number>;

/**
 * The block table with its area totals, and whether each sum's parts add up to its total in every
 * block. `column` reads a key's counts without the blocks' objects (a country's 460,000 blocks
 * by 60 keys were seconds of property lookups); the figures are the same.
 */
export function countTable(blocks: BlockRow[], sums: readonly { total: string; parts: string[] }[], blockFirst: readonly string[] = [], column: KeyColumn = (key) => blocks.map((block) => block.counts[key] ?? 0)): CountTable {
  const keys = Object.keys(blocks[0]?.counts ?? {});
  const key_totals: Record<string, number> = {};
  for (const key of keys) {
    const counts = column(key);
    let total = 0;
    for (let b = 0; b < counts.length; b++) total += counts[b]!;
    key_totals[key] = Math.round(total * 1e6) / 1e6;
  }
  const exact = (total: string, parts: string[]) => {
    const totals = column(total);
    const partCounts = parts.map(column);
    for (let b = 0; b < totals.length; b++) {
      let sum = 0;
      for (const counts of partCounts) sum += counts[b]!;
      if (!(Math.abs(totals[b]! - sum) < 1e-9)) return false;
    }
    return true;
  };
  return { blocks, key_totals, sums: sums.map(({ total, parts }) => ({ total, parts, exact: exact(total, parts) })), blockFirst };
}

/**
 * Disclosure control as the first step of every shareable output: protects the block table, then
 * derives the whole result (indicators, intervals, hot spots, comparisons, sentences) from the
 * protected table, where hidden cells are missing. What no derivation can see, it cannot give away.
 * The source tallies that equal a hidden area total are hidden as well.
 */
export function discloseAnalysis(table: CountTable, config: PrivacyConfig, highs: Highs, derive: (table: CountTable) => AnalysisResult, comparing = false, sharing: CertificateSharing = oneThread()): ShareableResult {
  const { table: shown, log } = protectCounts(table, config, highs, sharing);
  const result = derive(shown);
  let suppressedValues = 0;
  for (const indicator of result.indicators) for (let b = 0; b < indicator.blocks.length; b++) if (indicator.blocks.suppressed(b)) suppressedValues++;
  const hiddenTotals = Object.keys(shown.key_totals).filter((key) => shown.key_totals[key] === null);
  const sources = result.sources.map((source) => {
    // The known totals of unplaced rows relate to nothing else shown, but a null among them would
    // say "small": they stay on the gebiedsmakelaar's machine.
    const { unplaced_totals: _unplaced, prepared, ...rest } = source;
    // A share's hash is an oracle: a share is small and follows from its block counts, so whoever
    // hashes every table that fits the published cells finds the hidden ones. It stays internal.
    const protectedSource: SourceSummary = prepared ? { ...rest, prepared: { manifest: prepared.manifest, request: prepared.request } } : rest;
    // With a comparison period, the rows outside this period include the earlier period's total.
    if (comparing && source.period) Object.assign(protectedSource, { rows_outside_period: null, rows_without_date: null });
    if (source.kind === 'aggregated' || !hiddenTotals.some(rowsAddUpTo(source))) return protectedSource;
    // rows_placed, less the rows outside the period, is the hidden area total.
    return { ...protectedSource, rows_read: null, rows_placed: null, match_levels: null, ...(source.period ? { rows_outside_period: null, rows_without_date: null } : {}) };
  });
  // With rounding on, the row tallies are rounded as every other count (and the warnings say them so).
  const round = <T extends number | null | undefined>(value: T): T => (typeof value === 'number' ? roundedCount(value, config) : value) as T;
  const shownSources = config.rounding > 0 ? sources.map((source) => roundedTallies(source, round)) : sources;
  // Soft signals whose rows are hidden are left out of the totals (said in the summary), so the figures' rows still add up.
  const counted = sources.filter((source) => !((source.kind === 'signals' || source.kind === 'survey') && source.rows_placed === null));
  const complete = counted.every((source) => source.rows_placed !== null);
  const { rows_read, rows_placed, rows_unplaced, placed_share } = counted.length === sources.length ? result.totals : sourceTotals(counted as SourceSummary[]);
  const totals = complete ? { rows_read: round(rows_read), rows_placed: round(rows_placed), rows_unplaced: round(rows_unplaced), placed_share } : { rows_read: null, rows_placed: null, rows_unplaced: null, placed_share: null };
  // The kinds of soft source repeat their rows: as the sources show them.
  const signals = result.signals && { ...result.signals, kinds: result.signals.kinds.map((kind) => ({ ...kind, rows: shownSources.find((source) => source.name === kind.source)?.rows_placed ?? null })) };
  return { ...result, ...(signals ? { signals } : {}), sources: shownSources, totals, warnings: shareableWarnings(result.warnings, shownSources), disclosure: { ...log, suppressed_values: suppressedValues } } as ShareableResult;
}

/**
 * The keys whose area totals a source's rows add up to, where every row counts once: a record
 * source's own key; every theme of the soft signals (all signal sources share them); a survey's
 * questions, where everyone answered. With one of those totals hidden, the rows would give it away.
 */
function rowsAddUpTo(source: SourceSummary): (key: string) => boolean {
  if (source.kind === 'signals') return (key) => key.startsWith(`${signalsKey}[`);
  if (source.kind === 'survey') return (key) => key.startsWith(`${source.name}.`);
  return (key) => key === source.name;
}

/**
 * Primary suppression of every cell (block or area total) in its key's range, secondary
 * suppression over every published relation, then the audit; where the audit finds a cell that
 * can be narrowed below its protection, more is hidden and the audit runs again. Optional rounding
 * of what is shown comes last.
 */
export function protectCounts(table: CountTable, config: PrivacyConfig, highs: Highs, sharing: CertificateSharing = oneThread()): { table: CountTable; log: Omit<DisclosureLog, 'suppressed_values'> } {
  const model = cellModel(table, config);
  const width = model.blockIds.length + 1;
  model.keys.forEach((key, k) => {
    const range = protectionRange(key, config);
    for (let b = 0; b < width; b++) if (inRange(model.values[k * width + b]!, range)) model.hidden[k * width + b] = 1;
  });
  let audit: AuditResult;
  let rounds = 0;
  const settled = new Uint8Array(model.values.length);
  // The audit names its cells by key and block id: their indexes by lookup, not a search of a city's 25,000 ids per cell.
  const indexOf = (ids: readonly string[]) => {
    const index = new Map<string, number>();
    ids.forEach((id, i) => index.has(id) || index.set(id, i));
    return (id: string) => index.get(id) ?? -1;
  };
  const keyIndex = indexOf(model.keys);
  const blockIndex = indexOf(model.blockIds);
  for (;;) {
    suppressByRelation(model);
    audit = auditCells(model, highs, 'check', undefined, settled, sharing);
    rounds++;
    // A range from the floor up to the protection only widens as later rounds hide more, so it stays settled;
    // a cell protected by being provably large is not: more hidden cells can widen its range downwards
    // (an attacker's pass found one at 2 to 12 after a later round).
    for (const cell of audit.cells) if (cell.protected && cell.lower <= model.floors[keyIndex(cell.key)]!) settled[cellOf(model, keyIndex(cell.key), cell.block === null ? model.blockIds.length : blockIndex(cell.block))] = 1;
    if (audit.unprotected.length === 0) break;
    if (rounds === 25) {
      const cell = audit.unprotected[0]!;
      throw new UserError(`disclosure control cannot protect ${audit.unprotected.length} hidden cells, for example ${cell.key} in ${cell.block ?? 'the area total'} (could be ${cell.lower} to ${cell.upper ?? 'any'})`, {
        expected: 'a table in which every hidden count could be anywhere from the least it can be (1 for whole counts) to the threshold',
        fix: 'report this as a bug; meanwhile raise privacy.threshold or leave the source out of the shareable run',
      });
    }
    // Two rounds of the cheapest partners; after that, what still is not protected is released wholly.
    for (const cell of audit.unprotected) (rounds <= 2 ? strengthen : release)(model, keyIndex(cell.key), cell.block === null ? width - 1 : blockIndex(cell.block));
  }

  const keyTotals: Record<string, number | null> = {};
  const suppressed: DisclosureLog['suppressed'] = [];
  const blocks = table.blocks.map((block) => ({ ...block, counts: { ...block.counts } }));
  model.keys.forEach((key, k) => {
    for (let b = 0; b < width; b++) {
      const cell = k * width + b;
      const value = model.hidden[cell] ? null : roundedCount(model.values[cell]!, config);
      if (value === null) suppressed.push({ block: b === width - 1 ? null : model.blockIds[b]!, key });
      if (b === width - 1) keyTotals[key] = value;
      else blocks[b]!.counts[key] = value;
    }
  });
  return {
    table: { blocks, key_totals: keyTotals, sums: table.sums, blockFirst: table.blockFirst },
    log: {
      threshold: config.threshold,
      suppress_zero: config.suppress_zero,
      rules: config.rules,
      rounding: config.rounding,
      suppressed,
      audit: { hidden_cells: audit.cells.length, unprotected: 0, components: audit.components, largest_component: audit.largest_component, solves: audit.solves, rounds },
    },
  };
}

/** The cells of a counted table, with the relations that every shareable output publishes. */
export function cellModel(table: CountTable, config: PrivacyConfig): CellModel {
  const keys = Object.keys(table.key_totals);
  validateRules(config, keys);
  return cellsOfTable(table.blocks, table.key_totals, table.sums, keys, config, table.blockFirst);
}

/**
 * Warnings that repeat a source's tallies say them as the shareable summary has them: hidden where
 * the source's area total is, rounded with rounding on. Other warnings carry no counts of records in blocks.
 */
function shareableWarnings(warnings: AnalysisResult['warnings'], sources: SourceSummary[]): AnalysisResult['warnings'] {
  return warnings.map((warning) => {
    const source = sources.find((s) => s.name === warning.source);
    if (!source || source.kind === 'aggregated') return warning;
    if (warning.code === 'rows_unplaced') return unplacedRowsWarning(source.name, source.rows_unplaced, source.rows_read, source.unplaced_reasons);
    if (warning.code === 'period') return periodWarning(source.name, source.period!, source.rows_outside_period ?? null, source.rows_without_date ?? null);
    return warning;
  });
}

function roundedTallies(source: SourceSummary, round: <T extends number | null | undefined>(value: T) => T): SourceSummary {
  const roundAll = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).map(([key, value]) => [key, round(value)]));
  return {
    ...source,
    rows_read: round(source.rows_read),
    rows_placed: round(source.rows_placed),
    rows_unplaced: round(source.rows_unplaced),
    unplaced_reasons: roundAll(source.unplaced_reasons),
    ...(source.match_levels ? { match_levels: roundAll(source.match_levels as unknown as Record<string, number>) as unknown as typeof source.match_levels } : {}),
    ...(source.rows_outside_period !== undefined ? { rows_outside_period: round(source.rows_outside_period), rows_without_date: round(source.rows_without_date) } : {}),
  };
}

/** Whole counts from min to max; a fraction (a polygon's share) between them as well, so 0.4 of a signal is as hidden as 1. */
function inRange(value: number, range: { min: number; max: number }): boolean {
  return value > range.min - 1 && value < range.max + 1;
}

/** A rule must name a source or count key of the project and keep min ≤ max. */
function validateRules(config: PrivacyConfig, keys: readonly string[]) {
  const sources = new Set(keys.map(sourceOfKey));
  for (const [name, rule] of Object.entries(config.rules)) {
    if (rule.min > rule.max) {
      throw new UserError(`privacy.rules.${name}: min ${rule.min} is above max ${rule.max}, which would protect nothing`, {
        expected: 'min ≤ max, for example { min: 0, max: 7 } for care data',
        fix: `write privacy: { rules: { ${name}: { min: ${rule.max}, max: ${rule.min} } } } if the numbers were swapped`,
      });
    }
    if (!sources.has(name) && !keys.includes(name) && !keys.some((key) => key.replace(/\[.*$/, '') === name)) {
      const known = [...sources];
      throw new UserError(`privacy.rules.${name} names no source or count key of this project, so it would protect nothing`, {
        expected: `a source (${known.join(', ')}) or a count key such as ${keys[0] ?? 'zorg.clienten'}`,
        fix: 'correct the name under privacy: rules: in buurtbalans.yml',
      });
    }
  }
}
