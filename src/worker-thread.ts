import { Worker } from 'node:worker_threads';

/** A worker thread, started and ready, with its replies in order. */
export interface StartedWorker<Reply> {
  worker: Worker;
  /** The next reply; undefined once the worker failed or ended without one (`failure` says why). */
  next(): Promise<Reply | undefined>;
  failure(): string | undefined;
}

/**
 * Starts a worker thread on `module` (which posts 'ready' once loaded) with `data`, and queues what
 * it posts, so no reply is lost between two awaits. Undefined where it cannot load (a module loader
 * workers lack, as the tests' TypeScript): the caller then does the work in its own thread.
 * `background`: started ahead of its work, it does not hold the process open between replies.
 * `youngGenerationMb`: room for short-lived objects, for a worker that makes many.
 */
export async function startWorker<Reply>(module: URL, data: unknown, options: { background?: boolean; youngGenerationMb?: number } = {}): Promise<StartedWorker<Reply> | undefined> {
  const worker = new Worker(module, { workerData: data, ...(options.youngGenerationMb ? { resourceLimits: { maxYoungGenerationSizeMb: options.youngGenerationMb } } : {}) });
  const replies: unknown[] = [];
  let ended: string | undefined;
  let wake: (() => void) | undefined;
  worker.on('message', (reply: unknown) => (replies.push(reply), wake?.()));
  worker.on('error', (error) => ((ended ??= error.message), wake?.()));
  worker.on('exit', () => ((ended ??= 'the worker thread ended'), wake?.()));
  // A worker in the background keeps the process alive only while a reply is awaited: an error
  // elsewhere ends the process, not a wait on a thread nobody asks anything any more.
  const next = async () => {
    worker.ref();
    try {
      while (replies.length === 0 && ended === undefined) await new Promise<void>((resolve) => (wake = resolve));
    } finally {
      if (options.background) worker.unref();
    }
    return replies.shift();
  };
  if ((await next()) !== 'ready') {
    await worker.terminate();
    return undefined;
  }
  return { worker, next: next as () => Promise<Reply | undefined>, failure: () => ended };
}

/** A typed array's contents in a SharedArrayBuffer of its own, for a worker to read without a copy of its own. */
export function sharedCopy(array: Float64Array | Int32Array | Uint32Array | Uint8Array): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(array.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return buffer;
}

/**
 * A job handed to a worker through a shared word (`control[0]`), for a caller that stays
 * synchronous and waits with Atomics.wait: the caller takes the job back (waiting → failed) where
 * the worker has not begun it, so no one waits on a worker that never loaded.
 */
export const jobState = { waiting: 0, begun: 1, finished: 2, failed: 3 } as const;

/** In the worker: does `work` unless the caller took the job back first, then says finished (`work` returned true) or failed. */
export function doClaimedJob(control: Int32Array, work: () => boolean): void {
  if (Atomics.compareExchange(control, 0, jobState.waiting, jobState.begun) !== jobState.waiting) return;
  let state: number = jobState.failed;
  try {
    if (work()) state = jobState.finished;
  } finally {
    Atomics.store(control, 0, state);
    Atomics.notify(control, 0);
  }
}

/** Starts a worker on `module` with `job`, never holding the process open; one that cannot load never begins its job. Undefined where none starts. */
export function startJobWorker(module: URL, job: unknown): Worker | undefined {
  try {
    const worker = new Worker(module, { workerData: job });
    worker.on('error', () => undefined);
    worker.unref();
    return worker;
  } catch {
    return undefined;
  }
}
