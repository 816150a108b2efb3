import { renameSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { RowGroup, SchemaElement } from 'hyparquet';
import { ByteWriter, fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { PageIndexes } from 'hyparquet-writer/src/types.js';
import type { AnalysisResult } from '../analysis/result.js';
import type { PlanarPolygons } from '../geo/polygon-index.js';
import type { Progress } from '../progress.js';
import { rdNewProjJson } from './epsg-28992.js';
import { countColumn, indicatorColumns, type CellValue } from './columns.js';
import { blockTable, type ColumnFill, type FigureFill } from './tables.js';
import { startWorker } from '../worker-thread.js';


/** Blocks per row group at most: large enough for DuckDB and pandas to read fast, small enough to build one at a time. */
const rowGroup = 50_000;
/**
 * From this many blocks the table has at least two row groups, each encoded by a worker thread of
 * its own (hyparquet-writer makes many short-lived arrays, and in this thread's heap, which holds
 * the whole analysis, collecting them took most of the time: 47 s of a country's run). Below,
 * starting a worker costs more than it saves.
 */
export const parquetWorkersFrom = 10_001;
const role = 'buurtbalans-parquet';
/** hyparquet-writer boxes every value of a row group: room for them, and the warm-up, took stad's writing from 1.54–1.73 s to 1.32–1.42 s. */
const encoderYoungGenerationMb = 48;
/** The file's leading magic, 'PAR1': a row group encoded on its own starts after it. */
const magic = 4;

/** Blocks per row group: one group up to parquetWorkersFrom, then at least two, of at most rowGroup. Never by thread count, so the bytes do not depend on it. */
function groupSize(blocks: number): number {
  return blocks < parquetWorkersFrom ? Math.max(blocks, 1) : Math.min(rowGroup, Math.ceil(blocks / 2));
}

function groupCount(blocks: number): number {
  return Math.ceil(Math.max(blocks, 1) / groupSize(blocks));
}

type ColumnType = 'INT32' | 'DOUBLE' | 'BOOLEAN' | 'STRING';

/**
 * One column of one row group in typed arrays (a worker takes them without copying). `nulls[i]` is
 * 1 where the cell is empty; booleans are 0 and 1. The geometry is the row group's WKB end to end.
 */
type PackedColumn =
  | { name: string; type: 'INT32' | 'DOUBLE' | 'BOOLEAN'; values: Int32Array | Float64Array | Uint8Array; nulls?: Uint8Array }
  | { name: string; type: 'STRING'; values: (string | null)[] }
  | { name: 'geometry'; type: 'BYTE_ARRAY'; bytes: Uint8Array; ends: Uint32Array };

/**
 * blocks.parquet (GeoParquet 1.1): the block table as typed columns, the geometry as WKB in RD New
 * with its CRS in the file's `geo` metadata. Every count key `<key>` has beside it `<key>.geheim`,
 * true where disclosure control hid the count (the count is then null), so "geheim" (hidden),
 * "onbekend" (`<key>.unknown_cells` above 0: the sender held cells back) and 0 stay apart.
 * Written one row group at a time, so a country's table is never in memory twice. With `encoders`
 * (encodersAhead) and several row groups, worker threads encode the groups side by side while this
 * one packs the next and writes them to the file in order; same bytes either way. Says whether workers encoded.
 */
export async function writeBlocksParquet(
  path: string,
  result: AnalysisResult,
  shapes: readonly PlanarPolygons[],
  tool: string,
  options: { progress?: Progress | undefined; encoders?: Promise<GroupEncoders | undefined> | undefined } = {},
): Promise<boolean> {
  const temporary = `${path}.tmp`;
  const blocks = result.blocks.length;
  const size = groupSize(blocks);
  const groups = groupCount(blocks);
  const encoders = await options.encoders;
  try {
    const packed = packedGroups(result, shapes);
    const file = new BlocksParquetFile(temporary, tool);
    // Groups handed out and not yet in the file: each encoder busy, and one more packed.
    const pending: Promise<EncodedGroup>[] = [];
    for (let group = 0; group < groups; group++) {
      options.progress?.('writing blocks.parquet', group * size, blocks);
      const columns = packed.group(group * size, Math.min(blocks, (group + 1) * size) - group * size);
      file.schema ??= schemaOf(columns);
      if (!encoders) {
        file.add(encodeGroup(columns));
        continue;
      }
      const encoding = encoders.encode(group, columns);
      // Its failure is thrown where it is awaited, not as an unhandled rejection before.
      encoding.catch(() => undefined);
      pending.push(encoding);
      if (pending.length > encoders.count) file.add(await pending.shift()!);
    }
    for (const encoding of pending) file.add(await encoding);
    file.finish(packed.geo());
  } finally {
    // A worker left running would keep the process from ending after an error is said.
    await encoders?.close();
  }
  renameSync(temporary, path);
  return encoders !== undefined;
}

/** The block table's columns in row groups, and afterwards the `geo` metadata of what they held. */
function packedGroups(result: AnalysisResult, shapes: readonly PlanarPolygons[]) {
  const table = blockTable(result, true);
  const countKeys = Object.keys(result.blocks[0]?.counts ?? {});
  const names = ['id', 'label', 'addresses', ...table.names];
  const cells: ((b: number) => CellValue)[] = [(b) => result.blocks[b]!.id, (b) => result.blocks[b]!.label, (b) => result.blocks[b]!.addresses, ...table.cells];
  const fills = [undefined, undefined, undefined, ...table.fills];
  const taken = new Set(indicatorColumns(result.indicators.map((indicator) => indicator.id), true));
  const countOf = new Map(countKeys.map((key) => [countColumn(key, taken), key]));
  const blocks = result.blocks.length;
  const types = columnTypes(blocks, cells, fills);
  const bounds = [Infinity, Infinity, -Infinity, -Infinity];
  const kinds = new Set<string>();
  // The columns read cell by cell, read block by block: a block's cells lie together in memory, and a
  // country's blocks read column by column missed the cache at every cell (25 s of 40 for writing).
  const byCell = names.map((_, c) => c).filter((c) => fills[c] === undefined);
  const group = (start: number, size: number): PackedColumn[] => {
    const nulls = names.map(() => new Uint8Array(size));
    const values = types.map((type, c): (string | null)[] | Int32Array | Float64Array | Uint8Array => {
      const filled = fills[c];
      if (filled?.kind === 'label') {
        const labels = new Array<string | null>(size).fill(null);
        if (type === 'STRING') filled.fill(start, labels);
        // A column without a single label is numbers, all empty, as columnTypes decides.
        else nulls[c]!.fill(1);
        return type === 'STRING' ? labels : new Float64Array(size);
      }
      if (type === 'STRING') return new Array<string | null>(size).fill(null);
      if (filled) {
        const figures = new Float64Array(size);
        if (filled.kind === 'flag') filled.fill(start, figures);
        else filled.fill(start, figures, nulls[c]!);
        return type === 'INT32' ? Int32Array.from(figures) : type === 'BOOLEAN' ? Uint8Array.from(figures) : figures;
      }
      return type === 'INT32' ? new Int32Array(size) : type === 'DOUBLE' ? new Float64Array(size) : new Uint8Array(size);
    });
    for (let i = 0; i < size; i++) {
      for (const c of byCell) {
        const value = cells[c]!(start + i);
        if (value === null || value === undefined) nulls[c]![i] = 1;
        else if (types[c] === 'STRING') (values[c] as (string | null)[])[i] = value as string;
        else if (typeof value === 'string') throw new Error(`blocks.parquet: column ${names[c]} holds text among numbers`);
        else (values[c] as Int32Array | Float64Array | Uint8Array)[i] = Number(value);
      }
    }
    const columns = names.flatMap((name, c): PackedColumn[] => {
      const type = types[c]!;
      if (type === 'STRING') return [{ name, type, values: values[c] as (string | null)[] }];
      const column = { name, type, values: values[c] as Int32Array | Float64Array | Uint8Array, nulls: nulls[c]! };
      const key = countOf.get(name);
      // The companion flag: hidden (true) apart from known (false).
      return key === undefined ? [column] : [column, { name: `${key}.geheim`, type: 'BOOLEAN', values: nulls[c]!.slice() }];
    });
    const pieces = Array.from({ length: size }, (_, i) => {
      const shape = shapes[start + i]!;
      kinds.add(shape.length === 1 ? 'Polygon' : 'MultiPolygon');
      return wkb(shape, bounds);
    });
    const ends = new Uint32Array(size);
    let length = 0;
    pieces.forEach((piece, i) => (ends[i] = length += piece.length));
    const bytes = new Uint8Array(length);
    pieces.forEach((piece, i) => bytes.set(piece, i === 0 ? 0 : ends[i - 1]!));
    columns.push({ name: 'geometry', type: 'BYTE_ARRAY', bytes, ends });
    return columns;
  };
  const geo = () =>
    JSON.stringify({
      version: '1.1.0',
      primary_column: 'geometry',
      columns: { geometry: { encoding: 'WKB', geometry_types: [...kinds].sort(), crs: rdNewProjJson, ...(blocks > 0 ? { bbox: bounds } : {}) } },
    });
  return { group, geo };
}

/** One row group encoded on its own: its bytes (as they follow the file's magic) and its metadata, the offsets counted from a file that starts with it. */
interface EncodedGroup {
  bytes: Uint8Array;
  rowGroup: RowGroup;
  indexes: Omit<PageIndexes, 'chunk'>[];
}

/** The schema of the packed columns (the same for every row group). */
function schemaOf(columns: PackedColumn[]): SchemaElement[] {
  return schemaFromColumnData({ columnData: columns.map((column) => ({ ...source(column), data: [] })) });
}

/** A row group encoded by hyparquet-writer in memory; the file is put together from such groups by BlocksParquetFile. */
function encodeGroup(columns: PackedColumn[]): EncodedGroup {
  const columnData = columns.map((column) => ({ ...source(column), data: values(column) }));
  const rows = columnData[0]?.data.length ?? 0;
  // Sized for the plain values, so the buffer is seldom copied as it grows.
  const writer = new ByteWriter(magic + rows * columns.length * 8);
  const parquet = new ParquetWriter({ writer, schema: schemaOf(columns), statistics: false });
  parquet.write({ columnData, rowGroupSize: Math.max(rows, 1) });
  return { bytes: new Uint8Array(writer.buffer, magic, writer.offset - magic), rowGroup: parquet.row_groups[0]!, indexes: parquet.pendingIndexes.map(({ chunk: _, ...indexes }) => indexes) };
}

/** blocks.parquet put together from row groups encoded on their own, in order: each group's offsets moved to where it lands. */
class BlocksParquetFile {
  schema: SchemaElement[] | undefined;
  private parquet: ParquetWriter | undefined;
  constructor(
    private readonly path: string,
    private readonly tool: string,
  ) {}

  add(group: EncodedGroup): void {
    this.parquet ??= new ParquetWriter({
      writer: fileWriter(this.path),
      schema: this.schema!,
      createdBy: this.tool,
      // Min/max statistics cost a fifth of the writing (1.3 s → 1.07 s at stad); a table of blocks is read whole.
      statistics: false,
      kvMetadata: [], // filled in by finish, once the bounds are known
    });
    const { writer } = this.parquet;
    const shift = BigInt(writer.offset - magic);
    group.rowGroup.columns.forEach((chunk, i) => {
      chunk.file_offset += shift;
      chunk.meta_data!.data_page_offset += shift;
      if (chunk.meta_data!.dictionary_page_offset !== undefined) chunk.meta_data!.dictionary_page_offset += shift;
      for (const page of group.indexes[i]!.offsetIndex?.page_locations ?? []) page.offset += shift;
      this.parquet!.pendingIndexes.push({ ...group.indexes[i]!, chunk });
    });
    writer.appendBytes(group.bytes);
    this.parquet.row_groups.push(group.rowGroup);
    this.parquet.num_rows += group.rowGroup.num_rows;
  }

  finish(geo: string): void {
    this.parquet!.kvMetadata = [{ key: 'geo', value: geo }];
    this.parquet!.finish();
  }
}

/** A packed column's name, type and nullability as hyparquet-writer takes them. */
function source(column: PackedColumn): { name: string; type: 'BYTE_ARRAY' | ColumnType; nullable: boolean } {
  const nullable = column.type === 'STRING' || (column.type !== 'BYTE_ARRAY' && column.nulls !== undefined);
  return { name: column.name, type: column.type, nullable };
}

/** A packed column's values as hyparquet-writer takes them. */
function values(column: PackedColumn): (Uint8Array | string | number | boolean | null)[] {
  if (column.type === 'BYTE_ARRAY') {
    const { bytes, ends } = column;
    return Array.from(ends, (end, i) => bytes.subarray(i === 0 ? 0 : ends[i - 1]!, end));
  }
  if (column.type === 'STRING') return column.values;
  const { values, nulls } = column;
  // A column of numbers without an empty cell goes as it is: boxing every value cost the encoders a third of their time at country scale.
  if (column.type !== 'BOOLEAN' && !nulls?.includes(1)) return values as unknown as number[];
  const data = new Array<number | boolean | null>(values.length);
  for (let i = 0; i < values.length; i++) data[i] = nulls?.[i] ? null : column.type === 'BOOLEAN' ? values[i] === 1 : values[i]!;
  return data;
}

type FromWorker = 'ready' | EncodedGroup | { error: string };

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === role) {
  // Started ahead of its work (encodersAhead): the encoder is compiled before the real groups come.
  for (let round = 0; round < 3; round++) encodeGroup(warmUpGroup());
  parentPort!.on('message', (columns: PackedColumn[]) => {
    try {
      const encoded = encodeGroup(columns);
      parentPort!.postMessage(encoded satisfies FromWorker, [encoded.bytes.buffer as ArrayBuffer]);
    } catch (error) {
      parentPort!.postMessage({ error: (error as Error).message } satisfies FromWorker);
    }
  });
  parentPort!.postMessage('ready' satisfies FromWorker);
}

/**
 * The worker threads that will encode a table of `blocks` blocks, or undefined where this thread
 * encodes it (one row group, one thread). Started ahead of the analysis, they warm up: each
 * encodes a made-up row group while the analysis runs on the other core, so V8 has compiled the
 * encoder before the real groups come (cold, two workers took 1.2 s for stad's two groups, where the table's own
 * thread took 1.4 s for one).
 */
export function encodersAhead(blocks: number, threads: number): Promise<GroupEncoders | undefined> | undefined {
  const groups = groupCount(blocks);
  return threads > 1 && groups > 1 ? groupEncoders(Math.min(threads, groups)) : undefined;
}

export type GroupEncoders = NonNullable<Awaited<ReturnType<typeof groupEncoders>>>;

/** A row group with a column of each kind the block table has, for a worker to encode first. */
function warmUpGroup(): PackedColumn[] {
  const rows = 4096;
  const nulls = () => Uint8Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? 1 : 0));
  const counts = (k: number) => Int32Array.from({ length: rows }, (_, i) => (i * (k + 3)) % 17);
  const figures = (k: number) => Float64Array.from({ length: rows }, (_, i) => ((i * 2654435761 + k) >>> 0) / 2 ** 32);
  const square = wkb([[Float64Array.of(0, 0, 1, 0, 1, 1, 0, 0)]], [0, 0, 0, 0]);
  const bytes = new Uint8Array(square.length * rows);
  for (let i = 0; i < rows; i++) bytes.set(square, i * square.length);
  return [
    ...Array.from({ length: 4 }, (_, k): PackedColumn => ({ name: `count${k}`, type: 'INT32', values: counts(k), nulls: nulls() })),
    ...Array.from({ length: 4 }, (_, k): PackedColumn => ({ name: `figure${k}`, type: 'DOUBLE', values: figures(k), nulls: nulls() })),
    ...Array.from({ length: 2 }, (_, k): PackedColumn => ({ name: `flag${k}`, type: 'BOOLEAN', values: nulls().map((v) => v ^ k) })),
    { name: 'label', type: 'STRING', values: Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : `blok ${i % 40}`)) },
    { name: 'geometry', type: 'BYTE_ARRAY', bytes, ends: Uint32Array.from({ length: rows }, (_, i) => (i + 1) * square.length) },
  ];
}

