import { Random } from '../stats/random.js';
import type { Scale } from './scales.js';

/** One address (dwelling) of the synthetic world, with the hidden facts the exports are made from. */
export interface Dwelling {
  block: number;
  street: string;
  pc6: string;
  number: number;
  letter: string;
  suffix: string;
  /** Address point in RD New, inside the block. */
  x: number;
  y: number;
  /** A point on the street in front of the entrance: outside every block. */
  streetX: number;
  streetY: number;
  floor: number;
  lift: boolean;
  /** -1 private, 0-4 one of the five housing corporations. */
  owner: number;
  omklapwoning: boolean;
  vulnerable: boolean;
  residents: number;
  over75: number;
  single75: boolean;
  zorgmijder: boolean;
  careClient: boolean;
  area: number;
  bagNummeraanduiding: string;
  bagVerblijfsobject: string;
}

/** One block with its polygon (RD New) and the dwellings along its four sides. */
export interface Block {
  index: number;
  id: string;
  label: string;
  ring: [number, number][];
  inCluster: boolean;
  /** A block where zorgmijders concentrate (as they do in some complexes). */
  zorgmijderHotspot: boolean;
  /** Its neighbourhood tile: "row,column". */
  tile: string;
  dwellings: Dwelling[];
}

/** A PC6: a run of addresses along one street side, sometimes over a crossing into the next block. */
export interface Pc6Area {
  code: string;
  dwellings: Dwelling[];
}

const ewNames = ['Lekstraat', 'Kromme-Mijdrechtstraat', 'Roerstraat', 'Dintelstraat', 'Vechtstraat', 'Dongestraat', 'Hunzestraat', 'Zuiderzeeweg', 'Jekerstraat'];
const nsNames = ['Rijnstraat', 'Maasstraat', 'Waalstraat', 'Geulstraat', 'Eemsstraat', 'Niersstraat', 'Berkelstraat', 'Swammerdamstraat', 'Scheldestraat'];
const streetKinds = ['straat', 'kade', 'laan', 'weg', 'hof'];
const riverStems = ['Amstel', 'Rijn', 'Maas', 'Waal', 'IJssel', 'Lek', 'Vecht', 'Eem', 'Dommel', 'Berkel', 'Regge', 'Linge', 'Roer', 'Geul', 'Dinkel', 'Schelde'];

/** Chance per dwelling: the planted structure of the sample. */
export const planted = {
  zorgmijderHotspot: 0.1,
  zorgmijderElsewhere: 0.01,
  omklapwoning: 0.05,
  vulnerable: 0.08,
  single75Cluster: 0.3,
  single75Elsewhere: 0.06,
  reportMultiplierZorgmijder: 8,
  reportMultiplierOmklapwoning: 1.15,
};

/**
 * Builds the synthetic world block by block, row by row, so even the `land` scale never
 * holds more than one row of blocks. Calls `onBlock` for each finished block and `onPc6`
 * for each finished PC6 (after the blocks that hold it).
 */
