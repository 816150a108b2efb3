import { normalisePostcode } from '../address/postcode.js';
import { parseHouseNumber } from '../address/housenumber.js';
import { parseBagId } from '../address/codes.js';
import type { PolygonIndex } from '../geo/polygon-index.js';
import { columnIndex, type CsvTable } from '../ingest/csv.js';
import type { BlockLayer } from '../ingest/geojson.js';
import type { AddressesConfig, SourceConfig } from '../project/schema.js';
import { compareIds } from '../text.js';
import { checkCoordinateColumns, placeBlockId, placePoint } from './locate.js';
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

/** The register's block for a BAG id: undefined when the register lacks it, AMBIGUOUS or NO_BLOCK as for addresses. */
export function findBag(register: AddressRegister, id: string): number | undefined {
  return register.bag.get(bagKey(id));
}

/** A register address at a PC6 and house number, with its letter and suffix. */
interface AddressVariant {
  letter: string;
  suffix: string;
  block: number;
}

/** The address register as lookup tables from normalised keys to blocks. */
export interface AddressRegister {
  /**
   * PC6 and house number (`numberCode`) → the block of the one plain address there (no letter, no
   * suffix; most addresses), or every address there with its letter and suffix. One numeric key
   * per address instead of three strings: the register of a country is 9.5 M addresses.
   */
  addresses: Map<number, number | AddressVariant[]>;
  /** BAG id (`bagKey`) → block, for the ids the sources ask for. */
  bag: Map<number | string, number>;
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

/** A canonical PC6 (`1079AB`) and a house number (1–99,999) as one exact integer below 2^53. */
function numberCode(pc6: string, number: number): number {
  const digits = (pc6.charCodeAt(0) - 48) * 1000 + (pc6.charCodeAt(1) - 48) * 100 + (pc6.charCodeAt(2) - 48) * 10 + (pc6.charCodeAt(3) - 48);
  return ((digits * 26 + pc6.charCodeAt(4) - 65) * 26 + pc6.charCodeAt(5) - 65) * 100_000 + number;
}

export type MatchLevel = 'exact' | 'number_letter' | 'number';

/**
 * The register's block for an address: the addresses with the same letter and suffix (exact),
 * else the same letter (number_letter), else any at the number (number). AMBIGUOUS when those
 * addresses lie in different blocks; undefined when the register has no address at the number.
 */
export function findAddress(register: AddressRegister, pc6: string, number: number, letter: string, suffix: string): { level: MatchLevel; block: number } | undefined {
  const entry = register.addresses.get(numberCode(pc6, number));
  if (entry === undefined) return undefined;
  if (typeof entry === 'number') return { level: letter === '' ? (suffix === '' ? 'exact' : 'number_letter') : 'number', block: entry };
  const exact = blockOf(entry, (v) => v.letter === letter && v.suffix === suffix);
  if (exact !== undefined) return { level: 'exact', block: exact };
  const sameLetter = blockOf(entry, (v) => v.letter === letter);
  if (sameLetter !== undefined) return { level: 'number_letter', block: sameLetter };
  return { level: 'number', block: blockOf(entry, () => true)! };
}

/** The block shared by the variants that pass, AMBIGUOUS if they differ, undefined if none pass. */
function blockOf(variants: readonly AddressVariant[], test: (variant: AddressVariant) => boolean): number | undefined {
  let block: number | undefined;
  for (const variant of variants) {
    if (!test(variant)) continue;
    block = block === undefined || block === variant.block ? variant.block : AMBIGUOUS;
  }
  return block;
}

/**
 * Places every register address in a block (by its point or its block column) and indexes it
 * by full address, by number and letter, by number alone, by BAG id and by PC6.
 */
/**
 * The register keys the sources will ask for. Only those are indexed: a country's register holds
 * 9.5 M addresses and 19 M BAG ids, its address and BAG sources a few million rows.
 */
export interface RegisterDemand {
  numberCodes: Set<number>;
  bagIds: Set<number | string>;
}

export function registerDemand(sources: readonly { config: SourceConfig; table: CsvTable }[]): RegisterDemand {
  const demand: RegisterDemand = { numberCodes: new Set(), bagIds: new Set() };
  for (const { config, table } of sources) {
    const column = (key: keyof SourceConfig['columns']) => {
      const name = config.columns[key];
      return name === undefined ? -1 : columnIndex(table, name, `sources[${config.name}].columns.${key}`);
    };
    if (config.place_by === 'address') {
      const postcode = column('postcode');
      const number = column('huisnummer');
      const letter = column('huisletter');
      const suffix = column('toevoeging');
      for (let row = 0; row < table.rowCount; row++) {
        const pc = normalisePostcode(table.cell(row, postcode));
        const house = pc.ok ? parseHouseNumber(table.cell(row, number), letter >= 0 ? table.cell(row, letter) : undefined, suffix >= 0 ? table.cell(row, suffix) : undefined) : undefined;
        if (pc.ok && house?.ok) demand.numberCodes.add(numberCode(pc.pc6, house.number));
      }
    } else if (config.place_by === 'bag') {
      const bagColumn = column('bag');
      for (let row = 0; row < table.rowCount; row++) {
        const bag = parseBagId(table.cell(row, bagColumn));
        if (bag.ok) demand.bagIds.add(bagKey(bag.id));
      }
    }
  }
  return demand;
}

export function buildRegister(table: CsvTable, config: AddressesConfig, blocks: BlockLayer, index: PolygonIndex, blockByIdMap: Map<string, number>, demand: RegisterDemand, progress?: Progress): AddressRegister {
  const col = (name: string | undefined, key: string) => (name ? columnIndex(table, name, `addresses.${key}`) : -1);
  const postcodeColumn = col(config.postcode, 'postcode');
  const numberColumn = col(config.huisnummer, 'huisnummer');
  const letterColumn = col(config.huisletter, 'huisletter');
  const suffixColumn = col(config.toevoeging, 'toevoeging');
  const blockColumn = col(config.block, 'block');
  const xColumn = blockColumn < 0 ? col(config.x, 'x') : -1;
  const yColumn = blockColumn < 0 ? col(config.y, 'y') : -1;
  const bagNames = config.bag === undefined ? [] : Array.isArray(config.bag) ? config.bag : [config.bag];
  const bagColumns = bagNames.map((name) => columnIndex(table, name, 'addresses.bag'));
  const crs = config.crs ?? 'EPSG:28992';
  if (xColumn >= 0) checkCoordinateColumns(table, xColumn, yColumn, crs, { x: config.x!, y: config.y! });

  const register: AddressRegister = {
    addresses: new Map(),
    bag: new Map(),
    pc6Block: new Map(),
    pc6Split: [],
    addressesPerBlock: new Int32Array(blocks.ids.length),
    tally: new ReasonTally(),
  };
  // Per PC6, pairs of block and count: [block, count, block, count, ...].
  const pc6Counts = new Map<string, number[]>();

  for (let i = 0; i < table.rowCount; i++) {
    if (i % progressEvery === 0) progress?.('placing the register addresses', i, table.rowCount);
    const line = table.lines[i]!;
    const placement = blockColumn >= 0 ? placeBlockId(table.cell(i, blockColumn), blockByIdMap) : placePoint(table, i, xColumn, yColumn, crs, index);
    const block = typeof placement === 'number' ? placement : NO_BLOCK;
    if (typeof placement === 'number') {
      register.tally.placed();
      register.addressesPerBlock[block]!++;
    } else {
      register.tally.unplaced(line, placement);
    }

    if (demand.bagIds.size > 0) {
      for (const column of bagColumns) {
        const bag = parseBagId(table.cell(i, column));
        if (!bag.ok) continue;
        const key = bagKey(bag.id);
        if (demand.bagIds.has(key)) merge(register.bag, key, block);
      }
    }
    const postcode = normalisePostcode(table.cell(i, postcodeColumn));
    const house = parseHouseNumber(table.cell(i, numberColumn), letterColumn >= 0 ? table.cell(i, letterColumn) : undefined, suffixColumn >= 0 ? table.cell(i, suffixColumn) : undefined);
    if (!postcode.ok || !house.ok) continue;
    const code = numberCode(postcode.pc6, house.number);
    if (demand.numberCodes.has(code)) addAddress(register.addresses, code, house.letter, house.suffix, block);
    const counts = pc6Counts.get(postcode.pc6);
    if (!counts) {
      pc6Counts.set(postcode.pc6, [block, 1]);
      continue;
    }
    let pair = 0;
    while (pair < counts.length && counts[pair] !== block) pair += 2;
    if (pair < counts.length) counts[pair + 1]!++;
    else counts.push(block, 1);
  }

  for (const [pc6, pairs] of [...pc6Counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const inBlocks: [number, number][] = [];
    for (let i = 0; i < pairs.length; i += 2) if (pairs[i]! >= 0) inBlocks.push([pairs[i]!, pairs[i + 1]!]);
    if (inBlocks.length === 0) {
      register.pc6Block.set(pc6, NO_BLOCK);
      continue;
    }
    inBlocks.sort(([blockA, countA], [blockB, countB]) => countB - countA || compareIds(blocks.ids[blockA]!, blocks.ids[blockB]!));
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
  return register;
}

function addAddress(addresses: AddressRegister['addresses'], code: number, letter: string, suffix: string, block: number): void {
  const entry = addresses.get(code);
  if (entry === undefined && letter === '' && suffix === '') addresses.set(code, block);
  else if (entry === undefined) addresses.set(code, [{ letter, suffix, block }]);
  else if (typeof entry === 'number') addresses.set(code, [{ letter: '', suffix: '', block: entry }, { letter, suffix, block }]);
  else entry.push({ letter, suffix, block });
}

/** Records a key's block; a key seen in two different blocks becomes AMBIGUOUS. */
function merge(map: Map<number | string, number>, key: number | string, block: number): void {
  const previous = map.get(key);
  if (previous === undefined) map.set(key, block);
  else if (previous !== block) map.set(key, AMBIGUOUS);
}
