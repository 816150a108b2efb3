import chalk from 'chalk';
import { relative } from 'node:path';
import type { AnalysisResult } from '../analysis/result.js';
import type { Warning } from '../errors.js';
import { workbookBlockLimit } from '../output/workbook.js';

/** The short table `analyse` shows on stderr: per source rows read, placed %, reasons. */
export function formatSummary(result: AnalysisResult, outDir: string, lang: 'nl' | 'en' = 'en', mapFiles: string[] = [], local: readonly Warning[] = []): string {
  const rows: string[][] = [['source', 'placed by', 'rows', 'placed', 'placed %', 'not placed (reasons)']];
  const addRow = (name: string, route: string, read: number | null, placed: number | null, reasons: Record<string, number>) =>
    rows.push([name, route, shown(read), shown(placed), percent(placed, read), Object.entries(reasons).map(([r, n]) => `${r} ${n}`).join(', ')]);
  if (result.register) addRow('(addresses)', 'register', result.register.rows_read, result.register.rows_placed, result.register.unplaced_reasons);
  for (const source of result.sources) addRow(source.name, source.place_by, source.rows_read, source.rows_placed, source.unplaced_reasons);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const numeric = new Set([2, 3, 4]);
  const lines = rows.map((row, r) => {
    const text = row.map((cell, c) => (c === row.length - 1 ? cell : numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ');
    return r === 0 ? chalk.bold(text) : text;
  });
  const { totals } = result;
  lines.push('');
  lines.push(`${result.project.name}: ${result.blocks.length} blocks, ${shown(totals.rows_placed)} of ${shown(totals.rows_read)} rows placed (${percent(totals.rows_placed, totals.rows_read)})`);
  if (result.pc6_split.length > 0) lines.push(`${result.pc6_split.length} PC6 areas are split over blocks; each goes wholly to the block with most of its addresses (see analysis.json pc6_split)`);
  if (result.findings.length > 0) {
    lines.push('');
    lines.push(chalk.bold(lang === 'nl' ? 'Sterkste bevindingen' : 'Strongest findings'));
    result.findings.slice(0, 3).forEach((finding, i) => lines.push(`${i + 1}. ${finding.text[lang]}`));
    lines.push('');
  }
  // Built-ins whose inputs a project simply has not mapped are one line, not one alarm each.
  const unmapped = result.skipped_indicators.filter((skipped) => skipped.missing);
  if (unmapped.length > 0) {
    lines.push(`note: ${unmapped.length} built-in Buurtbalans indicator(s) off, their data are not mapped: ${unmapped.map((s) => s.id).join(', ')}; map them under measures: in buurtbalans.yml (buurtbalans init --dry-run drafts them)`);
  }
  for (const skipped of result.skipped_indicators.filter((s) => !s.missing)) lines.push(`note: indicator ${skipped.id} skipped: ${skipped.reason}`);
  // Unplaced rows are in the table above; the other warnings are news.
  for (const warning of [...result.warnings.filter((w) => w.code !== 'rows_unplaced'), ...local]) {
    lines.push(chalk.yellow(`warning: ${warning.source ? `${warning.source}: ` : ''}${warning.message}`));
  }
  const where = relative(process.cwd(), outDir) || '.';
  if ((result.totals.rows_unplaced ?? 1) > 0) lines.push(`every row not placed is listed with its line and reason in ${where}/unplaced.csv`);
  const maps = mapFiles.filter((f) => f.startsWith('maps/'));
  const big = maps.filter((f) => f.startsWith('maps/overzicht'));
  const report = mapFiles.filter((f) => f.startsWith('rapport/'));
  const extra = [
    ...(maps.length > 0 ? [`${maps.length} maps in maps/${big.length > 0 ? ` (the big map: ${big.join(', ')})` : ''}`] : []),
    ...(report.length > 0 ? [`the report: ${report.join(', ')}`] : []),
  ];
  lines.push(`written to ${where}/: analysis.json, blocks.geojson, blocks.csv${result.blocks.length <= workbookBlockLimit ? ', blocks.xlsx' : ''}, unplaced.csv${extra.map((part, i) => `${i === extra.length - 1 ? ' and' : ','} ${part}`).join('')}`);
  return `${lines.join('\n')}\n`;
}

function percent(part: number | null, whole: number | null): string {
  return part === null || whole === null ? 'hidden' : whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** A count disclosure control hid is shown as such, never as a number. */
function shown(count: number | null): string {
  return count === null ? 'hidden' : String(count);
}
