import { isMainThread, workerData } from 'node:worker_threads';
import type { CellModel, Relation } from './cells.js';
import { Witnesses } from './witness.js';
import { doClaimedJob, jobState, sharedCopy, startJobWorker } from '../worker-thread.js';

/**
 * The audit's certificates shared with a worker thread: each hidden cell's certificate depends on
 * the table alone, and a city's 400,000 hidden cells took a minute and a half of one core. The
 * worker takes half of the cells. The audit stays synchronous: it waits (Atomics.wait)
 * for a worker that has begun, and certifies the worker's half itself where none began (a module
 * loader that workers lack) or it failed; the same certificates either way. The cells alternate
 * between the two (the first here, the second there): cells of one key cost alike, keys do not.
 */

const role = 'buurtbalans-certificates';
/** Below this many cells to certify, starting a worker (and indexing the table twice) costs more than it saves. */
export const certificateThreadFrom = 20_000;
const { waiting, begun, finished, failed } = jobState;
/** Seconds without a cell done after which a worker that has begun counts as dead (out of memory): no cell takes that long. */
const silenceSeconds = 30;

/** How many threads may certify (--threads); `inWorker` counts the cells a worker certified, said with --timings, never written. */
export interface CertificateSharing {
  threads: number;
  inWorker: number;
}

/** One thread: every cell certified where the audit runs. */
export const oneThread = (): CertificateSharing => ({ threads: 1, inWorker: 0 });

/** A cell's certificate: the range it is shown to be able to take, or undefined where none was found. */
export type Certificate = { lower: number; upper: number } | undefined;

/**
 * Whether `cell` can be anywhere from its floor to its protection in tables that agree with
 * everything published, found from `start` (the true table in a check).
 */
export function certify(witnesses: Witnesses, model: Pick<CellModel, 'protection' | 'floors' | 'blockIds'>, startValues: Float64Array, cell: number): Certificate {
  const width = model.blockIds.length + 1;
  const value = startValues[cell]!;
  const protection = model.protection[Math.floor(cell / width)]!;
  const least = model.floors[Math.floor(cell / width)]!;
  // A hidden total at least as large as its shown parts is provably no small count.
  const floor = witnesses.shownFloor(cell);
  const down = value <= least || floor >= protection || witnesses.canMove(cell, least - value);
  const up = value >= protection || witnesses.canMove(cell, protection - value);
  const margin = protection - least;
  if (down && up) return { lower: floor >= protection ? floor : least, upper: Math.max(value, protection) };
  // Else a range as wide, reaching the protection: from the true value up by the margin, or, for
  // a large cell, down by it (each hidden part at least 1 can keep a total from its floor).
  if (witnesses.canMove(cell, margin)) return { lower: value, upper: value + margin };
  if (value - margin >= least && value >= protection && witnesses.canMove(cell, -margin)) return { lower: value - margin, upper: value };
  return undefined;
}

interface Job {
  role: typeof role;
  keys: number;
  blocks: number;
  values: SharedArrayBuffer;
  hidden: SharedArrayBuffer;
  protection: SharedArrayBuffer;
  floors: SharedArrayBuffer;
  /** Per relation: 1 for a sum; its total; the end of its parts in `parts`. */
  kinds: SharedArrayBuffer;
  totals: SharedArrayBuffer;
  partEnds: SharedArrayBuffer;
  parts: SharedArrayBuffer;
  /** The cells the worker certifies, and per cell its lower and upper bound (NaN: no certificate). */
  cells: SharedArrayBuffer;
  bounds: SharedArrayBuffer;
  /** control[0]: what the worker is at (jobState); control[1]: how many cells it has done. */
  control: SharedArrayBuffer;
}

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === role) {
  const job = workerData as Job;
  const control = new Int32Array(job.control);
  doClaimedJob(control, () => {
    const model = modelOf(job);
    const witnesses = new Witnesses(model);
    const bounds = new Float64Array(job.bounds);
    new Int32Array(job.cells).forEach((cell, i) => {
      const found = certify(witnesses, model, model.values, cell);
      bounds[2 * i] = found?.lower ?? Number.NaN;
      bounds[2 * i + 1] = found?.upper ?? Number.NaN;
      Atomics.add(control, 1, 1);
    });
    return true;
  });
}

