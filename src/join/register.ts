import { normalisePostcode, pc6Code, pc6CodeOfBytes, pc6OfCode } from '../address/postcode.js';
import { houseNumberOfBytes, letterOfBytes, parseHouseNumber, suffixOfBytes } from '../address/housenumber.js';
import { bagNumberOfBytes, parseBagId } from '../address/codes.js';
import type { PolygonIndex } from '../geo/polygon-index.js';
import { columnIndex, type CsvTable } from '../ingest/csv.js';
import type { BlockLayer } from '../ingest/geojson.js';
import type { AddressesConfig, SourceConfig } from '../project/schema.js';
import { compareIds } from '../text.js';
import { checkCoordinateColumns, placeBlockId } from './locate.js';
import { placePoints, pointRowResult, type PlacingThreads } from './placing-thread.js';
import { KeySet } from './key-set.js';
import { ReasonTally } from './reasons.js';
import { progressEvery, type Progress } from '../progress.js';

/** Block of a register key: a block index, or one of these markers. */
export const NO_BLOCK = -1;
export const AMBIGUOUS = -2;

/** A BAG id as a number (exact below 2^53, which every gemeentecode gives): half the memory of a 16-character string. */
function bagKey(id: string): number | string {
  const value = Number(id);
  return Number.isSafeInteger(value) ? value : id;
}

/** The address register as lookup tables from normalised keys to blocks. */
export interface AddressRegister {
  /** Every address by postcode and number, for the sources' addresses. */
  addressIndex: AddressCodeIndex;
  /** BAG id (`bagKey`) → register row, or AMBIGUOUS where the id lies in two blocks; for the ids the sources ask for. */
  bag: Map<number | string, number>;
  /** Per register row (an address: the front door the samenloop counts at), its block or NO_BLOCK. */
  blockOfAddress: Int32Array;
  /** With `demand.points`: per register row its point in RD New (x, y; NaN where it has none in a block), for finding a record's address by its point. */
  points?: Float64Array;
  /** PC6 → the block it goes to wholly: the one holding most of its addresses (ties: lowest id). */
  pc6Block: Map<string, number>;
  pc6Split: Pc6Split[];
  addressesPerBlock: Int32Array;
  tally: ReasonTally;
}

export interface Pc6Split {
  pc6: string;
  assigned_block: string;
  /** Block id → number of register addresses of this PC6 in it. */
  blocks: Record<string, number>;
}

/** A PC6 (`pc6Code`) and a house number (1–99,999) as one exact integer below 2^53. */
const numberCodeBase = 100_000;

/** Columns of a table's address, -1 where the table has none. */
export interface AddressColumns {
  postcode: number;
  number: number;
  letter: number;
  suffix: number;
}

/** The column a source's `columns:` names for `key`; -1 where it names none. */
export function sourceColumn(table: CsvTable, source: SourceConfig, key: keyof SourceConfig['columns']): number {
  const name = source.columns[key];
  return name === undefined ? -1 : columnIndex(table, name, `sources[${source.name}].columns.${key}`);
}

/** A source's address columns (postcode, huisnummer, huisletter, toevoeging). */
export function sourceAddressColumns(table: CsvTable, source: SourceConfig): AddressColumns {
  const column = (key: keyof SourceConfig['columns']) => sourceColumn(table, source, key);
  return { postcode: column('postcode'), number: column('huisnummer'), letter: column('huisletter'), suffix: column('toevoeging') };
}

/** A row's address as the register keys it: PC6 and number as `numberCode`, letter and suffix as written canonically. */
export interface AddressKey {
  numberCode: number;
  letter: string;
  suffix: string;
}

/**
 * Reads a row's address into `key`, or returns why it has none (the postcode's reason first).
 * The common forms (`1079AB`, `12`, a one-letter huisletter, a short toevoeging) are read from the
 * file's bytes: a country's register and address sources are millions of rows, and four strings
 * per row were most of their placing time. Everything else goes through the full parsers.
 */
