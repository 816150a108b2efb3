import { UserError, warning, type Warning } from '../errors.js';
import { columnIndex, type CsvTable } from '../ingest/csv.js';
import { parseDecimal } from '../ingest/values.js';
import type { SourcePlacement } from '../join/place.js';
import type { ProjectConfig, SignalKind, SourceConfig, ThemeConfig } from '../project/schema.js';
import { grouped } from '../indicators/sentences.js';
import type { BlockTable } from './count.js';
import type { BlockRow, SourceSummary } from './result.js';
import type { Accumulation } from '../indicators/accumulation.js';
import type { Bilingual } from '../indicators/builtins.js';
import { capitalise } from '../indicators/sentences.js';
import { otherCategory } from './count.js';

/** The count keys of soft signals: per theme `geluiden[<theme>]`, with `:positief` or `:negatief` where a row's valence differs from its theme's. */
export const signalsKey = 'geluiden';

export type Valence = 'negative' | 'positive';
const valenceWord: Record<Valence, string> = { positive: 'positief', negative: 'negatief' };

/** One theme × valence as counted: its key, theme id and the valence it carries (none: neither). */
export interface SignalTheme {
  key: string;
  theme: string;
  valence: Valence | null;
}

/** The part of a theme key inside the brackets: `eenzaamheid`, `groen:positief`. */
export function themeOfKey(key: string): { theme: string; valence: Valence | null | undefined } | undefined {
  const match = /^geluiden\[([^\]:]+)(?::(positief|negatief))?\]$/.exec(key);
  if (!match) return undefined;
  return { theme: match[1]!, valence: match[2] === 'positief' ? 'positive' : match[2] === 'negatief' ? 'negative' : undefined };
}

const positiveWords = new Set(['positief', 'positive', '+', 'prettig', 'fijn', 'goed', 'plus', 'pluspunt', 'kans', 'kracht', 'ja']);
const negativeWords = new Set(['negatief', 'negative', '-', '−', 'onprettig', 'slecht', 'min', 'minpunt', 'zorg', 'probleem', 'nee']);

/**
 * Soft signals of every `signals:` source, per block and theme: each row's weight (1 unless a
 * column says how many mentions it stands for), spread over the blocks a polygon covers by share.
 * Themes come from the codebook (`themes:`, by id, label or alias); without one, the values themselves.
 */
export class SoftSignals {
  private readonly perKey = new Map<string, Float64Array>();
  /** Per key, what each kind of source adds per block: to say where a theme was heard. */
  private readonly perKind = new Map<string, Map<SignalKind, Float64Array>>();
  /** With quotes: on: the texts that passed the scan, by block and theme key. */
  private readonly texts: Quotable[] = [];
  private readonly lookup: Map<string, string>;
  private readonly codebook: Record<string, ThemeConfig>;

  constructor(private readonly project: ProjectConfig, private readonly blockCount: number) {
    this.codebook = project.themes ?? {};
    this.lookup = new Map();
    for (const [id, theme] of Object.entries(this.codebook)) {
      const label = theme.label === undefined ? [] : typeof theme.label === 'string' ? [theme.label] : [theme.label.nl, theme.label.en];
      for (const word of [id, ...label, ...(theme.aliases ?? [])]) this.lookup.set(normalised(word), id);
    }
  }

