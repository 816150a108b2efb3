import type { Bilingual } from '../indicators/builtins.js';
import { expandMeasure } from '../indicators/measures.js';
import { namesAddresses } from '../join/place.js';
import { UserError } from '../errors.js';
import { sourceOfKey } from '../privacy/cells.js';
import type { ProjectConfig, SourceConfig } from '../project/schema.js';
import { Random } from '../stats/random.js';
import { percentileInterval, resampleHistogram } from '../stats/resample.js';
import type { BlockRow } from './result.js';
import type { BlockTable } from './count.js';
import type { CsvTable } from '../ingest/csv.js';
import { compareIds } from '../text.js';

/**
 * Samenloop: per address (a row of the register, the front door), which problem markers coincide.
 * Records count at an address only where they name it (address, BAG id); no address, address key
 * or record location leaves this stage, only counts per block and for the area.
 */

/** A problem marker: an address has it when at least `at_least` of its rows in the period match one of `keys`. */
export interface Marker {
  name: string;
  label: Bilingual;
  keys: string[];
  at_least: number;
}

export interface SamenloopPlan {
  markers: Marker[];
  /** Count keys whose spread over the addresses is measured (are the reports concentrated at few addresses?). */
  spread: { label: Bilingual; keys: string[] } | undefined;
  /** Per marker, the sources of its keys whose rows name no address (left out). */
  leftOut: Record<string, string[]>;
  /** Sources placed by point without address columns: their records find their address by their point, within `snapMetres`. */
  byPoint: Set<string>;
  snapMetres: number;
}

/** How near a record's point must stand to one register address (and to no other) to count at its door. */
export const defaultSnapMetres = 5;

/**
 * The count keys of the per-block tally: addresses with 2, and 3 or more markers, protected like
 * every count. Addresses with one marker are no key: where few coincide they are nearly the sum of
 * the flags' counts in the block (omklapwoningen plus kwetsbare toewijzingen), so sharing them
 * would share a sum of cells that disclosure control hides one by one. They stay internal.
 */
export const samenloopKeys = ['samenloop[2]', 'samenloop[3+]'] as const;
/** The measure of addresses with two or more markers (the stapeling map's circles). */
export const samenloopMeasure = 'samenloop_2plus';

const defaultMarkers: (Marker & { measure: string })[] = [
  { name: 'omklapwoning', measure: 'omklapwoningen', label: { nl: 'omklapwoning', en: 'omklapwoning' }, keys: [], at_least: 1 },
  { name: 'kwetsbare_toewijzing', measure: 'kwetsbare_toewijzingen', label: { nl: 'woning toegewezen aan een kwetsbare huurder', en: 'home allocated to a vulnerable tenant' }, keys: [], at_least: 1 },
  { name: 'herhaalde_meldingen', measure: 'meldingen', label: { nl: '3 of meer overlastmeldingen', en: '3 or more nuisance reports' }, keys: [], at_least: 3 },
];

const spreadLabel: Bilingual = { nl: 'meldingen', en: 'reports' };

/**
 * The markers a project counts: its `samenloop:` section, or without one the defaults for the
 * measures it has (omklapwoningen, kwetsbare toewijzingen, 3 or more meldingen at one address).
 * Undefined where there is nothing to count: no register, switched off, or fewer than two markers.
 */
