import type { BlockRow } from '../analysis/result.js';

/** The measure every block has once: a count "per block" where nothing better divides it. */
export const perBlock = 'blocks';

/** A per-block quantity resolved from the block table. */
export interface Measure {
  /** The count keys it sums. */
  keys: string[];
  values: Float64Array;
  /** Unknown cells per block in any of its keys: suppressed by the sender (the value is a lower bound). */
  unknown: Int32Array;
  /** 1 where disclosure control hid a cell of any of its keys: the block's value is not known (0 in `values`). */
  hidden: Uint8Array;
}

/**
 * Resolves a measure name or count key(s) against the block table: `addresses`, `<source>`,
 * `<source>.<column>`, `<source>[<flag or category>]`, a name from `measures:`, or a list (summed).
 * Returns the keys that do not exist, instead, when any is missing.
 */
export function resolveMeasure(
  reference: string | string[],
  blocks: readonly BlockRow[],
  named: Readonly<Record<string, string | string[]>>,
): Measure | { missing: string[] } {
  const keys = expandMeasure(reference, named);
  const available = new Set(['addresses', perBlock, ...Object.keys(blocks[0]?.counts ?? {})]);
  const missing = keys.filter((key) => !available.has(key));
  if (missing.length > 0) return { missing };
  const values = new Float64Array(blocks.length);
  const unknown = new Int32Array(blocks.length);
  const hidden = new Uint8Array(blocks.length);
  blocks.forEach((block, b) => {
    for (const key of keys) {
      const count = key === 'addresses' ? block.addresses : key === perBlock ? 1 : block.counts[key];
      if (count === null || count === undefined) hidden[b] = 1;
      else values[b]! += count;
      unknown[b]! += block.unknown_cells[key] ?? 0;
    }
  });
  return { keys, values, unknown, hidden };
}

/** Per-block values of a measure name or count key, or null when the table lacks it. */
export function measureValues(
  reference: string | string[],
  blocks: readonly BlockRow[],
  named: Readonly<Record<string, string | string[]>>,
): Float64Array | null {
  const measure = resolveMeasure(reference, blocks, named);
  return 'missing' in measure ? null : measure.values;
}

/** The count keys a reference stands for, through the names of `measures:` (a name defined as itself is a key). */
export function expandMeasure(reference: string | string[], named: Readonly<Record<string, string | string[]>>, seen: ReadonlySet<string> = new Set()): string[] {
  const references = Array.isArray(reference) ? reference : [reference];
  return references.flatMap((item) => {
    const definition = named[item];
    if (definition === undefined || seen.has(item)) return [item];
    return expandMeasure(definition, named, new Set([...seen, item]));
  });
}

/** The category keys of a single count key: `meldingen` → `meldingen[burenoverlast]`, ... (never its flags). */
export function categoryKeys(key: string, sums: readonly { total: string; parts: string[] }[]): { key: string; category: string }[] {
  const prefix = `${key}[`;
  return (sums.find((sum) => sum.total === key)?.parts ?? []).map((part) => ({ key: part, category: part.slice(prefix.length, -1) }));
}
