import { isMainThread, workerData } from 'node:worker_threads';
import { neighbourLists, type HotspotOptions } from './hotspots.js';
import type { Rings } from './weights.js';
import { doClaimedJob, jobState, startJobWorker } from '../worker-thread.js';

/**
 * The blocks' neighbour lists made in a worker thread while this one places and counts: they
 * depend on the outlines alone, and a country's contiguity took 7 s of one core. The pipeline stays
 * synchronous: `take` waits (Atomics.wait) for a worker that has begun, and returns nothing where
 * none began (a module loader that workers lack), failed or ran out of room; the spatial stage
 * then makes the lists itself, the same lists.
 */

const role = 'buurtbalans-neighbours';
/** Room for this many neighbours per block on average (queen contiguity of real blocks: 5–7; knn: k). */
const roomPerBlock = (spec: Spec) => Math.max(24, spec.weights.k ?? 0);
/**
 * How long the caller waits for a worker that has begun: a worker that dies (out of memory) never
 * says so to a thread blocked in Atomics.wait. Generous: a country's 460,000 blocks take 7 s.
 */
const patienceMs = (blocks: number) => Math.max(10_000, blocks * 0.1);

export type NeighbourSpec = Pick<HotspotOptions, 'weights' | 'snap' | 'metric'>;
type Spec = NeighbourSpec;
/** control[0]: what the worker is at. */
const { waiting, begun, finished, failed } = jobState;

interface Job {
  role: typeof role;
  spec: Spec;
  /** Every ring's coordinates end to end; `rings`: per ring its end in `coordinates`; `pieces`: per polygon its last ring; `shapes`: per block its last polygon. */
  coordinates: SharedArrayBuffer;
  rings: SharedArrayBuffer;
  pieces: SharedArrayBuffer;
  shapes: SharedArrayBuffer;
  control: SharedArrayBuffer;
  /** Per block the end of its neighbours in `lists`. */
  ends: SharedArrayBuffer;
  lists: SharedArrayBuffer;
}

export interface NeighbourSource {
  /** The lists for `spec`, or undefined: then the caller makes them. */
  take(spec: Spec): number[][] | undefined;
  /** Whether the worker's lists were taken (said with --timings). */
  taken(): boolean;
}

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === role) {
  const job = workerData as Job;
  // Where the caller made the lists itself already, there is nothing to do.
  doClaimedJob(new Int32Array(job.control), () => {
    const lists = neighbourLists(unflattened(job), job.spec);
    const ends = new Int32Array(job.ends);
    const flat = new Int32Array(job.lists);
    let at = 0;
    if (lists.reduce((sum, list) => sum + list.length, 0) > flat.length) return false;
    lists.forEach((list, b) => {
      flat.set(list, at);
      ends[b] = at += list.length;
    });
    return true;
  });
}

/** Below this many blocks the lists take less time than starting a worker for them. */
export const neighbourThreadFrom = 10_000;

/** Starts the worker on the outlines (never holding the process open); undefined for a small layer. */
export function neighboursAhead(shapes: readonly Rings[], spec: Spec): NeighbourSource | undefined {
  if (shapes.length < neighbourThreadFrom) return undefined;
  const job = { role, spec, ...flattened(shapes), control: new SharedArrayBuffer(4), ends: new SharedArrayBuffer(4 * shapes.length), lists: new SharedArrayBuffer(4 * roomPerBlock(spec) * shapes.length) } satisfies Job;
  const control = new Int32Array(job.control);
  // A worker that cannot load never begins: its lists are then made by the caller.
  const worker = startJobWorker(new URL(import.meta.url), job);
  let taken = false;
  return {
    take(asked) {
      if (asked.snap !== spec.snap || asked.metric !== spec.metric || JSON.stringify(asked.weights) !== JSON.stringify(spec.weights)) {
        void worker?.terminate();
        return undefined;
      }
      // Not begun yet: the worker has not even loaded, and making the lists here is no slower.
      if (Atomics.compareExchange(control, 0, waiting, failed) === waiting) {
        void worker?.terminate();
        return undefined;
      }
      Atomics.wait(control, 0, begun, patienceMs(shapes.length));
      void worker?.terminate();
      // Still at it after all that time (or dead): the lists are made here, and what it writes later is never read.
      if (Atomics.compareExchange(control, 0, begun, failed) === begun || Atomics.load(control, 0) !== finished) return undefined;
      taken = true;
      const ends = new Int32Array(job.ends);
      const flat = new Int32Array(job.lists);
      return Array.from(ends, (end, b) => Array.from(flat.subarray(b === 0 ? 0 : ends[b - 1]!, end)));
    },
    taken: () => taken,
  };
}

/** The outlines in shared buffers: a worker reads them without a copy of its own. */
function flattened(shapes: readonly Rings[]) {
  const ringCount = shapes.reduce((sum, polygons) => sum + polygons.reduce((n, rings) => n + rings.length, 0), 0);
  const pieceCount = shapes.reduce((sum, polygons) => sum + polygons.length, 0);
  const length = shapes.reduce((sum, polygons) => sum + polygons.reduce((n, rings) => n + rings.reduce((m, ring) => m + ring.length, 0), 0), 0);
  const buffers = { coordinates: new SharedArrayBuffer(8 * length), rings: new SharedArrayBuffer(4 * ringCount), pieces: new SharedArrayBuffer(4 * pieceCount), shapes: new SharedArrayBuffer(4 * shapes.length) };
  const coordinates = new Float64Array(buffers.coordinates);
  const [ringEnds, pieceEnds, shapeEnds] = [new Int32Array(buffers.rings), new Int32Array(buffers.pieces), new Int32Array(buffers.shapes)];
  let [at, ring, piece] = [0, 0, 0];
  shapes.forEach((polygons, s) => {
    for (const rings of polygons) {
      for (const coordinatesOfRing of rings) {
        coordinates.set(coordinatesOfRing, at);
        ringEnds[ring++] = at += coordinatesOfRing.length;
      }
      pieceEnds[piece++] = ring;
    }
    shapeEnds[s] = piece;
  });
  return buffers;
}

function unflattened(job: Job): Rings[] {
  const coordinates = new Float64Array(job.coordinates);
  const [ringEnds, pieceEnds, shapeEnds] = [new Int32Array(job.rings), new Int32Array(job.pieces), new Int32Array(job.shapes)];
  let [ring, piece] = [0, 0];
  return Array.from(shapeEnds, (shapeEnd) => {
    const polygons: Float64Array[][] = [];
    for (; piece < shapeEnd; piece++) {
      const rings: Float64Array[] = [];
      for (; ring < pieceEnds[piece]!; ring++) rings.push(coordinates.subarray(ring === 0 ? 0 : ringEnds[ring - 1]!, ringEnds[ring]!));
      polygons.push(rings);
    }
    return polygons;
  });
}
