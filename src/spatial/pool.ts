import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { sharedCopy, startWorker } from '../worker-thread.js';
import { permuteAreas, type PermutationRunner, type PermutationTask } from './statistics.js';

/**
 * Worker threads for the permutation loop, the one part of the spatial statistics that grows with
 * areas × permutations × neighbours (100,000 areas, 999 permutations, knn:8: 800 million steps).
 * Each thread runs a range of areas on the same draws, so the figures are those of one thread,
 * byte for byte. The pipeline stays synchronous: the calling thread runs the first range itself
 * and then waits (Atomics.wait) for the others. Workers cost about 30 ms each to start, so the
 * CLI starts them only for layers large enough to need them.
 */

const role = 'buurtbalans-permutations';
/** Below this many steps (areas × permutations × neighbours) one thread is quicker than handing out. */
export const minimumSteps = 20_000_000;

/** Whether a layer of `areas` with `permutations` is worth starting workers for (8 neighbours, as knn:8 and about queen). */
export function worthThreads(areas: number, permutations: number): boolean {
  return areas * permutations * 8 >= minimumSteps;
}

type Arrays = Omit<PermutationTask, 'permutations' | 'kMax'>;
interface Job {
  task: { permutations: number; kMax: number; arrays: Record<keyof Arrays, SharedArrayBuffer> };
  from: number;
  to: number;
  /** [0]: ranges done; [1]: 1 when a range failed. */
  control: Int32Array;
}

if (!isMainThread && workerData === role) {
  parentPort!.on('message', ({ task, from, to, control }: Job) => {
    try {
      permuteAreas({ permutations: task.permutations, kMax: task.kMax, ...views(task.arrays) }, from, to);
    } catch {
      Atomics.store(control, 1, 1);
    }
    Atomics.add(control, 0, 1);
    Atomics.notify(control, 0);
  });
  parentPort!.postMessage('ready');
}

/**
 * `threads` in all, this one included. `start` loads the workers (asynchronously: a module loader
 * may need this thread's event loop, so it must not be waiting then); until it has, and for tasks
 * too small to share, `run` runs here.
 */
export function permutationPool(threads: number): { run: PermutationRunner; start: () => Promise<void>; close: () => Promise<void> } {
  const workers: Worker[] = [];
  const start = async () => {
    if (threads <= 1 || workers.length > 0) return;
    // A worker that cannot load leaves the work here.
    const started = await Promise.all(Array.from({ length: threads - 1 }, () => startWorker(new URL(import.meta.url), role)));
    if (started.every((worker) => worker !== undefined)) {
      // Never what keeps the process alive: the CLI ends when its work is done.
      for (const { worker } of started) worker.unref();
      workers.push(...started.map(({ worker }) => worker));
    } else await Promise.all(started.map((worker) => worker?.worker.terminate()));
  };
  const run: PermutationRunner = (task) => {
    const n = task.x.length;
    if (workers.length === 0 || n * task.permutations * task.kMax < minimumSteps) return permuteAreas(task, 0, n);
    const { permutations, kMax, ...arrays } = task;
    const shared = Object.fromEntries(Object.entries(arrays).map(([name, array]) => [name, sharedCopy(array as Float64Array | Int32Array)])) as Record<keyof Arrays, SharedArrayBuffer>;
    const arraysOf = views(shared);
    const control = new Int32Array(new SharedArrayBuffer(8));
    const size = Math.ceil(n / threads);
    workers.forEach((worker, w) => worker.postMessage({ task: { permutations, kMax, arrays: shared }, from: (w + 1) * size, to: Math.min(n, (w + 2) * size), control } satisfies Job));
    permuteAreas({ permutations, kMax, ...arraysOf }, 0, Math.min(n, size));
    for (let done = Atomics.load(control, 0); done < workers.length; done = Atomics.load(control, 0)) Atomics.wait(control, 0, done);
    if (Atomics.load(control, 1) !== 0) throw new Error('a worker thread failed in the permutation loop');
    task.pMoran.set(arraysOf.pMoran);
    task.pGi.set(arraysOf.pGi);
  };
  return { run, start, close: async () => void (await Promise.all(workers.splice(0).map((worker) => worker.terminate()))) };
}

function views(buffers: Record<keyof Arrays, SharedArrayBuffer>): Arrays {
  return Object.fromEntries(Object.entries(buffers).map(([name, buffer]) => [name, name === 'k' || name === 'draws' ? new Int32Array(buffer) : new Float64Array(buffer)])) as unknown as Arrays;
}
