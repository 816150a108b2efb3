import { defaultIndicators } from '../indicators/defaults.js';
import { accumulation, projectDomains } from '../indicators/accumulation.js';
import { FrontDoors, samenloopKeys, samenloopMeasure, samenloopPlan, samenloopResult } from './samenloop.js';
import { protectionRange } from '../privacy/cells.js';
import { UserError, warning, type Warning } from '../errors.js';
import { describeReasons } from '../join/reason-words.js';
import { unplacedRowsWarning } from './tally-warnings.js';
import { PolygonIndex } from '../geo/polygon-index.js';
import type { PlacingThreads } from '../join/placing-thread.js';
import { overlappingBlocks, overlapToleranceM2 } from '../geo/overlaps.js';
import type { CsvTable } from '../ingest/csv.js';
import type { ScannedOnArrival } from '../privacy/protect.js';
import type { NeighbourSource } from '../spatial/neighbour-thread.js';
import type { BlockLayer } from '../ingest/geojson.js';
import { placeSource } from '../join/place.js';
import { DoorFinder, PseudonymDoors } from '../join/doors.js';
import type { Period } from '../filter/period.js';
import type { Progress } from '../progress.js';
import { BlockTable, countSource, keptRows } from './count.js';
import { SoftSignals, signalsSummary } from './signals.js';
import { SurveyAnswers, surveyQuestions, surveyResults } from './survey.js';
import { protectInputs } from '../privacy/protect.js';
import { compareExposures } from '../indicators/compare.js';
import { computeIndicators, type IndicatorResult } from '../indicators/compute.js';
import { addSpatialStatistics } from '../indicators/spatial.js';
import type { PermutationRunner } from '../spatial/statistics.js';
import { findings, formatNumber, grouped } from '../indicators/sentences.js';
import { comparePeriods } from '../indicators/change.js';
import { buildRegister, registerDemand } from '../join/register.js';
import type { ComparisonConfig, ProjectConfig, SourceConfig } from '../project/schema.js';
import type { Highs } from 'highs';
import { countTable, discloseAnalysis, roundedCount, type CountTable, type ShareableResult } from '../privacy/disclosure.js';
import type { CertificateSharing } from '../privacy/certificate-thread.js';
import { sourceTotals, type PreparedShare, type AnalysisResult, type BlockRow, type FileDialect, type InternalResult, type SourceSummary, type UnplacedRow } from './result.js';

/** A prepared share's door table: per address pseudonym its block and markers; what matched at no door; the spread's histogram. */
export interface DoorTable {
  config: SourceConfig;
  table: CsvTable;
  withoutDoor: Record<string, number>;
  spread?: [number, number][] | undefined;
}

/** Everything `analyse` needs, already read from disk by the ingest stage. */
export interface AnalysisInput {
  project: ProjectConfig;
  /** The project file's name as shown in outputs (relative, never an absolute path). */
  projectFile: string;
  blocks: BlockLayer;
  register: CsvTable | undefined;
  /** `doors`: a prepared share's door table (its address pseudonyms with their markers, for the samenloop only). */
  sources: { config: SourceConfig; table: CsvTable; doors?: DoorTable }[];
  tool: { name: string; version: string };
  /** Dated sources count only rows in this period (from the project file or --period). */
  period?: Period | undefined;
  /** An earlier period to compare the rates per year with (--compare-period). */
  comparePeriod?: Period | undefined;
  /** The per-project secret for pseudonymised columns; never written to an output. */
  secret?: string | undefined;
  /** The sources read from a prepared share (`buurtbalans prepare`), by name: how the partner made it. */
  shares?: ReadonlyMap<string, PreparedShare> | undefined;
  /** Told how far the long stages are (the CLI draws a bar). */
  progress?: Progress | undefined;
  /**
   * Release the exports' bytes once counted: `sources`, or `all` (the register too, when no map
   * needs its street names). Only without --compare-period, which counts the sources twice.
   */
  releaseTables?: 'sources' | 'all' | undefined;
  /** The blocks' neighbour lists, begun in a worker thread while the records are placed (see neighbour-thread.ts). */
  neighbours?: NeighbourSource | undefined;
  /** The identifier scan of some tables, made as they were read (see scanOnArrival): protectInputs uses it instead of scanning them again. */
  scanned?: ReadonlyMap<CsvTable, ScannedOnArrival> | undefined;
  /** Runs the permutation loop of the spatial statistics (the CLI shares it out over worker threads, --threads); same figures as one thread. */
  permutationRunner?: PermutationRunner | undefined;
  /** Workers that help place a large point source (--threads; see placing-thread.ts); the same blocks as without. */
  placingThreads?: PlacingThreads | undefined;
}

