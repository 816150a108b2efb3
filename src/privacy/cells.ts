import type { BlockRow } from '../analysis/result.js';
import type { PrivacyConfig } from '../project/schema.js';

/**
 * A relation between published cells that an attacker can use: `total = Σ parts` (`sum`: a key
 * over the blocks, categories within a block) or `Σ parts ≤ total` (`within`: a flag counts some
 * of a source's rows; categories that leave rows without a category).
 */
export interface Relation {
  kind: 'sum' | 'within';
  total: number;
  parts: Int32Array;
}

/**
 * A table of counts as disclosure control and its audit see it: per key one cell per block and
 * one for the area total (cell `k * (blocks + 1) + b`, with `b = blocks` the total), whether the
 * cell is hidden, and every relation between cells that the outputs publish.
 */
export interface CellModel {
  keys: readonly string[];
  blockIds: readonly string[];
  values: Float64Array;
  hidden: Uint8Array;
  /** Per key: a hidden cell that could be small must be able to be anywhere from its floor to this (the top of its range + 1). */
  protection: Int32Array;
  /**
   * Per key: the least a hidden cell can be as an attacker knows it. Zeros are shown unless
   * `suppress_zero`, and secondary suppression never hides one, so a hidden whole count is at least
   * 1 (an attacker's pass pinned hidden cells at exactly 1 from that alone); 0 for a key with
   * fractions (a polygon's share) or with zeros hidden.
   */
  floors: Float64Array;
  relations: Relation[];
  /** Keys whose parts add up to their total in every block (categories): the two-way tables. */
  groups: { total: number; parts: number[] }[];
  /** Per key, 1 where its block figures are the message and its area total gives way first (the samenloop). */
  totalGivesWay: Uint8Array;
}

export interface ProtectionRange {
  min: number;
  max: number;
  /** Where the range comes from, for the log. */
  label: string;
}

const relationIndex = new WeakMap<CellModel, { all: Int32Array[]; sums: Int32Array[] }>();

/** Per cell, the relations it is in (all, and the equalities only); built once per model. */
export function relationsOfCells(model: CellModel): { all: Int32Array[]; sums: Int32Array[] } {
  let index = relationIndex.get(model);
  if (!index) {
    const all: number[][] = Array.from({ length: model.values.length }, () => []);
    const sums: number[][] = Array.from({ length: model.values.length }, () => []);
    model.relations.forEach((relation, r) => {
      all[relation.total]!.push(r);
      if (relation.kind === 'sum') sums[relation.total]!.push(r);
      for (const cell of relation.parts) {
        all[cell]!.push(r);
        if (relation.kind === 'sum') sums[cell]!.push(r);
      }
    });
    index = { all: all.map((list) => Int32Array.from(list)), sums: sums.map((list) => Int32Array.from(list)) };
    relationIndex.set(model, index);
  }
  return index;
}

/** The cells of a key: one per block and then its area total. */
export function cellOf(model: Pick<CellModel, 'blockIds'>, key: number, block: number): number {
  return key * (model.blockIds.length + 1) + block;
}

/**
 * The relations every shareable output publishes: each key over the blocks adds up to its area
 * total (published as the area figure of indicators, a source's rows and `key_totals`); within a
 * block (and for the area) categories add up to their total; a flag counts some of its source's rows.
 * `exactSums` says per sum group whether its categories cover every row (else `within`).
 */
export function publishedRelations(keys: readonly string[], blockCount: number, sums: readonly { total: string; parts: readonly string[] }[], exactSums: readonly boolean[]): Relation[] {
  const width = blockCount + 1;
  const keyIndex = new Map(keys.map((key, k) => [key, k]));
  const relations: Relation[] = [];
  keys.forEach((_, k) => relations.push({ kind: 'sum', total: k * width + blockCount, parts: Int32Array.from({ length: blockCount }, (_, b) => k * width + b) }));
  const inSum = new Set(sums.flatMap((s) => s.parts));
  sums.forEach(({ total, parts }, s) => {
    const t = keyIndex.get(total);
    const p = parts.map((part) => keyIndex.get(part)).filter((k) => k !== undefined);
    if (t === undefined || p.length === 0) return;
    for (let b = 0; b <= blockCount; b++) relations.push({ kind: exactSums[s] ? 'sum' : 'within', total: t * width + b, parts: Int32Array.from(p, (k) => k * width + b) });
  });
  keys.forEach((key, k) => {
    const flag = /^(.*)\[[^\]]*\]$/.exec(key);
    const base = flag ? keyIndex.get(flag[1]!) : undefined;
    if (base === undefined || inSum.has(key)) return;
    for (let b = 0; b <= blockCount; b++) relations.push({ kind: 'within', total: base * width + b, parts: Int32Array.of(k * width + b) });
  });
  return relations;
}

/**
 * The cells of a block table (a null count is a hidden cell), with each key's protection and the
 * relations every shareable output publishes. The same model for disclosure control (the true
 * table) and for the audit of an output folder (the published one).
 */
