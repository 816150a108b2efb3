import { identifierFrom } from '../text.js';
import type { ColumnDescription, FileDescription } from '../ingest/inspect.js';
import { parseDate } from '../ingest/values.js';
import { namesPlaces } from '../privacy/identifiers.js';
import { grouped } from '../indicators/sentences.js';
import { geometryColumns } from '../ingest/features.js';

/** One export in the project folder, as `init` read it: its description and every column's values. */
export interface FoundTable {
  file: string;
  description: FileDescription;
  values: readonly (readonly string[])[];
  /** Set when the column names sit below title lines. */
  headerLine?: number | undefined;
  /** Set for an .xlsx workbook. */
  sheet?: string | undefined;
  /** A GeoJSON of points, lines or polygons read as a table (its geometry in the geometrie columns). */
  features?: boolean | undefined;
}

/** A polygon layer in the folder: its file and every feature's properties. */
export interface FoundLayer {
  file: string;
  properties: readonly Record<string, unknown>[];
}

/** What `init` tells the user: found (what it decided) and check (what the user should look at). */
export interface Remark {
  kind: 'found' | 'check';
  nl: string;
  en: string;
}

export interface Draft {
  yaml: string;
  remarks: Remark[];
  /** How many exports became a source. */
  sources: number;
}

const yes = new Set(['ja', 'nee', 'j', 'n', 'y', 'yes', 'no', 'true', 'false', 'waar', 'onwaar', '1', '0', 'x']);
const registerFile = /adres|address|bag|register/i;
/** Whole numbers that are no counts of people or records: densities, values, shares (CBS Kerncijfers gives housing as %), distances, codes. */
const notACount = /dichtheid|waarde|woz|percentage|pct|%|procent|afstand|opp|gemiddeld|^gem|grootte|stedelijkheid|inkomen|postcode|ernst|score|leeftijd|verdieping|koopwoning|huurwoning|eengezins|meergezins|leegstand|bewoond/i;

/**
 * Drafts a buurtbalans.yml from the files a gebiedsmakelaar put in one folder: the blocks layer,
 * the address register and per export its route, columns, counts, date, category, flags and
 * personal columns to drop, and the measures the built-in indicators need where the column names
 * say what they hold. Pure: the CLI reads the folder and writes the file.
 */
