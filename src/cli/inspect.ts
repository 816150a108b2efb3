import { Command } from 'commander';
import type { CliIo } from './io.js';

/** `buurtbalans inspect FILE [--json]`: what a file holds, before writing the project file. */
export function create(io: CliIo): Command {
  return new Command('inspect')
    .description('show the format, dialect and columns of an export (CSV, Excel .xlsx or GeoJSON)')
    .argument('<file>', 'a CSV, .xlsx or GeoJSON export')
    .option('--sheet <name>', 'the sheet of an .xlsx workbook (by name or number) or the layer of a GeoPackage or zipped Shapefile')
    .option('--json', 'print the description as JSON')
    .action(async (file: string, options: { json?: boolean; sheet?: string }) => {
      const { readInputFile } = await import('../ingest/read-file.js');
      const { inspectFile } = await import('../ingest/inspect.js');
      const { isWorkbook, readWorkbook } = await import('../ingest/xlsx.js');
      const bytes = readInputFile(file, file, { expected: 'a CSV, .xlsx or GeoJSON export', fix: 'check the path' });
      const sheet = options.sheet === undefined ? undefined : /^\d+$/.test(options.sheet) ? Number(options.sheet) : options.sheet;
      const { isPackagedLayer, readPackagedLayer } = await import('../ingest/layers.js');
      // A GeoPackage or Shapefile is described as the GeoJSON it reads as (its CRS from the file).
      const layer = isPackagedLayer(file) && !/\.shp$/i.test(file) ? Buffer.from(JSON.stringify(await readPackagedLayer(bytes, file, options.sheet, () => undefined))) : undefined;
      const workbook = !layer && isWorkbook(file, bytes) ? await readWorkbook(bytes, file, sheet) : undefined;
      const description = { ...inspectFile(layer ?? workbook?.csv ?? bytes, layer ? `${file}.geojson` : file), file, ...(workbook ? { workbook: { sheet: workbook.sheet } } : {}) };
      if (options.json) {
        io.stdout(`${JSON.stringify(description, null, 2)}\n`);
        return;
      }
      const lines = [
        `${file}: ${workbook ? 'xlsx' : layer ? (/\.gpkg$/i.test(file) ? 'GeoPackage' : 'Shapefile') : description.format}, ${description.rows} ${description.format === 'csv' ? 'data rows' : 'features'}`,
        workbook
          ? `Excel workbook, sheet "${workbook.sheet}"`
          : description.format === 'csv'
          ? `encoding ${description.encoding}${description.bom ? ' with BOM' : ''}, delimiter "${description.delimiter}", decimal "${description.decimal}"`
          : `geometry ${description.geometry?.types.join(', ')}, crs ${description.geometry?.crs}`,
        '',
      ];
      const rows = [['column', 'type', 'nulls', 'role', 'examples']];
      for (const column of description.columns) {
        rows.push([column.name, column.type, String(column.nulls), column.role ?? '', column.personal ? '(hidden: looks personal)' : column.examples.map((example) => example.replace(/\n/g, '↵')).join(' | ')]);
      }
      const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
      for (const row of rows) lines.push(row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
      // Dates where an address belongs are Excel damage: house number 2-1 became 2-jan.
      for (const column of description.columns) {
        const dates = workbook?.dates.get(column.name);
        if (dates && column.type !== 'date') lines.push(`note: column "${column.name}" holds ${dates.count} date(s) (line ${dates.line}: ${dates.shown}); if it holds house numbers, Excel turned values such as 2-1 into dates`);
      }
      io.stdout(`${lines.join('\n')}\n`);
    });
}
