import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { AnalysisResult, UnplacedRow } from '../analysis/result.js';
import { IndicatorBlocks, type BlockFlag, type Figure } from '../indicators/blocks.js';
import { countColumn, heardFields, indicatorColumns, samenloopFields, surveyShares, type CellValue } from './columns.js';
import { documentAbove, documentOf } from './document.js';
import type { Progress } from '../progress.js';

/** How often writing a table reports, in blocks. */
const reportEvery = 4096;

/** Small pieces joined into chunks of about `size` characters: fewer, larger writes. */
export function* chunked(pieces: Iterable<string>, size = 1 << 16): Generator<string> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * analysis.json: stable key order and a trailing newline, so the same input gives the same bytes;
 * indented for reading up to 1,000 blocks, compact above that; above 5,000 blocks a document
 * whose per-block tables are in blocks.parquet (documentOf). Comes in pieces: the arrays that grow
 * with the blocks (the samenloop's, the heard themes') can be larger than the longest string V8 holds.
 */
export function* analysisJson(result: AnalysisResult, progress?: Progress): Generator<string> {
  const blocks = result.blocks.length;
  if (blocks <= 1000) yield JSON.stringify(result, null, 2);
  else if (blocks > documentAbove) yield* jsonPieces(documentOf(result), () => {});
  else {
    // The large arrays are the blocks and each indicator's blocks.
    const total = blocks * (1 + result.indicators.length);
    let written = 0;
    yield* jsonPieces(result, (items) => progress?.('writing analysis.json', (written += items), total));
  }
  yield '\n';
}

/** Arrays longer than this are written item by item. */
const largeArray = 1000;

/** JSON.stringify(value) in pieces: containers that hold a large array are opened up, everything else is stringified whole. */
function* jsonPieces(value: unknown, written: (items: number) => void): Generator<string> {
  if (!holdsLargeArray(value)) {
    yield JSON.stringify(value);
    return;
  }
  if (value instanceof IndicatorBlocks) {
    yield* chunked(indicatorBlocksJson(value, written));
    return;
  }
  if (Array.isArray(value) && value.length > largeArray) {
    // Items of a large array (blocks) are small: stringified natively a thousand at a time.
    for (let i = 0; i < value.length; i += largeArray) {
      const part = JSON.stringify(value.slice(i, i + largeArray));
      yield `${i === 0 ? '[' : ','}${part.slice(1, -1)}`;
      written(Math.min(largeArray, value.length - i));
    }
    yield ']';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      yield* jsonPieces(value[i] === undefined || typeof value[i] === 'function' || typeof value[i] === 'symbol' ? null : value[i], written);
    }
    yield ']';
    return;
  }
  let separator = '{';
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    yield `${separator}${JSON.stringify(key)}:`;
    separator = ',';
    yield* jsonPieces(item, written);
  }
  yield separator === '{' ? '{}' : '}';
}

/** An indicator's blocks as a JSON array, a block per piece. */
function* indicatorBlocksJson(blocks: IndicatorBlocks, written: (items: number) => void): Generator<string> {
  for (let b = 0; b < blocks.length; b++) {
    yield `${b === 0 ? '[' : ','}${blocks.json(b)}`;
    if (b % reportEvery === reportEvery - 1) written(reportEvery);
  }
  written(blocks.length % reportEvery);
  yield blocks.length === 0 ? '[]' : ']';
}

function holdsLargeArray(value: unknown): boolean {
  if (value instanceof IndicatorBlocks) return value.length > largeArray;
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return value.length > largeArray || value.some(holdsLargeArray);
  return Object.values(value).some(holdsLargeArray);
}

