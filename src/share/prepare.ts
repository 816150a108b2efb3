import type { AnalysisInput } from '../analysis/analyse.js';
import { categoriesOf, keptRows, otherCategory } from '../analysis/count.js';
import type { SourceSummary } from '../analysis/result.js';
import { normalisePostcode } from '../address/postcode.js';
import { UserError, type Warning } from '../errors.js';
import { compileFilter, FilterSyntaxError, UnknownColumnError } from '../filter/expression.js';
import { PolygonIndex } from '../geo/polygon-index.js';
import { columnIndex, type CsvTable } from '../ingest/csv.js';
import { parseCountCell, parseDate, parseDecimal } from '../ingest/values.js';
import { DoorFinder } from '../join/doors.js';
import { namesAddresses, placeSource } from '../join/place.js';
import { buildRegister, registerDemand } from '../join/register.js';
import { defaultSnapMetres, samenloopPlan } from '../analysis/samenloop.js';
import { placeNamesOf, scanSource } from '../privacy/protect.js';
import { csvLine } from '../samples/csv-line.js';
import { suggestion } from '../text.js';
import { addressPseudonym, keyFingerprint } from './key.js';
import { kitFileName, type Kit, type KitRequest } from './kit.js';
import { blockColumn, doorBlockColumn, doorMarkers, pc6Column, pseudonymColumn, samenloopSources, sha256, shareLayout, whereFilters } from './layout.js';
import { doorsFileName } from './manifest.js';

/** What a partner's `prepare` wrote, and what it kept out: the manifest beside the share. */
export interface Manifest {
  format: 'buurtbalans-deel';
  version: 1;
  project: { name: string; id: string };
  source: string;
  organisation: string;
  request: string;
  prepared_on: string;
  tool: { name: string; version: string };
  export: { file: string; rows: number; columns: number; encoding: string; delimiter: string; sheet?: string };
  share: { file: string; sha256: string; rows: number; columns: string[] };
  /** The door table beside the share (samenloop only): per record its address pseudonym, the door's block and the flags. */
  doors: {
    file: string;
    sha256: string;
    rows: number;
    columns: string[];
    /** Per marker, rows that matched it at no single door (internal, as in the analysis of a raw export). */
    rows_without_door: Record<string, number>;
    /** Where this source alone gives the reports whose spread is measured: how many doors have 1, 2, 3, ... of them. */
    spread?: [number, number][];
  } | null;
  /** Every column of the export that is not in the share, with why; and what the identifier scan found (counts, never values). */
  kept_out: { columns: { column: string; reason: string }[]; identifiers: { column: string; rule: string; kind: string; values: number; shared: string[] }[] };
  rows: { placed: number; unplaced: Record<string, number>; outside_period: number; without_date: number };
  rules: { period: string | null; suppressed: { min: number; max: number; cells: number } | null; rare_categories_as: string | null; address_pseudonym: 'HMAC-SHA256 of the register address, keyed by the partners\' key and the project' | null };
  key: { fingerprint: string } | null;
}

export interface PreparedShareFiles {
  csv: string;
  /** The door table, where the project counts samenloop from the source. */
  doors: string | undefined;
  manifest: Manifest;
}

/**
 * Prepares one partner's share from its raw export, on the partner's machine: places every record
 * with the kit's blocks and register, evaluates the flags and filters, and writes only the block
 * (or PC6), the ja/nee columns, the kept values and, for the samenloop, the keyed address pseudonym.
 * Pure: the export, kit and key come in read; the texts go out.
 */