export function buildWorld(scale: Scale, random: Random, onBlock: (block: Block) => void, onPc6: (area: Pc6Area) => void): { blocks: number; dwellings: number } {
  const idWidth = String(scale.rows * scale.cols).length;
  const [cellX, cellY] = scale.cell;
  const halfStreet = 0.105 * cellX;
  const angle = scale.name === 'buurt' ? (-8 * Math.PI) / 180 : 0;
  const node = (r: number, c: number): [number, number] => {
    const jx = noise(r, c, 1) * 2.5;
    const jy = noise(r, c, 2) * 2.5;
    const dx = c * cellX + jx;
    const dy = r * cellY + jy;
    return [scale.origin[0] + dx * Math.cos(angle) - dy * Math.sin(angle), scale.origin[1] + dx * Math.sin(angle) + dy * Math.cos(angle)];
  };
  const numberCounters = new Map<string, number>();
  const openPc6 = new Map<string, Pc6Area>();
  let pc6Sequence = 0;
  let dwellingSequence = 0;
  const clusterOf = clusterPicker(scale, random);
  const hotspotOf = hotspotPicker(scale, random, clusterOf);
  const newPc6 = (): Pc6Area => ({ code: pc6Code(scale.firstPc4, pc6Sequence++), dwellings: [] });
  const finished: Pc6Area[] = [];
  const pc6PerBlock = scale.singleFamily > 0;

  for (let r = 0; r < scale.rows; r++) {
    for (let c = 0; c < scale.cols; c++) {
      const index = r * scale.cols + c;
      const corners = [node(r, c), node(r, c + 1), node(r + 1, c + 1), node(r + 1, c)].map((corner, _, all) => shrink(corner, centroid(all), halfStreet));
      const [sw, se, ne, nw] = corners as [[number, number], [number, number], [number, number], [number, number]];
      const inCluster = clusterOf(r, c);
      const zorgmijderHotspot = hotspotOf(r, c);
      const tileCol = Math.floor(c / scale.tile);
      const tileRow = Math.floor(r / scale.tile);
      const southStreet = streetName(scale, 'ew', r, tileCol);
      const northStreet = streetName(scale, 'ew', r + 1, tileCol);
      const westStreet = streetName(scale, 'ns', c, tileRow);
      const eastStreet = streetName(scale, 'ns', c + 1, tileRow);
      const block: Block = {
        index,
        id: `B${String(index + 1).padStart(idWidth, '0')}`,
        label: `${southStreet} / ${westStreet}`,
        ring: [sw, se, ne, nw, sw],
        inCluster,
        zorgmijderHotspot,
        tile: `${tileRow},${tileCol}`,
        dwellings: [],
      };
      const frontage = random.between(scale.frontage[0], scale.frontage[1]);
      const sides: { from: [number, number]; to: [number, number]; street: string; key: string; parity: 1 | 0; continues: boolean }[] = [
        { from: sw, to: se, street: southStreet, key: `ew${r}_${tileCol}`, parity: 1, continues: true },
        { from: se, to: ne, street: eastStreet, key: `ns${c + 1}_${tileRow}`, parity: 1, continues: false },
        { from: nw, to: ne, street: northStreet, key: `ew${r + 1}_${tileCol}`, parity: 0, continues: true },
        { from: sw, to: nw, street: westStreet, key: `ns${c}_${tileRow}`, parity: 0, continues: false },
      ];
      const centre = centroid([sw, se, ne, nw]);
      const blockEntrances: Dwelling[][] = [];
      for (const side of sides) {
        const length = Math.hypot(side.to[0] - side.from[0], side.to[1] - side.from[1]);
        const entrances = Math.max(1, Math.floor(length / frontage));
        const counterKey = `${side.key}:${side.parity}`;
        const entranceDwellings: Dwelling[][] = [];
        for (let e = 0; e < entrances; e++) {
          const t = (e + 0.5) / entrances;
          const px = side.from[0] + t * (side.to[0] - side.from[0]);
          const py = side.from[1] + t * (side.to[1] - side.from[1]);
          const [nx, ny] = unitToward([px, py], centre);
          const number = (numberCounters.get(counterKey) ?? (side.parity === 1 ? -1 : 0)) + 2;
          numberCounters.set(counterKey, number);
          const entrance = makeEntrance(scale, random, block, {
            block: index,
            street: side.street,
            number,
            point: [px + nx * 4, py + ny * 4],
            streetPoint: [px - nx * halfStreet * 0.8, py - ny * halfStreet * 0.8],
            nextId: () => dwellingSequence++,
          });
          entranceDwellings.push(entrance);
          block.dwellings.push(...entrance);
        }
        if (pc6PerBlock) {
          blockEntrances.push(...entranceDwellings);
          continue;
        }
        // A PC6 left open by the previous block on this street side takes the first entrance.
        const continuing = side.continues ? openPc6.get(counterKey) : undefined;
        openPc6.delete(counterKey);
        if (continuing) {
          assign(continuing, entranceDwellings.shift() ?? []);
          onPc6Later(continuing);
        }
        const areas = cutIntoPc6(entranceDwellings);
        const last = areas.pop();
        areas.forEach(onPc6Later);
        if (last) {
          const sameTileNext = c + 1 < scale.cols && Math.floor((c + 1) / scale.tile) === tileCol;
          if (side.continues && sameTileNext && random.chance(0.25)) openPc6.set(counterKey, last);
          else onPc6Later(last);
        }
      }
      // Where houses stand alone, a street side holds few addresses: a PC6 then takes the block.
      if (pc6PerBlock) cutIntoPc6(blockEntrances).forEach(onPc6Later);
      onBlock(block);
      flushPc6();
    }
    for (const area of openPc6.values()) onPc6Later(area);
    openPc6.clear();
    flushPc6();
  }
  return { blocks: scale.rows * scale.cols, dwellings: dwellingSequence };

  /** Cuts a run of entrances into PC6s of nearly equal size (12-28 addresses, as real ones vary). */
  function cutIntoPc6(entrances: Dwelling[][]): Pc6Area[] {
    const total = entrances.reduce((sum, dwellings) => sum + dwellings.length, 0);
    const parts = Math.max(1, Math.round(total / random.integer(12, 28)));
    const areas: Pc6Area[] = [];
    let current = -1;
    let before = 0;
    for (const dwellings of entrances) {
      const part = Math.min(parts - 1, Math.floor((before * parts) / total));
      if (part !== current) {
        areas.push(newPc6());
        current = part;
      }
      assign(areas[areas.length - 1]!, dwellings);
      before += dwellings.length;
    }
    return areas;
  }

  function assign(area: Pc6Area, dwellings: Dwelling[]): void {
    for (const dwelling of dwellings) dwelling.pc6 = area.code;
    area.dwellings.push(...dwellings);
  }
  // PC6s are reported after the block that finishes them, so every PC6 follows its blocks.
  function onPc6Later(area: Pc6Area): void {
    finished.push(area);
  }
  function flushPc6(): void {
    for (const area of finished) onPc6(area);
    finished.length = 0;
  }
}

