import { relationsOfCells, type CellModel } from './cells.js';

/**
 * Certificates that a hidden cell is protected, found without a solver: two tables that agree with
 * everything published, one where the cell is 0 and one where it is at least its protection. Each
 * is the true table changed along a short cycle of hidden cells (two cells in one relation, or the
 * four corners of blocks × categories, as τ-ARGUS's hypercube), then checked against every relation
 * the cycle touches, so a certificate is sound whatever found it. A city has hundreds of thousands
 * of hidden cells in components of tens of thousands: one linear program per bound does not scale,
 * a cycle per cell does. Cells without a certificate go to the solver (see audit.ts).
 */
/** How many candidates per step a search tries before leaving the cell to the solver. */
const SEARCH = 200;
/** When the closing cell is found by index, each try is cheap: search this deep. */
const DEEP = 2000;

export class Witnesses {
  /** Per cell: its equality relations (at most two here: its key over the blocks, its category group). */
  private readonly sumsOf: Int32Array[];
  /** Per cell: every relation it is in. */
  private readonly relationsOf: Int32Array[];
  /** Per equality relation: its hidden cells, largest value first. */
  private readonly hiddenIn = new Map<number, Int32Array>();
  /** Per relation: total − Σ parts in the true table (0 for a sum, at least 0 within). */
  private readonly slack: Float64Array;
  /**
   * Per cell in two slots: its two equality relations, −1 where it has not exactly two. The
   * searches ask this of hundreds of thousands of cells in no order: one read of a flat array
   * instead of a list per cell (a city's audit was two thirds memory waits on those lists).
   */
  private readonly pairs: Int32Array;

  constructor(private readonly model: CellModel) {
    const index = relationsOfCells(model);
    this.sumsOf = index.sums;
    this.relationsOf = index.all;
    this.pairs = new Int32Array(2 * model.values.length).fill(-1);
    this.sumsOf.forEach((sums, cell) => {
      if (sums.length === 2) this.pairs.set(sums, 2 * cell);
    });
    this.slack = Float64Array.from(model.relations, ({ total, parts }) => {
      let rest = model.values[total]!;
      for (const part of parts) rest -= model.values[part]!;
      return rest;
    });
  }

  /** The least a hidden cell can be (its key's floor): no table a certificate builds goes below it. */
  private floor(cell: number): number {
    return this.model.floors[Math.floor(cell / (this.model.blockIds.length + 1))]!;
  }

  /** Whether a table exists with `cell` moved by `change` (floor − value: down to its floor; protection − value: up to it). */
  canMove(cell: number, change: number): boolean {
    const sums = this.sumsOf[cell]!;
    if (sums.length === 0) return this.checkStaged(this.stage(0, cell, change));
    if (sums.length === 1) return this.pair(cell, change, sums[0]!) || this.spread(cell, change, sums[0]!) || this.transfer(cell, change, this.hidden(sums[0]!));
    // Start in the smaller relation (a block's categories, not a key over a city's blocks).
    const [near, far] = this.hidden(sums[0]!).length <= this.hidden(sums[1]!).length ? [sums[0]!, sums[1]!] : [sums[1]!, sums[0]!];
    return this.corners(cell, change, near, far) || this.manyCorners(cell, change, near, far) || this.transfer(cell, change, this.hidden(far < this.model.keys.length ? far : near));
  }

  /** One other hidden cell of the same relation takes the change. */
  private pair(cell: number, change: number, relation: number): boolean {
    const partners = this.hidden(relation);
    // A partner that gives up counts is best among the largest; one that takes them, among the smallest.
    const gives = this.follow(relation, cell, partners[0] ?? cell, change) < 0;
    for (let i = 0; i < partners.length && i < SEARCH; i++) {
      const partner = partners[gives ? i : partners.length - 1 - i]!;
      if (partner === cell || this.sumsOf[partner]!.length !== 1) continue;
      if (this.checkStaged(this.stage(this.stage(0, cell, change), partner, this.follow(relation, cell, partner, change)))) return true;
    }
    return false;
  }

  /**
   * Four corners several times over: the change is taken from (or given to) several hidden cells of
   * `near`, each passed on around its own four corners. For a category that must rise to the
   * threshold in a block whose other hidden categories are each small.
   */
  private manyCorners(cell: number, change: number, near: number, far: number): boolean {
    if (far >= this.model.keys.length) return false;
    const width = this.model.blockIds.length + 1;
    const { values, hidden } = this.model;
    let n = this.stage(0, cell, change);
    let left = Math.abs(change);
    const used = new Set<number>([cell % width]);
    for (const h1 of this.hidden(near).subarray(0, SEARCH)) {
      if (h1 === cell || left <= 0) continue;
      const r1 = this.other(h1, near);
      if (r1 === undefined) continue;
      const unit = this.follow(near, cell, h1, Math.sign(change));
      const amount = unit < 0 ? Math.min(left, values[h1]! - this.floor(h1)) : left;
      if (amount <= 0) continue;
      const d1 = unit * amount;
      const second = this.hidden(r1);
      for (let i = 0; i < second.length && i < DEEP; i++) {
        const h2 = second[d1 > 0 ? i : second.length - 1 - i]!;
        const other = h2 % width;
        if (h2 === h1 || other === width - 1 || used.has(other)) continue;
        const r2 = this.other(h2, r1);
        const h3 = far * width + other;
        if (r2 === undefined || !hidden[h3] || this.other(h3, r2) !== far) continue;
        const d2 = this.follow(r1, h1, h2, d1);
        const d3 = this.follow(r2, h2, h3, d2);
        if (values[h2]! + d2 < this.floor(h2) || values[h3]! + d3 < this.floor(h3)) continue;
        // Checked as a whole at the end: until every part is placed, `near` is not balanced.
        n = this.stage(this.stage(this.stage(n, h1, d1), h2, d2), h3, d3);
        left -= amount;
        used.add(other);
        break;
      }
    }
    return left === 0 && this.checkStaged(n);
  }

