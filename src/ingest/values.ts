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
  // A count below zero is no count: unknown, and reported as unreadable.
  return value === undefined || value < 0 ? { kind: 'invalid' } : { kind: 'number', value };
}

/** A decimal number in the file's convention, or undefined when the text is not one. */
export function parseDecimal(raw: string, decimal: DecimalSeparator): number | undefined {
  const fast = plainNumber(raw, decimal);
  if (fast !== undefined) return fast;
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

/**
 * The common case without regular expressions: digits with at most one decimal separator and a
 * leading minus (millions of coordinates go through here).
 */
function plainNumber(text: string, decimal: DecimalSeparator): number | undefined {
  const length = text.length;
  if (length === 0 || length > 20) return undefined;
  let separator = -1;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) continue;
    if (code === 45 && i === 0 && length > 1) continue;
    if (code === decimal.charCodeAt(0) && separator === -1 && i > 0 && i < length - 1) {
      separator = i;
      continue;
    }
    return undefined;
  }
  return Number(separator === -1 || decimal === '.' ? text : `${text.slice(0, separator)}.${text.slice(separator + 1)}`);
}

/** Dates as Dutch exports write them: 2025-03-01, 01-03-2025, 1/3/2025, optionally with a time. */
export function parseDate(value: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})([ T]\d{2}:\d{2}(:\d{2})?)?$/.exec(value);
  const dutch = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})( \d{1,2}:\d{2}(:\d{2})?)?$/.exec(value);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : dutch ? [dutch[3], dutch[2], dutch[1]] : [];
  if (!year) return undefined;
  const m = Number(month);
  const d = Number(day);
  // A real calendar day only: 31-02-2025 is no date.
  const date = new Date(Date.UTC(Number(year), m - 1, d));
  if (m < 1 || m > 12 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
