import { z } from 'zod';
import { defaultSnapMetres, maxPermutations } from '../spatial/defaults.js';

/** Coordinate reference systems the tool reads: RD New and WGS84. */
export const crsNames = ['EPSG:28992', 'EPSG:4326'] as const;
export type CrsName = (typeof crsNames)[number];

/** `area`: a GeoJSON source placed by its own geometry (a point in its block, a line or polygon over the blocks it covers). */
export const placeByRoutes = ['address', 'pc6', 'block', 'point', 'bag', 'area'] as const;
export type PlaceBy = (typeof placeByRoutes)[number];

/** CSV dialect settings a user may give to override detection. */
const dialect = {
  encoding: z.enum(['utf-8', 'windows-1252', 'utf-16le', 'utf-16be']).optional(),
  delimiter: z.enum([';', ',', '\t', '|', 'tab']).optional(),
  decimal: z.enum([',', '.']).optional(),
  header_line: z.number().int().min(1).optional(),
  /** For an .xlsx file: the sheet that holds the export, by name or number (default: the first). */
  sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
};

const columnName = z.string().min(1);

const sourceColumns = z.strictObject({
  postcode: columnName.optional(),
  huisnummer: columnName.optional(),
  huisletter: columnName.optional(),
  toevoeging: columnName.optional(),
  pc6: columnName.optional(),
  block: columnName.optional(),
  bag: columnName.optional(),
  x: columnName.optional(),
  y: columnName.optional(),
  /** A prepared share's keyed address pseudonym: the front door the samenloop counts at, without the address. */
  pseudonym: columnName.optional(),
});
export type SourceColumns = z.infer<typeof sourceColumns>;

const identifier = z.string().regex(/^[a-z0-9_]+$/, 'use only lower-case letters, digits and _ (for example corporatie_a)');

/** `2025-01-01..2025-12-31` */
export const periodPattern = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;
const period = z.string().regex(periodPattern, 'write a period as 2025-01-01..2025-12-31');

/** The kinds of source soft signals come from, as the report names them. */
export const signalKinds = ['huisarts', 'enquete', 'gevoelskaart', 'professional', 'melding'] as const;
export type SignalKind = (typeof signalKinds)[number];

/** A source of soft signals: per row a theme heard, from one kind of source. */
const signals = z.strictObject({
  kind: z.enum(signalKinds),
  /** Column with the theme (a codebook id, label or alias). */
  theme: columnName,
  /** Column with the valence per row (positief/negatief, +/−, prettig/onprettig); else the codebook's. */
  valence: columnName.optional(),
  /** Column with the number of mentions a row stands for (default 1). */
  weight: columnName.optional(),
  /** Column with free text: scanned for personal data and never written (quotes: true shows those that pass). */
  text: columnName.optional(),
});

/** A question of a resident survey: a column of answers on a scale (numbers, or Likert words in Dutch). */
const surveyQuestion = z.strictObject({
  column: columnName,
  /** The question's key: `<source>.<id>[tevreden]` and so on (default: the column, made an identifier). */
  id: identifier.optional(),
  label: z.union([z.string().min(1), z.strictObject({ nl: z.string().min(1), en: z.string().min(1) })]).optional(),
  /** Answer points: 1 to scale (5: helemaal oneens … helemaal eens, zeer ontevreden … zeer tevreden). */
  scale: z.number().int().min(3).max(7).default(5),
});

/** A resident survey: one row per respondent, per question the (dis)satisfied and the mean score per block. */
const survey = z.strictObject({ questions: z.array(surveyQuestion).min(1) });