export function readAddress(table: CsvTable, row: number, columns: AddressColumns, key: AddressKey): string | undefined {
  const pc6 = table.readRaw(row, columns.postcode, pc6CodeOfBytes);
  const number = pc6 !== undefined && pc6 >= 0 ? table.readRaw(row, columns.number, houseNumberOfBytes) : undefined;
  const letter = number !== undefined && number > 0 ? (columns.letter < 0 ? '' : table.readRaw(row, columns.letter, letterOfBytes)) : undefined;
  const suffix = letter !== undefined ? (columns.suffix < 0 ? '' : table.readRaw(row, columns.suffix, suffixOfBytes)) : undefined;
  if (suffix !== undefined) {
    key.numberCode = pc6! * numberCodeBase + number!;
    key.letter = letter!;
    key.suffix = suffix;
    return undefined;
  }
  const postcode = normalisePostcode(table.cell(row, columns.postcode));
  if (!postcode.ok) return postcode.reason;
  const house = parseHouseNumber(table.cell(row, columns.number), columns.letter >= 0 ? table.cell(row, columns.letter) : undefined, columns.suffix >= 0 ? table.cell(row, columns.suffix) : undefined);
  if (!house.ok) return house.reason;
  key.numberCode = pc6Code(postcode.pc6) * numberCodeBase + house.number;
  key.letter = house.letter;
  key.suffix = house.suffix;
  return undefined;
}

/** A row's BAG id as the register keys it, or why it has none. */
export function readBag(table: CsvTable, row: number, column: number): { key: number | string } | { reason: string } {
  const key = table.readRaw(row, column, bagNumberOfBytes);
  if (key !== undefined) return { key };
  const bag = parseBagId(table.cell(row, column));
  return bag.ok ? { key: bagKey(bag.id) } : { reason: bag.reason };
}

export type MatchLevel = 'exact' | 'number_letter' | 'number';

/** A source row's register match: its block, and its address (register row) where exactly one address matched, else -1. */
export interface AddressMatch {
  level: MatchLevel;
  block: number;
  address: number;
}

/**
 * The register's block for an address: the addresses with the same letter and suffix (exact),
 * else the same letter (number_letter), else any at the number (number). AMBIGUOUS when those
 * addresses lie in different blocks; undefined when the register has no address at the number.
 */
export function findAddress(register: AddressRegister, { numberCode, letter, suffix }: AddressKey): AddressMatch | undefined {
  const index = register.addressIndex;
  const { sortedCodes, order } = index;
  const start = index.pc6Start[Math.floor(numberCode / numberCodeBase) - index.firstPc6] ?? -1;
  if (start < 0) return undefined;
  const low = firstAtLeast(sortedCodes, start, numberCode);
  const end = firstAtLeast(sortedCodes, low, numberCode + 1);
  if (end === low) return undefined;
  const letterId = letter === '' ? index.empty : (index.letterIds.get(letter) ?? -1);
  const suffixId = suffix === '' ? index.empty : (index.suffixIds.get(suffix) ?? -1);
  if (end === low + 1) {
    // One address at the number (most houses).
    const address = order[low]!;
    const sameLetter = index.letters[address] === letterId;
    return { level: sameLetter ? (index.suffixes[address] === suffixId ? 'exact' : 'number_letter') : 'number', block: register.blockOfAddress[address]!, address };
  }
  return matchLevels(register, order.subarray(low, end), (row) => row, (row) => index.letters[row] === letterId, (row) => index.suffixes[row] === suffixId);
}

/**
 * The first position from `from` whose code is `code` or more. Galloping: a PC6's few dozen
 * addresses take a few steps near `from`, and a PC6 of tens of thousands (a placeholder postcode in
 * an export) a logarithm, not a walk.
 */
function firstAtLeast(sorted: Float64Array, from: number, code: number): number {
  let low = from;
  let high = from;
  for (let step = 1; high < sorted.length && sorted[high]! < code; step *= 2) {
    low = high + 1;
    high += step;
  }
  high = Math.min(high, sorted.length);
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < code) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first level (exact, number_letter, number) at which any of `candidates` (the addresses at one postcode and number) passes. */
function matchLevels<T>(register: AddressRegister, candidates: Iterable<T>, addressOf: (candidate: T) => number, sameLetter: (candidate: T) => boolean, sameSuffix: (candidate: T) => boolean): AddressMatch | undefined {
  return (
    matchOf(register, candidates, addressOf, 'exact', (c) => sameLetter(c) && sameSuffix(c)) ??
    matchOf(register, candidates, addressOf, 'number_letter', sameLetter) ??
    matchOf(register, candidates, addressOf, 'number', () => true)
  );
}

