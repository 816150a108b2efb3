import { InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';

/** `--threads N`: the threads the parallel stages may use, this one included (default: the machine's cores). */
export const threadsOption = ['--threads <n>', "threads for the parallel stages (the spatial statistics' permutations, encoding blocks.parquet), same results with any number (default: the machine's cores)", parseThreads] as const;

export function threadsFor(option: number | undefined): number {
  return option ?? availableParallelism();
}

function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('a whole number from 1 to 256');
  return n;
}