export function draftProject(name: string, tables: readonly FoundTable[], layers: readonly FoundLayer[]): Draft {
  const remarks: Remark[] = [];
  const lines: string[] = [
    `# Ontwerp van buurtbalans init: controleer elke regel met een # ? erachter. / Draft by buurtbalans init: check every line marked # ?.`,
    `name: ${scalar(name)}`,
  ];

  const blocks = chooseBlocks(layers);
  if (!blocks) {
    remarks.push({ kind: 'check', nl: 'Geen laag met blokken (GeoJSON met polygonen) gevonden: zet de blokken in de map en voer init opnieuw uit.', en: 'No blocks layer (GeoJSON of polygons) found: put the blocks in the folder and run init again.' });
    lines.push('blocks: { file: blokken.geojson, id: blok_id }  # ? no GeoJSON of polygons in the folder');
  } else {
    lines.push(`blocks: { file: ${scalar(blocks.file)}, id: ${scalar(blocks.id)}${blocks.label ? `, label: ${scalar(blocks.label)}` : ''} }`);
    remarks.push({ kind: 'found', nl: `Blokken: ${blocks.file} (${blocks.count} blokken, id "${blocks.id}"${blocks.label ? `, naam "${blocks.label}"` : ''}).`, en: `Blocks: ${blocks.file} (${blocks.count} blocks, id "${blocks.id}"${blocks.label ? `, label "${blocks.label}"` : ''}).` });
  }
  const blockIds = new Set(blocks?.ids ?? []);

  const register = chooseRegister(tables);
  const period = periodOf(tables.filter((table) => table !== register));
  if (period) {
    lines.push(`period: ${period}  # ? the whole years the dates in the exports cover`);
    remarks.push({ kind: 'check', nl: `Periode ${period.replace('..', ' tot en met ')}: de hele jaren van de datums in de bestanden; pas aan als je een andere periode bedoelt.`, en: `Period ${period.replace('..', ' to ')}: the whole years of the dates in the exports; change it if you mean another period.` });
  }
  if (register) {
    lines.push('', 'addresses:', ...registerLines(register).map((line) => `  ${line}`));
    remarks.push({ kind: 'found', nl: `Adressenbestand: ${register.file} (${grouped(register.description.rows, 'nl')} adressen).`, en: `Address register: ${register.file} (${grouped(register.description.rows, 'en')} addresses).` });
  }

  const blockLabels = new Set((blocks?.labels ?? []).map((label) => label.trim().toLowerCase()));
  const drafted = tables.filter((table) => table !== register).map((table) => draftSource(table, blockIds, blockLabels, register !== undefined));
  lines.push('', 'sources:');
  for (const source of drafted) {
    lines.push(...source.lines.map((line, i) => `${i === 0 ? '  - ' : '    '}${line}`));
    remarks.push(...source.remarks);
  }

  const measures = draftMeasures(drafted);
  lines.push('', 'measures:');
  for (const [measure, reference] of measures.mapped) lines.push(`  ${measure}: ${Array.isArray(reference) ? `[${reference.map(scalar).join(', ')}]` : scalar(reference)}`);
  for (const measure of measures.missing) lines.push(`  # ${measure}: <source>.<column>   # ? not found in the exports; fill it in to get its built-in indicator`);
  if (measures.mapped.length > 0) remarks.push({ kind: 'found', nl: `Gekoppeld aan de Buurtbalans-indicatoren: ${measures.mapped.map(([m]) => m).join(', ')}.`, en: `Mapped to the Buurtbalans indicators: ${measures.mapped.map(([m]) => m).join(', ')}.` });
  lines.push('', '# references:   # the city average per indicator, in its unit, where the area should be compared with the city', '#   alleenstaande_75plus: <city average per 100 residents>');
  if (measures.missing.length > 0) remarks.push({ kind: 'check', nl: `Niet gevonden (staat als commentaar onder measures:): ${measures.missing.join(', ')}.`, en: `Not found (left as comments under measures:): ${measures.missing.join(', ')}.` });
  return { yaml: `${lines.join('\n')}\n`, remarks, sources: drafted.length };
}

interface DraftedSource {
  name: string;
  table: FoundTable;
  lines: string[];
  remarks: Remark[];
  aggregated: boolean;
  counts: string[];
  flags: string[];
  hasDate: boolean;
}

function chooseBlocks(layers: readonly FoundLayer[]) {
  const candidates = layers
    .map((layer) => {
      const keys = [...new Set(layer.properties.flatMap((properties) => Object.keys(properties)))];
      const unique = keys.filter((key) => {
        const values = layer.properties.map((properties) => properties[key]);
        return values.every((value) => typeof value === 'string' || typeof value === 'number') && new Set(values.map(String)).size === values.length;
      });
      const id = unique.find((key) => /(^|_)(id|code)$|^blok|^block|code/i.test(key)) ?? unique[0];
      const label = keys.find((key) => key !== id && /naam|name|label|omschrijving/i.test(key) && layer.properties.every((properties) => typeof properties[key] === 'string'));
      return id === undefined ? undefined : { file: layer.file, id, label, count: layer.properties.length, ids: layer.properties.map((properties) => String(properties[id])), labels: label ? layer.properties.map((properties) => String(properties[label])) : [], preferred: /blok|block|buurt/i.test(layer.file) };
    })
    .filter((candidate) => candidate !== undefined);
  return candidates.sort((a, b) => Number(b.preferred) - Number(a.preferred))[0];
}

const roleOf = (table: FoundTable, role: string) => table.description.columns.find((column) => column.role === role)?.name;

/**
 * The address register: addresses with a point or a block, each address once. A reporting system's
 * export has addresses and points too, but the same address comes back in it.
 */