/**
 * The flat columns of the block table: every count `<key>` (`<key>.count` where an indicator has
 * that id) and `<key>.unknown_cells` for aggregated keys, then per indicator `<id>`, `<id>.lower`,
 * `<id>.upper`, `<id>.ratio`, `<id>.small_numbers`, `<id>.signal`, `<id>.gi_star_z`, `<id>.hotspot`
 * and `<id>.cluster`; then the opeenstapeling: `stapeling.min`, `stapeling.max` and per domain
 * `stapeling.<domain>` (signal, elevated, unknown or none), and with the index `stapeling.index` and
 * its interval. `row(b)` gives one block's values in that order.
 *
 * `complete` (blocks.parquet) adds what analysis.json holds per block beyond that, so a folder whose
 * analysis.json is a document (see documentOf) can be read back whole: per indicator `<id>.numerator`,
 * `<id>.denominator`, `<id>.ratio_lower`, `<id>.ratio_upper`, `<id>.incomplete`, `<id>.suppressed`,
 * `<id>.local_moran_i`, `<id>.local_moran_z`, `<id>.local_moran_p_sim` and `<id>.gi_star_p_sim`; and
 * `stapeling.relatively_many` (indicator ids, comma-separated) and `stapeling.index.<domain>`.
 */
export function blockTable(result: AnalysisResult, complete = false): { names: string[]; row: (block: number) => CellValue[]; cells: ((block: number) => CellValue)[]; fills: (ColumnFill | undefined)[] } {
  const first = result.blocks[0];
  if (!first) return { names: [], row: () => [], cells: [], fills: [] };
  const indicatorNames = indicatorColumns(result.indicators.map((indicator) => indicator.id), complete);
  const taken = new Set(indicatorNames);
  const keys = Object.keys(first.counts);
  const withUnknown = keys.map((key) => key in first.unknown_cells);
  const domains = result.accumulation?.domains ?? [];
  const withIndex = result.accumulation?.blocks.some((block) => block.index !== undefined) ?? false;
  const accumulationNames = result.accumulation
    ? [
        'stapeling.min',
        'stapeling.max',
        ...domains.map((domain) => `stapeling.${domain.id}`),
        ...(withIndex ? ['stapeling.index', 'stapeling.index.lower', 'stapeling.index.upper'] : []),
        ...(complete ? ['stapeling.relatively_many', ...(withIndex ? domains.map((domain) => `stapeling.index.${domain.id}`) : [])] : []),
      ]
    : [];
  const more = complete ? perBlockParts(result) : { names: [], cells: [] };
  const names = [...keys.flatMap((key, k) => [countColumn(key, taken), ...(withUnknown[k] ? [`${key}.unknown_cells`] : [])]), ...indicatorNames, ...accumulationNames, ...more.names];
  // One reader per column, in the order of `names`: a row is all of them, a column (blocks.parquet) one.
  const cells: ((b: number) => CellValue)[] = [
    ...keys.flatMap((key, k): ((b: number) => CellValue)[] => [(b) => result.blocks[b]!.counts[key]!, ...(withUnknown[k] ? [(b: number) => result.blocks[b]!.unknown_cells[key]!] : [])]),
    ...result.indicators.flatMap(({ blocks: cellsOf }): ((b: number) => CellValue)[] => [
      figure(cellsOf, 'value'),
      figure(cellsOf, 'lower'),
      figure(cellsOf, 'upper'),
      figure(cellsOf, 'ratio'),
      flag(cellsOf, 'small_numbers'),
      flag(cellsOf, 'signal'),
      figure(cellsOf, 'gi_star_z'),
      label(cellsOf, 'hotspot'),
      label(cellsOf, 'cluster'),
      ...(complete
        ? [
            figure(cellsOf, 'numerator'),
            figure(cellsOf, 'denominator'),
            figure(cellsOf, 'ratio_lower'),
            figure(cellsOf, 'ratio_upper'),
            flag(cellsOf, 'incomplete'),
            flag(cellsOf, 'suppressed'),
            figure(cellsOf, 'local_moran_I'),
            figure(cellsOf, 'local_moran_z'),
            figure(cellsOf, 'local_moran_p_sim'),
            figure(cellsOf, 'gi_star_p_sim'),
          ]
        : []),
    ]),
    ...(result.accumulation
      ? [
          (b: number) => result.accumulation!.blocks[b]?.min ?? null,
          (b: number) => result.accumulation!.blocks[b]?.max ?? null,
          ...domains.map((domain) => (b: number) => result.accumulation!.blocks[b]?.domains[domain.id] ?? null),
          ...(withIndex
            ? [(b: number) => result.accumulation!.blocks[b]?.index?.value ?? null, (b: number) => result.accumulation!.blocks[b]?.index?.lower ?? null, (b: number) => result.accumulation!.blocks[b]?.index?.upper ?? null]
            : []),
          ...(complete
            ? [
                (b: number) => result.accumulation!.blocks[b]?.relatively_many.join(',') ?? null,
                ...(withIndex ? domains.map((domain) => (b: number) => result.accumulation!.blocks[b]?.index?.domains[domain.id] ?? null) : []),
              ]
            : []),
        ]
      : []),
  ];
  cells.push(...more.cells);
  const row = (b: number): CellValue[] => cells.map((cell) => cell(b));
  return { names, row, cells, fills: cells.map((cell) => (cell as Partial<FilledCell>).fill) };
}

