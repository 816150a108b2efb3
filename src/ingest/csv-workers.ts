import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Progress } from '../progress.js';
import { CsvTable, type CsvParts } from './csv.js';
import { excelCheckedColumns, refuseExcelDamage } from './excel-damage.js';
import { exportLabel, parseExport, type ExportConfig } from './export.js';
import { readInputFile } from './read-file.js';
import { scanOnArrival, type SourcePlace } from '../privacy/protect.js';
import type { IdentifierFinding } from '../privacy/identifiers.js';
import { startWorker } from '../worker-thread.js';

/**
 * Reading a project's exports in worker threads: each worker reads and tokenizes whole files (the
 * largest first) and hands the table's buffers over without copying, so a country's register and
 * reports (1.5 GB) are read side by side. A file a worker cannot read is left to the calling
 * thread, which reads it again and says what is wrong, exactly as without workers. The worker also
 * checks the table it read (`ArrivalChecks`), so the calling thread need not.
 */

const role = 'buurtbalans-exports';
/** Below this many bytes in all, starting workers (about 50 ms) costs more than it saves. */
export const workerReadingFrom = 16 << 20;

export interface ExportJob {
  /** Absolute path. */
  path: string;
  config: ExportConfig;
  bytes: number;
  /** The export's place, for the identifier scan; none: not scanned (`--no-scan`). */
  scan?: SourcePlace | undefined;
}

/**
 * What a worker checked of the table it read: `undamaged` where Excel's damage is not in it
 * (false: found, or not checked; the calling thread checks again and says it), and the identifier
 * scan where it needed no place names (undefined: the calling thread scans).
 */
export interface ArrivalChecks {
  undamaged: boolean;
  findings: IdentifierFinding[] | undefined;
}

type ToWorker = ExportJob;
type FromWorker = { path: string; progress: number } | { path: string; parts: CsvParts | undefined; checks: ArrivalChecks | undefined };

if (!isMainThread && workerData === role) {
  parentPort!.on('message', (job: ToWorker) => {
    let parts: CsvParts | undefined;
    let checks: ArrivalChecks | undefined;
    try {
      // Any failure is said by the caller, which reads the file again: no message is made here.
      const label = exportLabel(job.config);
      const bytes = readInputFile(job.path, label, { expected: '', fix: '' }, { shared: true });
      const progress: Progress = (_label, done) => parentPort!.postMessage({ path: job.path, progress: done } satisfies FromWorker);
      const table = parseExport(bytes, job.config, label, progress);
      checks = checkOnArrival(job, table);
      parts = movable(table.parts());
    } catch {
      parts = undefined;
    }
    // Shared memory goes as it is; the rest (a file in another encoding, made anew) is moved.
    const buffers = parts ? [parts.bytes, parts.rowFields.buffer, parts.fieldStart.buffer, parts.rowEnd.buffer, parts.lines.buffer].filter((buffer) => !(buffer instanceof SharedArrayBuffer)) : [];
    parentPort!.postMessage({ path: job.path, parts, checks } satisfies FromWorker, buffers as ArrayBuffer[]);
  });
  parentPort!.postMessage('ready');
}

function checkOnArrival(job: ExportJob, table: CsvTable): ArrivalChecks {
  try {
    refuseExcelDamage(table, excelCheckedColumns(job.config), job.config.file);
  } catch {
    return { undamaged: false, findings: undefined };
  }
  return { undamaged: true, findings: job.scan && scanOnArrival(job.config, table, job.scan, undefined) };
}

/** Parts whose buffers are shared or their own (a small file's bytes may share Node's buffer pool, which must not move). */
function movable(parts: CsvParts): CsvParts {
  const own = (view: Uint8Array | Uint32Array | Int32Array) => view.buffer instanceof SharedArrayBuffer || (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength);
  const bytes = new Uint8Array(parts.bytes, parts.byteOffset, parts.byteLength);
  return {
    ...parts,
    ...(own(bytes) ? {} : { bytes: bytes.slice().buffer, byteOffset: 0 }),
    rowFields: own(parts.rowFields) ? parts.rowFields : parts.rowFields.slice(),
    fieldStart: own(parts.fieldStart) ? parts.fieldStart : parts.fieldStart.slice(),
    rowEnd: own(parts.rowEnd) ? parts.rowEnd : parts.rowEnd.slice(),
    lines: own(parts.lines) ? parts.lines : parts.lines.slice(),
  };
}

/** What the calling thread does while the workers read: `arrived` for each table as it comes, with what the worker checked (false: leave it to the caller, who reads it again), `meanwhile` once every worker has its first file. */
export interface WhileReading {
  arrived?: ((job: ExportJob, table: CsvTable, checks: ArrivalChecks | undefined) => boolean) | undefined;
  meanwhile?: (() => void) | undefined;
}

/**
 * The exports read by `threads` workers, by absolute path; a file missing from the map is read
 * by the caller (a worker could not read it, or workers could not start: then the map is empty).
 */
export async function readExportsInWorkers(jobs: readonly ExportJob[], threads: number, progress?: Progress, whileReading: WhileReading = {}): Promise<Map<string, CsvTable>> {
  const tables = new Map<string, CsvTable>();
  const queue = [...jobs].sort((a, b) => b.bytes - a.bytes);
  const total = jobs.reduce((sum, job) => sum + job.bytes, 0);
  const done = new Map<string, number>();
  const report = () => progress?.('reading the exports', [...done.values()].reduce((sum, bytes) => sum + bytes, 0), total);
  const workers = Math.min(threads, jobs.length);
  // Each worker has the next file before this thread checks the one it handed over, so the
  // workers never wait for it: one file each first (the largest to different workers), then one more.
  const posters: (() => void)[] = [];
  const work = async (): Promise<void> => {
    // A worker that cannot load, fails or ends leaves its files to the caller.
    const started = await startWorker<FromWorker>(new URL(import.meta.url), role);
    if (!started) return;
    const { worker } = started;
    const posted: ExportJob[] = [];
    const post = () => {
      const job = queue.shift();
      if (!job) return;
      worker.postMessage(job satisfies ToWorker);
      posted.push(job);
    };
    try {
      post();
      posters.push(post);
      if (posters.length === workers) {
        for (const next of posters) next();
        whileReading.meanwhile?.();
      }
      while (posted.length > 0) {
        const answer = await started.next();
        if (answer === undefined) return;
        if ('progress' in answer) {
          done.set(answer.path, answer.progress);
          report();
          continue;
        }
        const job = posted.shift()!;
        post();
        done.set(job.path, job.bytes);
        const table = answer.parts && CsvTable.fromParts(answer.parts);
        if (table && (whileReading.arrived?.(job, table, answer.checks) ?? true)) tables.set(job.path, table);
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: workers }, work));
  return tables;
}
