import { Command } from 'commander';
import type { CliIo } from './io.js';

/** `buurtbalans inspect FILE [--json]`: what a file holds, before writing the project file. */
export function create(io: CliIo): Command {
  return new Command('inspect')
    .description('show the format, dialect and columns of an export (CSV or GeoJSON)')
    .argument('<file>', 'a CSV or GeoJSON export')
    .option('--json', 'print the description as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const { readInputFile } = await import('../ingest/read-file.js');
      const { inspectFile } = await import('../ingest/inspect.js');
      const bytes = readInputFile(file, file, { expected: 'a CSV or GeoJSON export', fix: 'check the path' });
      const description = inspectFile(bytes, file);
      if (options.json) {
        io.stdout(`${JSON.stringify(description, null, 2)}\n`);
        return;
      }
      const lines = [
        `${file}: ${description.format}, ${description.rows} ${description.format === 'csv' ? 'data rows' : 'features'}`,
        description.format === 'csv'
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
      io.stdout(`${lines.join('\n')}\n`);
    });
}
