import { isAbsolute, relative } from 'node:path';
import type { ProjectConfig } from '../project/schema.js';
import type { Progress } from '../progress.js';
import { parseCsv, type CsvTable, type DialectOverride } from './csv.js';
import { featuresAsCsv, isFeatureFile } from './features.js';

/** The register or a source: a file the project reads as a table. */
export type ExportConfig = ProjectConfig['sources'][number] | NonNullable<ProjectConfig['addresses']>;

/** An export's name in messages: as the user gave it, never an absolute path made up here (prepare gives its own). */
export function exportLabel(config: ExportConfig): string {
  return isAbsolute(config.file) ? relative(process.cwd(), config.file) || config.file : config.file;
}

/** Whether the export is a GeoJSON of points, lines or polygons (a gevoelskaart) read as rows with their coordinates. */
function isFeatureExport(config: ExportConfig): boolean {
  return 'place_by' in config && isFeatureFile(config.file);
}

/** A CSV export's bytes, or a feature export's, as a table, in the dialect the project gives. */
export function parseExport(bytes: Uint8Array, config: ExportConfig, label: string, progress?: Progress): CsvTable {
  return isFeatureExport(config)
    ? parseCsv(new TextEncoder().encode(featuresAsCsv(new TextDecoder().decode(bytes), label, 'place_by' in config ? config.crs : undefined)), label, { encoding: 'utf-8', delimiter: ',', decimal: '.' }, progress)
    : parseCsv(bytes, label, dialectOverride(config), progress);
}

function dialectOverride(config: ExportConfig): DialectOverride {
  return { encoding: config.encoding, delimiter: config.delimiter, decimal: config.decimal, headerLine: config.header_line };
}
