import { schemePuOr, schemeRdBu, schemeYlGnBu, schemeYlOrRd } from 'd3-scale-chromatic';
import { ckmeans } from 'simple-statistics';

export type ClassificationMethod = 'quantile' | 'equal' | 'jenks' | 'fixed' | 'diverging';

export interface Classification {
  method: ClassificationMethod;
  /** Upper bounds of every class but the last, ascending. */
  breaks: number[];
  /** One hex colour per class (breaks.length + 1). */
  colours: string[];
  /** For diverging: the reference value the classes are centred on. */
  reference?: number | undefined;
}

/** Diverging classes as multiples of the reference: well below, below, about, above, well above. */
export const divergingRatios = [0.5, 0.8, 1.25, 2];

/**
 * Classes for a choropleth. Colour-blind-safe ColorBrewer schemes (YlOrRd sequential, RdBu
 * diverging with blue below and red above the reference), as hex. `neutral` for a figure that
 * only describes (many over-65s is no alarm): YlGnBu and PuOr, without red for "high".
 */
export function classify(values: readonly number[], method: ClassificationMethod, options: { classes?: number; breaks?: number[]; reference?: number | null; neutral?: boolean | undefined } = {}): Classification {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const wanted = Math.max(2, Math.min(7, options.classes ?? 5));
  if (method === 'diverging' && options.reference !== undefined && options.reference !== null && options.reference > 0) {
    const colours = options.neutral ? [...schemePuOr[5]!].reverse() : [...schemeRdBu[5]!].reverse();
    return { method, breaks: divergingRatios.map((ratio) => ratio * options.reference!), colours, reference: options.reference };
  }
  let breaks: number[];
  if (method === 'fixed' && options.breaks && options.breaks.length > 0) {
    breaks = [...options.breaks].sort((a, b) => a - b);
  } else if (sorted.length === 0) {
    breaks = [];
  } else if (method === 'equal') {
    const min = sorted[0]!;
    const max = sorted[sorted.length - 1]!;
    breaks = Array.from({ length: wanted - 1 }, (_, i) => min + ((i + 1) * (max - min)) / wanted);
  } else if (method === 'jenks') {
    const groups = ckmeans(sorted, Math.min(wanted, new Set(sorted).size));
    breaks = groups.slice(0, -1).map((group) => group[group.length - 1]!);
  } else {
    breaks = Array.from({ length: wanted - 1 }, (_, i) => quantile(sorted, (i + 1) / wanted));
  }
  breaks = [...new Set(breaks)];
  const count = Math.max(3, Math.min(9, breaks.length + 1));
  const scheme = options.neutral ? schemeYlGnBu : schemeYlOrRd;
  const colours = (scheme[count] ?? scheme[3]!).slice(0, breaks.length + 1);
  return { method: method === 'diverging' ? 'quantile' : method, breaks, colours };
}

/** The class of a value: the first break it does not exceed. */
export function classOf(value: number, classification: Classification): number {
  const index = classification.breaks.findIndex((bound) => value <= bound);
  return index === -1 ? classification.breaks.length : index;
}

function quantile(sorted: number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