export interface AnalysisOutput<R extends AnalysisResult = AnalysisResult> {
  result: R;
  unplaced: UnplacedRow[];
  /** Milliseconds per stage (for the benchmark; never written into analysis.json). */
  timings: Record<string, number>;
  /** Warnings for this machine's stderr only, never written: they would tell how a flag relates to its source's counts. */
  local: Warning[];
}

/**
 * Places every record of every source in an address block, builds the block table and derives the
 * indicators, hot spots and comparisons from it. Pure: reads nothing, prints nothing; problems
 * come back as warnings. Without `disclosure` the result is the internal one (marked `internal`);
 * with it, disclosure control protects the block table first and every figure is derived from the
 * protected table only (see privacy/disclosure.ts).
 */
export function analyse(raw: AnalysisInput): AnalysisOutput<InternalResult>;
/** `disclosure.certificates`: the audit's certificates shared over threads (the same result). */
export function analyse(raw: AnalysisInput, disclosure: { highs: Highs; certificates?: CertificateSharing }): AnalysisOutput<ShareableResult>;
export function analyse(raw: AnalysisInput, disclosure?: { highs: Highs; certificates?: CertificateSharing }): AnalysisOutput<InternalResult | ShareableResult> {
  // Personal identifiers are dropped, hashed or refused before any stage sees the data.
  const started = performance.now();
  const inputs = protectInputs(raw, raw.projectFile);
  const input = { ...raw, sources: inputs.sources, register: inputs.register };
  const privacy = performance.now() - started;
  const counted = countOnePeriod(input);
  const earlier = input.comparePeriod && input.period ? countOnePeriod({ ...input, period: input.comparePeriod }) : undefined;
  const clock = stopwatch();
  const timings = { privacy_scan: Math.round(privacy), ...counted.timings };
  if (!disclosure) {
    const result = withPeriodComparison(input, derive(input, counted, counted.table, clock), earlier && derive(input, earlier, earlier.table, stopwatch()));
    return { result: { ...result, internal: true }, unplaced: counted.unplaced, timings: Object.assign(timings, clock.laps), local: counted.localWarnings };
  }
  const { highs, certificates } = disclosure;
  const comparing = earlier !== undefined;
  const result = discloseAnalysis(counted.table, input.project.privacy, highs, (table) => (clock.lap('disclosure'), derive(input, counted, table, clock, true)), comparing, certificates);
  if (earlier) {
    const before = discloseAnalysis(earlier.table, input.project.privacy, highs, (table) => derive(input, earlier, table, stopwatch(), true), comparing, certificates);
    withPeriodComparison(input, result, before);
    result.disclosure!.earlier_period = before.disclosure!;
  }
  // A line number bounds how many rows a source has: where that count is hidden, so are the lines.
  const hiddenRows = new Set(result.sources.filter((source) => source.rows_read === null).map((source) => source.name));
  const unplaced = hiddenRows.size === 0 ? counted.unplaced : counted.unplaced.map((row) => (hiddenRows.has(row.source) ? { ...row, line: null } : row));
  return { result, unplaced, timings: Object.assign(timings, clock.laps), local: counted.localWarnings };
}

function withPeriodComparison<R extends AnalysisResult>(input: AnalysisInput, result: R, earlier: AnalysisResult | undefined): R {
  if (!earlier || !input.comparePeriod || !input.period) return result;
  result.period_comparison = comparePeriods(
    { period: input.comparePeriod, indicators: earlier.indicators },
    { period: input.period, indicators: result.indicators },
    input.project.thresholds,
  );
  return result;
}