export function samenloopPlan(project: ProjectConfig, projectFile: string, doorTables: ReadonlySet<string> = new Set()): SamenloopPlan | undefined {
  if (project.samenloop === false || !project.addresses) return undefined;
  const measures = project.measures ?? {};
  const sources = new Map(project.sources.map((source) => [source.name, source]));
  const explicit = project.samenloop;
  const points = project.addresses.x !== undefined && project.addresses.y !== undefined;
  const keyProblem = (key: string) => (doorTables.has(sourceOfKey(key)) ? undefined : problemOfKey(key, sources, points));
  const usable = (key: string) => keyProblem(key) === undefined;
  const leftOut: Record<string, string[]> = {};
  const markers: Marker[] = [];
  if (explicit) {
    explicit.markers.forEach((marker, m) => {
      const all = expandMeasure(marker.rows, measures);
      // Rows without an address (a corporation that gives points) are left out and said so; anything else is an error.
      const keys = all.filter(usable);
      const wrong = all.map((key) => [key, keyProblem(key)] as const).find(([, problem]) => problem !== undefined && (keys.length === 0 || !problem.noAddress));
      if (wrong) {
        throw new UserError(`samenloop.markers[${m}] (${marker.name}) counts "${wrong[0]}", ${wrong[1]!.text}`, {
          file: projectFile,
          expected: 'count keys of record sources whose rows name an address: <source> or <source>[<flag or category>], with postcode and huisnummer (or bag) under the source\'s columns',
          fix: `count ${marker.name} from sources with addresses, or give ${sourceOfKey(wrong[0])} its address columns`,
        });
      }
      noteLeftOut(leftOut, marker.name, all, keys);
      markers.push({ name: marker.name, label: labelOf(marker.label, marker.name), keys, at_least: marker.at_least });
    });
  } else {
    for (const candidate of defaultMarkers) {
      if (!(candidate.measure in measures)) continue;
      const all = expandMeasure(candidate.measure, measures);
      const keys = all.filter(usable);
      if (keys.length === 0) continue;
      noteLeftOut(leftOut, candidate.name, all, keys);
      markers.push({ name: candidate.name, label: candidate.label, keys, at_least: candidate.at_least });
    }
    if (markers.length < 2) return undefined;
  }
  const spreadKeys = explicit?.spread ? expandMeasure(explicit.spread, measures) : 'meldingen' in measures ? expandMeasure('meldingen', measures) : [];
  const spread = spreadKeys.length > 0 && spreadKeys.every(usable) ? { label: explicit?.spread ? { nl: String(explicit.spread), en: String(explicit.spread) } : spreadLabel, keys: spreadKeys } : undefined;
  const used = [...markers.flatMap((marker) => marker.keys), ...(spread?.keys ?? [])].map(sourceOfKey);
  // A pseudonym is a door only among shares made with the same key: a raw export's addresses never meet it.
  const pseudonymous = (name: string) => doorTables.has(name) || sources.get(name)!.columns.pseudonym !== undefined;
  const viaPseudonym = [...new Set(used)].filter(pseudonymous).map((name) => sources.get(name)!);
  const viaAddress = [...new Set(used)].filter((name) => !pseudonymous(name));
  if (viaPseudonym.length > 0 && viaAddress.length > 0) {
    throw new UserError(`the samenloop counts ${viaPseudonym[0]!.name} from a prepared share (address pseudonyms) together with ${viaAddress.join(', ')} from ${viaAddress.length === 1 ? 'its export' : 'their exports'} (addresses): the two never meet at one front door`, {
      file: projectFile,
      expected: 'every source the samenloop counts prepared with the same key, or none',
      fix: `ask the partner${viaAddress.length === 1 ? '' : 's'} of ${viaAddress.join(', ')} to prepare a share with the project's kit and key (buurtbalans prepare), or leave ${viaAddress.length === 1 ? 'it' : 'them'} out of samenloop.markers`,
    });
  }
  const byPoint = new Set(used.filter((name) => sources.get(name)!.place_by === 'point' && !namesAddresses(sources.get(name)!)));
  return { markers, spread, leftOut, byPoint, snapMetres: explicit ? explicit.snap_m : defaultSnapMetres };
}

/** The sources of a marker's keys that were left out for naming no address. */
function noteLeftOut(leftOut: Record<string, string[]>, name: string, all: readonly string[], kept: readonly string[]): void {
  const outside = [...new Set(all.filter((key) => !kept.includes(key)).map(sourceOfKey))];
  if (outside.length > 0) leftOut[name] = outside;
}

function labelOf(label: string | Bilingual | undefined, name: string): Bilingual {
  if (label === undefined) return { nl: name.replaceAll('_', ' '), en: name.replaceAll('_', ' ') };
  return typeof label === 'string' ? { nl: label, en: label } : label;
}

/**
 * Why a key cannot mark an address, or undefined where it can. `noAddress`: a fit source whose rows
 * name no address (left out of a marker that has other sources, not an error).
 */
