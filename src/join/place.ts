import { normalisePostcode } from '../address/postcode.js';
import type { PolygonIndex } from '../geo/polygon-index.js';
import type { SourceConfig } from '../project/schema.js';
import { checkCoordinateColumns, placeBlockId, placePoint, readPoint } from './locate.js';
import { coveredShares, type CoveredShares } from './area.js';
import { findColumn, type CsvTable } from '../ingest/csv.js';
import { geometryColumns, readShape } from '../ingest/features.js';
import type { DoorFinder, PseudonymDoors } from './doors.js';
import { ReasonTally } from './reasons.js';
import { placePoints, pointRowResult, type PlacingThreads } from './placing-thread.js';
import { progressEvery, type Progress } from '../progress.js';
import { AMBIGUOUS, NO_BLOCK, findAddress, findBag, readAddress, readBag, sourceAddressColumns, sourceColumn, type AddressKey, type AddressRegister } from './register.js';

export interface PlacementContext {
  index: PolygonIndex;
  blockById: Map<string, number>;
  register: AddressRegister | undefined;
  /** For the samenloop: the sources placed by point whose records find their address by their point. */
  doors?: { finder: DoorFinder; sources: ReadonlySet<string> } | undefined;
  /** For the samenloop of prepared shares: their address pseudonyms as front doors. */
  pseudonyms?: PseudonymDoors | undefined;
  /** Workers that help place a large point source (none: this thread alone). */
  threads?: PlacingThreads | undefined;
}

/** How address-keyed records found their register address. */
export interface MatchLevels {
  exact: number;
  number_letter: number;
  number: number;
}

export interface SourcePlacement {
  /** Block index per row, -1 where the row is unplaced. */
  blockOfRow: Int32Array;
  /**
   * Per row, the one register address it names (a register row), -1 where it names none or
   * several: the front door the samenloop counts at. Only for sources with address or BAG columns.
   */
  addressOfRow: Int32Array | undefined;
  tally: ReasonTally;
  matchLevels: MatchLevels | undefined;
  /** For a source placed by area: per row whose line or polygon covers blocks, the share in each (blockOfRow holds the largest). */
  sharesOfRow?: Map<number, CoveredShares>;
}

type RowPlacer = (row: number) => number | string;

/** Whether a source's rows name an address (postcode and house number, or a BAG id), whatever its route. */
export function namesAddresses(source: SourceConfig): boolean {
  return source.columns.pseudonym !== undefined || (source.columns.postcode !== undefined && source.columns.huisnummer !== undefined) || source.columns.bag !== undefined;
}

/**
 * Places every row of a source in a block by the source's route (address, pc6, block, point, bag).
 * Every row ends placed or unplaced with a reason; nothing is dropped.
 */
export function placeSource(table: CsvTable, source: SourceConfig, context: PlacementContext, progress?: Progress): SourcePlacement {
  const column = (key: keyof SourceConfig['columns']) => sourceColumn(table, source, key);
  const matchLevels: MatchLevels | undefined = source.place_by === 'address' ? { exact: 0, number_letter: 0, number: 0 } : undefined;
  const byPoint = source.place_by === 'point' && !namesAddresses(source) && context.doors !== undefined && context.doors.sources.has(source.name);
  const addressOfRow = (namesAddresses(source) && (context.register || source.columns.pseudonym)) || byPoint ? new Int32Array(table.rowCount).fill(-1) : undefined;
  const sharesOfRow = source.place_by === 'area' ? new Map<number, CoveredShares>() : undefined;
  const points = source.place_by === 'point' ? pointColumns(table, source) : undefined;
  if (points) checkCoordinateColumns(table, points.x, points.y, points.crs, { x: source.columns.x!, y: source.columns.y! });
  const coded = points && placePoints(table, points, context.index, context.threads, (rows) => progress?.(`placing ${source.name}`, rows, table.rowCount)).blocks;
  const placer = coded ? undefined : sharesOfRow ? areaPlacer(table, context.index, sharesOfRow) : makePlacer(table, source, context, column, matchLevels, addressOfRow);
  const blockOfRow = new Int32Array(table.rowCount).fill(-1);
  const tally = new ReasonTally();
  for (let i = 0; i < table.rowCount; i++) {
    if (!coded && i % progressEvery === 0) progress?.(`placing ${source.name}`, i, table.rowCount);
    const result = coded ? pointRowResult(coded[i]!) : table.hasExtraFields(i) ? 'malformed_row' : placer!(i);
    if (typeof result === 'number') {
      blockOfRow[i] = result;
      tally.placed();
    } else {
      tally.unplaced(table.lines[i]!, result);
    }
  }
  if (byPoint) findDoorsByPoint(table, source, context.doors!.finder, blockOfRow, addressOfRow!);
  else if (source.columns.pseudonym !== undefined) {
    if (context.pseudonyms) findPseudonymDoors(table, source, context, blockOfRow, addressOfRow!);
  } else if (addressOfRow && source.place_by !== 'address' && source.place_by !== 'bag') findAddresses(table, source, context.register!, addressOfRow);
  return { blockOfRow, addressOfRow, tally, matchLevels, ...(sharesOfRow ? { sharesOfRow } : {}) };
}