/** Fills a column's values for blocks [start, start + values.length), `nulls[i]` 1 where empty: a figure column read as a whole. */
export type FigureFill = (start: number, values: Float64Array, nulls: Uint8Array) => void;
/**
 * A column of blocks.parquet read as a whole rather than cell by cell (a country's table is 200
 * million cells): figures (`nulls[i]` 1 where empty), yes/no flags as 1 and 0 (never empty), or
 * labels (null where none).
 */
export type ColumnFill = { kind: 'figure'; fill: FigureFill } | { kind: 'flag'; fill: (start: number, values: Float64Array) => void } | { kind: 'label'; fill: (start: number, labels: (string | null)[]) => void };
type FilledCell = ((b: number) => CellValue) & { fill: ColumnFill };

/** An indicator figure's cell reader, carrying its fill for blocks.parquet. */
function figure(cellsOf: IndicatorBlocks, field: Figure): FilledCell {
  return Object.assign((b: number) => cellsOf.figure(b, field), { fill: { kind: 'figure', fill: (start: number, values: Float64Array, nulls: Uint8Array) => cellsOf.fillFigure(field, start, values, nulls) } as const });
}

/** An indicator's yes/no flag, carrying its fill. */
function flag(cellsOf: IndicatorBlocks, name: BlockFlag): FilledCell {
  return Object.assign((b: number) => cellsOf.hasFlag(name, b), { fill: { kind: 'flag', fill: (start: number, values: Float64Array) => cellsOf.fillFlag(name, start, values) } as const });
}

/** An indicator's hot spot or cluster label, carrying its fill. */
function label(cellsOf: IndicatorBlocks, field: 'cluster' | 'hotspot'): FilledCell {
  return Object.assign((b: number) => (field === 'cluster' ? cellsOf.cluster(b) : cellsOf.hotspot(b)), { fill: { kind: 'label', fill: (start: number, labels: (string | null)[]) => cellsOf.fillLabel(field, start, labels) } as const });
}

/**
 * The other per-block parts of the result, for blocks.parquet: the samenloop per block
 * (`samenloop.addresses`, `samenloop.markers_0` … `samenloop.markers_3plus`), per survey question
 * `<source>.<question>.respondents` and its shares `.tevreden`, `.ontevreden` and `.mean`, each with
 * `.lower` and `.upper`; and what is heard per block (`geluiden.heard`, `geluiden.agree`,
 * `geluiden.heard_only`, `geluiden.figures_only`: JSON text, null for a block where nothing is heard).
 */
function perBlockParts(result: AnalysisResult): { names: string[]; cells: ((b: number) => CellValue)[] } {
  const names: string[] = [];
  const cells: ((b: number) => CellValue)[] = [];
  const samenloop = result.accumulation?.samenloop;
  if (samenloop) {
    for (const field of samenloopFields) {
      names.push(`samenloop.${field}`);
      cells.push((b) => samenloop.blocks[b]![field]);
    }
  }
  for (const survey of result.surveys ?? []) {
    const prefix = `${survey.source}.${survey.question}`;
    names.push(`${prefix}.respondents`);
    cells.push((b) => survey.blocks[b]!.respondents);
    for (const share of surveyShares) {
      for (const part of ['value', 'lower', 'upper'] as const) {
        names.push(part === 'value' ? `${prefix}.${share}` : `${prefix}.${share}.${part}`);
        cells.push((b) => survey.blocks[b]![share]?.[part] ?? null);
      }
    }
  }
  if (result.signals) {
    // Per block (by position) what is heard there: a lookup by id per cell took 3 s of a country's writing.
    const byId = new Map(result.signals.blocks.map((block) => [block.id, block]));
    const heard = result.blocks.map((block) => byId.get(block.id));
    for (const field of heardFields) {
      names.push(`geluiden.${field}`);
      cells.push((b) => {
        const block = heard[b];
        return block ? JSON.stringify(block[field]) : null;
      });
    }
  }
  return { names, cells };
}