function chooseRegister(tables: readonly FoundTable[]): FoundTable | undefined {
  const candidates = tables.filter((table) => (roleOf(table, 'postcode') ?? roleOf(table, 'pc6')) && roleOf(table, 'huisnummer') && ((roleOf(table, 'x') && roleOf(table, 'y')) || roleOf(table, 'block')) && distinctAddressShare(table) >= 0.98);
  return candidates.sort((a, b) => Number(registerFile.test(b.file)) - Number(registerFile.test(a.file)) || b.description.rows - a.description.rows)[0];
}

/** The share of a table's rows whose address (postcode, number, letter, suffix) no other row has. */
function distinctAddressShare(table: FoundTable): number {
  const columns = ['postcode', 'pc6', 'huisnummer', 'huisletter', 'toevoeging'].map((role) => table.description.columns.findIndex((column) => column.role === role)).filter((c) => c >= 0);
  const rows = table.values[columns[0]!]?.length ?? 0;
  if (rows === 0) return 1;
  const seen = new Set<string>();
  for (let row = 0; row < rows; row++) seen.add(columns.map((c) => (table.values[c]![row] ?? '').trim().toUpperCase().replace(/\s+/g, '')).join('|'));
  return seen.size / rows;
}

function registerLines(table: FoundTable): string[] {
  const bag = table.description.columns.filter((column) => column.role === 'bag_id').map((column) => column.name);
  const street = table.description.columns.find((column) => /straat|street/i.test(column.name) && column.type === 'text')?.name;
  const entries: [string, string | undefined][] = [
    ['file', table.file],
    ['postcode', roleOf(table, 'postcode') ?? roleOf(table, 'pc6')],
    ['huisnummer', roleOf(table, 'huisnummer')],
    ['huisletter', roleOf(table, 'huisletter')],
    ['toevoeging', roleOf(table, 'toevoeging')],
    ['x', roleOf(table, 'x')],
    ['y', roleOf(table, 'y')],
    ['block', roleOf(table, 'block')],
  ];
  const lines = entries.filter(([, value]) => value !== undefined).map(([key, value]) => `${key}: ${scalar(value!)}`);
  if (roleOf(table, 'x')) lines.push('crs: EPSG:28992');
  if (bag.length > 0) lines.push(`bag: [${bag.map(scalar).join(', ')}]`);
  if (street) lines.push(`street: ${scalar(street)}`);
  lines.push(...dialectLines(table));
  return lines;
}

function dialectLines(table: FoundTable): string[] {
  return [...(table.sheet ? [`sheet: ${scalar(table.sheet)}`] : []), ...(table.headerLine ? [`header_line: ${table.headerLine}   # the column names are below a title`] : [])];
}

