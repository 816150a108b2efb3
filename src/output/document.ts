import type { AnalysisResult, BlockRow } from '../analysis/result.js';
import type { BlockAccumulation, DomainState } from '../indicators/accumulation.js';
import { IndicatorBlocks, type BlockSpatial } from '../indicators/blocks.js';
import type { DisclosureLog } from '../privacy/disclosure.js';
import { UserError } from '../errors.js';
import { countColumn, heardFields, indicatorColumns, samenloopFields, surveyShares, type CellValue } from './columns.js';
import type { SamenloopBlock } from '../analysis/samenloop.js';
import type { HeardBlock } from '../analysis/signals.js';
import type { SurveyFigures, SurveyResult } from '../analysis/survey.js';

/**
 * Above this many blocks analysis.json is a document: the per-block tables (the blocks' counts,
 * each indicator's blocks, the stapeling per block, the hidden cells per block) are in
 * blocks.parquet only. A city's 25,000 blocks made analysis.json 211 MB, a country's 4 GB, and no
 * person reads that; a pipeline queries the Parquet file.
 */
export const documentAbove = 5000;

/** What analysis.json says of the table its per-block parts moved to. */
export interface BlockTableReference {
  file: 'blocks.parquet';
  blocks: number;
  /** The count keys, in the order of every block's `counts`; and those with `<key>.unknown_cells`. */
  counts: string[];
  unknown_cells: string[];
  /** The fields whose per-block values are in the table, not here. */
  moved: string[];
}

export type AnalysisDocument = Omit<AnalysisResult, 'blocks'> & { block_table: BlockTableReference };

/** blocks.parquet's columns, by name, each one value per block. */
export type BlockColumns = ReadonlyMap<string, ArrayLike<CellValue>>;

/** The result as a document: everything but the per-block tables, which blocks.parquet holds. */
export function documentOf(result: AnalysisResult): AnalysisDocument {
  const { blocks, ...rest } = result;
  const first = blocks[0];
  const counts = Object.keys(first?.counts ?? {});
  const samenloop = result.accumulation?.samenloop;
  const moved = [
    'blocks',
    'indicators[].blocks',
    ...(result.accumulation ? ['accumulation.blocks'] : []),
    ...(samenloop ? ['accumulation.samenloop.blocks'] : []),
    ...(result.surveys ? ['surveys[].blocks'] : []),
    ...(result.signals ? ['signals.blocks'] : []),
    ...(result.disclosure ? ['disclosure.suppressed'] : []),
  ];
  return {
    ...rest,
    indicators: result.indicators.map(({ blocks: _blocks, ...indicator }) => indicator) as AnalysisResult['indicators'],
    ...(result.accumulation
      ? {
          accumulation: (({ blocks: _blocks, samenloop: _samenloop, ...accumulation }) => ({
            ...accumulation,
            ...(samenloop ? { samenloop: (({ blocks: _samenloopBlocks, ...rest }) => rest)(samenloop) } : {}),
          }))(result.accumulation) as AnalysisResult['accumulation'],
        }
      : {}),
    ...(result.surveys ? { surveys: result.surveys.map(({ blocks: _blocks, ...survey }) => survey) as AnalysisResult['surveys'] } : {}),
    ...(result.signals ? { signals: (({ blocks: _blocks, ...signals }) => signals)(result.signals) as AnalysisResult['signals'] } : {}),
    ...(result.disclosure ? { disclosure: (({ suppressed: _suppressed, ...log }) => log)(result.disclosure) as DisclosureLog } : {}),
    block_table: { file: 'blocks.parquet', blocks: blocks.length, counts, unknown_cells: counts.filter((key) => first !== undefined && key in first.unknown_cells), moved },
  };
}