export function prepareShare(kit: Kit, request: KitRequest, input: AnalysisInput, key: string | undefined, shareFile: string, preparedOn: string): PreparedShareFiles {
  const project = kit.settings;
  const { config: source, table } = input.sources[0]!;
  if (source.place_by === 'area') {
    throw new UserError(`${source.name} is a GeoJSON source placed by area: prepare reads tables`, {
      file: table.file,
      expected: 'a CSV or .xlsx export placed by address, bag, point, pc6 or block',
      fix: 'a gevoelskaart is collected by the project itself: send it to the gebiedsmakelaar as the project agreed, not through prepare',
    });
  }
  const plan = samenloopPlan(project, kitFileName);
  const layout = shareLayout(project, source, samenloopSources(plan).has(source.name));
  if (layout.pseudonym && key === undefined) {
    throw new UserError(`the project counts samenloop from ${source.name}, so its share carries address pseudonyms, and they need the partners' key`, {
      expected: '--key FILE: the key file the partners share (never the gebiedsmakelaar)',
      fix: 'ask the partner who made the key for it, or make it with buurtbalans key --out sleutel.txt and give it to the other partners\' data officers',
    });
  }
  // The partner has no project file to correct: a missing column is said in terms of the request.
  const missing = request.reads.filter((name) => !table.header.some((column) => column.trim().toLowerCase() === name.trim().toLowerCase()));
  if (missing.length > 0) {
    throw new UserError(`${table.file} has no column ${missing.map((name) => `"${name}"`).join(', ')}, which the request for ${source.name} reads`, {
      file: table.file,
      column: missing[0],
      expected: `the columns ${request.reads.map((name) => `"${name}"`).join(', ')} (the request for ${source.name} lists them)`,
      fix: `check that --source names your source (the request's title says which); ${suggestion(missing[0]!, table.header)} Export with the column names the request names, or ask the gebiedsmakelaar for a kit with yours`,
    });
  }
  // The identifier scan runs on the raw export first: what it finds stays here, and is said.
  const places = placeNamesOf(input);
  const findings = scanSource(source, table, 0, places);
  const written = new Set([...layout.kept, ...(layout.route === 'pc6' ? [source.columns.pc6!] : [])].map((name) => table.header[columnIndex(table, name, `sources[${source.name}]`)]!));
  const leaking = findings.find((finding) => finding.kind === 'direct' && written.has(finding.column));
  if (leaking) {
    throw new UserError(`column "${leaking.column}" of ${table.file} would go into the share, and it holds personal data (${leaking.rule}, ${leaking.count} values)`, {
      file: table.file,
      column: leaking.column,
      expected: `no names, BSN, phone numbers, e-mail addresses or birth dates in the columns the project asks for (${layout.kept.join(', ')})`,
      fix: 'export that column without personal data, or ask the gebiedsmakelaar to change the request (a new kit)',
    });
  }

  const index = new PolygonIndex(input.blocks.shapes);
  const blockById = new Map(input.blocks.ids.map((id, i) => [id, i]));
  const byPoint = layout.pseudonym && source.place_by === 'point' && !namesAddresses(source);
  const register = input.register && project.addresses ? buildRegister(input.register, project.addresses, input.blocks, index, blockById, { ...registerDemand(input.sources), points: byPoint }) : undefined;
  const snap = project.samenloop ? project.samenloop.snap_m : defaultSnapMetres;
  const finder = byPoint && register?.points ? new DoorFinder(register.points, snap) : undefined;
  const placement = placeSource(table, source, { index, blockById, register, doors: finder && { finder, sources: new Set([source.name]) } });
  const summary = { rows_outside_period: 0, rows_without_date: 0 } as SourceSummary;
  const warnings: Warning[] = [];
  const kept = keptRows(source, table, placement, input.period, summary, warnings);

  const filters = [...Object.entries(source.flags ?? {}).map(([name, text]) => ({ name, text, key: `flags.${name}` })), ...whereFilters(project, source.name).map((filter) => ({ name: filter.flag, text: filter.where, key: 'where' }))];
  const tests = filters.map(({ name, text, key }) => ({ name, column: layout.flags[name]!, test: compiled(text, table, `sources[${source.name}].${key}`) }));
  const category = source.category ? columnIndex(table, source.category, `sources[${source.name}].category`) : -1;
  const categories = category >= 0 ? categoriesOf(table, category, kept, project.privacy.threshold) : undefined;
  const keptColumns = layout.kept.map((name) => ({ name, column: columnIndex(table, name, `sources[${source.name}]`), role: roleOf(source, name) }));
  const locate = layout.route === 'pc6' ? columnIndex(table, source.columns.pc6!, `sources[${source.name}].columns.pc6`) : -1;
  const canonical = register && layout.pseudonym ? canonicalAddresses(input.register!, project.addresses!) : undefined;

  const header = [layout.route === 'pc6' ? pc6Column : blockColumn, ...tests.map((t) => t.column), ...keptColumns.map((k) => k.name)];
  const { markers, spread } = layout.pseudonym ? doorMarkers(plan, source.name) : { markers: [], spread: undefined };
  const doorHeader = [pseudonymColumn, doorBlockColumn, ...markers.map((marker) => marker.name)];
  // Does row i count for a key: the source itself, a flag or where: filter, or a category value.
  const counts = (key: string): ((i: number, row: readonly string[]) => boolean) => {
    const value = /\[([^\]]+)\]$/.exec(key)?.[1];
    if (value === undefined) return () => true;
    const test = tests.find((t) => t.name === value)?.test;
    if (test) return (_, row) => test(row);
    return (i) => categories !== undefined && categories.categoryOfRow[i]! >= 0 && categories.categories[categories.categoryOfRow[i]!] === value;
  };
  const markerKeys = markers.map((marker) => marker.keys.map(counts));
  const spreadKeys = (spread ?? []).map(counts);
  const atDoor = new Map<number, { counts: number[]; spread: number }>();
  const withoutDoor = markers.map(() => 0);
  const rows: string[] = [];
  let suppressedCells = 0;
  for (let i = 0; i < table.rowCount; i++) {
    if (!kept[i]) continue;
    const block = placement.blockOfRow[i]!;
    const row = table.row(i);
    const fields: (string | number)[] = [layout.route === 'pc6' ? (normalisePostcode(table.cell(i, locate)) as { pc6: string }).pc6 : input.blocks.ids[block]!];
    fields.push(...tests.map(({ test }) => (test(row) ? 'ja' : 'nee')));
    if (layout.pseudonym) {
      const door = placement.addressOfRow?.[i] ?? -1;
      const matched = markerKeys.map((keys) => keys.filter((test) => test(i, row)).length);
      if (door < 0) matched.forEach((n, m) => (withoutDoor[m]! += n));
      // A door outside the blocks counts nowhere, as in the analysis of the raw export.
      else if (register!.blockOfAddress[door]! >= 0) {
        let entry = atDoor.get(door);
        if (!entry) atDoor.set(door, (entry = { counts: markers.map(() => 0), spread: 0 }));
        matched.forEach((n, m) => (entry!.counts[m]! += n));
        entry.spread += spreadKeys.filter((test) => test(i, row)).length;
      }
    }
    for (const { column, role } of keptColumns) {
      const text = table.cell(i, column).trim();
      if (role === 'category') fields.push(categories!.categoryOfRow[i]! >= 0 ? categories!.categories[categories!.categoryOfRow[i]!]! : '');
      else if (role === 'date') fields.push(parseDate(text) ?? '');
      else if (role === 'count') {
        const cell = parseCountCell(text, table.dialect.decimal);
        const hidden = cell.kind === 'number' && layout.suppress !== undefined && cell.value >= layout.suppress.min && cell.value <= layout.suppress.max;
        if (hidden || cell.kind === 'suppressed') suppressedCells++;
        fields.push(cell.kind === 'number' && !hidden ? cell.value : cell.kind === 'invalid' ? 'ongeldig' : 'geheim');
      } else if (role === 'weight') fields.push(parseDecimal(text, table.dialect.decimal) ?? text);
      else fields.push(text);
    }
    rows.push(csvLine(fields, ','));
  }
  // Sorted, not in the export's order: an export sorted by address would otherwise line its rows
  // up with the block's addresses in the public register, and so give each row its address.
  rows.sort();
  // Per door only what the samenloop needs: each marker's rows, capped at its at_least.
  const doorRows: string[] = [];
  const spreadHistogram = new Map<number, number>();
  for (const [door, entry] of atDoor) {
    if (entry.spread > 0) spreadHistogram.set(entry.spread, (spreadHistogram.get(entry.spread) ?? 0) + 1);
    // A marker of this source alone says only whether the door reaches it; one shared with other sources, the part this source gives.
    const values = entry.counts.map((n, m) => (markers[m]!.shared ? Math.min(n, markers[m]!.at_least) : n >= markers[m]!.at_least ? markers[m]!.at_least : 0));
    if (values.every((value) => value === 0)) continue;
    doorRows.push(csvLine([addressPseudonym(key!, kit.project.id, canonical!(door)), input.blocks.ids[register!.blockOfAddress[door]!]!, ...values], ','));
  }
  doorRows.sort();
  const csv = `${[csvLine(header, ','), ...rows].join('\n')}\n`;
  const doors = layout.pseudonym ? `${[csvLine(doorHeader, ','), ...doorRows].join('\n')}\n` : undefined;
  const readColumns = new Set(request.reads.map((name) => name.toLowerCase()));
  const identifierColumns = new Set(findings.map((finding) => finding.column));
  // The period applies to dated rows only.
  const period = source.date ? (input.period?.text ?? null) : null;
  return {
    csv,
    doors,
    manifest: {
      format: 'buurtbalans-deel',
      version: 1,
      project: { name: kit.project.name, id: kit.project.id },
      source: source.name,
      organisation: source.organisation ?? source.name,
      request: request.request,
      prepared_on: preparedOn,
      tool: input.tool,
      export: { file: table.file, rows: table.rowCount, columns: table.header.length, encoding: table.dialect.encoding, delimiter: table.dialect.delimiter, ...(table.dialect.sheet ? { sheet: table.dialect.sheet } : {}) },
      share: { file: shareFile, sha256: sha256(csv), rows: rows.length, columns: header },
      doors:
        doors === undefined
          ? null
          : {
              file: doorsFileName(shareFile),
              sha256: sha256(doors),
              rows: doorRows.length,
              columns: doorHeader,
              rows_without_door: Object.fromEntries(markers.map((marker, m) => [marker.name, withoutDoor[m]!])),
              ...(spread ? { spread: [...spreadHistogram].sort((a, b) => a[0] - b[0]) } : {}),
            },
      kept_out: {
        columns: table.header
          .filter((name) => !written.has(name))
          .map((column) => ({
            column,
            reason: identifierColumns.has(column) ? 'personal data (identifier scan)' : readColumns.has(column.toLowerCase()) ? 'read to place the rows or evaluate the flags; not shared' : 'not asked for by the project',
          })),
        // A finding over several columns ("Datum + location") may have one of them in the share, alone.
        identifiers: findings.map((finding) => ({ column: finding.column, rule: finding.rule, kind: finding.kind, values: finding.count, shared: finding.column.split(' + ').filter((column) => written.has(column)) })),
      },
      rows: { placed: placement.tally.rowsPlaced, unplaced: placement.tally.sortedReasons(), outside_period: summary.rows_outside_period ?? 0, without_date: summary.rows_without_date ?? 0 },
      rules: {
        period,
        suppressed: layout.suppress ? { ...layout.suppress, cells: suppressedCells } : null,
        rare_categories_as: categories ? otherCategory : null,
        address_pseudonym: layout.pseudonym ? "HMAC-SHA256 of the register address, keyed by the partners' key and the project" : null,
      },
      key: layout.pseudonym ? { fingerprint: keyFingerprint(key!, kit.project.id) } : null,
    },
  };
}

