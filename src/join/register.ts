import { normalisePostcode } from '../address/postcode.js';
import { parseHouseNumber } from '../address/housenumber.js';
import { parseBagId } from '../address/codes.js';
import type { PolygonIndex } from '../geo/polygon-index.js';
import { columnIndex, type CsvTable } from '../ingest/csv.js';
import type { BlockLayer } from '../ingest/geojson.js';
import type { AddressesConfig } from '../project/schema.js';
import { compareIds } from '../text.js';
import { checkCoordinateColumns, placeBlockId, placePoint } from './locate.js';
import { ReasonTally } from './reasons.js';
import { progressEvery, type Progress } from '../progress.js';

/** Block of a register key: a block index, or one of these markers. */
export const NO_BLOCK = -1;
export const AMBIGUOUS = -2;

/**
 * A Map split in shards by the key's last character: a V8 Map stops at 16.7 M entries, and a
 * country's register holds two BAG ids for each of its 9.5 M addresses.
 */
export class ShardedMap {
  private readonly shards = Array.from({ length: 8 }, () => new Map<string, number>());

  get(key: string): number | undefined {
    return this.shards[key.charCodeAt(key.length - 1) & 7]!.get(key);
  }

  set(key: string, value: number): void {
    this.shards[key.charCodeAt(key.length - 1) & 7]!.set(key, value);
  }
}

/** The address register as lookup tables from normalised keys to blocks. */
export interface AddressRegister {
  /** `1079AB|12|A|2` → block */
  exact: ShardedMap;
  /** `1079AB|12|A` → block, AMBIGUOUS when the addresses lie in different blocks */
  numberLetter: ShardedMap;
  /** `1079AB|12` → block, AMBIGUOUS when the addresses lie in different blocks */
  number: ShardedMap;
  bag: ShardedMap;
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

export const exactKey = (pc6: string, number: number, letter: string, suffix: string) => `${pc6}|${number}|${letter}|${suffix}`;
export const numberLetterKey = (pc6: string, number: number, letter: string) => `${pc6}|${number}|${letter}`;
export const numberKey = (pc6: string, number: number) => `${pc6}|${number}`;

/**
 * Places every register address in a block (by its point or its block column) and indexes it
 * by full address, by number and letter, by number alone, by BAG id and by PC6.
 */
export function buildRegister(table: CsvTable, config: AddressesConfig, blocks: BlockLayer, index: PolygonIndex, blockByIdMap: Map<string, number>, progress?: Progress): AddressRegister {
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
    exact: new ShardedMap(),
    numberLetter: new ShardedMap(),
    number: new ShardedMap(),
    bag: new ShardedMap(),
    pc6Block: new Map(),
    pc6Split: [],
    addressesPerBlock: new Int32Array(blocks.ids.length),
    tally: new ReasonTally(),
  };
  const pc6Counts = new Map<string, Map<number, number>>();

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

    for (const column of bagColumns) {
      const bag = parseBagId(table.cell(i, column));
      if (bag.ok) merge(register.bag, bag.id, block);
    }
    const postcode = normalisePostcode(table.cell(i, postcodeColumn));
    const house = parseHouseNumber(table.cell(i, numberColumn), letterColumn >= 0 ? table.cell(i, letterColumn) : undefined, suffixColumn >= 0 ? table.cell(i, suffixColumn) : undefined);
    if (!postcode.ok || !house.ok) continue;
    merge(register.exact, exactKey(postcode.pc6, house.number, house.letter, house.suffix), block);
    merge(register.numberLetter, numberLetterKey(postcode.pc6, house.number, house.letter), block);
    merge(register.number, numberKey(postcode.pc6, house.number), block);
    let counts = pc6Counts.get(postcode.pc6);
    if (!counts) pc6Counts.set(postcode.pc6, (counts = new Map()));
    counts.set(block, (counts.get(block) ?? 0) + 1);
  }

  for (const [pc6, counts] of [...pc6Counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const inBlocks = [...counts].filter(([block]) => block >= 0);
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

/** Records a key's block; a key seen in two different blocks becomes AMBIGUOUS. */
function merge(map: ShardedMap, key: string, block: number): void {
  const previous = map.get(key);
  if (previous === undefined) map.set(key, block);
  else if (previous !== block) map.set(key, AMBIGUOUS);
}