function problemOfKey(key: string, sources: ReadonlyMap<string, SourceConfig>, registerHasPoints: boolean): { text: string; noAddress?: true } | undefined {
  const match = /^([a-z0-9_]+)(\[([^\]]+)\])?$/.exec(key);
  const source = match ? sources.get(match[1]!) : undefined;
  if (!match || !source) return { text: 'which is no source or <source>[<flag or category>]' };
  if (source.counts) return { text: `but ${source.name} gives counts per ${source.place_by}, not rows at an address` };
  if (!namesAddresses(source) && !(source.place_by === 'point' && registerHasPoints)) return { text: `but the rows of ${source.name} name no address (no postcode and huisnummer, or bag, under its columns)`, noAddress: true };
  if (match[3] !== undefined && !(match[3] in (source.flags ?? {})) && !source.category && !match[3].startsWith('where_')) return { text: `but ${source.name} has no flag "${match[3]}" and no category` };
  return undefined;
}

/** A source's rows as counting saw them: the rows kept (placed, in the period) and each key's test. */
export interface CountedRows {
  kept: Uint8Array;
  groups: [string, ((row: number) => boolean) | undefined][];
}

/** Per address, how many rows of each marker (and of the spread's keys): filled source by source. */
export class FrontDoors {
  readonly perMarker: Uint16Array[];
  readonly spread: Uint16Array | undefined;
  /** Per marker, rows that matched it but named no single register address. */
  readonly withoutAddress: number[];

  constructor(
    readonly plan: SamenloopPlan,
    addressCount: number,
  ) {
    this.perMarker = plan.markers.map(() => new Uint16Array(addressCount));
    this.spread = plan.spread ? new Uint16Array(addressCount) : undefined;
    this.withoutAddress = plan.markers.map(() => 0);
  }

  add(source: string, rows: CountedRows, addressOfRow: Int32Array | undefined): void {
    const targets = [
      ...this.plan.markers.map((marker, m) => ({ keys: marker.keys, counts: this.perMarker[m]!, m })),
      ...(this.spread ? [{ keys: this.plan.spread!.keys, counts: this.spread, m: -1 }] : []),
    ];
    for (const { keys, counts, m } of targets) {
      for (const [key, test] of rows.groups) {
        if (!keys.includes(key) || sourceOfKey(key) !== source) continue;
        for (let row = 0; row < rows.kept.length; row++) {
          if (!rows.kept[row] || (test && !test(row))) continue;
          const address = addressOfRow?.[row] ?? -1;
          if (address >= 0) counts[address] = Math.min(65_535, counts[address]! + 1);
          else if (m >= 0) this.withoutAddress[m]!++;
        }
      }
    }
  }

  /** The spread's histogram from a share (doors with 1, 2, 3, ... reports), where its source gives the spread's keys. */
  private spreadHistogram: Map<number, number> | undefined;

  /** A prepared share's door table: per pseudonym door, the partner's count towards each marker (capped at its at_least). */
  addDoorTable(doors: { table: CsvTable; withoutDoor: Record<string, number>; spread?: [number, number][] | undefined }, addressOfRow: Int32Array): void {
    this.plan.markers.forEach((marker, m) => {
      this.withoutAddress[m]! += doors.withoutDoor[marker.name] ?? 0;
      const column = doors.table.header.findIndex((name) => name === marker.name);
      if (column < 0) return;
      for (let row = 0; row < doors.table.rowCount; row++) {
        const address = addressOfRow[row]!;
        if (address >= 0) this.perMarker[m]![address] = Math.min(65_535, this.perMarker[m]![address]! + (Number(doors.table.cell(row, column)) || 0));
      }
    });
    if (doors.spread) this.spreadHistogram = new Map(doors.spread);
  }

