/** One record that could not be placed: which line of its file, and why. No address fields. */
export interface UnplacedRecord {
  line: number;
  reason: string;
}

/** Counts placed records and collects unplaced ones with their reasons. */
export class ReasonTally {
  rowsPlaced = 0;
  readonly unplacedRecords: UnplacedRecord[] = [];
  readonly reasons: Record<string, number> = {};

  placed(): void {
    this.rowsPlaced++;
  }

  unplaced(line: number, reason: string): void {
    this.unplacedRecords.push({ line, reason });
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
  }

  /** Reasons sorted by name, so analysis.json is the same bytes every run. */
  sortedReasons(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.reasons).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}
