import type { Period } from '../filter/period.js';
import type { Thresholds } from '../project/schema.js';
import { rateRatioInterval } from '../stats/intervals.js';
import type { Bilingual } from './builtins.js';
import { round, type IndicatorResult } from './compute.js';

export interface BlockChange {
  id: string;
  /** Events in each period; null where disclosure control hid it (and then no change is computed). */
  before: number | null;
  after: number | null;
  /** Rate in the later period against the earlier one, with the exact conditional interval. */
  ratio: number | null;
  lower: number | null;
  upper: number | null;
  small_numbers: boolean;
  /** The interval lies wholly above or below 1, and the numbers are not small. */
  change: 'up' | 'down' | 'none';
}

export interface IndicatorChange {
  id: string;
  label: Bilingual;
  area: Omit<BlockChange, 'id'>;
  blocks: BlockChange[];
}

export interface PeriodComparison {
  before: string;
  after: string;
  indicators: IndicatorChange[];
}

/**
 * What changed between two periods for every rate per year: per block and for the area, the
 * ratio of the later rate to the earlier one with an exact interval, honest about small numbers.
 */
export function comparePeriods(before: { period: Period; indicators: IndicatorResult[] }, after: { period: Period; indicators: IndicatorResult[] }, thresholds: Thresholds): PeriodComparison {
  const changes: IndicatorChange[] = [];
  for (const later of after.indicators) {
    const earlier = before.indicators.find((i) => i.id === later.id);
    if (!earlier || !later.per_year) continue;
    const change = (eventsBefore: number | null, unitsBefore: number | null, eventsAfter: number | null, unitsAfter: number | null): Omit<BlockChange, 'id'> => {
      // Each period's count as its own protected table shows it; the change only where both are shown.
      if (eventsBefore === null || unitsBefore === null || eventsAfter === null || unitsAfter === null) {
        return { before: eventsBefore, after: eventsAfter, ratio: null, lower: null, upper: null, small_numbers: true, change: 'none' };
      }
      const interval = rateRatioInterval(eventsAfter, unitsAfter * after.period.years, eventsBefore, unitsBefore * before.period.years);
      const small = eventsBefore + eventsAfter < thresholds.min_events || Math.min(unitsBefore, unitsAfter) < thresholds.min_homes;
      return {
        before: eventsBefore,
        after: eventsAfter,
        ratio: round(interval.value),
        lower: round(interval.lower),
        upper: round(interval.upper),
        small_numbers: small,
        change: small ? 'none' : interval.lower !== null && interval.lower > 1 ? 'up' : interval.upper !== null && interval.upper < 1 ? 'down' : 'none',
      };
    };
    changes.push({
      id: later.id,
      label: later.label,
      area: change(earlier.area.numerator, earlier.area.denominator, later.area.numerator, later.area.denominator),
      blocks: later.blocks.map((block, b) => {
        const old = earlier.blocks.at(b);
        return { id: block.id, ...change(old.numerator, old.denominator, block.numerator, block.denominator) };
      }),
    });
  }
  return { before: before.period.text, after: after.period.text, indicators: changes };
}
