import type { Float64Arena } from '../arena.js';

/** Gi* and local Moran of one indicator in one block. */
export interface BlockSpatial {
  local_moran_I: number | null;
  local_moran_z: number | null;
  local_moran_p_sim: number | null;
  /** The Local Moran quadrant where it is significant and the block passes the small-numbers rule. */
  cluster: 'HH' | 'LL' | 'HL' | 'LH' | null;
  gi_star_z: number | null;
  gi_star_p_sim: number | null;
  /** A Gi* hot or cold spot: significant after correction and not small numbers. */
  hotspot: 'hot' | 'cold' | null;
}

/** One indicator in one block, as analysis.json has it. */
export interface IndicatorBlock {
  id: string;
  /** null where disclosure control suppressed the count (and then the value and interval too). */
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** value / reference, with the interval divided by the reference. */
  ratio: number | null;
  ratio_lower: number | null;
  ratio_upper: number | null;
  /** Fewer events than min_events, or a denominator below min_homes. */
  small_numbers: boolean;
  /** Some cells of the inputs were suppressed by the sender: the value is not exact. */
  incomplete: boolean;
  /** Passes the count and the rate threshold, and (by default) its interval, Bonferroni-adjusted for the number of blocks, lies above the reference. */
  signal: boolean;
  /** Gi* and local Moran of this indicator over the blocks (filled by the spatial stage). */
  spatial: BlockSpatial | null;
  /** Disclosure control suppressed this block's figures ("geheim"); only present when it did. */
  suppressed?: boolean;
}

const numberFields = ['numerator', 'denominator', 'value', 'lower', 'upper', 'ratio', 'ratio_lower', 'ratio_upper'] as const;
const spatialNumberFields = ['local_moran_I', 'local_moran_z', 'local_moran_p_sim', 'gi_star_z', 'gi_star_p_sim'] as const;
export type Figure = (typeof numberFields)[number] | (typeof spatialNumberFields)[number];
const figureIndex = new Map<Figure, number>([...numberFields, ...spatialNumberFields].map((field, f) => [field, f]));
const clusters = [null, 'HH', 'LL', 'HL', 'LH'] as const;
const spots = [null, 'hot', 'cold'] as const;
const SMALL_NUMBERS = 1;
const INCOMPLETE = 2;
const SIGNAL = 4;
const SUPPRESSED = 8;
const SPATIAL = 16;
export type BlockFlag = 'small_numbers' | 'incomplete' | 'signal' | 'suppressed';
const flagBits: Record<BlockFlag, number> = { small_numbers: SMALL_NUMBERS, incomplete: INCOMPLETE, signal: SIGNAL, suppressed: SUPPRESSED };

interface Columns {
  /** numberFields then spatialNumberFields, each `length` long; NaN is null. */
  numbers: Float64Array;
  flags: Uint8Array;
  cluster: Uint8Array;
  hotspot: Uint8Array;
}

/**
 * The blocks of one indicator as columns. A country has 460,000 blocks and 16 indicators: as an
 * object per block (with its spatial object and boxed numbers) that was about 90 million heap
 * objects, and every full garbage collection of them took seconds. `at(b)` makes the block's plain
 * object (as analysis.json has it); changes go through `set` and `setSpatial`.
 */
export class IndicatorBlocks implements Iterable<IndicatorBlock> {
  readonly length: number;

  private constructor(
    readonly ids: readonly string[],
    private readonly columns: Columns,
  ) {
    this.length = ids.length;
  }

  /** The numbers each block holds. */
  static readonly numbersPerBlock = numberFields.length + spatialNumberFields.length;

  /** Blocks with every number null, every flag false and no spatial statistics; the numbers from `arena` when given. */
  static empty(ids: readonly string[], arena?: Float64Arena): IndicatorBlocks {
    const n = ids.length;
    const length = n * IndicatorBlocks.numbersPerBlock;
    return new IndicatorBlocks(ids, {
      numbers: (arena ? arena.take(length) : new Float64Array(length)).fill(Number.NaN),
      flags: new Uint8Array(n),
      cluster: new Uint8Array(n),
      hotspot: new Uint8Array(n),
    });
  }

