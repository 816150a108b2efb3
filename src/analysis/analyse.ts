import type { Warning } from '../errors.js';
import { PolygonIndex } from '../geo/polygon-index.js';
import type { CsvTable } from '../ingest/csv.js';
import type { BlockLayer } from '../ingest/geojson.js';
import { parseCountCell } from '../ingest/values.js';
import { columnIndex } from '../ingest/csv.js';
import { placeSource, type SourcePlacement } from '../join/place.js';
import { buildRegister } from '../join/register.js';
import type { ProjectConfig, SourceConfig } from '../project/schema.js';
import type { AnalysisResult, BlockRow, FileDialect, SourceSummary, UnplacedRow } from './result.js';

/** Everything `analyse` needs, already read from disk by the ingest stage. */
export interface AnalysisInput {
  project: ProjectConfig;
  /** The project file's name as shown in outputs (relative, never an absolute path). */
  projectFile: string;
  blocks: BlockLayer;
  register: CsvTable | undefined;
  sources: { config: SourceConfig; table: CsvTable }[];
  tool: { name: string; version: string };
}

export interface AnalysisOutput {
  result: AnalysisResult;
  unplaced: UnplacedRow[];
}

/**
 * Places every record of every source in an address block and builds the block table.
 * Pure: reads nothing, prints nothing; problems come back as warnings.
 */
export function analyse(input: AnalysisInput): AnalysisOutput {
  const { project, blocks } = input;
  const blockCount = blocks.ids.length;
  const index = new PolygonIndex(blocks.shapes);
  const blockById = new Map(blocks.ids.map((id, i) => [id, i]));
  const warnings: Warning[] = [];
  const unplaced: UnplacedRow[] = [];

  const register = input.register && project.addresses ? buildRegister(input.register, project.addresses, blocks, index, blockById) : undefined;
  if (register && input.register) {
    const tally = register.tally;
    if (tally.unplacedRecords.length > 0) {
      warnings.push({
        code: 'register_addresses_unplaced',
        message: `${tally.unplacedRecords.length} of ${input.register.rows.length} register addresses lie in no block (${describeReasons(tally.sortedReasons())}); records at those addresses stay unplaced`,
      });
    }
    for (const { line, reason } of tally.unplacedRecords) unplaced.push({ source: 'addresses', line, reason });
  }

  const table = new BlockTable(blockCount);

  const sources: SourceSummary[] = input.sources.map(({ config, table: csv }) => {
    const placement = placeSource(csv, config, { index, blockById, register });
    for (const { line, reason } of placement.tally.unplacedRecords) unplaced.push({ source: config.name, line, reason });
    const summary: SourceSummary = {
      name: config.name,
      file: csv.file,
      place_by: config.place_by,
      kind: config.counts ? 'aggregated' : 'records',
      rows_read: csv.rows.length,
      rows_placed: placement.tally.rowsPlaced,
      rows_unplaced: placement.tally.unplacedRecords.length,
      unplaced_reasons: placement.tally.sortedReasons(),
      ...dialectOf(csv),
    };
    if (placement.matchLevels) summary.match_levels = placement.matchLevels;
    if (config.counts) {
      sumCountColumns(config, csv, placement, summary, table, warnings);
    } else {
      const perBlock = table.addKey(config.name, false).counts;
      for (const block of placement.blockOfRow) if (block >= 0) perBlock[block]!++;
    }
    if (summary.rows_unplaced > 0) {
      warnings.push({
        code: 'rows_unplaced',
        source: config.name,
        message: `${summary.rows_unplaced} of ${summary.rows_read} rows not placed (${describeReasons(summary.unplaced_reasons)}); see unplaced.csv`,
      });
    }
    return summary;
  });

  const blockRows: BlockRow[] = blocks.ids.map((id, b) => ({
    id,
    label: blocks.labels[b]!,
    addresses: register ? register.addressesPerBlock[b]! : 0,
    ...table.row(b),
  }));

  const rowsRead = sources.reduce((sum, s) => sum + s.rows_read, 0);
  const rowsPlaced = sources.reduce((sum, s) => sum + s.rows_placed, 0);
  return {
    result: {
      tool: input.tool,
      project: { name: project.name, period: project.period ?? null, file: input.projectFile },
      blocks_file: { file: blocks.file, crs: blocks.crs, features: blockCount },
      register:
        register && input.register
          ? {
              file: input.register.file,
              rows_read: input.register.rows.length,
              rows_placed: register.tally.rowsPlaced,
              rows_unplaced: register.tally.unplacedRecords.length,
              unplaced_reasons: register.tally.sortedReasons(),
              pc6_count: register.pc6Block.size,
              ...dialectOf(input.register),
            }
          : null,
      sources,
      blocks: blockRows,
      pc6_split: register?.pc6Split ?? [],
      totals: {
        rows_read: rowsRead,
        rows_placed: rowsPlaced,
        rows_unplaced: rowsRead - rowsPlaced,
        placed_share: rowsRead === 0 ? 0 : Math.round((rowsPlaced / rowsRead) * 10000) / 10000,
      },
      warnings,
    },
    unplaced,
  };
}