export function cellsOfTable(
  blocks: readonly BlockRow[],
  totals: Readonly<Record<string, number | null>>,
  sums: readonly { total: string; parts: readonly string[]; exact?: boolean }[],
  keys: string[],
  config: PrivacyConfig,
  blockFirst: readonly string[] = [],
): CellModel {
  const width = blocks.length + 1;
  const values = new Float64Array(keys.length * width);
  const hidden = new Uint8Array(keys.length * width);
  keys.forEach((key, k) => {
    [...blocks.map((block) => block.counts[key]), totals[key]].forEach((value, b) => {
      if (value === null || value === undefined) hidden[k * width + b] = 1;
      else values[k * width + b] = value;
    });
  });
  const exact = sums.map((sum) => sum.exact !== false);
  const keyIndex = new Map(keys.map((key, k) => [key, k]));
  return {
    keys,
    blockIds: blocks.map((block) => block.id),
    values,
    hidden,
    protection: Int32Array.from(keys, (key) => protectionRange(key, config).max + 1),
    floors: Float64Array.from(keys, (key, k) => {
      if (protectionRange(key, config).min < 1) return 0;
      for (let b = 0; b < width; b++) if (!Number.isInteger(values[k * width + b]!)) return 0;
      return 1;
    }),
    totalGivesWay: Uint8Array.from(keys, (key) => (blockFirst.includes(key) ? 1 : 0)),
    relations: publishedRelations(keys, blocks.length, sums, exact),
    groups: sums.filter((_, s) => exact[s]).map(({ total, parts }) => ({ total: keyIndex.get(total)!, parts: parts.map((part) => keyIndex.get(part)!) })),
  };
}

/**
 * The range of a key's counts that is never published: the default (1 to threshold − 1, or from 0
 * with suppress_zero) widened by a rule for its source or the key itself, never narrowed.
 */
