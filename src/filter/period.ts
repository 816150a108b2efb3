import { UserError } from '../errors.js';
import { periodPattern } from '../project/schema.js';

/** A closed range of days, `2025-01-01..2025-12-31`. */
export interface Period {
  start: string;
  end: string;
  /** Length in years (days / 365.25), for rates per year. */
  years: number;
  text: string;
}

/** Reads `YYYY-MM-DD..YYYY-MM-DD`; `where` names the option or key for the error message. */
export function parsePeriod(text: string, where: string): Period {
  const match = periodPattern.exec(text.trim());
  const start = match?.[1];
  const end = match?.[2];
  const startTime = start ? Date.parse(`${start}T00:00:00Z`) : NaN;
  const endTime = end ? Date.parse(`${end}T00:00:00Z`) : NaN;
  if (!start || !end || Number.isNaN(startTime) || Number.isNaN(endTime) || endTime < startTime) {
    throw new UserError(`"${text}" is not a period`, {
      expected: `${where}: a first and last day, 2025-01-01..2025-12-31, the first not after the last`,
      fix: `write ${where} as 2025-01-01..2025-12-31`,
    });
  }
  const days = (endTime - startTime) / 86_400_000 + 1;
  return { start, end, years: days / 365.25, text: `${start}..${end}` };
}

/** True when an ISO day (YYYY-MM-DD) lies in the period. */
export function inPeriod(day: string, period: Period): boolean {
  return day >= period.start && day <= period.end;
}
