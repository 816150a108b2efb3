import { describe, expect, it } from 'vitest';
import type { BlockRow } from '../../src/analysis/result.js';
import { certificateThreadFrom, certifyAll } from '../../src/privacy/certificate-thread.js';
import { cellModel, countTable } from '../../src/privacy/disclosure.js';
import { Random } from '../../src/stats/random.js';

/** 5,000 blocks with ten categories of a few reports each: most category counts are small. */
function smallCounts() {
  const random = new Random(9);
  const parts = Array.from({ length: 10 }, (_, c) => `meldingen[c${c}]`);
  const blocks: BlockRow[] = Array.from({ length: 5000 }, (_, b) => {
    const counts: Record<string, number> = Object.fromEntries(parts.map((key) => [key, Math.floor(random.next() * 7)]));
    counts.meldingen = parts.reduce((sum, key) => sum + counts[key]!, 0);
    return { id: `B${b}`, label: `B${b}`, addresses: 20, counts: { meldingen: counts.meldingen!, ...Object.fromEntries(parts.map((key) => [key, counts[key]!])) }, unknown_cells: {} };
  });
  const model = cellModel(countTable(blocks, [{ total: 'meldingen', parts }]), { threshold: 5, suppress_zero: false, rules: {}, rounding: 0 });
  // The small counts hidden, as disclosure control's first step does.
  model.values.forEach((value, cell) => (model.hidden[cell] = value >= 1 && value <= 4 ? 1 : 0));
  return model;
}

describe('certifyAll', () => {
  it('certifies every cell here, without waiting, where the worker cannot load: the same certificates as one thread', () => {
    const model = smallCounts();
    const cells = [...model.hidden.keys()].filter((cell) => model.hidden[cell] === 1);
    expect(cells.length).toBeGreaterThan(certificateThreadFrom);
    const one = certifyAll(model, model, cells, { threads: 1, inWorker: 0 });
    // Under vitest a worker cannot load the TypeScript module: the audit takes its cells back at once.
    const started = performance.now();
    const sharing = { threads: 2, inWorker: 0 };
    const two = certifyAll(model, model, cells, sharing);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(sharing.inWorker).toBe(0);
    expect(two).toEqual(one);
    expect(one.filter((found) => found !== undefined).length).toBeGreaterThan(cells.length / 2);
  }, 60_000);
});