function countOnePeriod(input: AnalysisInput) {
  const { project, blocks } = input;
  const clock = stopwatch();
  const blockCount = blocks.ids.length;
  const index = new PolygonIndex(blocks.shapes);
  const blockById = new Map(blocks.ids.map((id, i) => [id, i]));
  const warnings: Warning[] = [];
  const localWarnings: Warning[] = [];
  const unplaced: UnplacedRow[] = [];

  for (const table of [input.register, ...input.sources.map((source) => source.table)]) {
    for (const note of table?.notes ?? []) warnings.push(warning('file', note, table!.file));
  }
  for (const text of blocks.warnings ?? []) warnings.push(warning('blocks', text, blocks.file));
  const overlaps = overlappingBlocks(blocks.shapes, index);
  index.markOverlaps(overlaps);
  if (overlaps.length > 0) {
    const area = (m2: number, lang: 'nl' | 'en') => (m2 === Infinity ? (lang === 'nl' ? 'een oppervlak dat niet te meten is' : 'an area that cannot be measured') : `${m2 < 10 ? formatNumber(m2, lang, 1) : grouped(m2, lang)} m²`);
    const pairs = (lang: 'nl' | 'en') => `${overlaps.slice(0, 5).map(({ a, b, area: m2 }) => `${blocks.ids[a]} ${lang === 'nl' ? 'en' : 'and'} ${blocks.ids[b]}: ${area(m2, lang)}`).join('; ')}${overlaps.length > 5 ? '; ...' : ''}`;
    warnings.push(warning('blocks_overlap', {
      en: `${overlaps.length} pair(s) of blocks overlap by more than ${overlapToleranceM2} m² (${pairs('en')}); records in an overlap stay unplaced (in_overlapping_blocks): repair the blocks`,
      nl: `${overlaps.length} ${overlaps.length === 1 ? 'paar' : 'paren'} blokken overlappen elkaar meer dan ${overlapToleranceM2} m² (${pairs('nl')}); regels in een overlap blijven ongeplaatst (in overlappende blokken): herstel de blokken`,
    }, blocks.file));
  }
  clock.lap('block_index');
  const doorTables = new Set(input.sources.filter((source) => source.doors).map((source) => source.config.name));
  const plan = input.register ? samenloopPlan(project, input.projectFile, doorTables) : undefined;
  if (plan && doorTables.size > 0 && input.period && project.period && input.period.text !== project.period) {
    warnings.push(warning('samenloop_period_of_shares', {
      en: `the samenloop counts the period the partners prepared their door tables for (${project.period}), not ${input.period.text}: ${[...doorTables].join(', ')}`,
      nl: `de samenloop telt de periode waarvoor de partners hun deurtabellen maakten (${project.period}), niet ${input.period.text}: ${[...doorTables].join(', ')}`,
    }));
  }
  const demand = { ...registerDemand(input.sources), points: (plan?.byPoint.size ?? 0) > 0 };
  const register = input.register && project.addresses ? buildRegister(input.register, project.addresses, blocks, index, blockById, demand, input.progress, input.placingThreads) : undefined;
  // A prepared share's address pseudonyms are doors of their own, numbered after the register's.
  const pseudonymRows = input.sources.reduce((sum, { config, table: csv, doors: doorTable }) => sum + (config.columns.pseudonym ? csv.rowCount : 0) + (doorTable?.table.rowCount ?? 0), 0);
  const pseudonyms = plan && register && pseudonymRows > 0 ? new PseudonymDoors(register.blockOfAddress.length) : undefined;
  const doors = plan && register ? new FrontDoors(plan, register.blockOfAddress.length + pseudonymRows) : undefined;
  const finder = plan && register?.points ? new DoorFinder(register.points, plan.snapMetres) : undefined;
  if (register && input.register) {
    const tally = register.tally;
    if (tally.unplacedRecords.length > 0) {
      const reasons = tally.sortedReasons();
      warnings.push(warning('register_addresses_unplaced', {
        en: `${grouped(tally.unplacedRecords.length, 'en')} of ${grouped(input.register.rowCount, 'en')} register addresses lie in no block (${describeReasons(reasons, 'en')}); records at those addresses stay unplaced`,
        nl: `${grouped(tally.unplacedRecords.length, 'nl')} van de ${grouped(input.register.rowCount, 'nl')} adressen in het adressenbestand liggen in geen blok (${describeReasons(reasons, 'nl')}); regels op die adressen blijven ongeplaatst`,
      }));
    }
    for (const { line, reason } of tally.unplacedRecords) unplaced.push({ source: 'addresses', line, reason });
  }

  const table = new BlockTable(blockCount);
  const soft = new SoftSignals(project, blockCount);
  const questions = surveyQuestions(project);
  const answers = new SurveyAnswers(questions, blockCount);
  const { indicatorConfigs, userIndicators } = filteredIndicators(project, input.projectFile);

  const sources: SourceSummary[] = input.sources.map(({ config, table: csv, doors: doorTable }, i) => {
    const placement = placeSource(csv, config, { index, blockById, register, doors: finder && { finder, sources: plan!.byPoint }, pseudonyms, threads: input.placingThreads }, input.progress);
    for (const { line, reason } of placement.tally.unplacedRecords) unplaced.push({ source: config.name, line, reason });
    const summary: SourceSummary = {
      name: config.name,
      organisation: config.organisation ?? config.name,
      file: csv.file,
      place_by: config.place_by,
      kind: config.signals ? 'signals' : config.survey ? 'survey' : config.counts ? 'aggregated' : 'records',
      rows_read: csv.rowCount,
      rows_placed: placement.tally.rowsPlaced,
      rows_unplaced: placement.tally.unplacedRecords.length,
      unplaced_reasons: placement.tally.sortedReasons(),
      ...dialectOf(csv),
    };
    if (placement.matchLevels) summary.match_levels = placement.matchLevels;
    const share = input.shares?.get(config.name);
    if (share) summary.prepared = share;
    const filters = [
      ...Object.entries(config.flags ?? {}).map(([name, text]) => ({ name, text, key: `sources[${config.name}].flags.${name}` })),
      // A share already counts a where: filter as a flag (the partner's ja/nee column), not over the columns it reads.
      ...userIndicators.filter((u) => u.source === config.name && !(u.flag in (config.flags ?? {}))).map((u) => ({ name: u.flag, text: u.where, key: `indicators[${u.id}].where` })),
    ];
    if (config.signals) {
      soft.add(config, csv, placement, keptRows(config, csv, placement, input.period, summary, warnings), warnings, project.privacy.threshold);
    } else if (config.survey) {
      answers.add(config, csv, placement, keptRows(config, csv, placement, input.period, summary, warnings), warnings);
    } else {
      const rows = countSource(config, csv, placement, filters, input.period, input.projectFile, summary, table, warnings, project.privacy.threshold, localWarnings);
      if (doors && rows && !doorTable) doors.add(config.name, rows, placement.addressOfRow);
      // A share's door table: the partner's markers per pseudonym, for the samenloop only.
      if (doors && doorTable) doors.addDoorTable(doorTable, placeSource(doorTable.table, doorTable.config, { index, blockById, register, pseudonyms }).addressOfRow!);
    }
    // Two sources may read one file: its bytes go once the last of them is counted (and never while the register holds them).
    const readLater = input.sources.slice(i + 1).some((later) => later.table.sharesBytesWith(csv)) || (input.register?.sharesBytesWith(csv) ?? false);
    if (input.releaseTables && !input.comparePeriod && !readLater) csv.release();
    if (summary.rows_unplaced > 0) {
      warnings.push(unplacedRowsWarning(config.name, summary.rows_unplaced, summary.rows_read, summary.unplaced_reasons));
    }
    return summary;
  });

  soft.addTo(table);
  answers.addTo(table);
  if (input.releaseTables === 'all' && !input.comparePeriod) input.register?.release();
  clock.lap('placing_and_counting');
  const blockOfDoor = pseudonyms ? Int32Array.from([...register!.blockOfAddress, ...pseudonyms.blocks]) : register?.blockOfAddress;
  const frontDoors = doors && register ? { plan: doors.plan, tally: doors.tally(blockOfDoor!, table, project.spatial.seed, pseudonyms?.blocks.length ?? 0) } : undefined;
  if (frontDoors) clock.lap('samenloop');
  const blockRows: BlockRow[] = blocks.ids.map((id, b) => ({
    id,
    label: blocks.labels[b]!,
    addresses: register ? register.addressesPerBlock[b]! : 0,
    ...table.row(b),
  }));

  const base: Omit<AnalysisResult, 'indicators' | 'skipped_indicators' | 'spatial' | 'comparisons' | 'findings' | 'key_totals' | 'blocks' | 'measures'> = {
    tool: input.tool,
    project: { name: project.name, period: input.period?.text ?? null, file: input.projectFile, lang: project.report.lang },
    blocks_file: { file: blocks.file, crs: blocks.crs, features: blockCount },
    register:
      register && input.register
        ? {
            file: input.register.file,
            rows_read: input.register.rowCount,
            rows_placed: register.tally.rowsPlaced,
            rows_unplaced: register.tally.unplacedRecords.length,
            unplaced_reasons: register.tally.sortedReasons(),
            pc6_count: register.pc6Block.size,
            ...dialectOf(input.register),
          }
        : null,
    sources,
    pc6_split: register?.pc6Split ?? [],
    totals: sourceTotals(sources),
    sums: table.sums,
    thresholds: project.thresholds,
    warnings,
  };
  const measures: Record<string, string | string[]> = { ...(register ? { woningen: 'addresses' } : {}), ...(project.measures ?? {}) };
  // The stapeling map draws the addresses where two or more markers coincide as circles per block.
  if (frontDoors) measures[samenloopMeasure] ??= [...samenloopKeys];
  const counted = countTable(blockRows, table.sums, table.blockFirst, (key) => table.rounded(key));
  clock.lap('block_table');
  return { base, table: counted, measures, indicatorConfigs, frontDoors, signalThemes: soft.themes(), quotable: soft.quotable(), kindsOf: soft.kindsOf(project.privacy.threshold), survey: { questions, histograms: answers.histograms }, unplaced, localWarnings, timings: clock.laps };
}