/** The route, columns and contents of one export. */
function draftSource(table: FoundTable, blockIds: ReadonlySet<string>, blockLabels: ReadonlySet<string>, hasRegister: boolean): DraftedSource {
  const name = identifierOf(table.file);
  const columns = table.description.columns;
  const valuesOf = (column: ColumnDescription) => table.values[columns.indexOf(column)] ?? [];
  const remarks: Remark[] = [];
  const postcode = roleOf(table, 'postcode') ?? roleOf(table, 'pc6');
  const huisnummer = roleOf(table, 'huisnummer');
  const bag = roleOf(table, 'bag_id');
  const blockColumn = columns.find((column) => column.role === 'block' || column.role === 'cbs_code' || (blockIds.size > 0 && mostlyIn(valuesOf(column), blockIds)));
  const counts = columns.filter((column) => column.role === 'count' || (column.type === 'integer' && !column.role)).filter((column) => !/(^|[_\s])(nr|nummer|id|code|jaar|year)$/i.test(column.name) && !notACount.test(column.name));
  const lines: string[] = [`name: ${name}`, `# organisation: ?   # who sent ${table.file}: printed in the credits`, `file: ${scalar(table.file)}`];
  let route: string;
  const x = roleOf(table, 'x'), y = roleOf(table, 'y'), lat = roleOf(table, 'lat'), lon = roleOf(table, 'lon');
  let placement: string;
  const addressColumns = () => [['postcode', postcode], ['huisnummer', huisnummer], ['huisletter', roleOf(table, 'huisletter')], ['toevoeging', roleOf(table, 'toevoeging')]].filter(([, v]) => v).map(([k, v]) => `${k}: ${scalar(v!)}`);
  if (table.features) {
    route = 'area';
    placement = '';
  } else if (huisnummer && postcode && hasRegister && x && y) {
    // A reporting system: placed where the report is, its address the front door for the samenloop.
    route = 'point';
    placement = `columns: { x: ${scalar(x)}, y: ${scalar(y)}, ${addressColumns().join(', ')} }   # the address finds the front door for the samenloop\ncrs: EPSG:28992`;
  } else if (huisnummer && postcode && hasRegister) {
    route = 'address';
    placement = `columns: { ${addressColumns().join(', ')} }`;
  } else if (bag && hasRegister) {
    route = 'bag';
    placement = `columns: { bag: ${scalar(bag)} }`;
  } else if (x && y) {
    route = 'point';
    placement = `columns: { x: ${scalar(x)}, y: ${scalar(y)} }\ncrs: EPSG:28992`;
  } else if (lat && lon) {
    route = 'point';
    placement = `columns: { x: ${scalar(lon)}, y: ${scalar(lat)} }\ncrs: EPSG:4326`;
  } else if (blockColumn) {
    route = 'block';
    placement = `columns: { block: ${scalar(blockColumn.name)} }`;
  } else if (postcode && hasRegister) {
    route = 'pc6';
    placement = `columns: { pc6: ${scalar(postcode)} }`;
  } else {
    route = 'block';
    placement = 'columns: { block: ? }   # ? no address, BAG id, coordinates, PC6 or block column recognised';
    remarks.push({ kind: 'check', nl: `${table.file}: geen kolom gevonden die een record in een blok plaatst; vul columns: in.`, en: `${table.file}: no column that places a record in a block; fill in columns:.` });
  }
  lines.push(`place_by: ${route}`, ...(placement === '' ? [] : placement.split('\n')));
  lines.push(...dialectLines(table));

  const used = new Set([postcode, huisnummer, bag, x, y, lat, lon, blockColumn?.name, roleOf(table, 'huisletter'), roleOf(table, 'toevoeging'), ...(table.features ? Object.values(geometryColumns) : [])].filter(Boolean));
  const soft = softSignals(table, used);
  const questions = soft ? [] : surveyQuestionColumns(table, used, valuesOf);
  const isAggregated = !soft && questions.length === 0 && (route === 'pc6' || (route === 'block' && counts.length > 0));
  // "naam" in a file of areas names the area, and a column of places names no person (as analyse judges them).
  const personal = columns
    .filter((column) => column.personal && !(isAggregated && /^(naam|name)$/i.test(column.name.trim())) && !namesPlaces(valuesOf(column).filter((v) => v.trim() !== ''), blockLabels))
    .map((column) => column.name);
  if (personal.length > 0) {
    lines.push(`drop: [${personal.map(scalar).join(', ')}]   # personal data: never read`);
    remarks.push({ kind: 'found', nl: `${table.file}: persoonsgegevens in ${personal.join(', ')}: die kolommen worden niet gelezen (drop:).`, en: `${table.file}: personal data in ${personal.join(', ')}: those columns are not read (drop:).` });
  }
  const countNames = isAggregated ? counts.map((column) => column.name).filter((column) => !used.has(column)) : [];
  if (countNames.length > 0) lines.push(`counts: [${countNames.map(scalar).join(', ')}]`);
  const date = columns.find((column) => column.role === 'date' && column.type === 'date');
  if (date && !isAggregated) lines.push(`date: ${scalar(date.name)}   # only rows in the period count`);
  if (questions.length > 0) {
    lines.push('survey:', '  questions:', ...questions.map((question) => `    - { column: ${scalar(question)} }   # ? id: a short name for its keys; label: { nl: ..., en: ... }`));
    remarks.push({
      kind: 'found',
      nl: `${table.file}: bron "${name}", een bewonersenquête met ${questions.length === 1 ? 'de vraag' : `${questions.length} vragen:`} ${questions.map((q) => `"${q}"`).join(', ')}, geplaatst via ${routeWords[route]!.nl}.`,
      en: `${table.file}: source "${name}", a resident survey with ${questions.length === 1 ? 'the question' : `${questions.length} questions:`} ${questions.map((q) => `"${q}"`).join(', ')}, placed by ${routeWords[route]!.en}.`,
    });
    return { name, table, lines, remarks, aggregated: false, counts: [], flags: [], hasDate: date !== undefined };
  }
  if (soft) {
    lines.push(`signals: { ${soft.entries.map(([key, value]) => `${key}: ${scalar(value)}`).join(', ')} }   # ? the kind of source: huisarts, enquete, gevoelskaart, professional or melding`);
    const text = soft.entries.find(([key]) => key === 'text')?.[1];
    remarks.push({
      kind: 'found',
      nl: `${table.file}: bron "${name}" met geluiden (${soft.kind}), geplaatst via ${routeWords[route]!.nl}, thema in "${soft.theme}"${text ? `; de vrije tekst in "${text}" wordt gescand en nooit gebruikt` : ''}. Zonder codeboek (themes:) telt elk thema zoals het in de kolom staat.`,
      en: `${table.file}: source "${name}" of soft signals (${soft.kind}), placed by ${routeWords[route]!.en}, theme in "${soft.theme}"${text ? `; the free text in "${text}" is scanned and never used` : ''}. Without a codebook (themes:) every theme counts as the column writes it.`,
    });
    return { name, table, lines, remarks, aggregated: false, counts: [], flags: [], hasDate: date !== undefined };
  }
  const flags: [string, string][] = [];
  const possible: string[] = [];
  if (!isAggregated) {
    for (const column of columns) {
      if (used.has(column.name) || column.personal || column.type === 'date') continue;
      const distinct = [...new Set(valuesOf(column).map((value) => value.trim()).filter((value) => value !== ''))];
      if (distinct.length > 0 && distinct.length <= 2 && distinct.every((value) => yes.has(value.toLowerCase()))) {
        if (/omklap/i.test(column.name)) flags.push(['omklapwoning', column.name]);
        else possible.push(`${identifierOf(column.name)}: ${scalar(quotedColumn(column.name))}`);
        continue;
      }
      if (distinct.length > 12) continue;
      for (const value of distinct) {
        const flag = /omklap/i.test(value) ? 'omklapwoning' : /^kwetsba(ar|re)/i.test(value) ? 'kwetsbaar' : undefined;
        if (flag && !flags.some(([known]) => known === flag)) flags.push([flag, `${quotedColumn(column.name)} == "${value}"`]);
      }
    }
  }
  if (flags.length > 0 || possible.length > 0) {
    lines.push(`flags: { ${flags.map(([flag, filter]) => `${flag}: ${scalar(filter)}`).join(', ')} }`);
    for (const flag of possible) lines.push(`#   ${flag}   # a yes/no column; add it to flags: to count it`);
  }
  const category = !isAggregated && date
    ? columns.find((column) => !used.has(column.name) && !column.personal && column.type === 'text' && categoryLike(valuesOf(column)))
    : isAggregated && route === 'pc6'
      ? columns.find((column) => !used.has(column.name) && !column.personal && column.type === 'text' && categoryLike(valuesOf(column)))
      : undefined;
  if (category) lines.push(`category: ${scalar(category.name)}   # counted per value`);
  remarks.push({
    kind: 'found',
    nl: `${table.file}: bron "${name}", geplaatst via ${routeWords[route]!.nl}${countNames.length > 0 ? `, aantallen ${countNames.join(', ')}` : ''}${flags.length > 0 ? `, kenmerken ${flags.map(([flag]) => flag).join(', ')}` : ''}${category ? `, categorie ${category.name}` : ''}.`,
    en: `${table.file}: source "${name}", placed by ${routeWords[route]!.en}${countNames.length > 0 ? `, counts ${countNames.join(', ')}` : ''}${flags.length > 0 ? `, flags ${flags.map(([flag]) => flag).join(', ')}` : ''}${category ? `, category ${category.name}` : ''}.`,
  });
  return { name, table, lines, remarks, aggregated: isAggregated, counts: countNames, flags: flags.map(([flag]) => flag), hasDate: date !== undefined };
}