interface EntranceContext {
  block: number;
  street: string;
  number: number;
  point: [number, number];
  streetPoint: [number, number];
  nextId: () => number;
}

/** The dwellings behind one front door: a single-family house or a 2-4 storey building. */
function makeEntrance(scale: Scale, random: Random, { inCluster, zorgmijderHotspot }: Pick<Block, 'inCluster' | 'zorgmijderHotspot'>, context: EntranceContext): Dwelling[] {
  const singleFamily = !inCluster && random.chance(scale.singleFamily);
  const storeys = singleFamily ? 1 : inCluster ? 4 : random.integer(scale.singleFamily > 0 ? 2 : 3, 4);
  const lift = storeys >= 4 && !inCluster && random.chance(0.3);
  const letterStyle = storeys > 1 && random.chance(0.08);
  const owner = random.chance(0.5) ? random.integer(0, 4) : -1;
  const addresses: { floor: number; letter: string; suffix: string }[] = [];
  for (let floor = 0; floor < storeys; floor++) {
    if (storeys === 1) addresses.push({ floor, letter: '', suffix: '' });
    else if (letterStyle) addresses.push({ floor, letter: floor === 0 ? '' : String.fromCharCode(64 + floor), suffix: '' });
    else addresses.push({ floor, letter: '', suffix: floor === 0 ? 'H' : String(floor) });
  }
  if (random.chance(0.02)) addresses.push({ floor: 0, letter: '', suffix: 'BIS' });

  return addresses.map(({ floor, letter, suffix }) => {
    const id = context.nextId();
    const bovenwoningWithoutLift = floor >= 1 && !lift;
    const single75 = random.chance(inCluster && bovenwoningWithoutLift ? planted.single75Cluster : planted.single75Elsewhere);
    const corporation = owner >= 0;
    const omklapwoning = corporation && random.chance(planted.omklapwoning);
    const vulnerable = corporation && !omklapwoning && random.chance(planted.vulnerable);
    const zorgmijder = random.chance(zorgmijderHotspot ? planted.zorgmijderHotspot : planted.zorgmijderElsewhere);
    const residents = single75 ? 1 : random.integer(1, 4);
    const over75 = single75 ? 1 : random.chance(0.06) ? Math.min(2, residents) : 0;
    const careClient = random.chance(single75 ? 0.25 : vulnerable || omklapwoning ? 0.3 : zorgmijder ? 0.4 : 0.05);
    return {
      block: context.block,
      street: context.street,
      pc6: '',
      number: context.number,
      letter,
      suffix,
      x: round2(context.point[0]),
      y: round2(context.point[1]),
      streetX: round2(context.streetPoint[0]),
      streetY: round2(context.streetPoint[1]),
      floor,
      lift,
      owner,
      omklapwoning,
      vulnerable,
      residents,
      over75,
      single75,
      zorgmijder,
      careClient,
      area: Math.round(random.between(38, 110) * 10) / 10,
      bagNummeraanduiding: `036320${String(id + 1).padStart(10, '0')}`,
      bagVerblijfsobject: `036301${String(id + 1).padStart(10, '0')}`,
    };
  });
}