/** The block shared by the candidates that pass (AMBIGUOUS if they differ) and the one address if one passes; undefined if none pass. */
function matchOf<T>(register: AddressRegister, candidates: Iterable<T>, addressOf: (candidate: T) => number, level: MatchLevel, test: (candidate: T) => boolean): AddressMatch | undefined {
  let block: number | undefined;
  let address = -1;
  let passed = 0;
  for (const candidate of candidates) {
    if (!test(candidate)) continue;
    const own = register.blockOfAddress[addressOf(candidate)]!;
    block = block === undefined || block === own ? own : AMBIGUOUS;
    address = addressOf(candidate);
    passed++;
  }
  return block === undefined ? undefined : { level, block, address: passed === 1 ? address : -1 };
}

/**
 * Every register address by postcode and number as sorted columns: a few bytes per address, where a
 * map entry per address costs a microsecond to add and as much again to collect (a country's
 * register is 9.5 M addresses). Letters and suffixes as ids.
 */
export interface AddressCodeIndex {
  /** Per register row the id of its letter and of its suffix (a country's registers hold more than 65,536 suffixes for all we know). */
  letters: Uint16Array;
  suffixes: Uint32Array;
  letterIds: Map<string, number>;
  suffixIds: Map<string, number>;
  /** The rows with a code, by code, and their codes in that order (scanned without a jump per row). */
  order: Int32Array;
  sortedCodes: Float64Array;
  /** Per PC6 (`pc6Code` − `firstPc6`) its first position in `order`, −1 where the register has none. */
  pc6Start: Int32Array;
  firstPc6: number;
  /** The id of "" among letters and suffixes (the first one given out, as most addresses have neither). */
  empty: number;
}

/**
 * The rows with a code in order of code (ties in row order), and per PC6 where its rows start: a
 * counting sort by PC6, then each PC6's few dozen addresses by number. A country's 9.5 M codes
 * sorted with a comparator took 2 s; this takes a tenth of that.
 */
function byCode(codes: Float64Array): Pick<AddressCodeIndex, 'order' | 'sortedCodes' | 'pc6Start' | 'firstPc6'> {
  let first = Infinity;
  let last = -Infinity;
  let rows = 0;
  for (const code of codes) {
    if (Number.isNaN(code)) continue;
    const pc6 = Math.floor(code / numberCodeBase);
    if (pc6 < first) first = pc6;
    if (pc6 > last) last = pc6;
    rows++;
  }
  if (rows === 0) return { order: new Int32Array(0), sortedCodes: new Float64Array(0), pc6Start: new Int32Array(0), firstPc6: 0 };
  const pc6Start = new Int32Array(last - first + 1);
  for (const code of codes) if (!Number.isNaN(code)) pc6Start[Math.floor(code / numberCodeBase) - first]!++;
  let position = 0;
  for (let p = 0; p < pc6Start.length; p++) {
    const count = pc6Start[p]!;
    pc6Start[p] = count === 0 ? -1 : position;
    position += count;
  }
  const next = Int32Array.from(pc6Start);
  const order = new Int32Array(rows);
  for (let row = 0; row < codes.length; row++) if (!Number.isNaN(codes[row]!)) order[next[Math.floor(codes[row]! / numberCodeBase) - first]!++] = row;
  // Within a PC6 by code, rows with the same code in row order: an insertion sort for the few dozen
  // addresses of a real PC6, a sort for a placeholder PC6 of thousands (quadratic otherwise).
  for (let p = 0; p < pc6Start.length; p++) {
    const start = pc6Start[p]!;
    if (start < 0) continue;
    if (next[p]! - start > 64) {
      order.subarray(start, next[p]!).sort((a, b) => codes[a]! - codes[b]! || a - b);
      continue;
    }
    for (let i = start + 1; i < next[p]!; i++) {
      const row = order[i]!;
      const code = codes[row]!;
      let j = i - 1;
      for (; j >= start && codes[order[j]!]! > code; j--) order[j + 1] = order[j]!;
      order[j + 1] = row;
    }
  }
  const sortedCodes = new Float64Array(rows);
  for (let i = 0; i < rows; i++) sortedCodes[i] = codes[order[i]!]!;
  return { order, sortedCodes, pc6Start, firstPc6: first };
}

