import { UserError } from '../errors.js';

/** The creation date printed on maps and reports: --date, else SOURCE_DATE_EPOCH (for reproducible builds), else today (UTC). */
export function creationDate(option: string | undefined): string {
  if (option !== undefined) {
    // Date.parse rolls 2025-02-30 over to March: the date must read back as written.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(option) || Number.isNaN(Date.parse(option)) || new Date(`${option}T00:00:00Z`).toISOString().slice(0, 10) !== option) {
      throw new UserError(`--date ${option} is not a date`, { expected: 'YYYY-MM-DD', fix: 'for example --date 2026-11-23' });
    }
    return option;
  }
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const date = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
  return date.toISOString().slice(0, 10);
}