  private closes(cell: number, change: number, h1: number, d1: number, h2: number, d2: number, r2: number, far: number, h3: number): boolean {
    if (!this.model.hidden[h3] || h3 === h2 || h3 === h1 || h3 === cell || this.other(h3, r2) !== far) return false;
    let n = this.stage(0, cell, change);
    n = this.stage(n, h1, d1);
    n = this.stage(n, h2, d2);
    n = this.stage(n, h3, this.follow(r2, h2, h3, d2));
    return this.checkStaged(n);
  }

  /** Several hidden cells of the same relation give up the change together, the largest first. */
  private spread(cell: number, change: number, relation: number): boolean {
    const partners = this.hidden(relation);
    const changes: [number, number][] = [[cell, change]];
    let left = Math.abs(change);
    for (let i = 0; i < partners.length && i < SEARCH && left > 0; i++) {
      const partner = partners[i]!;
      if (partner === cell || this.sumsOf[partner]!.length !== 1) continue;
      const unit = this.follow(relation, cell, partner, Math.sign(change));
      const part = unit < 0 ? Math.min(left, this.model.values[partner]! - this.floor(partner)) : left;
      if (part <= 0) continue;
      changes.push([partner, unit * part]);
      left -= part;
    }
    return left === 0 && changes.length > 2 && this.check(changes);
  }

  /**
   * Four corners: the cell and h1 share `near`, h1 and h2 the next relation, h2 and h3 the next,
   * and h3 closes at `far`. When `far` is a key over the blocks, h3 is that key's cell in h2's
   * block: found by index, so a city's key can be searched deep.
   */
  private corners(cell: number, change: number, near: number, far: number): boolean {
    const width = this.model.blockIds.length + 1;
    const keyRelation = far < this.model.keys.length;
    for (const h1 of this.hidden(near).subarray(0, SEARCH)) {
      if (h1 === cell) continue;
      const r1 = this.other(h1, near);
      if (r1 === undefined) continue;
      const d1 = this.follow(near, cell, h1, change);
      const second = this.hidden(r1);
      for (let i = 0; i < second.length && i < (keyRelation ? DEEP : SEARCH); i++) {
        const h2 = second[d1 > 0 ? i : second.length - 1 - i]!;
        if (h2 === h1 || h2 === cell) continue;
        const r2 = this.other(h2, r1);
        if (r2 === undefined || r2 === near) continue;
        const d2 = this.follow(r1, h1, h2, d1);
        if (this.model.values[h2]! + d2 < this.floor(h2)) continue;
        if (keyRelation) {
          if (this.closes(cell, change, h1, d1, h2, d2, r2, far, far * width + (h2 % width))) return true;
          continue;
        }
        for (const h3 of this.hidden(r2).subarray(0, SEARCH)) if (this.closes(cell, change, h1, d1, h2, d2, r2, far, h3)) return true;
      }
    }
    return false;
  }

  /**
   * A move in one block with what must move along in that block (a flag going up takes its source
   * along, a source going down its flags, a category total going to 0 its categories), and the
   * opposite moves elsewhere so that every key's total stays: cells bound only by "at most" relations
   * each find their own partners; cells of a category group move to one other block together.
   */
  private transfer(cell: number, change: number, partners: Int32Array): boolean {
    const { values, relations, hidden } = this.model;
    const width = this.model.blockIds.length + 1;
    const block = cell % width;
    if (block === width - 1) return false;
    const moves = new Map<number, number>([[Math.floor(cell / width), change]]);
    for (const r of this.relationsOf[cell]!) {
      const { kind, total, parts } = relations[r]!;
      if (kind === 'within') {
        if (total === cell) {
          for (const part of parts) if (values[part]! > values[cell]! + change) moves.set(Math.floor(part / width), values[cell]! + change - values[part]!);
        } else if (values[cell]! + change > values[total]!) {
          moves.set(Math.floor(total / width), values[cell]! + change - values[total]!);
        }
      } else if (total === cell && r >= this.model.keys.length && values[cell]! + change === 0) {
        for (const part of parts) if (values[part]! > 0) moves.set(Math.floor(part / width), -values[part]!);
      }
    }
    if (moves.size === 1) return false;
    for (const key of moves.keys()) if (!hidden[key * width + block]) return false;
    const here: [number, number][] = [...moves].map(([key, move]) => [key * width + block, move]);
    const grouped = [...moves.keys()].some((key) => this.sumsOf[key * width + block]!.length > 1);
    if (grouped) {
      for (let i = 0; i < partners.length && i < DEEP; i++) {
        const other = partners[i]! % width;
        if (other === block || other === width - 1 || [...moves.keys()].some((key) => !hidden[key * width + other])) continue;
        if (this.check([...here, ...[...moves].map(([key, move]): [number, number] => [key * width + other, -move])])) return true;
      }
      return false;
    }
    const changes = [...here];
    for (const [key, move] of moves) {
      let left = Math.abs(move);
      const candidates = this.hidden(key);
      for (let i = 0; i < candidates.length && i < DEEP && left > 0; i++) {
        const partner = candidates[move > 0 ? i : candidates.length - 1 - i]!;
        if (partner % width === block || partner % width === width - 1) continue;
        const part = move > 0 ? Math.min(left, this.room(partner, -1)) : Math.min(left, this.room(partner, 1));
        if (part <= 0) continue;
        changes.push([partner, -Math.sign(move) * part]);
        left -= part;
      }
      if (left > 0) return false;
    }
    return this.check(changes);
  }

