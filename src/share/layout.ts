import { createHash } from 'node:crypto';
import type { SamenloopPlan } from '../analysis/samenloop.js';
import { sourceOfKey } from '../privacy/cells.js';
import type { ProjectConfig, SourceConfig } from '../project/schema.js';

/**
 * What a partner shares for one source, and how `analyse` reads it back: the same pure function on
 * both sides, so a share written with one kit is read as that kit meant it.
 */

/** The column of the block a record lies in (or of an aggregated row). */
export const blockColumn = 'blok';
/** The column of the PC6 an aggregated or per-respondent row names (never split over blocks). */
export const pc6Column = 'pc6';
/** In a door table: the keyed pseudonym of the record's front door (samenloop only). */
export const pseudonymColumn = 'adres_pseudoniem';
/** In a door table: the block of that front door (the register's, which may differ from the record's own: a record placed by its point). */
export const doorBlockColumn = 'adres_blok';

export interface ShareLayout {
  /** Where rows go: by block, or by PC6 for sources the project spreads per PC6. */
  route: 'block' | 'pc6';
  /**
   * The project counts samenloop from this source: beside the share a door table (`<source>.deuren.csv`)
   * with per record its keyed address pseudonym, the door's block and the flags, and no date, category
   * or other detail, so that a record someone knows (a report on a day) cannot be found in it.
   */
  pseudonym: boolean;
  /** Flags (and indicators' where: filters on this source) written as ja/nee columns: name → column. */
  flags: Record<string, string>;
  /** The columns written as they are (category, date, counts, theme, valence, weight, survey answers). */
  kept: string[];
  /** For an aggregated source with the partner's own rule (`share_suppression`): counts in this range leave as "geheim". */
  suppress: { min: number; max: number } | undefined;
  /** How `analyse` reads the share: the source's settings with the share's own columns. */
  analysedAs: SourceConfig;
}

/** The indicators whose where: filter selects rows of this source: computed by the partner, shared as a ja/nee column. */
export function whereFilters(project: ProjectConfig, source: string): { flag: string; where: string }[] {
  return (project.indicators ?? []).filter((indicator) => indicator.where && indicator.numerator === source).map((indicator) => ({ flag: `where_${indicator.id}`, where: indicator.where! }));
}

/** The sources whose rows the samenloop counts at front doors: those share address pseudonyms (in a door table). */
export function samenloopSources(plan: SamenloopPlan | undefined): Set<string> {
  return new Set(plan ? [...plan.markers.flatMap((marker) => marker.keys), ...(plan.spread?.keys ?? [])].map(sourceOfKey) : []);
}

/** A source's door table as `analyse` reads it: placed in the door's block, each row at its pseudonym. */
export function doorsConfig(layout: ShareLayout): SourceConfig {
  const { name, organisation, file } = layout.analysedAs;
  return { name, ...(organisation ? { organisation } : {}), file, place_by: 'block', columns: { block: doorBlockColumn, pseudonym: pseudonymColumn }, encoding: 'utf-8', delimiter: ',', decimal: '.' };
}

/**
 * What a source's door table says per door: for each samenloop marker that counts rows of this
 * source, the number of its rows at the door, capped at the marker's `at_least` (a marker of this
 * source alone: only doors that reach it). No date, category or row: a row someone knows cannot be
 * found in it. `spread`: this source alone gives the keys whose spread over the addresses is measured.
 */
export interface DoorMarker {
  name: string;
  keys: string[];
  at_least: number;
  /** Other sources count towards the marker too: partial counts are needed. */
  shared: boolean;
}

export function doorMarkers(plan: SamenloopPlan | undefined, source: string): { markers: DoorMarker[]; spread: string[] | undefined } {
  if (!plan) return { markers: [], spread: undefined };
  const markers = plan.markers
    .filter((marker) => marker.keys.some((key) => sourceOfKey(key) === source))
    .map((marker) => ({ name: marker.name, keys: marker.keys.filter((key) => sourceOfKey(key) === source), at_least: marker.at_least, shared: marker.keys.some((key) => sourceOfKey(key) !== source) }));
  const spread = plan.spread && plan.spread.keys.every((key) => sourceOfKey(key) === source) ? plan.spread.keys : undefined;
  return { markers, spread };
}