  /** From plain blocks, as read back from analysis.json. */
  static from(blocks: readonly IndicatorBlock[]): IndicatorBlocks {
    const columns = IndicatorBlocks.empty(blocks.map((block) => block.id));
    blocks.forEach((block, b) => columns.set(b, block));
    return columns;
  }

  at(b: number): IndicatorBlock {
    const { numbers, flags } = this.columns;
    const n = this.length;
    const number = (field: number) => nullable(numbers[field * n + b]!);
    const flag = flags[b]!;
    const block: IndicatorBlock = {
      id: this.ids[b]!,
      numerator: number(0),
      denominator: number(1),
      value: number(2),
      lower: number(3),
      upper: number(4),
      ratio: number(5),
      ratio_lower: number(6),
      ratio_upper: number(7),
      small_numbers: (flag & SMALL_NUMBERS) !== 0,
      incomplete: (flag & INCOMPLETE) !== 0,
      signal: (flag & SIGNAL) !== 0,
      spatial:
        flag & SPATIAL
          ? {
              local_moran_I: number(8),
              local_moran_z: number(9),
              local_moran_p_sim: number(10),
              cluster: clusters[this.columns.cluster[b]!]!,
              gi_star_z: number(11),
              gi_star_p_sim: number(12),
              hotspot: spots[this.columns.hotspot[b]!]!,
            }
          : null,
    };
    if (flag & SUPPRESSED) block.suppressed = true;
    return block;
  }

  /** One figure of block b, without making its object (spatial ones null without spatial statistics). */
  figure(b: number, field: Figure): number | null {
    const f = figureIndex.get(field)!;
    if (f >= numberFields.length && !(this.columns.flags[b]! & SPATIAL)) return null;
    return nullable(this.columns.numbers[f * this.length + b]!);
  }

  /**
   * `figure` of blocks [start, start + values.length) into `values`, `nulls[i]` 1 where it is null:
   * blocks.parquet's columns without a call per block (a country's table is 200 million cells).
   */
  fillFigure(field: Figure, start: number, values: Float64Array, nulls: Uint8Array): void {
    const f = figureIndex.get(field)!;
    const spatial = f >= numberFields.length;
    const { numbers, flags } = this.columns;
    const offset = f * this.length + start;
    for (let i = 0; i < values.length; i++) {
      const value = numbers[offset + i]!;
      const empty = Number.isNaN(value) || (spatial && !(flags[start + i]! & SPATIAL));
      values[i] = empty ? 0 : value;
      nulls[i] = empty ? 1 : 0;
    }
  }

  /** A yes/no `flag` of blocks [start, start + values.length) as 1 and 0 (blocks.parquet's columns). */
  fillFlag(flag: BlockFlag, start: number, values: Float64Array): void {
    const bit = flagBits[flag];
    const { flags } = this.columns;
    for (let i = 0; i < values.length; i++) values[i] = flags[start + i]! & bit ? 1 : 0;
  }

  /** The cluster or hot-spot label of blocks [start, start + labels.length), null where none. */
  fillLabel(field: 'cluster' | 'hotspot', start: number, labels: (string | null)[]): void {
    const codes = this.columns[field];
    const names = field === 'cluster' ? clusters : spots;
    for (let i = 0; i < labels.length; i++) labels[i] = names[codes[start + i]!]!;
  }

  hasFlag(flag: BlockFlag, b: number): boolean {
    return (this.columns.flags[b]! & flagBits[flag]) !== 0;
  }

  smallNumbers(b: number): boolean {
    return this.hasFlag('small_numbers', b);
  }

  incomplete(b: number): boolean {
    return this.hasFlag('incomplete', b);
  }

  signal(b: number): boolean {
    return this.hasFlag('signal', b);
  }

  suppressed(b: number): boolean {
    return this.hasFlag('suppressed', b);
  }

  cluster(b: number): BlockSpatial['cluster'] {
    return clusters[this.columns.cluster[b]!]!;
  }

  hotspot(b: number): BlockSpatial['hotspot'] {
    return spots[this.columns.hotspot[b]!]!;
  }

