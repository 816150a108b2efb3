import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { PolygonIndex, type PolygonIndexParts } from '../geo/polygon-index.js';
import { CsvTable, type CsvParts } from '../ingest/csv.js';
import type { CrsName } from '../project/schema.js';
import { jobState, sharedCopy, startJobWorker } from '../worker-thread.js';
import { placePoint, type PointReason } from './locate.js';

/**
 * Placing a table of points (a source, or the address register), on two cores when it is large:
 * this thread and a worker take chunks of rows from a shared counter until none are left, each
 * writing its rows' blocks into one shared array. Every row's block depends on the row alone, so
 * the result is the same whoever placed it; a worker that never loads takes no chunk, and one that
 * stops is waited for a while, then its chunk is placed here. The workers start before the
 * analysis (`placingThreads`), so they have loaded when the rows come.
 */

const role = 'buurtbalans-placing';
/** From this many rows a worker saves more than its start (about 50 ms) costs. */
export const placingThreadFrom = 100_000;
const chunkRows = 1 << 14;
/** How long this thread waits for a chunk the worker took before placing it itself. */
const patienceMs = 10_000;
/** A table read into memory of this thread alone (transcoded, or from a workbook) is copied for the workers only up to this size. */
const copiedUpTo = 256 << 20;
/** Per chunk in `done`: placed by the worker (`finished`), or failed there (placed again here at once); `waiting` until then. */
const { finished, failed } = jobState;

/** Why a row has no block, coded in the results as -1 - its position here. */
const reasons = ['malformed_row', 'missing_coordinates', 'invalid_coordinates', 'outside_netherlands', 'outside_blocks', 'in_overlapping_blocks'] as const satisfies readonly ('malformed_row' | PointReason)[];

/** A row's block, or why it has none, from what `placePoints` gives for it. */
export const pointRowResult = (code: number): number | (typeof reasons)[number] => (code >= 0 ? code : reasons[-1 - code]!);

interface Columns {
  x: number;
  y: number;
  crs: CrsName;
}

interface Job extends Columns {
  table: CsvParts;
  index: PolygonIndexParts;
  /** Per row its block, or -1 - the reason it has none. */
  results: SharedArrayBuffer;
  /** Where asked: per placed row its point in RD New (x, y), NaN for the others. */
  points: SharedArrayBuffer | undefined;
  /** [0]: the next chunk to take. */
  next: SharedArrayBuffer;
  /** Per chunk: `finished` or `failed` once the worker is done with it. */
  done: SharedArrayBuffer;
}

function placeChunk(table: CsvTable, index: PolygonIndex, columns: Columns, chunk: number, results: Int32Array, points: Float64Array | undefined): void {
  const point = new Float64Array(2);
  for (let row = chunk * chunkRows, end = Math.min(table.rowCount, row + chunkRows); row < end; row++) {
    const block = table.hasExtraFields(row) ? 'malformed_row' : placePoint(table, row, columns.x, columns.y, columns.crs, index, point);
    results[row] = typeof block === 'number' ? block : -1 - reasons.indexOf(block);
    if (points && typeof block === 'number') points.set(point, 2 * row);
  }
}

if (!isMainThread && workerData === role) {
  parentPort!.on('message', (job: Job) => {
    const table = CsvTable.fromParts(job.table);
    const index = new PolygonIndex(job.index);
    const [results, next, done] = [new Int32Array(job.results), new Int32Array(job.next), new Int32Array(job.done)];
    const points = job.points && new Float64Array(job.points);
    for (let chunk = Atomics.add(next, 0, 1); chunk < done.length; chunk = Atomics.add(next, 0, 1)) {
      let state: number = failed;
      try {
        placeChunk(table, index, job, chunk, results, points);
        state = finished;
      } finally {
        Atomics.store(done, chunk, state);
        Atomics.notify(done, chunk);
      }
    }
  });
}

/**
 * The workers that help place large tables of points. They end after the last of them is placed: a
 * worker holds the shared bytes of what it placed until it ends (it makes too little garbage to
 * collect them).
 */
export interface PlacingThreads {
  readonly workers: readonly Worker[];
  /** Rows the workers placed (said with --timings). */
  rowsInWorkers: number;
  /** Large tables of points still to be placed; at 0 the workers end. */
  tablesLeft: number;
  /** The index's parts in shared memory, made once for every source placed against it. */
  sharedIndex(index: PolygonIndex): PolygonIndexParts;
  /** Ends the workers; what is placed after it is placed by the caller alone. */
  close(): Promise<void>;
}

/** `threads - 1` workers, started now (they never hold the process open), for `tables` large tables of points (`placedInThreads`, counted once per period placed). */
export function placingThreads(threads: number, tables: number): PlacingThreads {
  const workers = Array.from({ length: Math.max(0, threads - 1) }, () => startJobWorker(new URL(import.meta.url), role)).filter((worker) => worker !== undefined);
  const indexes = new WeakMap<PolygonIndex, PolygonIndexParts>();
  return {
    workers,
    rowsInWorkers: 0,
    tablesLeft: tables,
    sharedIndex: (index) => indexes.get(index) ?? (indexes.set(index, sharedIndex(index.parts())), indexes.get(index)!),
    close: async () => void (await Promise.all(workers.splice(0).map((worker) => worker.terminate()))),
  };
}