/** A GeoJSON feature by its geometry: a point in its block; a line or polygon over the blocks it covers. */
function areaPlacer(table: CsvTable, index: PolygonIndex, sharesOfRow: Map<number, CoveredShares>): RowPlacer {
  const [x, y, shape] = [geometryColumns.x, geometryColumns.y, geometryColumns.shape].map((name) => findColumn(table.header, name));
  return (row) => {
    const covered = readShape(table.cell(row, shape!));
    if (!covered) return placePoint(table, row, x!, y!, 'EPSG:28992', index);
    const shares = coveredShares(covered, index);
    if (!shares) return 'outside_blocks';
    sharesOfRow.set(row, shares);
    return shares.blocks[0]!;
  };
}

/** The address each placed point stands at, where exactly one lies within the finder's radius. */
function findDoorsByPoint(table: CsvTable, source: SourceConfig, finder: DoorFinder, blockOfRow: Int32Array, addressOfRow: Int32Array): void {
  const x = sourceColumn(table, source, 'x');
  const y = sourceColumn(table, source, 'y');
  const point = new Float64Array(2);
  for (let row = 0; row < table.rowCount; row++) {
    if (blockOfRow[row]! < 0 || readPoint(table, row, x, y, source.crs ?? 'EPSG:28992', point) !== undefined) continue;
    addressOfRow[row] = finder.find(point[0]!, point[1]!);
  }
}

/** The front door of each placed row of a prepared share: its address pseudonym, in the row's block. */
function findPseudonymDoors(table: CsvTable, source: SourceConfig, context: PlacementContext, blockOfRow: Int32Array, addressOfRow: Int32Array): void {
  const pseudonym = sourceColumn(table, source, 'pseudonym');
  for (let row = 0; row < table.rowCount; row++) {
    const name = table.cell(row, pseudonym).trim();
    if (blockOfRow[row]! >= 0 && name !== '') addressOfRow[row] = context.pseudonyms!.door(name, blockOfRow[row]!);
  }
}

/** The addresses a source placed another way names (a report's point, and the address it is about). */
function findAddresses(table: CsvTable, source: SourceConfig, register: AddressRegister, addressOfRow: Int32Array): void {
  if (source.columns.postcode !== undefined && source.columns.huisnummer !== undefined) {
    const columns = sourceAddressColumns(table, source);
    const key: AddressKey = { numberCode: 0, letter: '', suffix: '' };
    for (let row = 0; row < table.rowCount; row++) {
      if (readAddress(table, row, columns, key) === undefined) addressOfRow[row] = findAddress(register, key)?.address ?? -1;
    }
    return;
  }
  const bagColumn = sourceColumn(table, source, 'bag');
  for (let row = 0; row < table.rowCount; row++) {
    const bag = readBag(table, row, bagColumn);
    const found = 'key' in bag ? findBag(register, bag.key) : undefined;
    if (typeof found === 'object') addressOfRow[row] = found.address;
  }
}

function pointColumns(table: CsvTable, source: SourceConfig) {
  return { x: sourceColumn(table, source, 'x'), y: sourceColumn(table, source, 'y'), crs: source.crs ?? 'EPSG:28992' };
}

function makePlacer(
  table: CsvTable,
  source: SourceConfig,
  context: PlacementContext,
  column: (key: keyof SourceConfig['columns']) => number,
  matchLevels: MatchLevels | undefined,
  addressOfRow: Int32Array | undefined,
): RowPlacer {
  const register = context.register;
  switch (source.place_by) {
    case 'address': {
      const columns = sourceAddressColumns(table, source);
      const key: AddressKey = { numberCode: 0, letter: '', suffix: '' };
      return (row) => {
        const unreadable = readAddress(table, row, columns, key);
        if (unreadable !== undefined) return unreadable;
        const found = findAddress(register!, key);
        if (found === undefined) return 'address_not_in_register';
        if (found.block === AMBIGUOUS) return 'address_ambiguous';
        if (found.block === NO_BLOCK) return 'register_address_unplaced';
        matchLevels![found.level]++;
        if (addressOfRow) addressOfRow[row] = found.address;
        return found.block;
      };
    }
    case 'pc6': {
      const pc6Column = column('pc6');
      return (row) => {
        const pc = normalisePostcode(table.cell(row, pc6Column));
        if (!pc.ok) return pc.reason;
        const block = register!.pc6Block.get(pc.pc6);
        if (block === undefined) return 'pc6_not_in_register';
        return block === NO_BLOCK ? 'pc6_not_in_blocks' : block;
      };
    }
    case 'block': {
      const blockColumn = column('block');
      return (row) => placeBlockId(table.cell(row, blockColumn), context.blockById);
    }
    case 'point':
      throw new Error('a source placed by point is placed by placePoints');
    case 'area':
      throw new Error('a source placed by area has its own placer');
    case 'bag': {
      const bagColumn = column('bag');
      return (row) => {
        const bag = readBag(table, row, bagColumn);
        if ('reason' in bag) return bag.reason;
        const found = findBag(register!, bag.key);
        if (typeof found === 'string') return found;
        if (found.block === NO_BLOCK) return 'register_address_unplaced';
        if (addressOfRow) addressOfRow[row] = found.address;
        return found.block;
      };
    }
  }
}
