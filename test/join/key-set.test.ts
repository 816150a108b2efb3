import { describe, expect, it } from 'vitest';
import { KeySet } from '../../src/join/key-set.js';
import { Random } from '../../src/stats/random.js';

describe('KeySet', () => {
  it('answers as a Set does for BAG ids, address codes and text keys, through many growths', () => {
    const random = new Random(3);
    const keys = new KeySet();
    const truth = new Set<number | string>();
    // BAG ids (16 digits), PC6 and house-number codes, small numbers, and ids kept as text.
    const draw = (): number | string => {
      const kind = Math.floor(random.next() * 4);
      if (kind === 0) return 363_010_000_000_000 + Math.floor(random.next() * 5_000_000);
      if (kind === 1) return 1079_01 * 100_000 + Math.floor(random.next() * 300_000);
      if (kind === 2) return Math.floor(random.next() * 1000);
      return `0363${Math.floor(random.next() * 1000)}x`;
    };
    for (let i = 0; i < 60_000; i++) {
      const key = draw();
      keys.add(key);
      truth.add(key);
    }
    expect(keys.size).toBe(truth.size);
    for (const key of truth) expect(keys.has(key)).toBe(true);
    let absent = 0;
    for (let i = 0; i < 60_000; i++) {
      const key = draw();
      expect(keys.has(key)).toBe(truth.has(key));
      if (!truth.has(key)) absent++;
    }
    // The check also asked for keys that are not there.
    expect(absent).toBeGreaterThan(1000);
    expect(keys.has(0.5)).toBe(false);
  });
});
