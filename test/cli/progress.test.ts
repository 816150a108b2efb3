import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressReporter } from '../../src/cli/progress.js';

describe('progress bar', () => {
  afterEach(() => vi.restoreAllMocks());

  it('draws only for tasks that run longer than a second, and clears its line', () => {
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const written: string[] = [];
    const bar = progressReporter({ columns: 100, write: (text) => written.push(text) });
    bar.progress('placing meldingen', 0, 1000);
    now = 500;
    bar.progress('placing meldingen', 400, 1000);
    expect(written).toEqual([]);
    now = 1500;
    bar.progress('placing meldingen', 750, 1000);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\rplacing meldingen █{18}░{6} 75% \(2 s\)\x1b\[K$/);
    now = 1550;
    bar.progress('placing meldingen', 760, 1000); // within 100 ms of the last drawing
    expect(written).toHaveLength(1);
    now = 1700;
    bar.progress('spatial statistics', 1, 16); // a new task starts its own second
    expect(written).toHaveLength(1);
    bar.clear();
    expect(written.at(-1)).toBe('\r\x1b[K');
  });
});