/** blocks.csv: one row per block with every count and indicator; comma-separated UTF-8, decimal point, empty for no value. */
export function blocksCsv(result: AnalysisResult, progress?: Progress): Generator<string> {
  return chunked(blocksCsvLines(result, progress));
}

function* blocksCsvLines(result: AnalysisResult, progress?: Progress): Generator<string> {
  const table = blockTable(result);
  yield `${['id', 'label', 'addresses', ...table.names].map(csvField).join(',')}\n`;
  for (let b = 0; b < result.blocks.length; b++) {
    if (b % reportEvery === 0) progress?.('writing blocks.csv', b, result.blocks.length);
    const block = result.blocks[b]!;
    let line = `${csvField(block.id)},${csvField(block.label)},${block.addresses}`;
    for (const value of table.row(b)) line += `,${value === null ? '' : typeof value === 'string' ? csvField(value) : value}`;
    yield `${line}\n`;
  }
}

/** unplaced.csv: source, line, reason. Deliberately no address fields. */
export function* unplacedCsv(rows: readonly UnplacedRow[]): Generator<string> {
  yield 'source,line,reason\n';
  for (const row of rows) yield `${csvField(row.source)},${row.line ?? ''},${csvField(row.reason)}\n`;
}

/**
 * blocks.geojson: WGS84 with counter-clockwise exterior rings, as RFC 7946 asks, coordinates to
 * 7 decimals (about 1 cm; more digits only add bytes). One feature per piece.
 */
export function* blocksGeoJson(result: AnalysisResult, geometries: readonly (Polygon | MultiPolygon)[], progress?: Progress): Generator<string> {
  const table = blockTable(result);
  const keys = table.names.map((name) => `,${JSON.stringify(name)}:`);
  yield '{"type":"FeatureCollection","features":[';
  // Written as text rather than as an object per feature: hundreds of properties make slow objects.
  for (let i = 0; i < result.blocks.length; i++) {
    const block = result.blocks[i]!;
    let properties = `{"id":${JSON.stringify(block.id)},"label":${JSON.stringify(block.label)},"addresses":${block.addresses}`;
    if (i % reportEvery === 0) progress?.('writing blocks.geojson', i, result.blocks.length);
    const values = table.row(i);
    for (let c = 0; c < keys.length; c++) properties += `${keys[c]}${jsonValue(values[c]!)}`;
    yield `${i > 0 ? ',' : ''}{"type":"Feature","properties":${properties}},"geometry":${rfc7946(geometries[i]!)}}`;
  }
  yield ']}\n';
}

/** The geometry as GeoJSON text, written directly: no copied arrays for a country's 460,000 blocks. */
function rfc7946(geometry: Polygon | MultiPolygon): string {
  const polygon = (rings: Position[][]) => `[${rings.map((ring, i) => ringJson(ring, i === 0)).join(',')}]`;
  return geometry.type === 'Polygon'
    ? `{"type":"Polygon","coordinates":${polygon(geometry.coordinates)}}`
    : `{"type":"MultiPolygon","coordinates":[${geometry.coordinates.map(polygon).join(',')}]}`;
}

/** Exterior rings counter-clockwise, holes clockwise (shoelace sign on lon/lat is enough at block scale). */
function ringJson(ring: Position[], exterior: boolean): string {
  let twiceArea = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    twiceArea += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  const reverse = twiceArea > 0 !== exterior;
  let text = '[';
  for (let k = 0; k < ring.length; k++) {
    const point = ring[reverse ? ring.length - 1 - k : k]!;
    text += `${k > 0 ? ',' : ''}[${roundDegrees(point[0]!)},${roundDegrees(point[1]!)}]`;
  }
  return `${text}]`;
}

/** JSON.stringify of a cell, without its cost for the numbers, booleans and nulls that most cells are. */
function jsonValue(value: CellValue): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (value === null || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function roundDegrees(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