/** Worker threads that encode row groups: group g by the g-th modulo their count. Undefined where none can start (a module loader that workers lack), and this thread encodes. */
async function groupEncoders(count: number) {
  const started = (await Promise.all(Array.from({ length: count }, () => startWorker<FromWorker>(new URL(import.meta.url), { role }, { background: true, youngGenerationMb: encoderYoungGenerationMb })))).filter((worker) => worker !== undefined);
  if (started.length === 0) return undefined;
  // One reply awaited at a time per worker, so its replies stay with their groups.
  const last = started.map(() => Promise.resolve<unknown>(undefined));
  return {
    count: started.length,
    encode(group: number, columns: PackedColumn[]): Promise<EncodedGroup> {
      const k = group % started.length;
      const encoder = started[k]!;
      const transfer = columns.flatMap((column) => (column.type === 'STRING' ? [] : column.type === 'BYTE_ARRAY' ? [column.bytes.buffer, column.ends.buffer] : [column.values.buffer, ...(column.nulls ? [column.nulls.buffer] : [])]));
      encoder.worker.postMessage(columns, transfer as ArrayBuffer[]);
      const reply = last[k]!.then(async () => {
        const encoded = await encoder.next();
        if (encoded === undefined || typeof encoded !== 'object' || 'error' in encoded) throw new Error(`writing blocks.parquet failed: ${(encoded as { error?: string } | undefined)?.error ?? encoder.failure()}`);
        return encoded;
      });
      last[k] = reply.catch(() => undefined);
      return reply;
    },
    async close() {
      await Promise.all(started.map((encoder) => encoder.worker.terminate()));
    },
  };
}