type Counted = ReturnType<typeof countOnePeriod>;

/** Indicators, hot spots, comparisons and findings of a block table (the internal one, or the protected one). */
function derive(input: AnalysisInput, counted: Counted, table: CountTable, clock: ReturnType<typeof stopwatch>, shareable = false): AnalysisResult {
  const { project, blocks } = input;
  const { measures } = counted;
  const context = { projectFile: input.projectFile, blocks: table.blocks, totals: table.key_totals, sums: table.sums, measures, references: project.references ?? {}, thresholds: project.thresholds, period: input.period, progress: input.progress };
  const { indicators, skipped } = computeIndicators(counted.indicatorConfigs, context, defaultIndicators(project));
  clock.lap('indicators');
  const { summary: spatial, neighbours } = addSpatialStatistics(indicators, blocks.ids, blocks.shapes, project.spatial, input.progress, input.permutationRunner, input.neighbours);
  clock.lap('spatial_statistics');
  const comparisonConfigs = project.compare ?? defaultComparisons(measures);
  const comparisonResults = comparisonConfigs.map((config) => compareExposures(config, table.blocks, measures, project.thresholds, input.period, project.privacy.threshold));
  const comparisons = comparisonResults.filter((c) => 'exposures' in c);
  for (const c of comparisonResults) if (!('exposures' in c)) skipped.push({ id: `compare.${c.id}`, reason: c.reason, text: c.text });
  clock.lap('comparisons');
  const stapeling = accumulation(indicators, projectDomains(indicators, project.indicators ?? [], project.domains ?? {}), blocks.ids, blocks.labels, {
    neighbours,
    years: input.period?.years ?? 1,
    floor: Math.max(project.privacy.threshold, project.thresholds.min_events),
    index: project.accumulation.index,
  });
  if (counted.frontDoors) {
    const { plan, tally } = counted.frontDoors;
    const { privacy } = project;
    stapeling.samenloop = samenloopResult(plan, tally, table.blocks, table.key_totals, shareable ? protectionRange(samenloopKeys[0], privacy).max + 1 : undefined, (value) => roundedCount(value, privacy));
  }
  clock.lap('accumulation');
  const warnings = [...counted.base.warnings, ...impossibleShares(indicators)];
  const found = findings(indicators, comparisons, new Map(blocks.ids.map((id, b) => [id, blocks.labels[b]!])));
  clock.lap('findings');
  const signals = counted.signalThemes.length > 0 ? signalsSummary(project, counted.signalThemes, table.blocks, table.key_totals, stapeling, counted.base.sources, counted.kindsOf, counted.quotable) : undefined;
  const surveys = counted.survey.questions.length > 0 ? surveyResults(counted.survey.questions, counted.survey.histograms, table.blocks, table.key_totals, project.privacy.threshold, shareable && { rounding: project.privacy.rounding }, project.spatial.seed) : undefined;
  clock.lap('signals_and_surveys');
  return {
    ...counted.base,
    warnings,
    blocks: table.blocks,
    key_totals: table.key_totals,
    sums: table.sums,
    measures,
    indicators,
    skipped_indicators: skipped,
    spatial,
    comparisons,
    accumulation: stapeling,
    findings: found,
    ...(signals ? { signals } : {}),
    ...(surveys ? { surveys } : {}),
  };
}