  /** Counts a placed source's kept rows; warns about theme values outside the codebook (naming only values shared by `rareBelow` rows). */
  add(config: SourceConfig, csv: CsvTable, placement: SourcePlacement, kept: Uint8Array, warnings: Warning[], rareBelow: number): void {
    const signals = config.signals!;
    const at = (key: string) => `sources[${config.name}].signals.${key}`;
    const themeColumn = columnIndex(csv, signals.theme, at('theme'));
    const valenceColumn = signals.valence ? columnIndex(csv, signals.valence, at('valence')) : -1;
    const weightColumn = signals.weight ? columnIndex(csv, signals.weight, at('weight')) : -1;
    // Only texts that passed the scan are left in the column (quotes: true); else it is empty.
    const textColumn = signals.text && this.project.quotes ? columnIndex(csv, signals.text, at('text')) : -1;
    const hasCodebook = Object.keys(this.codebook).length > 0;
    const themes: (string | undefined)[] = new Array(csv.rowCount);
    const seen = new Map<string, number>();
    for (let i = 0; i < csv.rowCount; i++) {
      if (!kept[i]) continue;
      const value = normalised(csv.cell(i, themeColumn));
      themes[i] = value === '' ? undefined : hasCodebook ? this.lookup.get(value) : value;
      // Outside the codebook, or without one: how many rows share each value.
      if (themes[i] === undefined || !hasCodebook) seen.set(value, (seen.get(value) ?? 0) + 1);
    }
    // Without a codebook a value a few rows share is free text or a one-off: it is counted as overig.
    if (!hasCodebook) for (let i = 0; i < csv.rowCount; i++) if (themes[i] !== undefined && seen.get(themes[i]!)! < rareBelow) themes[i] = otherCategory;
    if (hasCodebook && seen.size > 0) warnings.push(unknownThemes(config.name, signals.theme, seen, rareBelow, Object.keys(this.codebook)));
    for (let i = 0; i < csv.rowCount; i++) {
      if (!kept[i]) continue;
      const theme = themes[i] ?? otherCategory;
      const rowValence = valenceColumn >= 0 ? readValence(csv.cell(i, valenceColumn)) : undefined;
      const own = this.codebook[theme]?.valence;
      const key = rowValence === undefined || rowValence === own ? `${signalsKey}[${theme}]` : `${signalsKey}[${theme}:${valenceWord[rowValence]}]`;
      const weight = weightColumn >= 0 ? readWeight(csv, i, weightColumn, config.name, signals.weight!) : 1;
      let column = this.perKey.get(key);
      if (!column) this.perKey.set(key, (column = new Float64Array(this.blockCount)));
      const kinds = this.perKind.get(key) ?? new Map<SignalKind, Float64Array>();
      this.perKind.set(key, kinds);
      let byKind = kinds.get(signals.kind);
      if (!byKind) kinds.set(signals.kind, (byKind = new Float64Array(this.blockCount)));
      const shares = placement.sharesOfRow?.get(i);
      for (const target of [column, byKind]) {
        if (shares) shares.blocks.forEach((block, s) => (target[block]! += weight * shares.shares[s]!));
        else target[placement.blockOfRow[i]!]! += weight;
      }
      const text = textColumn >= 0 ? csv.cell(i, textColumn) : '';
      if (text !== '') this.texts.push({ block: placement.blockOfRow[i]!, key, text, kind: signals.kind });
    }
  }

  /**
   * The theme keys, sorted, into the block table. No total per block: with it, the few stickers of
   * a block's other themes would hide its one theme that many people named. Where a theme's figure
   * needs a partner in secondary suppression, its area total gives way before a block's figure.
   */
  addTo(table: BlockTable): void {
    for (const key of [...this.perKey.keys()].sort()) table.addKey(key, false, { blockFirst: true }).counts.set(this.perKey.get(key)!);
  }

  /**
   * The kinds of source a theme was heard from, in a block (or the area): only those that add at
   * least `threshold` mentions, so naming one never tells that a small hidden count is not zero.
   */
  kindsOf(threshold: number): KindsOf {
    return (key, block) => {
      const kinds = [...(this.perKind.get(key) ?? [])].map(([kind, counts]): [SignalKind, number] => [kind, block === null ? counts.reduce((sum, n) => sum + n, 0) : counts[block]!]);
      return kinds.filter(([, n]) => n >= threshold).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([kind]) => kind);
    };
  }

  /** The texts that may be quoted, in the order read. */
  quotable(): readonly Quotable[] {
    return this.texts;
  }

  /** The themes as counted, with their valence: the key's own, else the codebook's. */
  themes(): SignalTheme[] {
    return [...this.perKey.keys()].sort().map((key) => {
      const { theme, valence } = themeOfKey(key)!;
      return { key, theme, valence: valence ?? this.codebook[theme]?.valence ?? null };
    });
  }
}

function normalised(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, ' ');
}

function readValence(cell: string): Valence | undefined {
  const word = normalised(cell);
  if (positiveWords.has(word)) return 'positive';
  if (negativeWords.has(word)) return 'negative';
  return undefined;
}

function readWeight(csv: CsvTable, row: number, column: number, source: string, name: string): number {
  const text = csv.cell(row, column).trim();
  if (text === '') return 1;
  const value = parseDecimal(text, csv.dialect.decimal);
  if (value === undefined || !Number.isFinite(value) || value < 0) {
    throw new UserError(`sources[${source}].signals.weight: "${name}" holds no number of mentions on this line`, {
      file: csv.file,
      line: csv.lines[row],
      column: name,
      expected: 'a number of mentions of 0 or more (empty counts as 1)',
      fix: 'correct the value in the export, or leave weight: out',
    });
  }
  return value;
}

