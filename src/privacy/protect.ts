import { createHmac } from 'node:crypto';
import type { AnalysisInput } from '../analysis/analyse.js';
import type { SourceConfig } from '../project/schema.js';
import type { ExportConfig } from '../ingest/export.js';
import { UserError } from '../errors.js';
import { columnIndex, type CsvTable } from '../ingest/csv.js';
import { locatingColumns, looksPersonalValue, namesInText, namesAPerson, scanTable, type IdentifierFinding } from './identifiers.js';

/**
 * Scans every export for personal identifiers, after emptying the columns the project drops and
 * hashing the ones it pseudonymises. Returns the tables as the analysis may use them and the
 * findings; direct identifiers that remain stop the analysis.
 */
export function protectInputs(input: AnalysisInput, projectFile: string): { sources: AnalysisInput['sources']; register: AnalysisInput['register']; findings: IdentifierFinding[] } {
  const findings: IdentifierFinding[] = [];
  refuseLabels(input);
  const register = protectRegister(input);
  const places = placeNamesOf(input);
  // A scan made as the table was read counts for the export it was made for: two sources may read one file differently.
  const early = (table: CsvTable, config: unknown) => {
    const scanned = input.scanned?.get(table);
    return scanned && scanned.config === config ? scanned.findings : undefined;
  };
  if (register) findings.push(...(early(input.register!, input.project.addresses) ?? scanRegister(input.project.addresses!, register).filter((finding) => !finding.handled)));
  const sources = input.sources.map(({ config, table, ...rest }, index) => {
    const { dropped, hashed, vetted } = protectedColumns(config, table, index, input.project.quotes);
    if (hashed.size > 0 && !input.secret) {
      throw new UserError(`sources[${index}] (${config.name}) pseudonymises columns, but there is no secret`, {
        file: projectFile,
        expected: 'a per-project secret: the BUURTBALANS_SECRET environment variable or a .buurtbalans-secret file beside the project file',
        fix: 'run buurtbalans analyse once from the command line (it creates the file), or set BUURTBALANS_SECRET',
      });
    }
    const protectedTable = dropped.size + hashed.size + vetted.size === 0 ? table : table.withReplacedColumns(replacements(dropped, hashed, input.secret!, vetted, places));
    findings.push(...(early(table, config) ?? scanSource(config, protectedTable, index, places, input.project.quotes).filter((finding) => !finding.handled)));
    return { ...rest, config, table: protectedTable };
  });
  const direct = findings.filter((finding) => finding.kind === 'direct');
  const inTitle = direct.find((finding) => finding.titleLine !== undefined);
  if (inTitle) {
    throw new UserError(`the title above the column names holds personal data (${inTitle.rule})`, {
      file: inTitle.file,
      line: inTitle.titleLine,
      expected: 'no names, BSN, e-mail addresses, phone numbers, IBANs or birth dates in the exports, also not in a title',
      fix: 'delete the title lines above the column names from the export (and header_line from buurtbalans.yml), or ask the partner to export without them',
    });
  }
  if (direct.length > 0) {
    const first = direct[0]!;
    const source = input.sources.find((s) => s.table.file === first.file)?.config ?? { name: 'addresses' };
    throw new UserError(`${direct.length} column(s) hold personal identifiers: ${direct.map((f) => `${f.file} "${f.column}" (${f.rule}, ${f.count} values)`).join('; ')}`, {
      file: first.file,
      column: first.column,
      expected: 'no names, BSN, e-mail addresses, phone numbers, IBANs or birth dates in the exports',
      fix: `drop or pseudonymise them in buurtbalans.yml, for example under ${source.name === 'addresses' ? 'addresses' : `source ${source.name}`}: drop: [${JSON.stringify(first.column)}]${source.name === 'addresses' ? '' : ' (or pseudonymise: [...])'}; \`buurtbalans check\` lists them all`,
    });
  }
  return { sources, register, findings };
}

/** The register with the columns `addresses: drop:` names emptied. */
function protectRegister(input: AnalysisInput): CsvTable | undefined {
  const config = input.project.addresses;
  if (!input.register || !config?.drop?.length) return input.register;
  const dropped = new Set(config.drop.map((name) => columnIndex(input.register!, name, 'addresses.drop')));
  return input.register.withReplacedColumns(replacements(dropped, new Set(), ''));
}

/** The register's scan, as `check` and `analyse` both run it: findings in dropped columns are handled. */
export function scanRegister(config: NonNullable<AnalysisInput['project']['addresses']>, table: CsvTable): (IdentifierFinding & { handled: boolean })[] {
  const dropped = new Set((config.drop ?? []).map((name) => name.toLowerCase()));
  const bag = config.bag === undefined ? undefined : Array.isArray(config.bag) ? config.bag : [config.bag];
  return scanTable(table, { postcode: config.postcode, huisnummer: config.huisnummer, bag, register: true }).map((finding) => ({ ...finding, handled: dropped.has(finding.column.toLowerCase()) }));
}

/** Where a source stands under `sources:` (for messages; -1 for the register), and the project's `quotes:`. */
export interface SourcePlace {
  index: number;
  quotes: boolean;
}

/** A scan made as an export was read, with the export (register or source) it was made for. */
export interface ScannedOnArrival {
  config: ExportConfig;
  findings: readonly IdentifierFinding[];
}

/**
 * The scan of one export as soon as it is read, while the others are still read: the findings
 * protectInputs would keep (a finding in a dropped, pseudonymised or vetted column is handled, as
 * there). Undefined where it cannot be made yet (it asks for the place names before `placeNames`
 * is there) or fails; protectInputs then scans the export itself, and says what is wrong.
 */