/**
 * Each column's type from its values: text STRING, yes/no BOOLEAN, numbers DOUBLE as soon as one is
 * no 32-bit whole number, else INT32 (empty: DOUBLE). A column holds one kind of value, so a column
 * is read until a value decides; only whole-number columns are read to the end. Block by block, as
 * the row groups are packed; figure columns whole.
 */
function columnTypes(blocks: number, cells: ((block: number) => CellValue)[], fills: (ColumnFill | undefined)[]): ColumnType[] {
  const types = cells.map((_, c): ColumnType | undefined => {
    const filled = fills[c];
    if (!filled) return undefined;
    return filled.kind === 'figure' ? figureType(blocks, filled.fill) : filled.kind === 'flag' ? (blocks > 0 ? 'BOOLEAN' : 'DOUBLE') : labelType(blocks, filled.fill);
  });
  const whole = new Uint8Array(cells.length);
  let open = cells.map((_, c) => c).filter((c) => types[c] === undefined);
  for (let b = 0; b < blocks && open.length > 0; b++) {
    let decided = false;
    for (const c of open) {
      const value = cells[c]!(b);
      if (value === null || value === undefined) continue;
      const type = typeof value === 'string' ? 'STRING' : typeof value === 'boolean' ? 'BOOLEAN' : isInt32(value) ? undefined : 'DOUBLE';
      if (type === undefined) whole[c] = 1;
      else {
        types[c] = type;
        decided = true;
      }
    }
    if (decided) open = open.filter((c) => types[c] === undefined);
  }
  return types.map((type, c) => type ?? (whole[c] ? 'INT32' : 'DOUBLE'));
}