const source = z.strictObject({
  name: identifier,
  file: z.string().min(1),
  place_by: z.enum(placeByRoutes),
  columns: sourceColumns.prefault({}),
  counts: z.array(columnName).min(1).optional(),
  crs: z.enum(crsNames).optional(),
  organisation: z.string().optional(),
  /** Named row filters, counted per block as `<source>[<flag>]`. */
  flags: z.record(identifier, z.string().min(1)).optional(),
  /** Column with the date of each row: rows outside the period are not counted. */
  date: columnName.optional(),
  /** Column whose values are counted (or summed) per block separately: `<source>[<value>]`. */
  category: columnName.optional(),
  /** Columns with personal data that are emptied on reading, before anything else sees them. */
  drop: z.array(columnName).optional(),
  /** Columns replaced by a keyed hash (HMAC-SHA256 with the project's secret) on reading. */
  pseudonymise: z.array(columnName).optional(),
  /** The partner's own rule for an aggregated source: counts in this range leave its machine as "geheim" (`buurtbalans prepare`). */
  share_suppression: z.strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) }).optional(),
  /** Soft signals (interview notes, a gevoelskaart, survey remarks): counted per block and theme as signalen[<theme>]. */
  signals: signals.optional(),
  /** A resident survey: answers per question counted per block as <source>.<question>[ontevreden|neutraal|tevreden]. */
  survey: survey.optional(),
  ...dialect,
});
export type SourceConfig = z.infer<typeof source>;

const blocks = z.strictObject({
  file: z.string().min(1),
  id: columnName,
  label: columnName.optional(),
  crs: z.enum(crsNames).optional(),
  /** In a GeoPackage or a zip with several Shapefiles: the layer of block polygons. */
  layer: z.string().min(1).optional(),
});
export type BlocksConfig = z.infer<typeof blocks>;

const addresses = z.strictObject({
  file: z.string().min(1),
  postcode: columnName,
  huisnummer: columnName,
  huisletter: columnName.optional(),
  toevoeging: columnName.optional(),
  x: columnName.optional(),
  y: columnName.optional(),
  crs: z.enum(crsNames).optional(),
  block: columnName.optional(),
  bag: z.union([columnName, z.array(columnName).min(1)]).optional(),
  /** Street name column: used for street labels on maps. */
  street: columnName.optional(),
  /** Columns emptied on reading (names, phone numbers a register export may carry). */
  drop: z.array(columnName).optional(),
  ...dialect,
});
export type AddressesConfig = z.infer<typeof addresses>;

/** A per-block quantity: a count key (`addresses`, `<source>`, `<source>.<column>`, `<source>[<flag or category>]`) or a list summed. */
const measureKeys = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const label = z.union([z.string().min(1), z.strictObject({ nl: z.string().min(1), en: z.string().min(1) })]);

const indicator = z.strictObject({
  id: identifier,
  label,
  definition: label.optional(),
  numerator: measureKeys,
  denominator: measureKeys,
  /** Rows of a record source kept in the numerator (a filter over its columns). */
  where: z.string().min(1).optional(),
  scale: z.union([z.literal(1), z.literal(100), z.literal(1000), z.literal(10000)]).default(100),
  /** `share`: the numerator is part of the denominator (Clopper-Pearson); `rate`: events per unit (exact Poisson). */
  kind: z.enum(['rate', 'share']).default('rate'),
  per_year: z.boolean().default(false),
  reference: z.number().nonnegative().optional(),
  /** The domain it belongs to in the opeenstapeling (wonen, zorg, ouderen, overlast, signalen, or a new one). */
  domain: identifier.optional(),
});
export type IndicatorConfig = z.infer<typeof indicator>;

const comparison = z.strictObject({
  id: identifier,
  label: label.optional(),
  outcome: measureKeys,
  exposures: z.record(identifier, measureKeys),
  per: measureKeys.default('addresses'),
});
export type ComparisonConfig = z.infer<typeof comparison>;

/** A problem marker of the samenloop: an address has it with at least `at_least` rows of `rows` in the period. */
const samenloopMarker = z.strictObject({
  name: identifier,
  label: label.optional(),
  /** Count keys (or a measure name) of record sources whose rows name an address. */
  rows: measureKeys,
  at_least: z.number().int().min(1).default(1),
});