function unknownThemes(source: string, column: string, seen: Map<string, number>, rareBelow: number, known: string[]): Warning {
  const total = [...seen.values()].reduce((sum, n) => sum + n, 0);
  // The rows counted as overig are its hidden area total where they are few: then not their number.
  const rows = (lang: 'nl' | 'en') => (total >= rareBelow ? grouped(total, lang) : lang === 'nl' ? 'Een paar' : 'A few');
  // A value only a few rows share may be a slip of free text: it is counted, never shown.
  const common = [...seen].filter(([value, n]) => n >= rareBelow && value !== '').sort((a, b) => b[1] - a[1]).slice(0, 6).map(([value]) => `"${value}"`);
  const listed = (lang: 'nl' | 'en') => (common.length > 0 ? (lang === 'nl' ? `, vooral ${common.join(', ')}` : `, mostly ${common.join(', ')}`) : '');
  return warning('unknown_themes', {
    en: `${rows('en')} rows have a theme in column "${column}" that is not in the codebook (themes:)${listed('en')}; they count as ${otherCategory}. Add them to themes: (as a theme or as an alias of one of ${known.join(', ')})`,
    nl: `${rows('nl')} regels hebben in kolom "${column}" een thema dat niet in het codeboek (themes:) staat${listed('nl')}; ze tellen als ${otherCategory}. Neem ze op in themes: (als thema, of als alias van ${known.join(', ')})`,
  }, source);
}

/** How the report names a kind of source. */
export const signalKindWords: Record<SignalKind, { nl: string; en: string }> = {
  huisarts: { nl: 'gesprekken met huisartsen en POH', en: 'interviews with GPs and practice nurses' },
  enquete: { nl: 'bewonersenquête', en: 'resident survey' },
  gevoelskaart: { nl: 'gevoelskaart', en: 'gevoelskaart (map of how places feel)' },
  professional: { nl: 'waarnemingen van professionals', en: 'observations by professionals' },
  melding: { nl: 'verhalen achter meldingen', en: 'stories behind reports' },
};

/** A text that passed the scan, with where it was said and by which kind of source. */
export interface Quotable {
  block: number;
  key: string;
  text: string;
  kind: SignalKind;
}

/** The kinds of source that add at least the threshold to a theme in a block (null: the area). */
export type KindsOf = (key: string, block: number | null) => SignalKind[];

/** A theme as analysis.json carries it: its key, label, domain, valence and area total (null: hidden). */
export interface HeardTheme {
  key: string;
  theme: string;
  /** The theme's own label; `valenceWords` says positief or negatief beside it where needed. */
  label: Bilingual;
  domain: string | null;
  valence: Valence | null;
  total: number | null;
  /** The kinds of source it was heard from, each with at least the threshold of mentions. */
  kinds: SignalKind[];
  /** Blocks where it is shown with a count above zero. */
  blocks_shown: number;
}

/** The word for a theme's valence where a reader needs it: always for what goes well, for a worry only where the theme is also heard the other way (its key says so). */
export function valenceWords(theme: Pick<HeardTheme, 'key' | 'valence'>, lang: 'nl' | 'en'): string | null {
  if (theme.valence === null || (theme.valence === 'negative' && !theme.key.includes(':'))) return null;
  return { positive: { nl: 'positief', en: 'positive' }, negative: { nl: 'negatief', en: 'negative' } }[theme.valence][lang];
}

/** The built-in domain of the professionals' own signals (GP signals). */
const professionalsDomain = 'signalen';

/** One block as the room reads it: what is heard there (shown counts only) beside the domains its figures signal. */
export interface HeardBlock {
  id: string;
  label: string;
  /** Shown counts only; `kinds`: the kinds of source with at least the threshold of mentions here. */
  heard: { key: string; count: number; kinds: SignalKind[] }[];
  /** Domains whose figures signal or are elevated here and in which a theme is heard too. */
  agree: string[];
  /** Theme keys heard here whose domain the figures do not raise (or that have no domain); empty where the project has no domains to compare with. */
  heard_only: string[];
  /** Domains whose figures signal or are elevated here with no theme of theirs heard. */
  figures_only: string[];
}

/** `analysis.json` `signals`: soft signals per theme and block, from the (protected) block table. */
export interface SignalsSummary {
  themes: HeardTheme[];
  kinds: { source: string; organisation: string; kind: SignalKind; label: Bilingual; rows: number | null }[];
  blocks: HeardBlock[];
  /** Free-text columns: scanned for personal data and emptied on reading, never in an output. */
  text_columns: string[];
  /** With `quotes: true`: at most two texts per block and theme shown with a count of at least the threshold, never its point. */
  quotes?: { block: string; key: string; text: string }[];
}

/**
 * What is heard beside what the figures show. A block's themes are those shown (hidden cells say
 * nothing); a theme agrees with the figures where its domain is signalled or elevated in the block.
 */