/** Per-block sums of every count key, with unknown cells for aggregated keys. */
class BlockTable {
  private readonly columns = new Map<string, { counts: Float64Array; unknown: Int32Array | undefined }>();

  constructor(private readonly blockCount: number) {}

  addKey(key: string, withUnknown: boolean) {
    const column = { counts: new Float64Array(this.blockCount), unknown: withUnknown ? new Int32Array(this.blockCount) : undefined };
    this.columns.set(key, column);
    return column;
  }

  row(block: number): Pick<BlockRow, 'counts' | 'unknown_cells'> {
    const counts: Record<string, number> = {};
    const unknown: Record<string, number> = {};
    for (const [key, column] of this.columns) {
      counts[key] = roundCount(column.counts[block]!);
      if (column.unknown) unknown[key] = column.unknown[block]!;
    }
    return { counts, unknown_cells: unknown };
  }
}

function sumCountColumns(config: SourceConfig, table: CsvTable, placement: SourcePlacement, summary: SourceSummary, blockTable: BlockTable, warnings: Warning[]): void {
  summary.unknown_cells = {};
  summary.invalid_cells = {};
  summary.unplaced_totals = {};
  const suppressedPerColumn: string[] = [];
  for (const name of config.counts!) {
    const csvColumn = columnIndex(table, name, `sources[${config.name}].counts`);
    const column = blockTable.addKey(`${config.name}.${name}`, true);
    const perBlock = column.counts;
    const unknown = column.unknown!;
    let suppressed = 0;
    let invalid = 0;
    let unplacedTotal = 0;
    let firstInvalidLine: number | undefined;
    table.rows.forEach((row, i) => {
      const block = placement.blockOfRow[i]!;
      const cell = parseCountCell(row[csvColumn], table.dialect.decimal);
      if (cell.kind === 'number') {
        if (block >= 0) perBlock[block]! += cell.value;
        else unplacedTotal += cell.value;
        return;
      }
      if (cell.kind === 'invalid') {
        invalid++;
        firstInvalidLine ??= table.lines[i];
      } else {
        suppressed++;
      }
      if (block >= 0) unknown[block]!++;
    });
    summary.unknown_cells[name] = suppressed + invalid;
    summary.invalid_cells[name] = invalid;
    summary.unplaced_totals[name] = roundCount(unplacedTotal);
    if (suppressed > 0) suppressedPerColumn.push(`${name} ${suppressed}`);
    if (invalid > 0) {
      warnings.push({
        code: 'invalid_count_cells',
        source: config.name,
        message: `${invalid} cells of column "${name}" are no number (first on line ${firstInvalidLine}); counted as unknown, not zero`,
      });
    }
  }
  if (suppressedPerColumn.length > 0) {
    warnings.push({
      code: 'suppressed_cells',
      source: config.name,
      message: `cells suppressed by the sender (<5, -, ., empty) out of ${table.rows.length} rows: ${suppressedPerColumn.join(', ')}; they are unknown, not zero`,
    });
  }
}

function dialectOf(table: CsvTable): FileDialect {
  return {
    format: 'csv',
    encoding: table.dialect.encoding,
    bom: table.dialect.bom,
    delimiter: table.dialect.delimiter,
    decimal: table.dialect.decimal,
    empty_lines: table.emptyLines,
  };
}

/** Sums of decimal counts (for example hours) keep a stable, readable form. */
function roundCount(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function describeReasons(reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .map(([reason, count]) => `${reason}: ${count}`)
    .join(', ');
}
