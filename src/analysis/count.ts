import { UserError, warning, type Warning } from '../errors.js';
import { grouped } from '../indicators/sentences.js';
import { periodWarning } from './tally-warnings.js';
import { compileFilter, FilterSyntaxError, UnknownColumnError, type CompiledFilter } from '../filter/expression.js';
import { inPeriod, type Period } from '../filter/period.js';
import { columnIndex, type CsvTable } from '../ingest/csv.js';
import { parseCountCell, parseDate } from '../ingest/values.js';
import type { SourcePlacement } from '../join/place.js';
import type { SourceConfig } from '../project/schema.js';
import { suggestion } from '../text.js';
import type { BlockRow, SourceSummary } from './result.js';
import type { CountedRows } from './samenloop.js';

/** Per-block sums of every count key, with unknown cells for aggregated keys. */
export class BlockTable {
  private readonly columns = new Map<string, { counts: Float64Array; unknown: Int32Array | undefined }>();
  /** Totals and the category keys that add up to them (for secondary suppression). */
  readonly sums: { total: string; parts: string[] }[] = [];
  /** Keys whose block figures come before their area total in secondary suppression. */
  readonly blockFirst: string[] = [];

  constructor(readonly blockCount: number) {}

  addKey(key: string, withUnknown: boolean, options: { blockFirst?: boolean } = {}) {
    if (options.blockFirst) this.blockFirst.push(key);
    const column = { counts: new Float64Array(this.blockCount), unknown: withUnknown ? new Int32Array(this.blockCount) : undefined };
    this.columns.set(key, column);
    return column;
  }

  row(block: number): Pick<BlockRow, 'counts' | 'unknown_cells'> {
    // Copies of one parsed template share V8's fast layout: dozens of keys added one by one make a
    // dictionary of 3 KB per block, a template copy 0.5 KB (1.2 GB less for a country's blocks).
    this.templates ??= {
      counts: JSON.stringify(Object.fromEntries([...this.columns.keys()].map((key) => [key, 0]))),
      unknown: JSON.stringify(Object.fromEntries([...this.columns].filter(([, column]) => column.unknown).map(([key]) => [key, 0]))),
    };
    const counts = JSON.parse(this.templates.counts) as Record<string, number>;
    const unknown = JSON.parse(this.templates.unknown) as Record<string, number>;
    for (const [key, column] of this.columns) {
      counts[key] = roundCount(column.counts[block]!);
      if (column.unknown) unknown[key] = column.unknown[block]!;
    }
    return { counts, unknown_cells: unknown };
  }

  private templates: { counts: string; unknown: string } | undefined;

  /** A key's counts per block as `row` gives them (rounded); zeros for a key the table lacks. */
  rounded(key: string): Float64Array {
    const column = this.columns.get(key);
    const out = new Float64Array(this.blockCount);
    if (column) for (let b = 0; b < out.length; b++) out[b] = roundCount(column.counts[b]!);
    return out;
  }
}

/** A named row filter counted per block as `<source>[<name>]`; `key` says where it was written, for errors. */
export interface NamedFilter {
  name: string;
  text: string;
  key: string;
}

/**
 * Adds a placed source to the block table: its rows (or count columns) per block, and per flag
 * and category. Rows outside the period are left out and counted in the summary.
 */