const routeWords: Record<string, { nl: string; en: string }> = {
  address: { nl: 'adres (postcode en huisnummer)', en: 'address (postcode and house number)' },
  bag: { nl: 'BAG-id', en: 'BAG id' },
  point: { nl: 'coördinaten', en: 'coordinates' },
  block: { nl: 'blok', en: 'block' },
  pc6: { nl: 'postcode (PC6)', en: 'postcode (PC6)' },
  area: { nl: 'de eigen geometrie (punt, lijn of vlak)', en: 'its own geometry (point, line or polygon)' },
};

const likertWords = new Set(['helemaal oneens', 'zeer oneens', 'oneens', 'neutraal', 'eens', 'helemaal eens', 'zeer eens', 'zeer ontevreden', 'ontevreden', 'tevreden', 'zeer tevreden', 'weet niet', 'geen mening']);

/**
 * The columns of a resident survey: answers on a scale of five (1 to 5, or Likert words) in a file
 * whose name says it is a survey, or under a column name that is a question.
 */
function surveyQuestionColumns(table: FoundTable, used: ReadonlySet<string | undefined>, valuesOf: (column: ColumnDescription) => readonly string[]): string[] {
  const surveyFile = /enquete|enquête|survey|peiling|vragenlijst/i.test(table.file);
  return table.description.columns
    .filter((column) => !used.has(column.name) && (surveyFile || column.name.trim().endsWith('?')))
    .filter((column) => {
      const values = [...new Set(valuesOf(column).map((value) => value.trim().toLowerCase()).filter((value) => value !== ''))];
      return values.length >= 3 && values.every((value) => likertWords.has(value) || /^[1-5]$/.test(value));
    })
    .map((column) => column.name);
}