/** A theme of the codebook for soft signals. */
const theme = z.strictObject({
  label: label.optional(),
  /** Other words the exports use for it (case does not matter). */
  aliases: z.array(z.string().min(1)).optional(),
  /** The domain of the opeenstapeling it belongs to (wonen, zorg, ouderen, overlast, signalen, ...). */
  domain: identifier.optional(),
  /** What it usually says about the area, when a row does not say so itself. */
  valence: z.enum(['negative', 'positive']).optional(),
});
export type ThemeConfig = z.infer<typeof theme>;

const thresholds = z.strictObject({
  /** Below this many events a value is flagged small_numbers. */
  min_events: z.number().nonnegative().default(10),
  /** Below this many homes (or residents) in the denominator a value is flagged small_numbers. */
  min_homes: z.number().nonnegative().default(20),
  /** A block is signalled only with at least this many events ... */
  signal_events: z.number().nonnegative().default(10),
  /** ... and a value at least this many times the reference ... */
  signal_ratio: z.number().positive().default(1.5),
  /** ... and (unless false) an interval wholly above the reference, at 95% adjusted for the number of blocks (Bonferroni). */
  signal_interval: z.boolean().default(true),
});
export type Thresholds = z.infer<typeof thresholds>;

const spatial = z.strictObject({
  /** queen, rook, knn:K or distance:D (metres). */
  weights: z.string().regex(/^(queen|rook|knn:[1-9]\d*|distance:\d+(\.\d+)?)$/, 'queen, rook, knn:K or distance:D').default('queen'),
  style: z.enum(['W', 'B']).default('W'),
  /** Conditional permutations per indicator; `auto`: 999 up to 5,000 blocks, above that the normal p of z (a city in seconds). */
  // More than 99,999 permutations adds no precision to a p-value and would run for hours.
  permutations: z.union([z.number().int().min(0).max(maxPermutations), z.literal('auto')]).default('auto'),
  seed: z.number().int().min(0).default(1),
  alpha: z.number().positive().max(1).default(0.05),
  correction: z.enum(['none', 'fdr', 'bonferroni']).default('fdr'),
  /**
   * Vertex snap for queen/rook, metres. Address blocks are bounded by streets, so by default blocks
   * whose corners lie within a street's width (25 m) of each other are neighbours; use 0.05 for
   * polygons that tile the area.
   */
  snap: z.number().positive().default(defaultSnapMetres),
});
export type SpatialConfig = z.infer<typeof spatial>;

const mapSize = z.enum(['A4', 'A3', 'A2', 'A1', 'A0']);
const maps = z.strictObject({
  /** false: analyse writes no maps. */
  enabled: z.boolean().default(true),
  classification: z.enum(['quantile', 'equal', 'jenks', 'fixed', 'diverging']).default('diverging'),
  dpi: z.number().int().min(50).max(1200).default(150),
  /** Indicators that get a map of their own (and a place in the small multiples). */
  indicators: z.union([z.literal('all'), z.array(z.string())]).default('all'),
  /** The big map: every layer on one sheet. */
  big: z
    .strictObject({
      indicator: z.string().optional(),
      size: mapSize.default('A1'),
      orientation: z.enum(['portrait', 'landscape']).default('landscape'),
      formats: z.array(z.enum(['svg', 'png', 'pdf'])).min(1).default(['svg', 'pdf']),
      /** A count key or measure drawn as proportional circles. */
      symbols: z.string().optional().default('clienten'),
      /** Count keys or measures drawn as a marker where a block has at least one. */
      presence: z.array(z.string()).default(['omklapwoningen', 'zorgmijder_signalen']),
    })
    .prefault({}),
});
export type MapsConfig = z.infer<typeof maps>;

const privacy = z.strictObject({
  /** Counts from 1 to threshold − 1 are suppressed in every shareable output ("geheim"). */
  threshold: z.number().int().min(1).default(5),
  /** Also suppress zero counts (when a zero would tell too much). */
  suppress_zero: z.boolean().default(false),
  /** Per source (or count key): a stricter range that is suppressed, for example zorg: { min: 0, max: 7 } for care data. */
  rules: z.record(z.string(), z.strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) })).default({}),
  /** Round the counts that remain to a multiple of this (CBS-style 5); 0: no rounding. */
  rounding: z.number().int().min(0).default(0),
});
export type PrivacyConfig = z.infer<typeof privacy>;