export function countSource(
  config: SourceConfig,
  csv: CsvTable,
  placement: SourcePlacement,
  filters: readonly NamedFilter[],
  period: Period | undefined,
  projectFile: string,
  summary: SourceSummary,
  table: BlockTable,
  warnings: Warning[],
  rareBelow: number,
  /** Said on this machine only (stderr), never written: they tell how a flag relates to its source's rows. */
  localWarnings: Warning[],
): CountedRows | undefined {
  const kept = keptRows(config, csv, placement, period, summary, warnings);
  const categoryColumn = config.category ? columnIndex(csv, config.category, `sources[${config.name}].category`) : -1;
  if (config.category && config.pseudonymise?.some((column) => column.toLowerCase() === config.category!.toLowerCase())) {
    throw new UserError(`sources[${config.name}].category is "${config.category}", a column this source pseudonymises`, {
      file: projectFile,
      column: config.category,
      expected: 'a category column with plain, shareable values (a theme, a kind of report)',
      fix: `choose another category column, or leave "${config.category}" out of pseudonymise: if it holds no personal data`,
    });
  }
  const { categories, categoryOfRow } = categoryColumn >= 0 ? categoriesOf(csv, categoryColumn, kept, rareBelow) : { categories: [], categoryOfRow: undefined };
  const inCategory = (c: number) => (i: number) => categoryOfRow![i] === c;

  if (!config.counts) {
    const counted = kept.reduce((sum, keep) => sum + keep, 0);
    // Several flags often read one column: its distinct texts are found once.
    const distinctColumns = new Map<number, ReturnType<CsvTable['distinct']>>();
    const distinctOf = (column: number) => distinctColumns.get(column) ?? (distinctColumns.set(column, csv.distinct(column)), distinctColumns.get(column)!);
    const groups: [string, ((i: number) => boolean) | undefined][] = [
      [config.name, undefined],
      ...filters.map(({ name, text, key }): [string, (i: number) => boolean] => {
        const filter = compileFlag(text, csv, key, projectFile);
        const hits = new Uint8Array(csv.rowCount);
        let matched = 0;
        // The flag reads a few columns of few distinct values: each combination of them is tested
        // once (a missing cell reads as empty, as in a short row).
        const read = filter.columns.map(distinctOf);
        const combinations = read.reduce((product, { texts }) => product * Math.max(1, texts.length), 1);
        const verdicts = combinations <= Number.MAX_SAFE_INTEGER ? new Map<number, boolean>() : undefined;
        const cells: string[] = [];
        for (let i = 0; i < csv.rowCount; i++) {
          if (!kept[i]) continue;
          let combination = 0;
          for (const { texts, codes } of read) combination = combination * texts.length + codes[i]!;
          let verdict = verdicts?.get(combination);
          if (verdict === undefined) {
            filter.columns.forEach((c, k) => (cells[c] = read[k]!.texts[read[k]!.codes[i]!]!));
            verdict = filter(cells);
            verdicts?.set(combination, verdict);
          }
          if (verdict) (hits[i] = 1), matched++;
        }
        const test = (i: number) => hits[i] === 1;
        if (counted > 1 && (matched === 0 || matched === counted)) localWarnings.push(filterWarning(config.name, key, text, matched === 0, filter.columns.map((c) => csv.header[c]!), commonValues(csv, filter.columns, distinctOf, kept, rareBelow)));
        return [`${config.name}[${name}]`, test];
      }),
      ...categories.map((value, c): [string, (i: number) => boolean] => [`${config.name}[${value}]`, inCategory(c)]),
    ];
    if (categories.length > 0) table.sums.push({ total: config.name, parts: categories.map((value) => `${config.name}[${value}]`) });
    for (const [key, test] of groups) {
      const perBlock = table.addKey(key, false).counts;
      for (let i = 0; i < csv.rowCount; i++) if (kept[i] && (!test || test(i))) perBlock[placement.blockOfRow[i]!]!++;
    }
    return { kept, groups };
  }

  summary.unknown_cells = {};
  summary.invalid_cells = {};
  summary.unplaced_totals = {};
  const suppressedPerColumn: string[] = [];
  for (const name of config.counts) {
    const csvColumn = columnIndex(csv, name, `sources[${config.name}].counts`);
    const keys: [string, (i: number) => boolean][] = [
      [`${config.name}.${name}`, () => true],
      ...categories.map((value, c): [string, (i: number) => boolean] => [`${config.name}.${name}[${value}]`, inCategory(c)]),
    ];
    const columns = keys.map(([key, test]) => ({ ...table.addKey(key, true), test }));
    if (categories.length > 0) table.sums.push({ total: keys[0]![0], parts: keys.slice(1).map(([key]) => key) });
    let suppressed = 0;
    let invalid = 0;
    let unplacedTotal = 0;
    let firstInvalidLine: number | undefined;
    for (let i = 0; i < csv.rowCount; i++) {
      const cell = parseCountCell(csv.cell(i, csvColumn), csv.dialect.decimal);
      if (cell.kind === 'invalid') {
        invalid++;
        firstInvalidLine ??= csv.lines[i];
      } else if (cell.kind === 'suppressed') {
        suppressed++;
      }
      if (!kept[i]) {
        if (cell.kind === 'number' && placement.blockOfRow[i]! < 0) unplacedTotal += cell.value;
        continue;
      }
      const block = placement.blockOfRow[i]!;
      for (const column of columns) {
        if (!column.test(i)) continue;
        if (cell.kind === 'number') column.counts[block]! += cell.value;
        else column.unknown![block]!++;
      }
    }
    summary.unknown_cells[name] = suppressed + invalid;
    summary.invalid_cells[name] = invalid;
    summary.unplaced_totals[name] = roundCount(unplacedTotal);
    if (suppressed > 0) suppressedPerColumn.push(`${name} ${suppressed}`);
    if (invalid > 0) {
      warnings.push(warning('invalid_count_cells', {
        en: `${grouped(invalid, 'en')} cells of column "${name}" are no number (first on line ${firstInvalidLine}); counted as unknown, not zero`,
        nl: `${grouped(invalid, 'nl')} cellen in kolom "${name}" zijn geen getal (de eerste op regel ${firstInvalidLine}); ze tellen als onbekend, niet als nul`,
      }, config.name));
    }
  }
  if (suppressedPerColumn.length > 0) {
    warnings.push(warning('suppressed_cells', {
      en: `cells suppressed by the sender (<5, -, ., empty) out of ${grouped(csv.rowCount, 'en')} rows: ${suppressedPerColumn.join(', ')}; they are unknown, not zero`,
      nl: `cellen die de afzender achterhield (<5, -, ., leeg) in ${grouped(csv.rowCount, 'nl')} regels: ${suppressedPerColumn.join(', ')}; ze zijn onbekend, niet nul`,
    }, config.name));
  }
  return undefined;
}

