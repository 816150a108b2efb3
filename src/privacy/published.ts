import type { AnalysisResult, BlockRow } from '../analysis/result.js';
import { UserError } from '../errors.js';
import { exactly, type ShownRange } from './audit.js';
import { cellsOfTable, protectionRange, type CellModel } from './cells.js';

/** One table as an attacker reads it from an output folder, with how exactly its shown cells are known. */
export interface PublishedTable {
  label: string;
  model: CellModel;
  shown: ShownRange;
}

/**
 * The tables a shareable analysis.json publishes, rebuilt from the file alone, as an attacker would:
 * the block table (every count, hidden ones null, and every key's area total) and, with a period
 * comparison, the earlier period's counts of the indicators compared. Relations: each key over the
 * blocks, categories within a block, flags within their source.
 */
export function publishedTables(result: AnalysisResult, file: string): PublishedTable[] {
  const log = result.disclosure;
  if (!log) {
    throw new UserError('this analysis was written with --internal: it holds small counts and is not shareable', {
      file,
      expected: 'an analysis folder written by analyse without --internal',
      fix: 'run buurtbalans analyse without --internal and audit that folder',
    });
  }
  const config = { threshold: log.threshold, suppress_zero: log.suppress_zero, rules: log.rules, rounding: log.rounding };
  const tables: PublishedTable[] = [];
  const keys = Object.keys(result.key_totals ?? {});
  tables.push(table('block table', result.blocks, result.key_totals, result.sums, keys, config));
  if (result.period_comparison) {
    const earlierKeys: string[] = [];
    const blocks: BlockRow[] = result.blocks.map((block) => ({ ...block, counts: {} }));
    const totals: Record<string, number | null> = {};
    for (const change of result.period_comparison.indicators) {
      const numerator = result.indicators.find((indicator) => indicator.id === change.id)?.numerator.keys;
      if (!numerator || numerator.length !== 1 || earlierKeys.includes(numerator[0]!)) continue;
      const key = numerator[0]!;
      earlierKeys.push(key);
      change.blocks.forEach((block, b) => (blocks[b]!.counts[key] = block.before));
      totals[key] = change.area.before;
    }
    const sums = result.sums.filter((sum) => earlierKeys.includes(sum.total) && sum.parts.every((part) => earlierKeys.includes(part)));
    tables.push(table(`the earlier period ${result.period_comparison.before}`, blocks, totals, sums, earlierKeys, config));
  }
  return tables;
}

function table(label: string, blocks: readonly BlockRow[], totals: Record<string, number | null>, sums: AnalysisResult['sums'], keys: string[], config: Parameters<typeof protectionRange>[1]): PublishedTable {
  const width = blocks.length + 1;
  const ranges = keys.map((key) => protectionRange(key, config));
  const model = cellsOfTable(blocks, totals, sums, keys, config);
  // Rounded to R (half up), a shown count v was at least v − ⌊R/2⌋ and at most v + ⌈R/2⌉ − 1, and,
  // being shown, outside its key's hidden range; a shown 0 is a 0.
  const rounding = config.rounding;
  const shown: ShownRange =
    rounding > 0
      ? (cell, value) => {
          if (value === 0) return [0, 0];
          const range = ranges[Math.floor(cell / width)]!;
          return [Math.max(value - Math.floor(rounding / 2), range.max + 1), value + Math.ceil(rounding / 2) - 1];
        }
      : exactly;
  return { label, model, shown };
}