/** Blocks of the isolated-over-75 cluster: a 2x2 group per tile (in the buurt: the north-west corner). */
function clusterPicker(scale: Scale, random: Random): (r: number, c: number) => boolean {
  const tilesPerRow = Math.ceil(scale.cols / scale.tile);
  const tileRows = Math.ceil(scale.rows / scale.tile);
  const origins = new Map<number, [number, number]>();
  for (let tr = 0; tr < tileRows; tr++) {
    for (let tc = 0; tc < tilesPerRow; tc++) {
      const fixed = scale.name === 'buurt';
      origins.set(tr * tilesPerRow + tc, [fixed ? 2 : random.integer(0, scale.tile - 2), fixed ? 0 : random.integer(0, scale.tile - 2)]);
    }
  }
  return (r, c) => {
    const origin = origins.get(Math.floor(r / scale.tile) * tilesPerRow + Math.floor(c / scale.tile))!;
    const lr = r % scale.tile;
    const lc = c % scale.tile;
    return lr >= origin[0] && lr <= origin[0] + 1 && lc >= origin[1] && lc <= origin[1] + 1;
  };
}

/** Three blocks per tile, outside the over-75 cluster, where zorgmijders concentrate (in the buurt: B03, B04, B08). */
function hotspotPicker(scale: Scale, random: Random, inCluster: (r: number, c: number) => boolean): (r: number, c: number) => boolean {
  const chosen = new Set<string>();
  const tilesPerRow = Math.ceil(scale.cols / scale.tile);
  const tileRows = Math.ceil(scale.rows / scale.tile);
  for (let tr = 0; tr < tileRows; tr++) {
    for (let tc = 0; tc < tilesPerRow; tc++) {
      const picks: [number, number][] = scale.name === 'buurt' ? [[0, 2], [0, 3], [1, 3]] : [];
      while (picks.length < 3) {
        const pick: [number, number] = [tr * scale.tile + random.integer(0, scale.tile - 1), tc * scale.tile + random.integer(0, scale.tile - 1)];
        if (!inCluster(pick[0], pick[1]) && !picks.some(([r, c]) => r === pick[0] && c === pick[1])) picks.push(pick);
      }
      for (const [r, c] of picks) chosen.add(`${r},${c}`);
    }
  }
  return (r, c) => chosen.has(`${r},${c}`);
}

function streetName(scale: Scale, direction: 'ew' | 'ns', line: number, tile: number): string {
  if (scale.name === 'buurt') return (direction === 'ew' ? ewNames : nsNames)[line % 9]!;
  const stem = riverStems[(line * 7 + tile * 3 + (direction === 'ew' ? 0 : 5)) % riverStems.length]!;
  return `${stem}${streetKinds[(line + tile) % streetKinds.length]} ${direction === 'ew' ? 'Noord' : 'Oost'}`;
}

/** PC6 codes in order from the first PC4: 1079AA, 1079AB, ... skipping SA, SD and SS. */
const letterPairs = (() => {
  const pairs: string[] = [];
  for (let a = 0; a < 26; a++) {
    for (let b = 0; b < 26; b++) {
      const pair = String.fromCharCode(65 + a) + String.fromCharCode(65 + b);
      if (pair !== 'SA' && pair !== 'SD' && pair !== 'SS') pairs.push(pair);
    }
  }
  return pairs;
})();

export function pc6Code(firstPc4: number, sequence: number): string {
  return `${firstPc4 + Math.floor(sequence / letterPairs.length)}${letterPairs[sequence % letterPairs.length]}`;
}

/** Deterministic jitter in [-1, 1] for a grid node, so the four blocks around it agree on it. */
function noise(r: number, c: number, salt: number): number {
  let h = Math.imul(r + 1, 0x27d4eb2d) ^ Math.imul(c + 1, 0x165667b1) ^ Math.imul(salt, 0x9e3779b9);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h ^= h >>> 13;
  return ((h >>> 0) / 4294967295) * 2 - 1;
}

function centroid(points: [number, number][]): [number, number] {
  const n = points.length;
  return [points.reduce((s, p) => s + p[0], 0) / n, points.reduce((s, p) => s + p[1], 0) / n];
}

function unitToward(from: [number, number], to: [number, number]): [number, number] {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const length = Math.hypot(dx, dy);
  return [dx / length, dy / length];
}

function shrink(corner: [number, number], centre: [number, number], distance: number): [number, number] {
  const [ux, uy] = unitToward(corner, centre);
  return [round2(corner[0] + ux * distance * Math.SQRT2), round2(corner[1] + uy * distance * Math.SQRT2)];
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