  /**
   * Per block the addresses with 2 and 3 or more markers (added to the block table, so that
   * disclosure control protects them like every count) and with one (internal only), the area's
   * combinations of markers, and the spread of the reports over the addresses.
   */
  tally(blockOfAddress: Int32Array, table: BlockTable, seed: number, standIns = 0): FrontDoorTally {
    const one = new Float64Array(table.blockCount);
    // Block figures first: where secondary suppression needs a partner, their area total gives way.
    const parts = [one, ...samenloopKeys.map((key) => table.addKey(key, false, { blockFirst: true }).counts)];
    const combinations = new Map<number, number>();
    const markers = this.plan.markers;
    for (let address = 0; address < blockOfAddress.length; address++) {
      const block = blockOfAddress[address]!;
      if (block < 0) continue;
      let bits = 0;
      let n = 0;
      for (let m = 0; m < markers.length; m++) {
        if (this.perMarker[m]![address]! >= markers[m]!.at_least) {
          bits |= 1 << m;
          n++;
        }
      }
      if (n === 0) continue;
      parts[Math.min(n, 3) - 1]![block]!++;
      if (n >= 2) combinations.set(bits, (combinations.get(bits) ?? 0) + 1);
    }
    return {
      oneMarker: one,
      combinations: [...combinations].map(([bits, addresses]) => ({ markers: markers.filter((_, m) => bits & (1 << m)).map((marker) => marker.name), addresses })),
      spread: this.spread ? spreadOver(this.spreadHistogram ? undefined : this.spread, blockOfAddress, seed, standIns, this.spreadHistogram) : undefined,
      withoutAddress: [...this.withoutAddress],
    };
  }
}

export interface FrontDoorTally {
  /** Per block, addresses with one marker: internal only (see `samenloopKeys`). */
  oneMarker: Float64Array;
  /** Addresses with two or more markers, per combination (internal: exact counts). */
  combinations: { markers: string[]; addresses: number }[];
  spread: Spread | undefined;
  withoutAddress: number[];
}

/** How the reports spread over the area's addresses: the share from the busiest tenth, and the Gini coefficient. */
export interface Spread {
  addresses: number;
  /** Reports at an address (rows that name one); not in a shareable result, where its difference with the source's total could be a small count. */
  reports: number | null;
  /** Addresses with at least one report; not in a shareable result. */
  addresses_with_reports: number | null;
  top_tenth: { addresses: number; share: number; lower: number; upper: number };
  gini: { value: number; lower: number; upper: number };
  /**
   * The same figures had the reports fallen on the addresses by chance (Poisson, the same number of
   * reports and addresses): with a few reports over many addresses, most have none, so even chance
   * gives the busiest tenth far more than a tenth. The comparison that says something.
   */
  by_chance: { top_share: number; gini: number };
}

/**
 * The share of the reports at the busiest tenth of the addresses, and the Gini coefficient, each
 * with a bootstrap interval (999 resamples of the addresses). `standIns`: doors of prepared shares
 * (address pseudonyms), each standing for a register address that itself counts none.
 */
function spreadOver(counts: Uint16Array | undefined, blockOfAddress: Int32Array, seed: number, standIns: number, shared?: ReadonlyMap<number, number>): Spread | undefined {
  const histogram = new Map<number, number>();
  let addresses = -standIns;
  for (let a = 0; a < blockOfAddress.length; a++) {
    if (blockOfAddress[a]! < 0) continue;
    addresses++;
    const count = counts?.[a] ?? 0;
    histogram.set(count, (histogram.get(count) ?? 0) + 1);
  }
  if (standIns > 0) histogram.set(0, histogram.get(0)! - standIns);
  // A share's histogram: its doors with reports, and every other address of the area with none.
  for (const [count, doors] of shared ?? []) {
    histogram.set(count, (histogram.get(count) ?? 0) + doors);
    histogram.set(0, histogram.get(0)! - doors);
  }
  const values = [...histogram.keys()].sort((a, b) => a - b);
  const frequencies = values.map((value) => histogram.get(value)!);
  const reports = values.reduce((sum, value, i) => sum + value * frequencies[i]!, 0);
  if (addresses < 10 || reports === 0) return undefined;
  const top = Math.ceil(addresses / 10);
  const observed = histogramFigures(values, frequencies, top);
  const random = new Random(seed);
  const shares = new Float64Array(999);
  const ginis = new Float64Array(999);
  for (let r = 0; r < 999; r++) {
    const figures = histogramFigures(values, resampleHistogram(random, frequencies), top);
    shares[r] = figures.topShare;
    ginis[r] = figures.gini;
  }
  const share = percentileInterval(shares);
  const gini = percentileInterval(ginis);
  return {
    addresses,
    reports,
    addresses_with_reports: addresses - (histogram.get(0) ?? 0),
    top_tenth: { addresses: top, share: round4(observed.topShare), lower: round4(share.lower), upper: round4(share.upper) },
    gini: { value: round4(observed.gini), lower: round4(gini.lower), upper: round4(gini.upper) },
    by_chance: byChance(reports, addresses, top),
  };
}