/** Placed rows (1), less those outside the period (and, with a period, those without a readable date, which a warning counts). */
export function keptRows(config: SourceConfig, csv: CsvTable, placement: SourcePlacement, period: Period | undefined, summary: SourceSummary, warnings: Warning[]): Uint8Array {
  const kept = new Uint8Array(csv.rowCount);
  for (let i = 0; i < kept.length; i++) kept[i] = placement.blockOfRow[i]! >= 0 ? 1 : 0;
  if (!config.date || !period) return kept;
  const dateColumn = columnIndex(csv, config.date, `sources[${config.name}].date`);
  let outside = 0;
  let withoutDate = 0;
  // Exports repeat the same few thousand dates: each distinct text is read once.
  const { texts, codes } = csv.distinct(dateColumn);
  const days = texts.map((text) => parseDate(text.trim()));
  for (let i = 0; i < csv.rowCount; i++) {
    if (!kept[i]) continue;
    const day = days[codes[i]!];
    if (day === undefined) {
      withoutDate++;
      kept[i] = 0;
    } else if (!inPeriod(day, period)) {
      outside++;
      kept[i] = 0;
    }
  }
  summary.period = period.text;
  summary.rows_outside_period = outside;
  summary.rows_without_date = withoutDate;
  if (outside || withoutDate) warnings.push(periodWarning(config.name, period.text, outside, withoutDate, config.date));
  return kept;
}

/** What rare category values are counted as. */
export const otherCategory = 'overig';

/**
 * The distinct values of a category column among kept rows (trimmed, lower case, sorted) and each
 * row's place among them (-1: none). A value on fewer rows than `rareBelow` (the privacy threshold)
 * is counted as "overig": a free-text slip ("burenoverlast fam. Jansen") or a one-off would
 * otherwise become a key, a column, a map's file name and a heading in every output.
 */
export function categoriesOf(csv: CsvTable, column: number, kept: Uint8Array, rareBelow: number): { categories: string[]; categoryOfRow: Int32Array } {
  const { texts, codes } = csv.distinct(column);
  const rowsOfText = keptRowsPerText({ texts, codes }, kept);
  // Texts that differ only in case, spaces or quotes are one category.
  const values = texts.map((text) => text.trim().toLowerCase());
  const rows = new Map<string, number>();
  values.forEach((value, t) => {
    if (value !== '' && rowsOfText[t]! > 0) rows.set(value, (rows.get(value) ?? 0) + rowsOfText[t]!);
  });
  const named = (value: string) => (rows.get(value)! < rareBelow ? otherCategory : value);
  const categories = [...new Set([...rows.keys()].map(named))].sort();
  const categoryOfText = Int32Array.from(values, (value) => (rows.has(value) ? categories.indexOf(named(value)) : -1));
  return { categories, categoryOfRow: Int32Array.from(codes, (code, i) => (kept[i] ? categoryOfText[code]! : -1)) };
}

