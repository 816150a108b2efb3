import { describe, expect, it } from 'vitest';
import { neighbourThreadFrom, neighboursAhead } from '../../src/spatial/neighbour-thread.js';
import { parseWeightsSpec } from '../../src/spatial/hotspots.js';
import type { Rings } from '../../src/spatial/weights.js';

/** A grid of `side` × `side` squares of 100 m. */
function grid(side: number): Rings[] {
  return Array.from({ length: side * side }, (_, i) => {
    const [x, y] = [(i % side) * 100, Math.floor(i / side) * 100];
    return [[Float64Array.of(x, y, x + 100, y, x + 100, y + 100, x, y + 100, x, y)]];
  });
}

const queen = { weights: parseWeightsSpec('queen')!, metric: 'planar' as const, snap: 0 };

describe('neighboursAhead', () => {
  it('starts no worker for a small layer', () => {
    expect(neighboursAhead(grid(10), queen)).toBeUndefined();
  });

  it('leaves the lists to the caller, without waiting, where the worker cannot load or the weights differ', () => {
    // Under vitest a worker cannot load the TypeScript module: the spatial stage makes the lists itself.
    const side = Math.ceil(Math.sqrt(neighbourThreadFrom));
    const source = neighboursAhead(grid(side), queen)!;
    expect(source).toBeDefined();
    const started = performance.now();
    expect(source.take({ ...queen, weights: parseWeightsSpec('knn:8')! })).toBeUndefined();
    expect(source.take(queen)).toBeUndefined();
    expect(source.taken()).toBe(false);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