/** The figures of the expected histogram of `reports` scattered over `addresses` by chance (Poisson counts, rounded to whole addresses). */
function byChance(reports: number, addresses: number, top: number): Spread['by_chance'] {
  const mean = reports / addresses;
  const values: number[] = [];
  const expected: number[] = [];
  let probability = Math.exp(-mean);
  for (let k = 0; k === 0 || (probability * addresses > 1e-6 && k < 1000); k++) {
    if (k > 0) probability *= mean / k;
    values.push(k);
    expected.push(probability * addresses);
  }
  // Whole addresses, largest remainders first, so the histogram holds every address.
  const frequencies = expected.map(Math.floor);
  const order = expected.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let left = addresses - frequencies.reduce((sum, f) => sum + f, 0), i = 0; left > 0 && i < order.length; left--, i++) frequencies[order[i]![1]]!++;
  const figures = histogramFigures(values, frequencies, top);
  return { top_share: round4(figures.topShare), gini: round4(figures.gini) };
}

/** From a histogram (values ascending): the share of the total held by the `top` largest units, and the Gini coefficient. */
export function histogramFigures(values: readonly number[], frequencies: readonly number[], top: number): { topShare: number; gini: number } {
  let n = 0;
  let total = 0;
  let ranked = 0;
  for (let i = 0; i < values.length; i++) {
    const f = frequencies[i]!;
    // Ranks n+1 .. n+f, ascending: Σ rank = f·n + f(f+1)/2.
    ranked += values[i]! * (f * n + (f * (f + 1)) / 2);
    n += f;
    total += values[i]! * f;
  }
  if (total === 0 || n === 0) return { topShare: 0, gini: 0 };
  let left = top;
  let inTop = 0;
  for (let i = values.length - 1; i >= 0 && left > 0; i--) {
    const take = Math.min(left, frequencies[i]!);
    inTop += take * values[i]!;
    left -= take;
  }
  return { topShare: inTop / total, gini: (2 * ranked) / (n * total) - (n + 1) / n };
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/**
 * The spread as a shareable output gives it: shares in whole percents and the Gini coefficient in
 * two decimals, intervals likewise, and no count of reports or of addresses with reports. Exact
 * figures and their seeded bootstrap intervals together pinned down how many addresses had 1, 2,
 * 3, ... reports (an attacker's replay found one histogram), and with it the samenloop's hidden counts.
 */
function sharedSpread(spread: Spread, label: Bilingual, smallest: number): Samenloop['spread'] {
  if (spread.top_tenth.addresses < smallest || spread.addresses_with_reports === null || spread.addresses_with_reports < smallest) return null;
  const percent = (x: number) => Math.round(x * 100) / 100;
  return {
    label,
    addresses: spread.addresses,
    reports: null,
    addresses_with_reports: null,
    top_tenth: { addresses: spread.top_tenth.addresses, share: percent(spread.top_tenth.share), lower: percent(spread.top_tenth.lower), upper: percent(spread.top_tenth.upper) },
    gini: { value: percent(spread.gini.value), lower: percent(spread.gini.lower), upper: percent(spread.gini.upper) },
    by_chance: { top_share: percent(spread.by_chance.top_share), gini: percent(spread.by_chance.gini) },
  };
}

/** What `accumulation.samenloop` publishes. */
export interface Samenloop {
  markers: { name: string; label: Bilingual; keys: string[]; at_least: number; sources_left_out: string[]; sources_by_point: string[]; rows_without_address: number | null }[];
  /** A record placed by its point counts at the one register address within this many metres (near none or several: at no door). */
  snap_m: number;
  /** Per block: addresses in the register and those with 0, 1, 2, 3 or more markers; null where disclosure control hid the count (0 and 1: always, in a shareable result). */
  blocks: SamenloopBlock[];
  area: Omit<SamenloopBlock, 'id' | 'label'>;
  /** The area's addresses with two or more markers per combination, largest first; those under the threshold pooled per number of markers in `other_combinations`. */
  combinations: { markers: string[]; addresses: number }[];
  other_combinations: { markers_2: number | null; markers_3plus: number | null };
  spread: (Spread & { label: Bilingual }) | null;
}

/** The blocks where two or more markers coincide, or may (a hidden count weighs as half an address), most first. */
export function blocksWithSamenloop(samenloop: Samenloop): SamenloopBlock[] {
  const weight = (b: SamenloopBlock) => (b.markers_2 ?? 0.5) + (b.markers_3plus ?? 0.5);
  return samenloop.blocks.filter((b) => b.markers_2 !== 0 || b.markers_3plus !== 0).sort((a, b) => weight(b) - weight(a) || compareIds(a.id, b.id));
}

export interface SamenloopBlock {
  id: string;
  label: string;
  addresses: number;
  markers_0: number | null;
  markers_1: number | null;
  markers_2: number | null;
  markers_3plus: number | null;
}

/**
 * `accumulation.samenloop` from a block table (the internal one, or the protected one: its hidden
 * cells stay null) and the area's combinations. With `smallest` (the shareable result), each
 * combination under it is pooled, and the pool grows until it too reaches it, so no published
 * combination (nor the pool, nor a difference with the published totals) is a small count.
 */
export function samenloopResult(plan: SamenloopPlan, tally: FrontDoorTally, blocks: readonly BlockRow[], totals: Readonly<Record<string, number | null>>, smallest: number | undefined, round: (value: number) => number = (v) => v): Samenloop {
  const row = (counts: Readonly<Record<string, number | null>>, addresses: number, one: number | null) => {
    const [two, three] = samenloopKeys.map((key) => counts[key] ?? null) as [number | null, number | null];
    const none = one === null || two === null || three === null ? null : addresses - one - two - three;
    return { addresses, markers_0: none, markers_1: one, markers_2: two, markers_3plus: three };
  };
  const internal = smallest === undefined;
  const areaAddresses = blocks.reduce((sum, block) => sum + block.addresses, 0);
  const order = (a: { markers: string[]; addresses: number }, b: { markers: string[]; addresses: number }) => b.addresses - a.addresses || a.markers.join('+').localeCompare(b.markers.join('+'));
  const combinations: { markers: string[]; addresses: number }[] = [];
  const other = { markers_2: 0 as number | null, markers_3plus: 0 as number | null };
  // Each number of markers is a table of its own with its published area total: a pool is that
  // total less the combinations shown, so it is never left small.
  for (const [level, key, name] of [[2, samenloopKeys[0], 'markers_2'], [3, samenloopKeys[1], 'markers_3plus']] as const) {
    const own = tally.combinations.filter((c) => Math.min(c.markers.length, 3) === level).sort(order);
    if (internal) {
      combinations.push(...own);
      continue;
    }
    if (totals[key] === null || totals[key] === undefined) {
      other[name] = null;
      continue;
    }
    const shown = own.filter((c) => c.addresses >= smallest);
    let pool = own.reduce((sum, c) => sum + c.addresses, 0) - shown.reduce((sum, c) => sum + c.addresses, 0);
    while (pool > 0 && pool < smallest && shown.length > 0) pool += shown.pop()!.addresses;
    combinations.push(...shown.map((c) => ({ ...c, addresses: round(c.addresses) })));
    other[name] = pool > 0 && pool < smallest ? null : round(pool);
  }
  return {
    markers: plan.markers.map((marker, m) => ({
      ...marker,
      sources_left_out: plan.leftOut[marker.name] ?? [],
      sources_by_point: [...new Set(marker.keys.map(sourceOfKey))].filter((name) => plan.byPoint.has(name)),
      // Not shared: with the flag's total it gives the addresses that have the marker, and from those the samenloop's hidden counts narrow.
      rows_without_address: internal ? tally.withoutAddress[m]! : null,
    })),
    snap_m: plan.snapMetres,
    blocks: blocks.map((block, b) => ({ id: block.id, label: block.label, ...row(block.counts, block.addresses, internal ? tally.oneMarker[b]! : null) })),
    area: row(totals, areaAddresses, internal ? tally.oneMarker.reduce((sum, n) => sum + n, 0) : null),
    combinations: combinations.sort(order),
    other_combinations: other,
    spread: !tally.spread ? null : internal ? { label: plan.spread!.label, ...tally.spread } : sharedSpread(tally.spread, plan.spread!.label, smallest!),
  };
}