export function shareLayout(project: ProjectConfig, source: SourceConfig, pseudonym: boolean): ShareLayout {
  const route = source.place_by === 'pc6' ? 'pc6' : 'block';
  const kept = [
    ...(source.category ? [source.category] : []),
    ...(source.date ? [source.date] : []),
    ...(source.counts ?? []),
    ...(source.signals ? [source.signals.theme, ...(source.signals.valence ? [source.signals.valence] : []), ...(source.signals.weight ? [source.signals.weight] : [])] : []),
    ...(source.survey ? source.survey.questions.map((question) => question.column) : []),
  ];
  const taken = new Set([blockColumn, pc6Column, pseudonymColumn, doorBlockColumn, ...kept].map((name) => name.toLowerCase()));
  const flags: Record<string, string> = {};
  for (const name of [...Object.keys(source.flags ?? {}), ...whereFilters(project, source.name).map((filter) => filter.flag)]) {
    let column = name;
    while (taken.has(column.toLowerCase())) column = `vlag_${column}`;
    taken.add(column.toLowerCase());
    flags[name] = column;
  }
  const analysedAs: SourceConfig = {
    name: source.name,
    ...(source.organisation ? { organisation: source.organisation } : {}),
    file: source.file,
    place_by: route,
    columns: route === 'pc6' ? { pc6: pc6Column } : { block: blockColumn },
    ...(source.counts ? { counts: source.counts } : {}),
    // The partner's answers to the flags and to the indicators' where: filters, as ja/nee columns.
    ...(Object.keys(flags).length > 0 ? { flags: Object.fromEntries(Object.entries(flags).map(([name, column]) => [name, `\`${column}\` == "ja"`])) } : {}),
    ...(source.date ? { date: source.date } : {}),
    ...(source.category ? { category: source.category } : {}),
    ...(source.signals ? { signals: { kind: source.signals.kind, theme: source.signals.theme, ...(source.signals.valence ? { valence: source.signals.valence } : {}), ...(source.signals.weight ? { weight: source.signals.weight } : {}) } } : {}),
    ...(source.survey ? { survey: source.survey } : {}),
    encoding: 'utf-8',
    delimiter: ',',
    decimal: '.',
  };
  return {
    route,
    pseudonym,
    flags,
    kept,
    suppress: source.counts ? source.share_suppression : undefined,
    analysedAs,
  };
}

/** JSON with its object keys sorted: the same settings give the same text, and so the same hash. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A project's identity: its name, its blocks and its register. A share made for another project
 * (or with other blocks, where its block ids would mean other places) is refused.
 */
export function projectId(name: string, blocksBytes: Uint8Array, registerBytes: Uint8Array | undefined): string {
  return sha256(`buurtbalans-project\n${name}\n${sha256(blocksBytes)}\n${registerBytes ? sha256(registerBytes) : ''}`).slice(0, 16);
}

/**
 * A source's request: what the partner is asked to share and how. A share made with an older kit
 * (other columns, flags, period or rule) has another and is refused: it answers another question.
 */
export function requestId(project: ProjectConfig, source: SourceConfig, layout: Omit<ShareLayout, 'analysedAs'> & { analysedAs?: SourceConfig }): string {
  const { file: _file, organisation: _organisation, encoding: _e, delimiter: _d, decimal: _c, header_line: _h, sheet: _s, ...asked } = source;
  // How analyse reads the share follows from the rest: a layout with it hashes as one without.
  return sha256(stableJson({ asked, period: project.period ?? null, layout: { ...layout, analysedAs: undefined }, where: whereFilters(project, source.name) })).slice(0, 16);
}