export function signalsSummary(project: ProjectConfig, themes: readonly SignalTheme[], blocks: readonly BlockRow[], totals: Readonly<Record<string, number | null>>, stapeling: Accumulation | undefined, sources: readonly SourceSummary[], kindsOf: KindsOf, texts: readonly Quotable[] = []): SignalsSummary {
  const codebook = project.themes ?? {};
  const heardThemes: HeardTheme[] = themes.map(({ key, theme, valence }) => {
    const label = codebook[theme]?.label;
    const base = label === undefined ? { nl: capitalise(theme), en: capitalise(theme) } : typeof label === 'string' ? { nl: label, en: label } : label;
    return {
      key,
      theme,
      label: base,
      domain: codebook[theme]?.domain ?? null,
      valence,
      total: totals[key] ?? null,
      kinds: totals[key] === null ? [] : kindsOf(key, null),
      blocks_shown: blocks.filter((block) => (block.counts[key] ?? 0) > 0).length,
    };
  });
  heardThemes.sort((a, b) => (b.total ?? -1) - (a.total ?? -1) || (a.key < b.key ? -1 : 1));
  const domainOf = new Map(heardThemes.map((theme) => [theme.key, theme.domain]));
  const raised = (state: string | undefined) => state === 'signal' || state === 'elevated';
  const heardBlocks: HeardBlock[] = [];
  blocks.forEach((block, b) => {
    const heard = heardThemes.flatMap(({ key }) => (block.counts[key] ?? 0) > 0 ? [{ key, count: block.counts[key]!, kinds: kindsOf(key, b) }] : []).sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : 1));
    const states = stapeling?.blocks[b]?.domains ?? {};
    // Without domains the figures say nothing about a theme: neither agree nor only heard.
    const compared = (stapeling?.domains.length ?? 0) > 0;
    const raisedDomains = Object.keys(states).filter((domain) => raised(states[domain]));
    if (heard.length === 0 && raisedDomains.length === 0) return;
    const heardDomains = new Set(heard.map(({ key }) => domainOf.get(key)).filter((domain): domain is string => domain !== null));
    heardBlocks.push({
      id: block.id,
      label: block.label,
      heard,
      agree: raisedDomains.filter((domain) => heardDomains.has(domain)),
      heard_only: compared ? heard.filter(({ key }) => !raisedDomains.includes(domainOf.get(key) ?? '')).map(({ key }) => key) : [],
      // The professionals' signals are no figure "only" where professionals are the ones heard.
      figures_only: heard.length === 0 ? [] : raisedDomains.filter((domain) => !heardDomains.has(domain) && !(domain === professionalsDomain && heard.some(({ kinds }) => kinds.some((kind) => kind === 'huisarts' || kind === 'professional')))),
    });
  });
  return {
    themes: heardThemes,
    kinds: project.sources.flatMap((config) => {
      const summary = sources.find((source) => source.name === config.name);
      return config.signals && summary ? [{ source: config.name, organisation: summary.organisation, kind: config.signals.kind, label: signalKindWords[config.signals.kind], rows: summary.rows_placed }] : [];
    }),
    blocks: heardBlocks,
    text_columns: project.sources.flatMap((config) => (config.signals?.text ? [`${config.name}.${config.signals.text}`] : [])),
    ...(project.quotes ? { quotes: quotes(texts, blocks, project.privacy.threshold, kindsOf) } : {}),
  };
}

/**
 * The quotes a report may show: texts of a block and theme whose (shown) count reaches the
 * threshold, so a quote never tells that a hidden count is not zero, and to which the text's own
 * kind of source adds at least the threshold (one resident's sticker is not quoted in a cell a GP
 * note's weight fills); two per block and theme, the shortest first, each text once per block.
 */
function quotes(texts: readonly Quotable[], blocks: readonly BlockRow[], threshold: number, kindsOf: KindsOf): { block: string; key: string; text: string }[] {
  const chosen = new Map<string, string[]>();
  const sorted = [...texts].sort((a, b) => a.block - b.block || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.text.length - b.text.length || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  for (const { block, key, text, kind } of sorted) {
    const count = blocks[block]?.counts[key];
    if (count === null || count === undefined || count < threshold || !kindsOf(key, block).includes(kind)) continue;
    const list = chosen.get(`${block} ${key}`) ?? [];
    if (list.length < 2 && !list.includes(text)) list.push(text);
    chosen.set(`${block} ${key}`, list);
  }
  return [...chosen].flatMap(([at, list]) => list.map((text) => ({ block: blocks[Number(at.split(' ')[0])]!.id, key: at.slice(at.indexOf(' ') + 1), text })));
}