/** Whether `placePoints` shares out a table of this route and size. */
export const placedInThreads = (placeBy: string, rows: number): boolean => placeBy === 'point' && rows >= placingThreadFrom;

/** Per row its block or reason (`pointRowResult`); with `keepPoints`, per placed row its point in RD New (x, y; NaN for the others). */
export interface PlacedPoints {
  blocks: Int32Array;
  points: Float64Array | undefined;
}

/**
 * Every row's block or reason (a row with a field too many is `malformed_row`): placed by this
 * thread and the workers where the table is large, by this thread alone where there are no
 * workers or the coordinate columns are replaced (the workers read the file's own cells).
 */
export function placePoints(table: CsvTable, columns: Columns, index: PolygonIndex, threads: PlacingThreads | undefined, progress?: (rows: number) => void, keepPoints = false): PlacedPoints {
  const large = placedInThreads('point', table.rowCount);
  try {
    return (threads?.workers.length && large ? placeShared(table, columns, index, threads, progress, keepPoints) : undefined) ?? placeHere(table, columns, index, progress, keepPoints);
  } finally {
    if (threads && large && --threads.tablesLeft === 0) void threads.close();
  }
}

function placeHere(table: CsvTable, columns: Columns, index: PolygonIndex, progress: ((rows: number) => void) | undefined, keepPoints: boolean): PlacedPoints {
  const blocks = new Int32Array(table.rowCount);
  const points = keepPoints ? new Float64Array(2 * table.rowCount).fill(Number.NaN) : undefined;
  for (let chunk = 0; chunk * chunkRows < table.rowCount; chunk++) {
    progress?.(chunk * chunkRows);
    placeChunk(table, index, columns, chunk, blocks, points);
  }
  return { blocks, points };
}

function placeShared(table: CsvTable, columns: Columns, index: PolygonIndex, threads: PlacingThreads, progress: ((rows: number) => void) | undefined, keepPoints: boolean): PlacedPoints | undefined {
  if (table.isReplaced(columns.x) || table.isReplaced(columns.y)) return undefined;
  const parts = table.parts();
  // A large table in this thread's memory alone would be held twice at the peak: it is placed here.
  if (!(parts.bytes instanceof SharedArrayBuffer) && parts.byteLength > copiedUpTo) return undefined;
  const chunks = Math.ceil(table.rowCount / chunkRows);
  const job = { ...columns, table: sharedParts(parts), index: threads.sharedIndex(index), results: new SharedArrayBuffer(4 * table.rowCount), points: keepPoints ? new SharedArrayBuffer(16 * table.rowCount) : undefined, next: new SharedArrayBuffer(4), done: new SharedArrayBuffer(4 * chunks) } satisfies Job;
  const [results, next, done] = [new Int32Array(job.results), new Int32Array(job.next), new Int32Array(job.done)];
  const points = job.points && new Float64Array(job.points).fill(Number.NaN);
  for (const worker of threads.workers) worker.postMessage(job);
  const mine = new Uint8Array(chunks);
  for (let chunk = Atomics.add(next, 0, 1); chunk < chunks; chunk = Atomics.add(next, 0, 1)) {
    placeChunk(table, index, columns, chunk, results, points);
    mine[chunk] = 1;
    progress?.(Math.min(table.rowCount, Atomics.load(next, 0) * chunkRows));
  }
  for (let chunk = 0; chunk < chunks; chunk++) {
    if (mine[chunk]) continue;
    Atomics.wait(done, chunk, jobState.waiting, patienceMs);
    if (Atomics.load(done, chunk) === finished) threads.rowsInWorkers += Math.min(chunkRows, table.rowCount - chunk * chunkRows);
    // Failed there, or a worker that died (out of memory) and never says so: placed here, the same blocks.
    else placeChunk(table, index, columns, chunk, results, points);
  }
  return { blocks: results, points };
}

/** The table's buffers shared, copied where they are not yet (a file read in this thread). */
function sharedParts(parts: CsvParts): CsvParts {
  const shared = <T extends Uint32Array | Int32Array>(view: T): T => (view.buffer instanceof SharedArrayBuffer ? view : (new (view.constructor as new (buffer: SharedArrayBuffer) => T)(sharedCopy(view))));
  const bytes = parts.bytes instanceof SharedArrayBuffer ? parts : { bytes: sharedCopy(new Uint8Array(parts.bytes, parts.byteOffset, parts.byteLength)), byteOffset: 0 };
  return { ...parts, ...bytes, rowFields: shared(parts.rowFields), fieldStart: shared(parts.fieldStart), rowEnd: shared(parts.rowEnd), lines: shared(parts.lines) };
}

function sharedIndex(parts: PolygonIndexParts): PolygonIndexParts {
  return { ...parts, boxes: new Float64Array(sharedCopy(parts.boxes)), rings: new Float64Array(sharedCopy(parts.rings)), cellStart: new Uint32Array(sharedCopy(parts.cellStart)), cellPolygons: new Uint32Array(sharedCopy(parts.cellPolygons)) };
}
