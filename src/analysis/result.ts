import type { Accumulation } from '../indicators/accumulation.js';
import type { Warning } from '../errors.js';
import type { Thresholds } from '../project/schema.js';
import type { Pc6Split } from '../join/register.js';
import type { MatchLevels } from '../join/place.js';
import type { ComparisonResult } from '../indicators/compare.js';
import { IndicatorBlocks, type IndicatorBlock } from '../indicators/blocks.js';
import type { IndicatorResult, SkippedIndicator } from '../indicators/compute.js';
import type { Finding } from '../indicators/sentences.js';
import type { PeriodComparison } from '../indicators/change.js';
import type { SpatialSummary } from '../indicators/spatial.js';
import type { DisclosureLog } from '../privacy/disclosure.js';
import type { SignalsSummary } from './signals.js';
import type { SurveyResult } from './survey.js';

/**
 * The contract between the analysis and every output (analysis.json, maps, reports).
 * JSON-serialisable data (an indicator's blocks are columns that serialise as plain blocks);
 * nothing downstream recomputes it.
 */
export interface AnalysisResult {
  tool: { name: string; version: string };
  /** `lang`: the language the outputs were written in; map and report made from the folder default to it. */
  project: { name: string; period: string | null; file: string; lang?: 'nl' | 'en' };
  blocks_file: { file: string; crs: string; features: number };
  register: RegisterSummary | null;
  sources: SourceSummary[];
  blocks: BlockRow[];
  /** Every count key's area total (the sum over all blocks, hidden ones included); null where disclosure control hid it. */
  key_totals: Record<string, number | null>;
  pc6_split: Pc6Split[];
  /** Over all sources; null where a source's rows are hidden (see SourceSummary). */
  totals: { rows_read: number | null; rows_placed: number | null; rows_unplaced: number | null; placed_share: number | null };
  /** Built-in and project indicators, per block and for the area, against their references. */
  indicators: IndicatorResult[];
  /** Indicators (and comparisons) the project lacks the inputs for, with the reason. */
  skipped_indicators: SkippedIndicator[];
  /** Where problems pile up: per block the state of every domain and the stapeling as a range (absent in folders from before it). */
  accumulation?: Accumulation;
  /** Soft signals (what is heard) per theme and block, beside the figures; absent without a signals: source. */
  signals?: SignalsSummary;
  /** Resident surveys: per question, per block and for the area, the shares (dis)satisfied and the mean score. */
  surveys?: SurveyResult[];
  /** Count keys whose categories add up to them within a block (`exact`: in every block; else some rows have no category). */
  sums: { total: string; parts: string[]; exact?: boolean }[];
  /** The small-numbers and signal thresholds in force. */
  thresholds: Thresholds;
  /** The measures the indicators read: name → count key(s). */
  measures: Record<string, string | string[]>;
  /** Weights, conventions and per indicator global Moran's I and the hot and cold spots. */
  spatial: SpatialSummary;
  comparisons: ComparisonResult[];
  /** Plain-language findings, strongest first. */
  findings: Finding[];
  /** With --compare-period: the rates per year of this period against the earlier one. */
  period_comparison?: PeriodComparison;
  /** Disclosure control applied to this result (absent in the internal result). */
  disclosure?: DisclosureLog;
  /** Written with --internal: small counts are in it; every map and report made from it says VERTROUWELIJK. */
  internal?: true;
  warnings: Warning[];
}

/** The result without disclosure control: for the gebiedsmakelaar's own machine only. */
export type InternalResult = AnalysisResult & { internal: true };

export interface FileDialect {
  format: 'csv' | 'xlsx';
  /** The sheet of an .xlsx workbook. */
  sheet?: string;
  encoding: string;
  bom: boolean;
  delimiter: string;
  decimal: string;
  empty_lines: number;
}

export interface RegisterSummary extends FileDialect {
  file: string;
  rows_read: number;
  rows_placed: number;
  rows_unplaced: number;
  unplaced_reasons: Record<string, number>;
  pc6_count: number;
}

export interface SourceSummary extends FileDialect {
  name: string;
  /** The organisation that sent the export, for credits (the source name when not given). */
  organisation: string;
  file: string;
  place_by: string;
  /** `records`: one row per thing, counted per block; `aggregated`: count columns summed per block; `signals`: soft signals, counted per theme in `geluiden`. */
  kind: 'records' | 'aggregated' | 'signals' | 'survey';
  /** For a record source whose area total disclosure control hid, rows_read, rows_placed, match_levels and the period's tallies are null. */
  rows_read: number | null;
  rows_placed: number | null;
  rows_unplaced: number;
  unplaced_reasons: Record<string, number>;
  match_levels?: MatchLevels | null;
  /** Per count column of an aggregated source: cells the sender suppressed (unknown, never zero). */
  unknown_cells?: Record<string, number>;
  /** Per count column: cells that were no number and no suppression marker (also unknown). */
  invalid_cells?: Record<string, number>;
  /** Per count column: the known total of rows that could not be placed (null where it is a small count). */
  unplaced_totals?: Record<string, number | null>;
  /** With a period and a date column: the period, and placed rows left out because they fall outside it or have no readable date. */
  period?: string;
  rows_outside_period?: number | null;
  rows_without_date?: number | null;
  /** Read from a share the partner prepared (`buurtbalans prepare`) instead of its raw export. */
  prepared?: PreparedShare;
}

/** How a share was made, from its manifest (checked against the share's bytes and the project). */
export interface PreparedShare {
  manifest: string;
  /** The request (kit) it answers: the project's request for this source as it stands. */
  request: string;
  /** Internal only: the share's SHA-256 (in a shareable output an oracle for its hidden counts) and when it was made. */
  sha256?: string;
  prepared_on?: string;
}

export interface BlockRow {
  id: string;
  label: string;
  /** Register addresses in the block (0 without a register). */
  addresses: number;
  /** `<source>` for record sources, `<source>.<column>` for aggregated ones; null where disclosure control suppressed it. */
  counts: Record<string, number | null>;
  /** Per aggregated count key: how many placed cells were unknown (suppressed or unreadable). */
  unknown_cells: Record<string, number>;
}

/** A record that could not be placed, for unplaced.csv. Never carries address fields. */
export interface UnplacedRow {
  source: string;
  /** null in a shareable output where the source's row count is hidden: the last line would bound it. */
  line: number | null;
  reason: string;
}

/** The rows of the sources together. */
export function sourceTotals(sources: readonly Pick<SourceSummary, 'rows_read' | 'rows_placed'>[]): AnalysisResult['totals'] {
  const rowsRead = sources.reduce((sum, s) => sum + (s.rows_read ?? 0), 0);
  const rowsPlaced = sources.reduce((sum, s) => sum + (s.rows_placed ?? 0), 0);
  return { rows_read: rowsRead, rows_placed: rowsPlaced, rows_unplaced: rowsRead - rowsPlaced, placed_share: rowsRead === 0 ? 0 : Math.round((rowsPlaced / rowsRead) * 10000) / 10000 };
}

/** A result read back from analysis.json: the indicators' blocks as columns again. */
export function resultFromJson(json: AnalysisResult): AnalysisResult {
  for (const indicator of json.indicators) indicator.blocks = IndicatorBlocks.from(indicator.blocks as unknown as IndicatorBlock[]);
  return json;
}