function idOf(ids: Map<string, number>, value: string): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = ids.size));
  return id;
}

/** The block and address of a BAG id's row, or why it has none. */
export function findBag(register: AddressRegister, key: number | string): { block: number; address: number } | 'bag_not_in_register' | 'bag_ambiguous' {
  const address = register.bag.get(key);
  if (address === undefined) return 'bag_not_in_register';
  if (address === AMBIGUOUS) return 'bag_ambiguous';
  return { block: register.blockOfAddress[address]!, address };
}

/**
 * The BAG ids the sources will ask for. Only those are indexed: a country's register holds 19 M
 * BAG ids, its BAG sources a few million rows.
 */
export interface RegisterDemand {
  bagIds: KeySet;
  /** Keep every address's point: a source's records find their address by their point (the samenloop). */
  points?: boolean;
}

/** Whether the register's addresses are placed by their point (`x`, `y`), not by a block column. */
export const registerPlacedByPoint = (config: AddressesConfig): boolean => config.block === undefined;

/** Nothing asked for: the register only places its addresses (a data request's PC6s). */
export function noDemand(): RegisterDemand {
  return { bagIds: new KeySet() };
}

export function registerDemand(sources: readonly { config: SourceConfig; table: CsvTable }[]): RegisterDemand {
  const demand = noDemand();
  for (const { config, table } of sources) {
    // A source placed by BAG id asks for its ids; one placed another way only where it names no
    // postcode and number (its door then comes by BAG id; else from `addressIndex`, which holds every address).
    const fullAddress = config.columns.postcode !== undefined && config.columns.huisnummer !== undefined;
    if (config.columns.bag !== undefined && (config.place_by === 'bag' || (config.place_by !== 'address' && !fullAddress))) {
      const bagColumn = sourceColumn(table, config, 'bag');
      for (let row = 0; row < table.rowCount; row++) {
        const bag = readBag(table, row, bagColumn);
        if ('key' in bag) demand.bagIds.add(bag.key);
      }
    }
  }
  return demand;
}

/**
 * Places every register address in a block (by its point, with `threads` on every core, or by its
 * block column), indexes every address and the BAG ids in `demand`, and gives each PC6 the block
 * with most of its addresses.
 */
