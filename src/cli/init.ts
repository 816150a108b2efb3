import { Command, Option } from 'commander';
import type { CliIo } from './io.js';

/** `buurtbalans init [FOLDER] [--force] [--dry-run] [--lang nl|en]`: a first buurtbalans.yml from the files in a folder. */
export function create(io: CliIo): Command {
  return new Command('init')
    .description('look at every export in a folder and write a draft buurtbalans.yml with comments')
    .argument('[folder]', 'the folder with the blocks, the address register and the partners\' exports', '.')
    .option('--force', 'replace an existing buurtbalans.yml')
    .option('--dry-run', 'print the draft on stdout instead of writing it')
    .addOption(new Option('--lang <lang>', 'language of what init tells you').choices(['nl', 'en']).default('nl'))
    .action(async (folder: string, options: { force?: boolean; dryRun?: boolean; lang: 'nl' | 'en' }) => {
      const { existsSync, readdirSync, statSync } = await import('node:fs');
      const { basename, join, resolve } = await import('node:path');
      const { UserError } = await import('../errors.js');
      const { readInputFile } = await import('../ingest/read-file.js');
      const { isWorkbook, readWorkbook } = await import('../ingest/xlsx.js');
      const { isPackagedLayer, readPackagedLayer } = await import('../ingest/layers.js');
      const { parseCsv } = await import('../ingest/csv.js');
      const { describeColumn } = await import('../ingest/inspect.js');
      const { parseJson } = await import('../ingest/geojson.js');
      const { featuresAsCsv } = await import('../ingest/features.js');
      const { draftProject } = await import('../project/init.js');
      const { writeFileAtomic } = await import('./io.js');

      if (!existsSync(folder) || !statSync(folder).isDirectory()) {
        throw new UserError(`${folder} is not a folder`, { file: folder, expected: 'the folder that holds the exports', fix: 'give the path of the project folder' });
      }
      const target = join(folder, 'buurtbalans.yml');
      if (existsSync(target) && !options.force && !options.dryRun) {
        throw new UserError(`${target} already exists`, { file: target, expected: 'a folder without a project file', fix: 'add --force to replace it, or --dry-run to see the draft' });
      }
      const files = readdirSync(folder)
        .filter((name) => !name.startsWith('.') && statSync(join(folder, name)).isFile())
        .sort();
      const tables: import('../project/init.js').FoundTable[] = [];
      const layers: import('../project/init.js').FoundLayer[] = [];
      const skipped: string[] = [];
      const addTable = (name: string, table: import('../ingest/csv.js').CsvTable, headerLine: number | undefined, sheet: string | undefined, features = false) => {
        const values = table.header.map((_, c) => table.column(c));
        tables.push({
          file: name,
          description: { file: name, format: 'csv', encoding: table.dialect.encoding, bom: table.dialect.bom, delimiter: table.dialect.delimiter, decimal: table.dialect.decimal, rows: table.rowCount, columns: table.header.map((column, c) => describeColumn(column, values[c]!, table.dialect.decimal)) },
          values,
          headerLine,
          sheet,
          features,
        });
      };
      for (const name of files) {
        const path = join(folder, name);
        // The project file itself, a readme and the sample's truth are no exports.
        if (/^(buurtbalans\.ya?ml|readme(\.md|\.txt)?|truth\.json)$/i.test(name)) continue;
        if (isPackagedLayer(name) && !/\.shp$/i.test(name)) {
          const sibling = () => undefined;
          const collection = await readPackagedLayer(readInputFile(path, name, { expected: 'a GeoPackage or zipped Shapefile', fix: 'check the file' }), name, undefined, sibling);
          layers.push({ file: name, properties: collection.features.map((feature) => feature.properties ?? {}) });
          continue;
        }
        if (/\.(geo)?json$/i.test(name)) {
          const json = parseJson(readInputFile(path, name, { expected: 'GeoJSON', fix: 'check the file' }).toString('utf8').replace(/^\ufeff/, ''), name) as { features?: { geometry?: { type?: string } | null; properties?: Record<string, unknown> | null }[] };
          const features = Array.isArray(json.features) ? json.features : [];
          if (features.length > 0 && features.every((feature) => /Polygon$/.test(feature.geometry?.type ?? ''))) layers.push({ file: name, properties: features.map((feature) => feature.properties ?? {}) });
          // Points, lines and mixed features: a map of signals (a gevoelskaart), read as a table of its features.
          else if (features.length > 0) addTable(name, parseCsv(new TextEncoder().encode(featuresAsCsv(JSON.stringify(json), name)), name, { encoding: 'utf-8', delimiter: ',', decimal: '.' }), undefined, undefined, true);
          else skipped.push(name);
          continue;
        }
        if (!/\.(csv|txt|tsv|xlsx)$/i.test(name)) {
          skipped.push(name);
          continue;
        }
        const bytes = readInputFile(path, name, { expected: 'a CSV or .xlsx export', fix: 'check the file' });
        const workbook = isWorkbook(name, bytes) ? await readWorkbook(bytes, name, undefined) : undefined;
        const text = workbook?.csv ?? bytes;
        const override = workbook ? { encoding: 'utf-8' as const, delimiter: ',' as const } : {};
        let headerLine: number | undefined;
        let table;
        try {
          table = parseCsv(text, name, override);
        } catch (error) {
          // Column names below a title: read from there, and say so in the draft.
          if (!(error instanceof UserError) || !/column names seem to be on line/.test(error.message) || error.line === undefined) throw error;
          headerLine = error.line;
          table = parseCsv(text, name, { ...override, headerLine });
        }
        addTable(name, table, headerLine, workbook?.sheet);
      }
      const draft = draftProject(basename(resolve(folder)), tables, layers);
      const lang = options.lang;
      const lines = [lang === 'nl' ? `Gevonden in ${folder}:` : `Found in ${folder}:`];
      for (const remark of draft.remarks.filter((r) => r.kind === 'found')) lines.push(`  ${remark[lang]}`);
      const checks = draft.remarks.filter((r) => r.kind === 'check');
      if (skipped.length > 0) checks.push({ kind: 'check', nl: `Niet gebruikt: ${skipped.join(', ')} (geen CSV, .xlsx, GeoJSON, GeoPackage of Shapefile).`, en: `Not used: ${skipped.join(', ')} (no CSV, .xlsx, GeoJSON, GeoPackage or Shapefile).` });
      checks.push({ kind: 'check', nl: 'Vul bij elke bron de organisatie in (organisation:), kijk de regels met # ? na en voer dan buurtbalans check en buurtbalans analyse uit.', en: 'Fill in each source\'s organisation (organisation:), look at the lines marked # ?, then run buurtbalans check and buurtbalans analyse.' });
      lines.push(lang === 'nl' ? 'Controleer:' : 'Check:');
      for (const remark of checks) lines.push(`  - ${remark[lang]}`);
      if (options.dryRun) {
        io.stdout(draft.yaml);
      } else {
        writeFileAtomic(target, draft.yaml);
        lines.push(lang === 'nl' ? `Geschreven: ${target}` : `Written: ${target}`);
      }
      io.stderr(`${lines.join('\n')}\n`);
    });
}
