import { UserError } from '../errors.js';
import { diagnoseCoordinates, insideNetherlands, toRd, describeCrs } from '../geo/crs.js';
import { NOWHERE, OVERLAP, type PolygonIndex } from '../geo/polygon-index.js';
import type { CsvTable } from '../ingest/csv.js';
import { parseDecimal } from '../ingest/values.js';
import type { CrsName } from '../project/schema.js';

export type PointReason = 'missing_coordinates' | 'invalid_coordinates' | 'outside_netherlands' | 'outside_blocks' | 'in_overlapping_blocks';

/** The block index a point falls in, or why it has none. */
export type Placement = number | PointReason;

/** Places a record that names its block; ids are compared after trimming spaces (StatLine pads codes). */
export function placeBlockId(raw: string | undefined, blockById: ReadonlyMap<string, number>): number | 'missing_block' | 'block_not_found' {
  const id = (raw ?? '').trim();
  if (id === '') return 'missing_block';
  return blockById.get(id) ?? 'block_not_found';
}

/** Places a row's x/y pair in the blocks; the point in RD New is left in `into` (the register keeps it for the samenloop). */
export function placePoint(table: CsvTable, row: number, xColumn: number, yColumn: number, crs: CrsName, index: PolygonIndex, into: Float64Array = scratch): Placement {
  const reason = readPoint(table, row, xColumn, yColumn, crs, into);
  if (reason !== undefined) return reason;
  const block = index.locateOne(into[0]!, into[1]!);
  return block === NOWHERE ? 'outside_blocks' : block === OVERLAP ? 'in_overlapping_blocks' : block;
}

// One pair reused: placing millions of points allocates nothing per point.
const scratch = new Float64Array(2);

/** Reads a row's x/y pair into `into` in RD New, or returns why it has none. */
export function readPoint(table: CsvTable, row: number, xColumn: number, yColumn: number, crs: CrsName, into: Float64Array): Exclude<PointReason, 'outside_blocks' | 'in_overlapping_blocks'> | undefined {
  const x = coordinate(table, row, xColumn);
  const y = coordinate(table, row, yColumn);
  if (x === null || y === null) return 'missing_coordinates';
  if (x === undefined || y === undefined) return 'invalid_coordinates';
  if (!insideNetherlands(x, y, crs)) return 'outside_netherlands';
  if (crs === 'EPSG:28992') {
    into[0] = x;
    into[1] = y;
  } else {
    const [rx, ry] = toRd(x, y, crs);
    into[0] = rx;
    into[1] = ry;
  }
  return undefined;
}

/** A coordinate cell: its number, null when empty, undefined when it is no finite number. */
function coordinate(table: CsvTable, row: number, column: number): number | null | undefined {
  const plain = table.plainNumber(row, column);
  if (plain !== undefined) return plain;
  const text = table.cell(row, column).trim();
  if (text === '') return null;
  const value = parseDecimal(text, table.dialect.decimal);
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/**
 * Stops with a clear message when most coordinates of a file lie outside the Netherlands:
 * that is a wrong CRS or swapped columns, not a few stray points.
 */
export function checkCoordinateColumns(table: CsvTable, xColumn: number, yColumn: number, crs: CrsName, names: { x: string; y: string }): void {
  let numeric = 0;
  let outside = 0;
  let firstOutside: { x: number; y: number; line: number } | undefined;
  // A sample is enough to tell a wrong CRS or swapped columns from a few stray points.
  const step = Math.max(1, Math.floor(table.rowCount / 20_000));
  for (let i = 0; i < table.rowCount; i += step) {
    const x = coordinate(table, i, xColumn);
    const y = coordinate(table, i, yColumn);
    if (x == null || y == null) continue;
    numeric++;
    if (!insideNetherlands(x, y, crs)) {
      outside++;
      firstOutside ??= { x, y, line: table.lines[i]! };
    }
  }
  if (firstOutside && outside * 2 > numeric) {
    throw new UserError(`${outside} of ${numeric} coordinates lie outside the Netherlands when read as ${describeCrs(crs)}`, {
      file: table.file,
      line: firstOutside.line,
      column: `${names.x}, ${names.y}`,
      expected: crs === 'EPSG:28992' ? 'RD New x 0–300000, y 289000–629000' : 'lon 3.2–7.3, lat 50.7–53.7',
      fix: diagnoseCoordinates(firstOutside.x, firstOutside.y, crs) ?? 'check the coordinate system of the export and set crs: in buurtbalans.yml',
    });
  }
}
