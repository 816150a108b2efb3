import { describe, expect, it } from 'vitest';
import { IndicatorBlocks, type IndicatorBlock } from '../../src/indicators/blocks.js';
import { Random } from '../../src/stats/random.js';

/** Blocks of every shape analysis.json has: plain, suppressed, with and without spatial statistics, nulls, negative zero, tiny and huge numbers. */
function variedBlocks(count: number, seed: number): IndicatorBlock[] {
  const random = new Random(seed);
  const maybe = (value: number) => (random.next() < 0.2 ? null : value);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random.next() * items.length)]!;
  const number = () => maybe(pick([0, -0, 1, 12, 0.123456, 1e-7, 3.5e21, -2.25, Math.round(random.next() * 1e6) / 1e6]));
  return Array.from({ length: count }, (_, b) => {
    const suppressed = random.next() < 0.15;
    const block: IndicatorBlock = {
      id: pick([`B${b}`, `blok "${b}"`, `wijk\\${b}`, `ü-${b}`]),
      numerator: suppressed ? null : number(),
      denominator: suppressed ? null : number(),
      value: number(),
      lower: number(),
      upper: number(),
      ratio: number(),
      ratio_lower: number(),
      ratio_upper: number(),
      small_numbers: random.next() < 0.5,
      incomplete: random.next() < 0.3,
      signal: random.next() < 0.1,
      spatial:
        suppressed || random.next() < 0.2
          ? null
          : {
              local_moran_I: number(),
              local_moran_z: number(),
              local_moran_p_sim: number(),
              cluster: pick(['HH', 'LL', 'HL', 'LH', null] as const),
              gi_star_z: number(),
              gi_star_p_sim: number(),
              hotspot: pick(['hot', 'cold', null] as const),
            },
    };
    if (suppressed) block.suppressed = true;
    return block;
  });
}

describe('IndicatorBlocks: an indicator’s blocks as columns', () => {
  const plain = variedBlocks(2000, 7);
  const columns = IndicatorBlocks.from(plain);

  it('gives every block back as it was put in, key order included', () => {
    expect(columns.length).toBe(plain.length);
    plain.forEach((block, b) => expect(JSON.stringify(columns.at(b))).toBe(JSON.stringify(block)));
    expect(columns.at(3)).toEqual(plain[3]);
  });

  it('writes each block’s JSON byte for byte as JSON.stringify does', () => {
    plain.forEach((block, b) => expect(columns.json(b)).toBe(JSON.stringify(block)));
    expect(JSON.stringify(columns)).toBe(JSON.stringify(plain));
  });

  it('reads single figures without the object, spatial ones null where there are none', () => {
    plain.forEach((block, b) => {
      expect(columns.figure(b, 'value')).toBe(block.value === null ? null : block.value);
      expect(columns.figure(b, 'gi_star_z')).toBe(block.spatial?.gi_star_z ?? null);
      expect(columns.hotspot(b)).toBe(block.spatial?.hotspot ?? null);
      expect(columns.cluster(b)).toBe(block.spatial?.cluster ?? null);
      expect(columns.smallNumbers(b)).toBe(block.small_numbers);
      expect(columns.signal(b)).toBe(block.signal);
    });
  });

  it('a copy changes independently of the original', () => {
    const copy = columns.copy();
    copy.set(0, { ...copy.at(0), value: 99, suppressed: true, spatial: null });
    expect(copy.at(0)).toMatchObject({ value: 99, suppressed: true, spatial: null });
    expect(columns.at(0)).toEqual(plain[0]);
  });

  it('iterates, maps, filters and tests like an array of the blocks', () => {
    expect([...columns]).toEqual(plain);
    expect(columns.map((block) => block.id)).toEqual(plain.map((block) => block.id));
    expect(columns.filter((block) => block.signal)).toEqual(plain.filter((block) => block.signal));
    expect(columns.some((block) => block.suppressed === true)).toBe(true);
    expect(columns.every((block) => block.id.length > 0)).toBe(true);
    expect(columns.slice(10, 20)).toEqual(plain.slice(10, 20));
  });
});