/** The whole result again from a document and the columns of its blocks.parquet (the inverse of documentOf). */
export function resultFromDocument(document: AnalysisDocument, columns: BlockColumns, file: string): AnalysisResult {
  const { block_table: table, ...rest } = document;
  const column = (name: string): ArrayLike<CellValue> => {
    const values = columns.get(name);
    if (!values || values.length !== table.blocks) {
      throw new UserError(values ? `${file}: column "${name}" has ${values.length} values for ${table.blocks} blocks` : `${file} has no column "${name}"`, {
        file,
        expected: 'the blocks.parquet written with this analysis.json, whose per-block tables it holds',
        fix: 'keep the folder analyse wrote together, or run analyse again',
      });
    }
    return values;
  };
  const ids = Array.from(column('id'), String);
  const labels = column('label');
  const addresses = column('addresses');
  const taken = new Set(indicatorColumns(document.indicators.map((indicator) => indicator.id), true));
  const countColumns = table.counts.map((key) => column(countColumn(key, taken)) as ArrayLike<number | null>);
  const unknownColumns = table.unknown_cells.map((key) => [key, column(`${key}.unknown_cells`) as ArrayLike<number>] as const);
  const blocks = ids.map((id, b): BlockRow => ({
    id,
    label: String(labels[b]),
    addresses: addresses[b] as number,
    counts: Object.fromEntries(table.counts.map((key, k) => [key, countColumns[k]![b] ?? null])),
    unknown_cells: Object.fromEntries(unknownColumns.map(([key, values]) => [key, values[b]!])),
  }));
  const withSpatial = new Set(document.spatial.indicators.map((indicator) => indicator.id));
  const indicators = document.indicators.map((indicator) => ({ ...indicator, blocks: indicatorBlocks(indicator.id, ids, column, withSpatial.has(indicator.id)) }));
  const result: AnalysisResult = { ...rest, blocks, indicators } as AnalysisResult;
  if (document.accumulation) {
    result.accumulation = { ...document.accumulation, blocks: accumulationBlocks(document.accumulation.domains.map((domain) => domain.id), blocks, columns, column) };
    const samenloop = document.accumulation.samenloop;
    if (samenloop) {
      const fields = samenloopFields.map((field) => [field, column(`samenloop.${field}`)] as const);
      result.accumulation.samenloop = { ...samenloop, blocks: blocks.map((block, b) => ({ id: block.id, label: block.label, ...Object.fromEntries(fields.map(([field, values]) => [field, values[b] ?? null])) }) as SamenloopBlock) };
    }
  }
  if (document.surveys) result.surveys = document.surveys.map((survey) => ({ ...survey, blocks: surveyBlocks(`${survey.source}.${survey.question}`, blocks, column) }));
  if (document.signals) {
    const fields = heardFields.map((field) => [field, column(`geluiden.${field}`)] as const);
    result.signals = {
      ...document.signals,
      blocks: blocks.flatMap((block, b) => (fields[0]![1][b] === null ? [] : [{ id: block.id, label: block.label, ...Object.fromEntries(fields.map(([field, values]) => [field, JSON.parse(values[b] as string)])) } as HeardBlock])),
    };
  }
  if (document.disclosure) result.disclosure = { ...document.disclosure, suppressed: hiddenCells(table.counts, blocks, document.key_totals) };
  return result;
}