export function scanOnArrival(config: ExportConfig, table: CsvTable, { index, quotes }: SourcePlace, placeNames: (() => ReadonlySet<string>) | undefined): IdentifierFinding[] | undefined {
  const notYet = (): ReadonlySet<string> => {
    throw new Error('the place names are not read yet');
  };
  try {
    if (!('place_by' in config)) return scanRegister(config, table).filter((finding) => !finding.handled);
    return scanSource(config, table, index, placeNames ?? notYet, quotes).filter((finding) => !finding.handled);
  } catch {
    return undefined;
  }
}

/** A block label is printed on every map and table: one that holds an identifier stops the analysis. */
function refuseLabels(input: AnalysisInput) {
  const feature = input.blocks.labels.findIndex((label) => looksPersonalValue(label));
  if (feature < 0) return;
  throw new UserError('a block label holds what looks like a personal identifier (a phone number, e-mail, BSN, IBAN or birth date)', {
    file: input.blocks.file,
    feature: feature + 1,
    expected: 'block labels that name places, such as "Lekstraat / Waalstraat"',
    fix: 'correct the label in the blocks file, or leave label: out of blocks: in buurtbalans.yml',
  });
}

/**
 * Scans one source's export for identifiers (`index` is its place under `sources:`, for messages).
 * A finding in a column the project drops or pseudonymises is marked handled.
 */
export function scanSource(config: SourceConfig, table: CsvTable, index: number, placeNames: () => ReadonlySet<string> = () => new Set(), quotes = false): (IdentifierFinding & { handled: boolean })[] {
  const { dropped, hashed, vetted } = protectedColumns(config, table, index, quotes);
  const handled = new Set([...dropped, ...hashed, ...vetted].map((c) => table.header[c]!));
  // An aggregated source has one row per area (PC6, buurt): its "naam" names the area.
  return scanTable(table, locatingColumns(config), config.counts !== undefined, placeNames).map((finding) => ({ ...finding, handled: handled.has(finding.column) }));
}

/**
 * The names of places this project knows: the blocks' labels and the register's streets (lower
 * case). Made only when a column named like a name is met: a city's register has 480,000 rows.
 */
export function placeNamesOf(input: Pick<AnalysisInput, 'blocks' | 'register' | 'project'>): () => Set<string> {
  let names: Set<string> | undefined;
  return () => {
    if (names) return names;
    names = new Set(input.blocks.labels.map((label) => label.trim().toLowerCase()));
    const street = input.project.addresses?.street;
    if (input.register && street) {
      const column = input.register.header.findIndex((name) => name.trim().toLowerCase() === street.trim().toLowerCase());
      if (column >= 0) for (const value of input.register.column(column)) names.add(value.trim().toLowerCase());
    }
    return names;
  };
}

/** Dropped columns read as empty; pseudonymised ones as their keyed hash (each distinct value hashed once). */
function replacements(dropped: Set<number>, hashed: Set<number>, secret: string, vetted: Set<number> = new Set(), placeNames: () => ReadonlySet<string> = () => new Set()): Map<number, (value: string) => string> {
  const replaced = new Map<number, (value: string) => string>();
  for (const column of dropped) replaced.set(column, () => '');
  for (const column of vetted) replaced.set(column, (value) => (quotable(value, placeNames()) ? value.trim() : ''));
  for (const column of hashed) {
    const known = new Map<string, string>();
    replaced.set(column, (value) => {
      const text = value.trim();
      if (text === '') return value;
      let hash = known.get(text);
      if (hash === undefined) known.set(text, (hash = pseudonym(text, secret)));
      return hash;
    });
  }
  return replaced;
}

/**
 * The columns emptied, hashed and vetted on reading. Free text of soft signals is scanned (check
 * says what it holds) and emptied; with `quotes`, a text that may be quoted stays and the rest is emptied.
 */
function protectedColumns(config: SourceConfig, table: CsvTable, index: number, quotes: boolean): { dropped: Set<number>; hashed: Set<number>; vetted: Set<number> } {
  const text = config.signals?.text ? [columnIndex(table, config.signals.text, `sources[${index}].signals.text`)] : [];
  return {
    dropped: new Set([...(config.drop ?? []).map((name) => columnIndex(table, name, `sources[${index}].drop`)), ...(quotes ? [] : text)]),
    hashed: new Set((config.pseudonymise ?? []).map((name) => columnIndex(table, name, `sources[${index}].pseudonymise`))),
    vetted: new Set(quotes ? text : []),
  };
}

/**
 * Whether a free text may be quoted: no digit (house numbers, phone numbers, dates), no @, no name a
 * rule finds, no capitalised word after the first (Dutch writes names and streets so), and in any
 * case no common first name or surname, form of address, house number in words or name of a
 * street or block of the project ("mevrouw jansen van rijnstraat twaalf"), at most 200 characters.
 * No scan understands a sentence: the README asks to read the quotes before sharing.
 */
export function quotable(value: string, placeNames: ReadonlySet<string> = new Set()): boolean {
  const text = value.trim();
  if (text === '' || text.length > 200 || /[0-9@]/.test(text) || looksPersonalValue(text) || namesInText(text) > 0) return false;
  const words = text.split(/\s+/);
  if (words.slice(1).some((word) => /^[("„“']?[A-ZÀ-Þ]/.test(word))) return false;
  const lower = text.toLowerCase();
  return !words.some(namesAPerson) && ![...placeNames].some((place) => place.length >= 4 && lower.includes(place));
}

/** A keyed hash: the same value gives the same pseudonym within a project, and nothing leads back without the secret. */
export function pseudonym(value: string, secret: string): string {
  return `p_${createHmac('sha256', secret).update(value).digest('hex').slice(0, 20)}`;
}