  /** How far a cell can move down (direction −1) or up (+1) on its own within its "at most" relations. */
  private room(cell: number, direction: 1 | -1): number {
    const { values, relations } = this.model;
    let room = direction < 0 ? values[cell]! - this.floor(cell) : Infinity;
    for (const r of this.relationsOf[cell]!) {
      const { kind, total } = relations[r]!;
      if (kind !== 'within') continue;
      const slack = this.slack[r]!;
      // As the total, going down eats the slack; as a part, going up does.
      if ((total === cell) === direction < 0) room = Math.min(room, slack);
    }
    return Math.max(0, room);
  }

  /** A lower bound an attacker reads directly: a hidden total is at least the sum of its shown parts. */
  shownFloor(cell: number): number {
    const { values, relations, hidden } = this.model;
    let floor = 0;
    for (const r of this.relationsOf[cell]!) {
      const { total, parts } = relations[r]!;
      if (total !== cell) continue;
      let shown = 0;
      for (const part of parts) if (!hidden[part]) shown += values[part]!;
      floor = Math.max(floor, shown);
    }
    return floor;
  }

  private hidden(relation: number): Int32Array {
    let list = this.hiddenIn.get(relation);
    if (!list) {
      const { total, parts } = this.model.relations[relation]!;
      list = Int32Array.from([total, ...parts].filter((cell) => this.model.hidden[cell])).sort((a, b) => this.model.values[b]! - this.model.values[a]!);
      this.hiddenIn.set(relation, list);
    }
    return list;
  }

  private other(cell: number, relation: number): number | undefined {
    const first = this.pairs[2 * cell]!;
    if (first < 0) return undefined;
    return first === relation ? this.pairs[2 * cell + 1]! : first;
  }

  /** The change of `next` that keeps `relation` balanced after `cell` changed by `change`. */
  private follow(relation: number, cell: number, next: number, change: number): number {
    const { total } = this.model.relations[relation]!;
    return -((cell === total ? 1 : -1) * change) * (next === total ? 1 : -1);
  }

  /** Checks every cell stays at least its floor and every relation the changes touch, from each relation's slack in the true table. */
  private check(changes: readonly (readonly [number, number])[]): boolean {
    if (changes.length > this.stagedCells.length) return false;
    let n = 0;
    for (const [cell, change] of changes) n = this.stage(n, cell, change);
    return this.checkStaged(n);
  }

  private readonly stagedCells = new Int32Array(8192);
  private readonly stagedChanges = new Float64Array(8192);
  private readonly touched = new Int32Array(32768);
  private readonly touchedDelta = new Float64Array(32768);

  private stage(n: number, cell: number, change: number): number {
    this.stagedCells[n] = cell;
    this.stagedChanges[n] = change;
    return n + 1;
  }

  /** The check of `n` staged changes, without a Map or an array per try: it runs millions of times for a city. */
  private checkStaged(n: number): boolean {
    const { values, relations } = this.model;
    for (let i = 0; i < n; i++) if (values[this.stagedCells[i]!]! + this.stagedChanges[i]! < this.floor(this.stagedCells[i]!) - 1e-9) return false;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const cell = this.stagedCells[i]!;
      const change = this.stagedChanges[i]!;
      for (const r of this.relationsOf[cell]!) {
        const signed = relations[r]!.total === cell ? change : -change;
        let j = 0;
        while (j < m && this.touched[j] !== r) j++;
        if (j === m) {
          if (m === this.touched.length) return false;
          this.touched[m] = r;
          this.touchedDelta[m++] = signed;
        } else this.touchedDelta[j]! += signed;
      }
    }
    for (let j = 0; j < m; j++) {
      const r = this.touched[j]!;
      const rest = this.slack[r]! + this.touchedDelta[j]!;
      if (relations[r]!.kind === 'sum' ? Math.abs(rest) > 1e-9 : rest < -1e-9) return false;
    }
    return true;
  }
}