/** Per distinct text of a column, how many kept rows hold it. */
function keptRowsPerText({ texts, codes }: ReturnType<CsvTable['distinct']>, kept: Uint8Array): Int32Array {
  const rows = new Int32Array(texts.length);
  for (let i = 0; i < kept.length; i++) if (kept[i]) rows[codes[i]!]!++;
  return rows;
}

/**
 * The values a filter's columns hold most often among the counted rows, for a filter that matches
 * nothing or everything. Only values at least `rareBelow` rows share: a rare value may be personal.
 */
function commonValues(csv: CsvTable, columns: readonly number[], distinctOf: (column: number) => ReturnType<CsvTable['distinct']>, kept: Uint8Array, rareBelow: number): Map<string, string[]> {
  const shown = new Map<string, string[]>();
  for (const column of columns) {
    const { texts, codes } = distinctOf(column);
    const rowsOfText = keptRowsPerText({ texts, codes }, kept);
    const tally = new Map<string, number>();
    texts.forEach((text, t) => {
      const value = text.trim();
      if (rowsOfText[t]! > 0) tally.set(value, (tally.get(value) ?? 0) + rowsOfText[t]!);
    });
    const common = [...tally].filter(([, n]) => n >= rareBelow).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 6).map(([value]) => (value === '' ? '(empty)' : `"${value}"`));
    shown.set(csv.header[column]!, common);
  }
  return shown;
}

function filterWarning(source: string, key: string, text: string, none: boolean, columns: string[], values: Map<string, string[]>): Warning {
  const seen = (lang: 'nl' | 'en') =>
    [...values]
      .map(([column, common]) =>
        lang === 'nl'
          ? `kolom "${column}" bevat vooral ${common.length > 0 ? common.join(', ') : 'waarden die elk maar een paar keer voorkomen'}`
          : `column "${column}" mostly holds ${common.length > 0 ? common.join(', ') : 'values that each occur only a few times'}`,
      )
      .join('; ');
  const tail = (lang: 'nl' | 'en') => (seen(lang) ? `: ${seen(lang)}` : '');
  return warning(none ? 'filter_matches_nothing' : 'filter_matches_everything', {
    en: `${key} (${text}) matches ${none ? 'no' : 'every'} counted row of ${source}${none ? ', so it counts 0 everywhere' : ''}${tail('en')}; check the spelling of the value${columns.length > 0 ? ` (case does not matter, spaces do)` : ''}`,
    nl: `${key} (${text}) treft ${none ? 'geen enkele' : 'elke'} getelde regel van ${source}${none ? ', dus telt overal 0' : ''}${tail('nl')}; controleer de spelling van de waarde${columns.length > 0 ? ' (hoofdletters maken niet uit, spaties wel)' : ''}`,
  }, source);
}

function compileFlag(text: string, csv: CsvTable, key: string, projectFile: string): CompiledFilter {
  try {
    return compileFilter(text, csv.header, csv.dialect.decimal);
  } catch (error) {
    if (error instanceof UnknownColumnError) {
      throw new UserError(`${key} names column "${error.column}", which ${csv.file} does not have`, {
        file: projectFile,
        column: error.column,
        expected: `a column of ${csv.file}`,
        fix: `${suggestion(error.column, csv.header)} Column names with spaces go in backticks: \`Opp m²\``,
      });
    }
    if (error instanceof FilterSyntaxError) {
      throw new UserError(`${key}: the filter "${text}" cannot be read: ${error.message}`, {
        file: projectFile,
        expected: 'a filter like: Label == "Omklapwoning" and Verdieping >= 1',
        fix: 'correct the filter; text goes in quotes, column names with spaces in backticks',
      });
    }
    throw error;
  }
}

/** Sums of decimal counts (for example hours) keep a stable, readable form. */
export function roundCount(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