function isInt32(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 31;
}

/** columnType of an indicator figure, read a row group at a time. */
function figureType(blocks: number, fill: FigureFill): ColumnType {
  const values = new Float64Array(Math.min(blocks, rowGroup));
  const nulls = new Uint8Array(values.length);
  let whole = false;
  for (let start = 0; start < blocks; start += rowGroup) {
    const size = Math.min(rowGroup, blocks - start);
    fill(start, values.subarray(0, size), nulls.subarray(0, size));
    for (let i = 0; i < size; i++) {
      if (nulls[i]) continue;
      if (!isInt32(values[i]!)) return 'DOUBLE';
      whole = true;
    }
  }
  return whole ? 'INT32' : 'DOUBLE';
}

/** columnType of a label column: text as soon as one block has a label, else empty numbers. */
function labelType(blocks: number, fill: (start: number, labels: (string | null)[]) => void): ColumnType {
  const labels = new Array<string | null>(Math.min(blocks, rowGroup));
  for (let start = 0; start < blocks; start += rowGroup) {
    const part = start + labels.length > blocks ? labels.slice(0, blocks - start) : labels;
    fill(start, part);
    if (part.some((label) => label !== null)) return 'STRING';
  }
  return 'DOUBLE';
}

/** A block's outline as WKB (little-endian): a Polygon, or a MultiPolygon of its pieces; widens `bounds`. */
function wkb(shape: PlanarPolygons, bounds: number[]): Uint8Array {
  const polygonBytes = (rings: Float64Array[]) => 9 + rings.reduce((sum, ring) => sum + 4 + ring.length * 8, 0);
  const multi = shape.length !== 1;
  const size = (multi ? 9 : 0) + shape.reduce((sum, rings) => sum + polygonBytes(rings), 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  const header = (type: number, count: number) => {
    bytes[at] = 1;
    view.setUint32(at + 1, type, true);
    view.setUint32(at + 5, count, true);
    at += 9;
  };
  if (multi) header(6, shape.length);
  for (const rings of shape) {
    header(3, rings.length);
    for (const ring of rings) {
      view.setUint32(at, ring.length / 2, true);
      at += 4;
      for (let i = 0; i < ring.length; i += 2) {
        const x = ring[i]!;
        const y = ring[i + 1]!;
        view.setFloat64(at, x, true);
        view.setFloat64(at + 8, y, true);
        at += 16;
        if (x < bounds[0]!) bounds[0] = x;
        if (y < bounds[1]!) bounds[1] = y;
        if (x > bounds[2]!) bounds[2] = x;
        if (y > bounds[3]!) bounds[3] = y;
      }
    }
  }
  return bytes;
}