/** The table as the worker rebuilds it from the shared buffers: what the certificates read. */
function modelOf(job: Job): CellModel {
  const kinds = new Uint8Array(job.kinds);
  const totals = new Int32Array(job.totals);
  const partEnds = new Int32Array(job.partEnds);
  const parts = new Int32Array(job.parts);
  const relations: Relation[] = Array.from(totals, (total, r) => ({ kind: kinds[r] === 1 ? 'sum' : 'within', total, parts: parts.subarray(r === 0 ? 0 : partEnds[r - 1]!, partEnds[r]!) }));
  return {
    keys: Array.from({ length: job.keys }, () => ''),
    blockIds: Array.from({ length: job.blocks }, () => ''),
    values: new Float64Array(job.values),
    hidden: new Uint8Array(job.hidden),
    protection: new Int32Array(job.protection),
    floors: new Float64Array(job.floors),
    relations,
    groups: [],
    totalGivesWay: new Uint8Array(job.keys),
  };
}

/**
 * Certificates for `cells` from `start` (the same values and hidden cells as `model`, or a table
 * the solver found), in the order of `cells`: this thread certifies every other cell while a
 * worker certifies the rest. Without a worker (one thread, few cells), all here.
 */
export function certifyAll(model: CellModel, start: CellModel, cells: readonly number[], sharing: CertificateSharing): Certificate[] {
  const witnesses = new Witnesses(start);
  const here = (list: readonly number[]) => list.map((cell) => certify(witnesses, model, start.values, cell));
  if (sharing.threads < 2 || cells.length < certificateThreadFrom) return here(cells);
  const theirs = Int32Array.from(cells.filter((_, i) => i % 2 === 1));
  const relations = start.relations;
  const partEnds = new Int32Array(relations.length);
  let length = 0;
  relations.forEach((relation, r) => (partEnds[r] = length += relation.parts.length));
  const parts = new Int32Array(length);
  relations.forEach((relation, r) => parts.set(relation.parts, r === 0 ? 0 : partEnds[r - 1]!));
  const job: Job = {
    role,
    keys: start.keys.length,
    blocks: start.blockIds.length,
    values: sharedCopy(start.values),
    hidden: sharedCopy(start.hidden),
    protection: sharedCopy(model.protection),
    floors: sharedCopy(model.floors),
    kinds: sharedCopy(Uint8Array.from(relations, (relation) => (relation.kind === 'sum' ? 1 : 0))),
    totals: sharedCopy(Int32Array.from(relations, (relation) => relation.total)),
    partEnds: sharedCopy(partEnds),
    parts: sharedCopy(parts),
    cells: sharedCopy(theirs),
    bounds: new SharedArrayBuffer(16 * theirs.length),
    control: new SharedArrayBuffer(8),
  };
  const control = new Int32Array(job.control);
  const worker = startJobWorker(new URL(import.meta.url), job);
  const mine = here(cells.filter((_, i) => i % 2 === 0));
  // Not begun: this thread takes the other half too. Begun: it waits while the worker gets on, and
  // takes the half back where it failed, or fell silent (a worker out of memory never says so here).
  if (Atomics.compareExchange(control, 0, waiting, failed) !== waiting) {
    let done = -1;
    let silent = 0;
    while (Atomics.load(control, 0) === begun) {
      Atomics.wait(control, 0, begun, 1000);
      const now = Atomics.load(control, 1);
      silent = now === done ? silent + 1 : 0;
      done = now;
      if (silent >= silenceSeconds) Atomics.compareExchange(control, 0, begun, failed);
    }
  }
  void worker?.terminate();
  const finishedThere = Atomics.load(control, 0) === finished;
  const bounds = new Float64Array(job.bounds);
  const other = finishedThere ? Array.from(theirs, (_, i): Certificate => (Number.isNaN(bounds[2 * i]!) ? undefined : { lower: bounds[2 * i]!, upper: bounds[2 * i + 1]! })) : here(Array.from(theirs));
  if (finishedThere) sharing.inWorker += theirs.length;
  return cells.map((_, i) => (i % 2 === 0 ? mine[i / 2] : other[(i - 1) / 2]));
}
