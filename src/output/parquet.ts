import { renameSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { AnalysisResult } from '../analysis/result.js';
import type { PlanarPolygons } from '../geo/polygon-index.js';
import type { Progress } from '../progress.js';
import { rdNewProjJson } from './epsg-28992.js';
import { countColumn, indicatorColumns, type CellValue } from './columns.js';
import { blockTable, type FigureFill } from './tables.js';
import { startWorker } from '../worker-thread.js';


/** Blocks per row group: large enough for DuckDB and pandas to read fast, small enough to build one at a time. */
const rowGroup = 50_000;
/**
 * Above one row group a worker thread encodes blocks.parquet while this one gathers the next. Below,
 * nothing runs side by side and starting the worker costs more than the smaller heap saves.
 */
export const parquetWorkerFrom = rowGroup + 1;
/** Row groups handed to the worker and not yet written: bounds the memory the hand-over takes. */
const inFlight = 2;
const role = 'buurtbalans-parquet';

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
 * Written one row group at a time, so a country's table is never in memory twice. With `threads`
 * above 1 and a large table, a worker thread encodes each row group (hyparquet-writer makes many
 * short-lived arrays, and in this thread's heap, which holds the whole analysis, collecting them
 * took most of the time: 47 s of a country's run); same bytes either way. Says whether a worker wrote.
 */
export async function writeBlocksParquet(path: string, result: AnalysisResult, shapes: readonly PlanarPolygons[], tool: string, options: { threads?: number; progress?: Progress | undefined } = {}): Promise<boolean> {
  const temporary = `${path}.tmp`;
  const blocks = result.blocks.length;
  const sink = options.threads !== undefined && options.threads > 1 && blocks >= parquetWorkerFrom ? await parquetWorker(temporary, tool) : undefined;
  const file = sink ?? new BlocksParquetFile(temporary, tool);
  try {
    const packed = packedGroups(result, shapes);
    for (let start = 0; start < Math.max(blocks, 1); start += rowGroup) {
      options.progress?.('writing blocks.parquet', start, blocks);
      await file.write(packed.group(start, Math.min(blocks, start + rowGroup) - start));
    }
    await file.finish(packed.geo());
  } catch (error) {
    // A worker left running would keep the process from ending after the error is said.
    await file.abort();
    throw error;
  }
  renameSync(temporary, path);
  return sink !== undefined;
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
  const types = cells.map((cell, c) => (fills[c] ? figureType(blocks, fills[c]) : columnType(blocks, cell)));
  const bounds = [Infinity, Infinity, -Infinity, -Infinity];
  const kinds = new Set<string>();
  const group = (start: number, size: number): PackedColumn[] => {
    // Column by column: no row of a few hundred cells is made per block.
    const columns = names.flatMap((name, c): PackedColumn[] => {
      const type = types[c]!;
      const cell = cells[c]!;
      const fill = fills[c];
      if (type === 'STRING') return [{ name, type, values: Array.from({ length: size }, (_, i) => (cell(start + i) as string | null) ?? null) }];
      const nulls = new Uint8Array(size);
      let values: Int32Array | Float64Array | Uint8Array;
      if (fill) {
        const figures = new Float64Array(size);
        fill(start, figures, nulls);
        values = type === 'INT32' ? Int32Array.from(figures) : figures;
      } else {
        values = type === 'INT32' ? new Int32Array(size) : type === 'DOUBLE' ? new Float64Array(size) : new Uint8Array(size);
        for (let i = 0; i < size; i++) {
          const value = cell(start + i);
          if (value === null || value === undefined) nulls[i] = 1;
          else if (typeof value === 'string') throw new Error(`blocks.parquet: column ${name} holds text among numbers`);
          else values[i] = Number(value);
        }
      }
      const key = countOf.get(name);
      // The companion flag: hidden (true) apart from known (false).
      return key === undefined ? [{ name, type, values, nulls }] : [{ name, type, values, nulls }, { name: `${key}.geheim`, type: 'BOOLEAN', values: nulls.slice() }];
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

/** Where packed row groups go: this thread's writer or the worker's. */
interface GroupSink {
  write(columns: PackedColumn[]): Promise<void> | void;
  finish(geo: string): Promise<void> | void;
  abort(): Promise<void> | void;
}

/** hyparquet-writer on a file, fed packed row groups. */
class BlocksParquetFile implements GroupSink {
  private writer: ParquetWriter | undefined;
  constructor(
    private readonly path: string,
    private readonly tool: string,
  ) {}

  write(packed: PackedColumn[]): void {
    const columnData = packed.map(unpacked);
    this.writer ??= new ParquetWriter({
      writer: fileWriter(this.path),
      schema: schemaFromColumnData({ columnData }),
      createdBy: this.tool,
      // Min/max statistics cost a fifth of the writing (1.3 s → 1.07 s at stad); a table of blocks is read whole.
      statistics: false,
      kvMetadata: [], // filled in by finish, once the bounds are known
    });
    this.writer.write({ columnData, rowGroupSize: rowGroup });
  }

  finish(geo: string): void {
    this.writer!.kvMetadata = [{ key: 'geo', value: geo }];
    this.writer!.finish();
  }

  // Nothing runs beside this thread: the temporary file goes with its folder.
  abort(): void {}
}

/** A packed column as hyparquet-writer takes it. */
function unpacked(column: PackedColumn) {
  if (column.type === 'BYTE_ARRAY') {
    const { bytes, ends } = column;
    return { name: column.name, data: Array.from(ends, (end, i) => bytes.subarray(i === 0 ? 0 : ends[i - 1]!, end)), type: column.type, nullable: false };
  }
  if (column.type === 'STRING') return { name: column.name, data: column.values, type: column.type, nullable: true };
  const { values, nulls } = column;
  const data = new Array<number | boolean | null>(values.length);
  for (let i = 0; i < values.length; i++) data[i] = nulls?.[i] ? null : column.type === 'BOOLEAN' ? values[i] === 1 : values[i]!;
  return { name: column.name, data, type: column.type, nullable: nulls !== undefined };
}

type FromWorker = 'ready' | 'written' | 'finished' | { error: string };

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === role) {
  const { path, tool } = workerData as { path: string; tool: string };
  const file = new BlocksParquetFile(path, tool);
  parentPort!.on('message', (message: { columns: PackedColumn[] } | { geo: string }) => {
    try {
      if ('columns' in message) file.write(message.columns);
      else file.finish(message.geo);
      parentPort!.postMessage(('columns' in message ? 'written' : 'finished') satisfies FromWorker);
    } catch (error) {
      parentPort!.postMessage({ error: (error as Error).message } satisfies FromWorker);
    }
  });
  parentPort!.postMessage('ready' satisfies FromWorker);
}

/** A worker thread that writes `path`; undefined where it cannot start (a module loader that workers lack), and this thread writes. */
async function parquetWorker(path: string, tool: string): Promise<GroupSink | undefined> {
  const started = await startWorker<FromWorker>(new URL(import.meta.url), { role, path, tool });
  if (!started) return undefined;
  const { worker } = started;
  const next = async () => {
    const reply = await started.next();
    if (reply === undefined || typeof reply === 'object') throw new Error(`writing blocks.parquet failed: ${reply?.error ?? started.failure()}`);
  };
  let pending = 0;
  return {
    async write(columns) {
      const transfer = columns.flatMap((column) => (column.type === 'STRING' ? [] : column.type === 'BYTE_ARRAY' ? [column.bytes.buffer, column.ends.buffer] : [column.values.buffer, ...(column.nulls ? [column.nulls.buffer] : [])]));
      worker.postMessage({ columns }, transfer as ArrayBuffer[]);
      for (pending++; pending >= inFlight; pending--) await next();
    },
    async finish(geo) {
      worker.postMessage({ geo });
      try {
        for (; pending > 0; pending--) await next();
        await next();
      } finally {
        await worker.terminate();
      }
    },
    async abort() {
      await worker.terminate();
    },
  };
}

/**
 * A column's type from its values: text STRING, yes/no BOOLEAN, numbers DOUBLE as soon as one is no
 * 32-bit whole number, else INT32 (empty: DOUBLE). A column holds one kind of value, so the scan
 * stops at the first that decides; only whole-number columns are read to the end.
 */
function columnType(blocks: number, cell: (block: number) => CellValue): ColumnType {
  let kind: ColumnType | undefined;
  for (let b = 0; b < blocks; b++) {
    const value = cell(b);
    if (value === null || value === undefined) continue;
    if (typeof value === 'string') return 'STRING';
    if (typeof value === 'boolean') return 'BOOLEAN';
    if (!isInt32(value)) return 'DOUBLE';
    kind = 'INT32';
  }
  return kind ?? 'DOUBLE';
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