export function protectionRange(key: string, config: PrivacyConfig): ProtectionRange {
  const min = config.suppress_zero ? 0 : 1;
  const max = config.threshold - 1;
  const rule = config.rules[key] ?? config.rules[key.replace(/\[.*$/, '')] ?? config.rules[sourceOfKey(key)];
  if (!rule) return { min, max, label: `${min}–${max}: below the threshold of ${config.threshold}` };
  return { min: Math.min(min, rule.min), max: Math.max(max, rule.max), label: `${Math.min(min, rule.min)}–${Math.max(max, rule.max)} (rule for ${config.rules[key] ? key : sourceOfKey(key)})` };
}

/** `zorg.clienten[x]` → `zorg`, `meldingen[schade]` → `meldingen`. */
export function sourceOfKey(key: string): string {
  return key.split('.')[0]!.replace(/\[.*$/, '');
}

/**
 * Whether an attacker's interval for a hidden cell protects it: either the cell is provably not
 * small (at least the protection), or it could reach the protection and the interval is as wide as
 * from the least a hidden cell can be (`floor`: 0, or 1 for whole counts where zeros are shown) to
 * the protection (τ-ARGUS's protection levels, with the whole range up to the threshold as the
 * level, for every hidden cell, since the published files do not say which cells were small).
 */
export function isProtected(lower: number, upper: number, protection: number, floor = 0): boolean {
  return lower >= protection - 1e-9 || (upper >= protection - 1e-9 && upper - lower >= protection - floor - 1e-9);
}

/**
 * Secondary suppression by relation: in every relation with hidden cells, hides more cells until
 * an attacker who knows every other cell and the relation cannot pin a hidden cell down to a small
 * range: at least two hidden parts whose sum reaches the protection, or a hidden total. Returns the
 * cells it hid. The audit (audit.ts) then checks all relations together.
 */
export function suppressByRelation(model: CellModel): number[] {
  const { values, hidden, relations } = model;
  const width = model.blockIds.length + 1;
  const protectionOf = (cell: number) => model.protection[Math.floor(cell / width)]!;
  const added: number[] = [];
  const hide = (cell: number) => {
    hidden[cell] = 1;
    added.push(cell);
  };
  /** The published part to hide: the smallest non-zero one that reaches `needed` on its own, else the largest. */
  const pick = (parts: Int32Array, needed: number): number | undefined => {
    let reaching: number | undefined;
    let largest: number | undefined;
    for (const cell of parts) {
      if (hidden[cell] || values[cell]! <= 0) continue;
      if (values[cell]! >= needed && (reaching === undefined || values[cell]! < values[reaching]!)) reaching = cell;
      if (largest === undefined || values[cell]! > values[largest]!) largest = cell;
    }
    return reaching ?? largest;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const relation of relations) {
      const { total, parts } = relation;
      let hiddenParts = 0;
      let hiddenSum = 0;
      let shownSum = 0;
      let needed = 0;
      let floors = 0;
      for (const cell of parts) {
        if (hidden[cell]) {
          hiddenParts++;
          hiddenSum += values[cell]!;
          floors += model.floors[Math.floor(cell / width)]!;
          needed = Math.max(needed, protectionOf(cell));
        } else shownSum += values[cell]!;
      }
      if (hidden[total]) {
        // The total is at least the parts shown: that must not pin it between 0 and its protection.
        if (shownSum > 0 && shownSum < protectionOf(total)) {
          const cell = pick(parts, 0);
          if (cell !== undefined) (hide(cell), (changed = true));
        }
        continue;
      }
      if (hiddenParts === 0) continue;
      // A published total bounds the hidden parts: each is at most total − shown (for a sum, one
      // hidden part is exactly that). Protected when that room reaches the protection.
      // The other hidden parts keep at least their floors (1 for whole counts: zeros are shown).
      const room = (relation.kind === 'sum' ? hiddenSum : values[total]! - shownSum) - Math.max(0, floors - 1);
      if (room >= needed) continue;
      const givesWay = relation.kind === 'sum' && total % width === width - 1 && model.totalGivesWay[Math.floor(total / width)] === 1;
      const cell = relation.kind === 'sum' && !givesWay ? pick(parts, needed - room) : undefined;
      hide(cell ?? total);
      changed = true;
    }
  }
  return added;
}

/**
 * The last resort for a cell the partners `strengthen` finds do not protect (whole counts, each
 * hidden one at least 1, can pin a cell between its hidden neighbours): hides its key's area total
 * and every shown cell in a relation with it in its block (its category total and categories), so
 * only relations with hidden totals bound it.
 */
export function release(model: CellModel, key: number, block: number): void {
  const width = model.blockIds.length + 1;
  const cell = cellOf(model, key, block);
  model.hidden[cellOf(model, key, width - 1)] = 1;
  // Inequalities too: categories that do not cover every row, and flags, bound a cell from above
  // by their block's total less the categories shown (a total pinned from below elsewhere pins it).
  for (const r of relationsOfCells(model).all[cell]!) {
    const relation = model.relations[r]!;
    if (relation.total % width !== block) continue;
    // Hidden already or not, each of them is held by its key's area total: that goes too.
    for (const other of [relation.total, ...relation.parts]) {
      if (model.values[other]! <= 0) continue;
      model.hidden[other] = 1;
      model.hidden[cellOf(model, Math.floor(other / width), width - 1)] = 1;
    }
  }
}

/**
 * Hides more cells so that an unprotected hidden cell gains room. For a category in a two-way
 * table (blocks × categories, with block and category totals) that is the hypercube of τ-ARGUS
 * in its smallest form: a second block and a second category whose four cells, hidden together,
 * let the cell move from 0 to its protection while every total stays. Elsewhere: the smallest
 * shown non-zero cell in a relation with it.
 */
export function strengthen(model: CellModel, key: number, block: number): void {
  const { values, hidden } = model;
  const blocks = model.blockIds.length;
  const cell = cellOf(model, key, block);
  const value = (k: number, b: number) => values[cellOf(model, k, b)]!;
  const isHidden = (k: number, b: number) => hidden[cellOf(model, k, b)] === 1;
  const group = block < blocks ? model.groups.find((g) => g.parts.includes(key)) : undefined;
  if (group) {
    const protection = model.protection[key]!;
    const v = value(key, block);
    let best: { cost: number; cells: number[] } | undefined;
    for (const other of group.parts) {
      // Moving d from (other, block) to (key, block) and back in block b: d from −v to protection − v.
      if (other === key || !isHidden(other, block) || value(other, block) < protection - v) continue;
      // A city's blocks one by one for each cell to protect: typed reads only, an array only for a better pair.
      for (let b = 0, keyCell = cellOf(model, key, 0), otherCell = cellOf(model, other, 0); b < blocks; b++, keyCell++, otherCell++) {
        if (b === block || values[keyCell]! < protection - v || values[otherCell]! < v) continue;
        const keyShown = !hidden[keyCell];
        const otherShown = !hidden[otherCell];
        if (!keyShown && !otherShown) continue;
        const cost = (keyShown ? values[keyCell]! : 0) + (otherShown ? values[otherCell]! : 0);
        if (!best || cost < best.cost) best = { cost, cells: [keyCell, otherCell].filter((c) => !hidden[c]) };
      }
    }
    if (best) {
      for (const c of best.cells) hidden[c] = 1;
      return;
    }
  }
  let pick: number | undefined;
  const consider = (other: number) => {
    if (other !== cell && !hidden[other] && values[other]! > 0 && (pick === undefined || values[other]! < values[pick]!)) pick = other;
  };
  for (const r of relationsOfCells(model).all[cell]!) {
    const relation = model.relations[r]!;
    consider(relation.total);
    for (const other of relation.parts) consider(other);
  }
  if (pick !== undefined) hidden[pick] = 1;
}