const themeColumnName = /^(thema|theme|onderwerp|topic|signaal|code)$/i;
const freeTextName = /toelichting|notitie|opmerking|tekst|text|verhaal|note|omschrijving|reactie|comment/i;
const valenceName = /waardering|valentie|valence|prettig|gevoel|sentiment|beleving/i;
const weightName = /^(aantal|keer|genoemd|mentions|count|n)$/i;

/**
 * An export of soft signals: a theme column beside free text (a note, a sticker's remark), or a
 * theme in a file whose name says it holds what people say. The kind of source from the file name.
 */
function softSignals(table: FoundTable, used: ReadonlySet<string | undefined>) {
  const columns = table.description.columns.filter((column) => !used.has(column.name));
  const theme = columns.find((column) => column.type === 'text' && themeColumnName.test(column.name.trim()));
  const text = columns.find((column) => column !== theme && column.type === 'text' && freeTextName.test(column.name));
  if (!theme || (!text && !table.features && !/gevoel|gesprek|interview|enquete|enquête|signal|geluid/i.test(table.file))) return undefined;
  const valence = columns.find((column) => column !== theme && column !== text && valenceName.test(column.name));
  const weight = columns.find((column) => (column.type === 'integer' || column.role === 'count') && weightName.test(column.name.trim()));
  const kind = /huisarts|poh|\bha\b/i.test(table.file) ? 'huisarts' : /enquete|enquête|survey|peiling/i.test(table.file) ? 'enquete' : table.features || /gevoel|kaart|map/i.test(table.file) ? 'gevoelskaart' : /meld/i.test(table.file) ? 'melding' : 'professional';
  const entries: [string, string][] = [['kind', kind], ['theme', theme.name], ...(valence ? [['valence', valence.name] as [string, string]] : []), ...(weight ? [['weight', weight.name] as [string, string]] : []), ...(text ? [['text', text.name] as [string, string]] : [])];
  return { kind, theme: theme.name, entries };
}