function roleOf(source: AnalysisInput['sources'][number]['config'], name: string): 'category' | 'date' | 'count' | 'weight' | 'value' {
  if (name === source.category) return 'category';
  if (name === source.date) return 'date';
  if (source.counts?.includes(name)) return 'count';
  if (name === source.signals?.weight) return 'weight';
  return 'value';
}

function compiled(text: string, table: CsvTable, key: string) {
  try {
    return compileFilter(text, table.header, table.dialect.decimal);
  } catch (error) {
    if (error instanceof UnknownColumnError) {
      throw new UserError(`${key} reads column "${error.column}", which ${table.file} does not have`, {
        file: table.file,
        column: error.column,
        expected: `the export's columns as the kit asks for them`,
        fix: `${suggestion(error.column, table.header)} Export with the column names the request names, or ask the gebiedsmakelaar for a kit with yours`,
      });
    }
    if (error instanceof FilterSyntaxError) throw new UserError(`${key} cannot be read: ${error.message}`, { expected: 'a filter as the README describes', fix: 'ask the gebiedsmakelaar for a corrected kit' });
    throw error;
  }
}

/** A register row as one text: the same front door reads the same in every partner's share, whatever their export wrote. */
export function canonicalAddresses(register: CsvTable, config: NonNullable<Kit['settings']['addresses']>): (row: number) => string {
  const columns = [config.postcode, config.huisnummer, config.huisletter, config.toevoeging].map((name, i) => (name === undefined ? -1 : columnIndex(register, name, `addresses.${['postcode', 'huisnummer', 'huisletter', 'toevoeging'][i]}`)));
  return (row) =>
    columns
      .map((column, i) => {
        const text = column < 0 ? '' : register.cell(row, column).trim().toUpperCase();
        return i === 0 ? text.replace(/\s+/g, '') : text;
      })
      .join('|');
}