/** A share whose numerator is larger than its denominator has no value; the user hears where. */
function impossibleShares(indicators: readonly IndicatorResult[]): Warning[] {
  return indicators.flatMap((indicator) => {
    if (indicator.kind !== 'share') return [];
    const blocks = indicator.blocks.filter((block) => block.numerator !== null && block.denominator !== null && block.numerator > block.denominator).map((block) => block.id);
    if (blocks.length === 0) return [];
    const where = `${blocks.slice(0, 5).join(', ')}${blocks.length > 5 ? ', ...' : ''}`;
    return [warning('share_above_100', {
      en: `${indicator.id}: in ${blocks.length} block(s) (${where}) ${indicator.numerator.keys.join(' + ')} counts more than ${indicator.denominator.keys.join(' + ')}, so the share has no value there; check that both count the same population (the same PC6s, the same date)`,
      nl: `${indicator.label.nl}: in ${blocks.length} ${blocks.length === 1 ? 'blok' : 'blokken'} (${where}) telt ${indicator.numerator.keys.join(' + ')} meer dan ${indicator.denominator.keys.join(' + ')}, dus heeft het aandeel daar geen waarde; controleer of beide dezelfde bevolking tellen (dezelfde PC6's, dezelfde datum)`,
    })];
  });
}

/**
 * A project indicator with `where:` counts only the rows of its numerator source that pass the
 * filter: the filter is counted as a flag of that source, and the numerator points at it.
 */
