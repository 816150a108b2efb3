import KDBush from 'kdbush';

/**
 * Finds the register address a record's point stands at: the one address within `radius` metres.
 * Near none, or near several (the flats of one entrance share a point), the record names no
 * address: a point cannot tell which front door it belongs to.
 */
export class DoorFinder {
  private readonly index: KDBush;
  private readonly rows: Int32Array;

  /** `points`: the register's (x, y) per row in RD New, NaN where an address has none in a block. */
  constructor(
    points: Float64Array,
    readonly radius: number,
  ) {
    // Counted first, then filled: a country's 9.4 M doors as a growing list took seconds.
    let count = 0;
    for (let row = 0; row < points.length / 2; row++) if (!Number.isNaN(points[2 * row]!)) count++;
    this.rows = new Int32Array(count);
    this.index = new KDBush(Math.max(1, count));
    for (let row = 0, k = 0; row < points.length / 2; row++) {
      if (Number.isNaN(points[2 * row]!)) continue;
      this.rows[k++] = row;
      this.index.add(points[2 * row]!, points[2 * row + 1]!);
    }
    if (count === 0) this.index.add(Number.NaN, Number.NaN);
    this.index.finish();
  }

  /** The register row of the one address within the radius, else -1. */
  find(x: number, y: number): number {
    const near = this.index.within(x, y, this.radius);
    return near.length === 1 ? this.rows[near[0]!]! : -1;
  }
}

/**
 * The front doors of prepared shares: each address pseudonym is one door, numbered after the
 * register's rows (it stands for one of them, which the analysis cannot know without the partners' key).
 */
export class PseudonymDoors {
  private readonly index = new Map<string, number>();
  /** Per pseudonym door (from `offset` on), its block. */
  readonly blocks: number[] = [];

  constructor(readonly offset: number) {}

  door(pseudonym: string, block: number): number {
    let door = this.index.get(pseudonym);
    if (door === undefined) {
      door = this.offset + this.blocks.length;
      this.index.set(pseudonym, door);
      this.blocks.push(block);
    }
    return door;
  }
}