function indicatorBlocks(id: string, ids: string[], column: (name: string) => ArrayLike<CellValue>, spatial: boolean): IndicatorBlocks {
  const number = (suffix: string) => column(`${id}${suffix}`) as ArrayLike<number | null>;
  const flag = (suffix: string) => column(`${id}${suffix}`) as ArrayLike<boolean | null>;
  const [value, lower, upper, ratio, numerator, denominator, ratioLower, ratioUpper] = ['', '.lower', '.upper', '.ratio', '.numerator', '.denominator', '.ratio_lower', '.ratio_upper'].map(number);
  const [moranI, moranZ, moranP, giZ, giP] = ['.local_moran_i', '.local_moran_z', '.local_moran_p_sim', '.gi_star_z', '.gi_star_p_sim'].map(number);
  const [smallNumbers, incomplete, signal, suppressed] = ['.small_numbers', '.incomplete', '.signal', '.suppressed'].map(flag);
  const cluster = column(`${id}.cluster`) as ArrayLike<BlockSpatial['cluster']>;
  const hotspot = column(`${id}.hotspot`) as ArrayLike<BlockSpatial['hotspot']>;
  const blocks = IndicatorBlocks.empty(ids);
  for (let b = 0; b < ids.length; b++) {
    blocks.set(b, {
      numerator: numerator![b] ?? null,
      denominator: denominator![b] ?? null,
      value: value![b] ?? null,
      lower: lower![b] ?? null,
      upper: upper![b] ?? null,
      ratio: ratio![b] ?? null,
      ratio_lower: ratioLower![b] ?? null,
      ratio_upper: ratioUpper![b] ?? null,
      small_numbers: smallNumbers![b] === true,
      incomplete: incomplete![b] === true,
      signal: signal![b] === true,
      suppressed: suppressed![b] === true || undefined,
      spatial: spatial
        ? { local_moran_I: moranI![b] ?? null, local_moran_z: moranZ![b] ?? null, local_moran_p_sim: moranP![b] ?? null, cluster: cluster[b] ?? null, gi_star_z: giZ![b] ?? null, gi_star_p_sim: giP![b] ?? null, hotspot: hotspot[b] ?? null }
        : null,
    });
  }
  return blocks;
}

function accumulationBlocks(domains: string[], blocks: readonly BlockRow[], columns: BlockColumns, column: (name: string) => ArrayLike<CellValue>): BlockAccumulation[] {
  const min = column('stapeling.min') as ArrayLike<number>;
  const max = column('stapeling.max') as ArrayLike<number>;
  const states = domains.map((domain) => column(`stapeling.${domain}`) as ArrayLike<DomainState>);
  const relativelyMany = column('stapeling.relatively_many') as ArrayLike<string>;
  // Without `accumulation: { index: true }` the table has no index columns.
  const index = columns.has('stapeling.index')
    ? { value: column('stapeling.index') as ArrayLike<number | null>, lower: column('stapeling.index.lower') as ArrayLike<number>, upper: column('stapeling.index.upper') as ArrayLike<number>, domains: domains.map((domain) => column(`stapeling.index.${domain}`) as ArrayLike<number | null>) }
    : undefined;
  return blocks.map((block, b): BlockAccumulation => ({
    id: block.id,
    label: block.label,
    relatively_many: relativelyMany[b] ? relativelyMany[b]!.split(',') : [],
    domains: Object.fromEntries(domains.map((domain, d) => [domain, states[d]![b]!])),
    min: min[b]!,
    max: max[b]!,
    ...(index ? { index: index.value[b] === null ? null : { value: index.value[b]!, lower: index.lower[b]!, upper: index.upper[b]!, domains: Object.fromEntries(domains.map((domain, d) => [domain, index!.domains[d]![b] ?? null])) } } : {}),
  }));
}

function surveyBlocks(prefix: string, blocks: readonly BlockRow[], column: (name: string) => ArrayLike<CellValue>): SurveyResult['blocks'] {
  const respondents = column(`${prefix}.respondents`) as ArrayLike<number | null>;
  const shares = surveyShares.map((share) => [share, column(`${prefix}.${share}`), column(`${prefix}.${share}.lower`), column(`${prefix}.${share}.upper`)] as const);
  return blocks.map((block, b) => ({
    id: block.id,
    respondents: respondents[b] ?? null,
    ...(Object.fromEntries(shares.map(([share, value, lower, upper]) => [share, value[b] === null ? null : { value: value[b], lower: lower[b], upper: upper[b] }])) as Omit<SurveyFigures, 'respondents'>),
  }));
}

/** The disclosure log's hidden cells, in its order: per key its hidden blocks, then its area total. */
function hiddenCells(keys: readonly string[], blocks: readonly BlockRow[], totals: Readonly<Record<string, number | null>>): DisclosureLog['suppressed'] {
  return keys.flatMap((key) => [...blocks.filter((block) => block.counts[key] === null).map((block) => ({ block: block.id, key })), ...(totals[key] === null ? [{ block: null, key }] : [])]);
}