function filteredIndicators(project: ProjectConfig, projectFile: string) {
  const userIndicators: { id: string; source: string; flag: string; where: string }[] = [];
  const indicatorConfigs = (project.indicators ?? []).map((indicator, index) => {
    if (!indicator.where) return indicator;
    const source = project.sources.find((s) => s.name === indicator.numerator);
    if (!source || source.counts) {
      throw new UserError(`indicators[${index}] (${indicator.id}) has a where: filter, so its numerator must name one record source`, {
        file: projectFile,
        expected: `numerator: one of ${project.sources.filter((s) => !s.counts).map((s) => s.name).join(', ')}`,
        fix: 'name the source whose rows the filter selects, or drop where: and use a flag or category key',
      });
    }
    const flag = `where_${indicator.id}`;
    userIndicators.push({ id: indicator.id, source: source.name, flag, where: indicator.where });
    return { ...indicator, numerator: `${source.name}[${flag}]` };
  });
  return { indicatorConfigs, userIndicators };
}

/** Named laps of wall time, in milliseconds. */
function stopwatch() {
  let last = performance.now();
  const laps: Record<string, number> = {};
  return {
    laps,
    lap(name: string) {
      const now = performance.now();
      laps[name] = Math.round(now - last);
      last = now;
    },
  };
}

/** Without a compare: section, nuisance is compared between zorgmijders and omklapwoningen when the project has them. */
function defaultComparisons(measures: Record<string, string | string[]>): ComparisonConfig[] {
  const wanted = ['meldingen', 'zorgmijder_signalen', 'omklapwoningen', 'woningen'];
  if (!wanted.every((name) => name in measures)) return [];
  return [{ id: 'overlast', outcome: 'meldingen', exposures: { zorgmijders: 'zorgmijder_signalen', omklapwoningen: 'omklapwoningen' }, per: 'woningen' }];
}

function dialectOf(table: CsvTable): FileDialect {
  return {
    format: table.dialect.sheet ? 'xlsx' : 'csv',
    ...(table.dialect.sheet ? { sheet: table.dialect.sheet } : {}),
    encoding: table.dialect.encoding,
    bom: table.dialect.bom,
    delimiter: table.dialect.delimiter,
    decimal: table.dialect.decimal,
    empty_lines: table.emptyLines,
  };
}
