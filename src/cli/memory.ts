import { totalmem } from 'node:os';

/** The heap a heavy command gets: three quarters of this machine's memory, or BUURTBALANS_MEMORY_MB. */
export function heapLimitMb(env: NodeJS.ProcessEnv = process.env): number {
  const chosen = Number(env.BUURTBALANS_MEMORY_MB);
  return Number.isFinite(chosen) && chosen > 0 ? Math.round(chosen) : Math.floor((totalmem() / 1048576) * 0.75);
}

/** What helps when an analysis does not fit in memory. */
export function memoryAdvice(): string {
  return 'analyse less at once: one area per run, a shorter --period, --no-maps --no-report; or run on a machine with more memory (BUURTBALANS_MEMORY_MB sets how much buurtbalans may use)';
}

export function outOfMemoryMessage(command: string, limitMb: number): string {
  return [
    `error: buurtbalans ${command} ran out of memory (it may use ${limitMb < 1024 ? `${limitMb} MB` : `${(limitMb / 1024).toFixed(1)} GB`} of this machine's ${(totalmem() / 1073741824).toFixed(1)} GB)`,
    `  expected: input that fits in that memory`,
    `  fix: ${memoryAdvice()}`,
  ].join('\n');
}