export function buildRegister(table: CsvTable, config: AddressesConfig, blocks: BlockLayer, index: PolygonIndex, blockByIdMap: Map<string, number>, demand: RegisterDemand, progress?: Progress, threads?: PlacingThreads): AddressRegister {
  const col = (name: string | undefined, key: string) => (name ? columnIndex(table, name, `addresses.${key}`) : -1);
  const addressColumns: AddressColumns = { postcode: col(config.postcode, 'postcode'), number: col(config.huisnummer, 'huisnummer'), letter: col(config.huisletter, 'huisletter'), suffix: col(config.toevoeging, 'toevoeging') };
  const key: AddressKey = { numberCode: 0, letter: '', suffix: '' };
  const blockColumn = registerPlacedByPoint(config) ? -1 : col(config.block, 'block');
  const xColumn = blockColumn < 0 ? col(config.x, 'x') : -1;
  const yColumn = blockColumn < 0 ? col(config.y, 'y') : -1;
  const bagNames = config.bag === undefined ? [] : Array.isArray(config.bag) ? config.bag : [config.bag];
  const bagColumns = bagNames.map((name) => columnIndex(table, name, 'addresses.bag'));
  const crs = config.crs ?? 'EPSG:28992';
  if (xColumn >= 0) checkCoordinateColumns(table, xColumn, yColumn, crs, { x: config.x!, y: config.y! });

  const codes = new Float64Array(table.rowCount).fill(Number.NaN);
  const letters = new Uint16Array(table.rowCount);
  const suffixes = new Uint32Array(table.rowCount);
  const letterIds = new Map([['', 0]]);
  const suffixIds = new Map([['', 0]]);
  const placing = 'placing the register addresses';
  const byPoint = xColumn >= 0 ? placePoints(table, { x: xColumn, y: yColumn, crs }, index, threads, (rows) => progress?.(placing, rows, table.rowCount), demand.points === true) : undefined;
  const register: Omit<AddressRegister, 'addressIndex'> = {
    bag: new Map(),
    pc6Block: new Map(),
    pc6Split: [],
    addressesPerBlock: new Int32Array(blocks.ids.length),
    blockOfAddress: new Int32Array(table.rowCount),
    ...(byPoint?.points ? { points: byPoint.points } : {}),
    tally: new ReasonTally(),
  };

  for (let i = 0; i < table.rowCount; i++) {
    if (!byPoint && i % progressEvery === 0) progress?.(placing, i, table.rowCount);
    const placement = byPoint ? pointRowResult(byPoint.blocks[i]!) : table.hasExtraFields(i) ? 'malformed_row' : placeBlockId(table.cell(i, blockColumn), blockByIdMap);
    const block = typeof placement === 'number' ? placement : NO_BLOCK;
    register.blockOfAddress[i] = block;
    if (typeof placement === 'number') {
      register.tally.placed();
      register.addressesPerBlock[block]!++;
    } else {
      register.tally.unplaced(table.lines[i]!, placement);
    }

    if (demand.bagIds.size > 0) {
      for (const column of bagColumns) {
        const bag = readBag(table, i, column);
        if ('key' in bag && demand.bagIds.has(bag.key)) merge(register, bag.key, i);
      }
    }
    if (readAddress(table, i, addressColumns, key) !== undefined) continue;
    codes[i] = key.numberCode;
    if (key.letter !== '') letters[i] = idOf(letterIds, key.letter);
    if (key.suffix !== '') suffixes[i] = idOf(suffixIds, key.suffix);
  }

  const addressIndex: AddressCodeIndex = { letters, suffixes, letterIds, suffixIds, empty: 0, ...byCode(codes) };
  assignPc6Blocks(register, addressIndex, blocks);
  return { ...register, addressIndex };
}

/**
 * Gives each PC6 the block holding most of its addresses (ties: lowest id), and records the PC6s
 * split over blocks. The index holds each PC6's addresses side by side, in order of PC6.
 */
function assignPc6Blocks(register: Omit<AddressRegister, 'addressIndex'>, { order, sortedCodes }: AddressCodeIndex, blocks: BlockLayer): void {
  for (let start = 0, end = 0; start < order.length; start = end) {
    const code = Math.floor(sortedCodes[start]! / numberCodeBase);
    const counts = new Map<number, number>();
    for (; end < order.length && Math.floor(sortedCodes[end]! / numberCodeBase) === code; end++) {
      const block = register.blockOfAddress[order[end]!]!;
      if (block >= 0) counts.set(block, (counts.get(block) ?? 0) + 1);
    }
    const pc6 = pc6OfCode(code);
    if (counts.size === 0) {
      register.pc6Block.set(pc6, NO_BLOCK);
      continue;
    }
    const inBlocks = [...counts].sort(([blockA, countA], [blockB, countB]) => countB - countA || compareIds(blocks.ids[blockA]!, blocks.ids[blockB]!));
    const assigned = inBlocks[0]![0];
    register.pc6Block.set(pc6, assigned);
    if (inBlocks.length > 1) {
      const sortedById = [...inBlocks].sort(([a], [b]) => compareIds(blocks.ids[a]!, blocks.ids[b]!));
      register.pc6Split.push({
        pc6,
        assigned_block: blocks.ids[assigned]!,
        blocks: Object.fromEntries(sortedById.map(([block, count]) => [blocks.ids[block]!, count])),
      });
    }
  }
}

/** Records a BAG id's register row; an id seen in two different blocks becomes AMBIGUOUS (in one block, its first row stands). */
function merge(register: Pick<AddressRegister, 'bag' | 'blockOfAddress'>, key: number | string, address: number): void {
  const previous = register.bag.get(key);
  if (previous === undefined) register.bag.set(key, address);
  else if (previous !== AMBIGUOUS && register.blockOfAddress[previous] !== register.blockOfAddress[address]) register.bag.set(key, AMBIGUOUS);
}