  /**
   * JSON.stringify(at(b)), written without the object: analysis.json holds a country's 7.4 million
   * of them. Same bytes (test/indicators/blocks.test.ts).
   */
  json(b: number): string {
    const { numbers, flags } = this.columns;
    const n = this.length;
    const number = (field: number) => {
      const value = numbers[field * n + b]!;
      return Number.isNaN(value) ? 'null' : String(value);
    };
    const flag = flags[b]!;
    let text = `{"id":${JSON.stringify(this.ids[b])}`;
    for (let f = 0; f < numberFields.length; f++) text += `,"${numberFields[f]}":${number(f)}`;
    text += `,"small_numbers":${(flag & SMALL_NUMBERS) !== 0},"incomplete":${(flag & INCOMPLETE) !== 0},"signal":${(flag & SIGNAL) !== 0},"spatial":`;
    if (flag & SPATIAL) {
      const cluster = this.cluster(b);
      const hotspot = this.hotspot(b);
      text += `{"local_moran_I":${number(8)},"local_moran_z":${number(9)},"local_moran_p_sim":${number(10)},"cluster":${cluster ? `"${cluster}"` : 'null'},"gi_star_z":${number(11)},"gi_star_p_sim":${number(12)},"hotspot":${hotspot ? `"${hotspot}"` : 'null'}}`;
    } else text += 'null';
    return `${text}${flag & SUPPRESSED ? ',"suppressed":true' : ''}}`;
  }

  /** Block b's figures and flags (its id stays); `spatial` too. */
  set(b: number, block: Omit<IndicatorBlock, 'id'>): void {
    const { numbers, flags } = this.columns;
    numberFields.forEach((field, f) => (numbers[f * this.length + b] = block[field] ?? Number.NaN));
    flags[b] = (block.small_numbers ? SMALL_NUMBERS : 0) | (block.incomplete ? INCOMPLETE : 0) | (block.signal ? SIGNAL : 0) | (block.suppressed ? SUPPRESSED : 0);
    this.setSpatial(b, block.spatial);
  }

  setSpatial(b: number, spatial: BlockSpatial | null): void {
    const { numbers, flags } = this.columns;
    const offset = numberFields.length;
    spatialNumberFields.forEach((field, f) => (numbers[(offset + f) * this.length + b] = spatial?.[field] ?? Number.NaN));
    this.columns.cluster[b] = clusters.indexOf(spatial?.cluster ?? null);
    this.columns.hotspot[b] = spots.indexOf(spatial?.hotspot ?? null);
    flags[b] = spatial ? flags[b]! | SPATIAL : flags[b]! & ~SPATIAL;
  }

  /** An independent copy, for changing one without the other (its numbers from `arena` when given). */
  copy(arena?: Float64Arena): IndicatorBlocks {
    const { numbers, flags, cluster, hotspot } = this.columns;
    const copied = arena ? arena.take(numbers.length) : new Float64Array(numbers.length);
    copied.set(numbers);
    return new IndicatorBlocks(this.ids, { numbers: copied, flags: flags.slice(), cluster: cluster.slice(), hotspot: hotspot.slice() });
  }

  *[Symbol.iterator](): Iterator<IndicatorBlock> {
    for (let b = 0; b < this.length; b++) yield this.at(b);
  }

  map<T>(make: (block: IndicatorBlock, b: number) => T): T[] {
    const out: T[] = [];
    for (let b = 0; b < this.length; b++) out.push(make(this.at(b), b));
    return out;
  }

  filter(keep: (block: IndicatorBlock, b: number) => boolean): IndicatorBlock[] {
    const out: IndicatorBlock[] = [];
    for (let b = 0; b < this.length; b++) {
      const block = this.at(b);
      if (keep(block, b)) out.push(block);
    }
    return out;
  }

  some(test: (block: IndicatorBlock, b: number) => boolean): boolean {
    for (let b = 0; b < this.length; b++) if (test(this.at(b), b)) return true;
    return false;
  }

  every(test: (block: IndicatorBlock, b: number) => boolean): boolean {
    return !this.some((block, b) => !test(block, b));
  }

  /** Plain blocks start to end (exclusive). */
  slice(start = 0, end = this.length): IndicatorBlock[] {
    const out: IndicatorBlock[] = [];
    for (let b = start; b < Math.min(end, this.length); b++) out.push(this.at(b));
    return out;
  }

  toJSON(): IndicatorBlock[] {
    return this.slice();
  }
}

function nullable(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