export const projectSchema = z.strictObject({
  name: z.string().min(1),
  /** Dated sources count only rows in this period; rates per year use its length. */
  period: period.optional(),
  blocks,
  addresses: addresses.optional(),
  sources: z.array(source).min(1),
  /** What the data requests (`buurtbalans request`) say beyond the data itself. */
  request: z
    .strictObject({
      /** Who the partners' data officers ask (name, role, e-mail of the project). */
      contact: z.string().min(1).optional(),
      /** How the shares travel, for example "de beveiligde bestandsoverdracht van de gemeente (Zivver)". */
      route: z.string().min(1).optional(),
      /** Until when the gebiedsmakelaar keeps the shares, for example "31 december 2026". */
      keep_until: z.string().min(1).optional(),
      /** The legal basis and agreement the sharing rests on, for example "het convenant Buurtbalans Rivierenbuurt 2026". */
      basis: z.string().min(1).optional(),
    })
    .optional(),
  /** A folder of prepared shares (`buurtbalans prepare`): a source with `<name>.deel.csv` there is read from it instead of its file. */
  shares: z.string().min(1).optional(),
  /** Names for per-block quantities the built-in indicators use (see the README). */
  measures: z.record(identifier, measureKeys).optional(),
  /** Reference values (for example the city average) per indicator id, in the indicator's unit. */
  references: z.record(z.string(), z.number().nonnegative()).optional(),
  indicators: z.array(indicator).optional(),
  /** Domains of the opeenstapeling regrouped: per domain id, the indicator ids it holds. */
  domains: z.record(identifier, z.array(z.string().min(1)).min(1)).optional(),
  /** The opeenstapeling's options: `index: true` adds a Wijkprofiel-style index per block (100 = reference), always with its domain parts. */
  accumulation: z.strictObject({ index: z.boolean().default(false) }).prefault({}),
  /**
   * Samenloop at the same front door: the markers counted per address (false: none). Without it,
   * omklapwoningen, kwetsbare toewijzingen and 3 or more meldingen at one address, where the
   * project has those measures from sources that name addresses.
   */
  samenloop: z
    .union([
      z.literal(false),
      z.strictObject({
        markers: z.array(samenloopMarker).min(2).max(8),
        /** Count keys whose spread over the addresses is measured (default: meldingen). */
        spread: measureKeys.optional(),
        /** A record placed by point counts at the one register address within this many metres. */
        snap_m: z.number().positive().max(25).default(5),
      }),
    ])
    .optional(),
  compare: z.array(comparison).optional(),
  /** The codebook of soft signals: per theme id its label, aliases, domain and valence. */
  themes: z.record(identifier, theme).optional(),
  /**
   * Soft signals' free text may be quoted in the report: only a text without a digit, an @, a person's
   * name or a capitalised word inside it (a name, a street), from a block with at least the
   * privacy threshold of signals, shown with its block, never its point. Read them before sharing.
   */
  quotes: z.boolean().default(false),
  thresholds: thresholds.prefault({}),
  /** Weights and inference for the hot spots of every indicator. */
  spatial: spatial.prefault({}),
  /** Disclosure control of every shareable output (maps, reports, CSV, GeoJSON, JSON). */
  privacy: privacy.prefault({}),
  /** The maps analyse writes. */
  maps: maps.prefault({}),
  /** The report analyse writes (rapport/ in the output folder). */
  report: z
    .strictObject({
      enabled: z.boolean().default(true),
      formats: z.array(z.enum(['html', 'pdf', 'md'])).min(1).default(['html', 'pdf', 'md']),
      lang: z.enum(['nl', 'en']).default('nl'),
    })
    .prefault({}),
});

/** A validated project file, with every path still as the user wrote it (relative to the project file). */
export type ProjectConfig = z.infer<typeof projectSchema>;