/** The built-in indicators' measures, where a source's name or a column's says what it holds. */
function draftMeasures(sources: readonly DraftedSource[]): { mapped: [string, string | string[]][]; missing: string[] } {
  const countKey = (test: (column: string) => boolean, exclude: (column: string) => boolean = () => false) => {
    for (const source of sources) for (const column of source.counts) if (test(column) && !exclude(column)) return `${source.name}.${column}`;
    return undefined;
  };
  const flagged = (flag: string) => sources.filter((source) => source.flags.includes(flag)).map((source) => `${source.name}[${flag}]`);
  const reports = sources.find((source) => !source.aggregated && source.hasDate && /meld|overlast|klacht/i.test(`${source.name} ${source.table.file}`));
  const gp = sources.find((source) => source.aggregated && /huisarts|poh/i.test(`${source.name} ${source.table.file}`));
  const candidates: [string, string | string[] | undefined][] = [
    ['inwoners', countKey((c) => /^(aantal[_ ]?)?inwoners$/i.test(c.trim()))],
    ['inwoners_75plus', countKey((c) => /75/.test(c) && /inwoner|bewoner/i.test(c), (c) => /alleen|lift/i.test(c))],
    ['alleenstaande_75plus', countKey((c) => /alleenstaand/i.test(c) && /75/.test(c))],
    ['75plus_bovenwoning_zonder_lift', countKey((c) => /75/.test(c) && /lift|bovenwoning/i.test(c))],
    ['clienten', countKey((c) => /cli[eë]nt/i.test(c))],
    ['zorgmijder_signalen', countKey((c) => /zorgmijd/i.test(c) && /signa/i.test(c)) ?? countKey((c) => /zorgmijd/i.test(c))],
    ['omklapwoningen', flagged('omklapwoning').length > 0 ? flagged('omklapwoning') : undefined],
    ['kwetsbare_toewijzingen', flagged('kwetsbaar').length > 0 ? flagged('kwetsbaar') : undefined],
    ['meldingen', reports?.name],
    ['huisarts_signalen', gp ? (gp.counts.find((c) => /signa/i.test(c)) ?? gp.counts[0]) && `${gp.name}.${gp.counts.find((c) => /signa/i.test(c)) ?? gp.counts[0]}` : undefined],
  ];
  return {
    mapped: candidates.filter((entry): entry is [string, string | string[]] => entry[1] !== undefined),
    missing: candidates.filter(([, reference]) => reference === undefined).map(([measure]) => measure),
  };
}

/** The whole calendar years the dates of the record exports cover. */
function periodOf(tables: readonly FoundTable[]): string | undefined {
  let first: string | undefined;
  let last: string | undefined;
  for (const table of tables) {
    table.description.columns.forEach((column, c) => {
      if (column.type !== 'date') return;
      for (const value of table.values[c] ?? []) {
        const date = parseDate(value.trim());
        if (!date) continue;
        if (!first || date < first) first = date;
        if (!last || date > last) last = date;
      }
    });
  }
  return first && last ? `${first.slice(0, 4)}-01-01..${last.slice(0, 4)}-12-31` : undefined;
}

/** A text column of a few values that repeat: a theme, a kind of report. */
function categoryLike(values: readonly string[]): boolean {
  const present = values.map((value) => value.trim()).filter((value) => value !== '');
  const distinct = new Set(present.map((value) => value.toLowerCase())).size;
  return distinct >= 2 && distinct <= 15 && present.length >= 3 * distinct;
}

function mostlyIn(values: readonly string[], set: ReadonlySet<string>): boolean {
  const present = values.map((value) => value.trim()).filter((value) => value !== '');
  return set.size > 0 && present.length > 0 && present.filter((value) => set.has(value)).length >= 0.8 * present.length;
}

/** A source name from a file name: corporatie-a.csv → corporatie_a. */
function identifierOf(file: string): string {
  return identifierFrom(file.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, ''), 'bron');
}

/** A column name as a filter writes it: in backticks when it has spaces or signs. */
function quotedColumn(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name}\``;
}

/** A YAML scalar: plain where that reads the same, else double-quoted. */
function scalar(value: string): string {
  return /^[A-Za-z_][A-Za-z0-9_ .+²-]*$/.test(value) && !/[ .]$/.test(value) && !/^(true|false|yes|no|null|on|off)$/i.test(value) ? value : JSON.stringify(value);
}
