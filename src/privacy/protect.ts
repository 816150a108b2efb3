import { createHmac } from 'node:crypto';
import type { AnalysisInput } from '../analysis/analyse.js';
import type { SourceConfig } from '../project/schema.js';
import { UserError } from '../errors.js';
import { columnIndex, type CsvTable } from '../ingest/csv.js';
import { locatingColumns, scanTable, type IdentifierFinding } from './identifiers.js';

/**
 * Scans every export for personal identifiers, after emptying the columns the project drops and
 * hashing the ones it pseudonymises. Returns the tables as the analysis may use them and the
 * findings; direct identifiers that remain stop the analysis.
 */
export function protectInputs(input: AnalysisInput, projectFile: string): { sources: AnalysisInput['sources']; findings: IdentifierFinding[] } {
  const findings: IdentifierFinding[] = [];
  const sources = input.sources.map(({ config, table }, index) => {
    const { dropped, hashed } = protectedColumns(config, table, index);
    if (hashed.size > 0 && !input.secret) {
      throw new UserError(`sources[${index}] (${config.name}) pseudonymises columns, but there is no secret`, {
        file: projectFile,
        expected: 'a per-project secret: the BUURTBALANS_SECRET environment variable or a .buurtbalans-secret file beside the project file',
        fix: 'run buurtbalans analyse once from the command line (it creates the file), or set BUURTBALANS_SECRET',
      });
    }
    const protectedTable = dropped.size + hashed.size === 0 ? table : table.withReplacedColumns(replacements(dropped, hashed, input.secret!));
    findings.push(...scanSource(config, protectedTable, index).filter((finding) => !finding.handled));
    return { config, table: protectedTable };
  });
  const direct = findings.filter((finding) => finding.kind === 'direct');
  if (direct.length > 0) {
    const first = direct[0]!;
    const source = input.sources.find((s) => s.table.file === first.file)!.config;
    throw new UserError(`${direct.length} column(s) hold personal identifiers: ${direct.map((f) => `${f.file} "${f.column}" (${f.rule}, ${f.count} values)`).join('; ')}`, {
      file: first.file,
      column: first.column,
      expected: 'no names, BSN, e-mail addresses, phone numbers, IBANs or birth dates in the exports',
      fix: `drop or pseudonymise them in buurtbalans.yml, for example under source ${source.name}: drop: [${JSON.stringify(first.column)}] (or pseudonymise: [...]); \`buurtbalans check\` lists them all`,
    });
  }
  return { sources, findings };
}

/**
 * Scans one source's export for identifiers (`index` is its place under `sources:`, for messages).
 * A finding in a column the project drops or pseudonymises is marked handled.
 */
export function scanSource(config: SourceConfig, table: CsvTable, index: number): (IdentifierFinding & { handled: boolean })[] {
  const { dropped, hashed } = protectedColumns(config, table, index);
  const handled = new Set([...dropped, ...hashed].map((c) => table.header[c]!));
  return scanTable(table, locatingColumns(config)).map((finding) => ({ ...finding, handled: handled.has(finding.column) }));
}

/** Dropped columns read as empty; pseudonymised ones as their keyed hash (each distinct value hashed once). */
function replacements(dropped: Set<number>, hashed: Set<number>, secret: string): Map<number, (value: string) => string> {
  const replaced = new Map<number, (value: string) => string>();
  for (const column of dropped) replaced.set(column, () => '');
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

function protectedColumns(config: SourceConfig, table: CsvTable, index: number): { dropped: Set<number>; hashed: Set<number> } {
  return {
    dropped: new Set((config.drop ?? []).map((name) => columnIndex(table, name, `sources[${index}].drop`))),
    hashed: new Set((config.pseudonymise ?? []).map((name) => columnIndex(table, name, `sources[${index}].pseudonymise`))),
  };
}

/** A keyed hash: the same value gives the same pseudonym within a project, and nothing leads back without the secret. */
export function pseudonym(value: string, secret: string): string {
  return `p_${createHmac('sha256', secret).update(value).digest('hex').slice(0, 20)}`;
}
