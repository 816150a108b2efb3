#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { availableParallelism, constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
// Commands that hold a whole analysis run in a child: on large input with a heap sized to the
// machine (Node's default stops near 4 GB), and when memory still runs out the user gets advice,
// not V8's crash dump; on everyday input (a neighbourhood, a city) with V8's helper threads fitted
// to the machine's cores.
const heavy = ['analyse', 'hotspots', 'map', 'report'].includes(args[0]);
const heapChosen = process.execArgv.some((arg) => arg.startsWith('--max-old-space-size')) || /--max-old-space-size/.test(process.env.NODE_OPTIONS ?? '');
const memory = heavy && !heapChosen && !process.env.BUURTBALANS_CHILD ? await import('../dist/cli/memory.js') : undefined;
if (memory && process.env.BUURTBALANS_MEMORY_MB !== undefined && !(Number(process.env.BUURTBALANS_MEMORY_MB) > 0)) {
  process.stderr.write(`error: BUURTBALANS_MEMORY_MB is "${process.env.BUURTBALANS_MEMORY_MB}"\n  expected: the memory buurtbalans may use, in MB (for example 8000)\n  fix: set BUURTBALANS_MEMORY_MB=8000, or unset it to use three quarters of this machine's memory\n`);
  process.exit(2);
}
/** This script again, in a child process started with `flags`; the signals that stop this one stop it. */
function rerun(flags, { stdio, env = {} }) {
  const child = spawn(process.execPath, [...flags, fileURLToPath(import.meta.url), ...args], { stdio, env: { ...process.env, ...env, BUURTBALANS_CHILD: '1' } });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return child;
}
const exitCode = (code, signal) => code ?? 128 + (constants.signals[signal] ?? 0);
const poolChosen = process.execArgv.some((arg) => arg.startsWith('--v8-pool-size')) || /--v8-pool-size/.test(process.env.NODE_OPTIONS ?? '');
const supervise = memory && (process.env.BUURTBALANS_MEMORY_MB || memory.inputBytes(args.slice(1).find((arg) => !arg.startsWith('-'))) > memory.largeInputBytes);
if (supervise) {
  const { heapLimitMb, outOfMemoryMessage } = memory;
  const limit = heapLimitMb();
  const terminal = process.stderr.isTTY ? { BUURTBALANS_STDERR_COLUMNS: String(process.stderr.columns || 80), FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') } : {};
  // A larger young generation: large runs make many short-lived objects (10% faster at city scale).
  const child = rerun([`--max-old-space-size=${limit}`, '--max-semi-space-size=64'], { stdio: ['inherit', 'inherit', 'pipe'], env: terminal });
  let outOfMemory = false;
  child.stderr.on('data', (chunk) => {
    const text = chunk.toString();
    const crash = text.search(/<--- Last few GCs --->|FATAL ERROR: .*heap|JavaScript heap out of memory/);
    if (!outOfMemory && crash >= 0) {
      outOfMemory = true;
      process.stderr.write(text.slice(0, crash));
    }
    if (!outOfMemory) process.stderr.write(chunk);
  });
  child.on('close', (code, signal) => {
    if (outOfMemory) {
      process.stderr.write(`\n${outOfMemoryMessage(args[0], limit)}\n`);
      process.exitCode = 2;
    } else {
      process.exitCode = exitCode(code, signal);
    }
  });
} else if (memory && !poolChosen) {
  // V8 starts four helper threads (compiling, collecting garbage) whatever the machine. On two
  // cores they took the cores from this thread and the report's: a neighbourhood's analyse was
  // 1.8 s with four, 1.4 s with one. So a child with at most the cores left beside this thread.
  const helpers = Math.max(1, Math.min(4, availableParallelism() - 1));
  rerun([...process.execArgv, `--v8-pool-size=${helpers}`], { stdio: 'inherit' }).on('close', (code, signal) => (process.exitCode = exitCode(code, signal)));
} else {
  const { runCli } = await import('../dist/cli/program.js');
  process.exitCode = await runCli(args);
}
