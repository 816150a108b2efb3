import type { DecimalSeparator } from './csv.js';

/** A count cell: a number, a cell the sender suppressed (unknown, never zero), or text that is no number. */
export type CountCell = { kind: 'number'; value: number } | { kind: 'suppressed' } | { kind: 'invalid' };

const suppressedMarkers = /^(|-|\.|x|\?|\*|<\s*\d+|geheim|onbekend|n\.?v\.?t\.?|nb|n\/a|na)$/i;

/**
 * Reads a count as senders write it: "12", " 12 ", "1.234" (thousands), "12,5" with decimal comma.
 * `<5`, `-`, `.`, `x`, `geheim`, `Onbekend` and empty cells are suppressed by the sender.
 */
export function parseCountCell(raw: string | undefined, decimal: DecimalSeparator): CountCell {
  const text = (raw ?? '').trim();
  if (suppressedMarkers.test(text)) return { kind: 'suppressed' };
  const value = parseDecimal(text, decimal);
  return value === undefined ? { kind: 'invalid' } : { kind: 'number', value };
}

/** A decimal number in the file's convention, or undefined when the text is not one. */
export function parseDecimal(raw: string, decimal: DecimalSeparator): number | undefined {
  let text = raw.trim().replace(/\s+/g, '');
  if (decimal === ',') {
    if (/^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(text)) text = text.replace(/\./g, '');
    text = text.replace(',', '.');
  } else if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) {
    text = text.replace(/,/g, '');
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
