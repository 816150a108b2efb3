import { Command } from 'commander';
import { ExitCode } from '../errors.js';
import type { CliIo } from './io.js';

/** `buurtbalans audit DIR [--json]`: what an attacker with the published files can say about every hidden count. */
export function create(io: CliIo): Command {
  return new Command('audit')
    .description('check an output folder as an attacker would: per hidden count the range it could lie in, given everything published (exit 1 when one is too narrow)')
    .argument('<dir>', 'an analysis folder (with analysis.json) written by analyse')
    .option('--json', 'print every hidden cell with its interval as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      const { join } = await import('node:path');
      const { readAnalysisFolder } = await import('./analysis-folder.js');
      const { publishedTables } = await import('../privacy/published.js');
      const { auditCells } = await import('../privacy/audit.js');
      const { loadSolver } = await import('../privacy/solver.js');
      const highs = await loadSolver();
      const started = performance.now();
      const { result } = await readAnalysisFolder(dir, { outlines: false });
      const tables = publishedTables(result, join(dir, 'analysis.json'));
      const audits = tables.map(({ label, model, shown }) => ({ label, ...auditCells(model, highs, 'intervals', shown) }));
      const seconds = (performance.now() - started) / 1000;
      const unprotected = audits.reduce((sum, audit) => sum + audit.unprotected.length, 0);
      if (options.json) {
        io.stdout(`${JSON.stringify({ protected: unprotected === 0, tables: audits.map(({ label, cells, unprotected: bad, components, largest_component, solves }) => ({ label, hidden_cells: cells.length, unprotected: bad.length, components, largest_component, solves, cells })) })}\n`);
      } else {
        const lines: string[] = [];
        for (const audit of audits) {
          lines.push(`${audit.label}: ${audit.cells.length} hidden cells in ${audit.components} independent groups (largest ${audit.largest_component}), ${audit.solves} linear programs`);
          for (const cell of audit.cells) {
            const range = cell.method === 'certificate' ? `${cell.lower} as well as ${cell.upper} (two tables found)` : cell.method === 'none' ? 'not decided (no certificate found, too many cells for the solver)' : `${cell.lower} to ${cell.upper ?? 'unbounded'}`;
            lines.push(`  ${cell.protected ? 'ok ' : 'NOT'}  ${cell.key} in ${cell.block ?? 'the area total'}: could be ${range} (must cover ${cell.floor} to ${cell.protection} or as wide a range reaching ${cell.protection}, or be at least ${cell.protection})`);
          }
        }
        const undecided = audits.reduce((sum, audit) => sum + audit.unprotected.filter((cell) => cell.method === 'none').length, 0);
        if (unprotected === 0) lines.push(`every hidden count could be anywhere from the least it can be (1 for whole counts, where zeros are shown) to its threshold (${seconds.toFixed(2)} s)`);
        else if (undecided < unprotected) lines.push(`${unprotected - undecided} hidden count(s) can be narrowed below their protection: do not share this folder`);
        if (undecided > 0) lines.push(`${undecided} hidden count(s) could not be decided here (components too large to solve cell by cell, and no certificate found from the table the solver gave); analyse's own audit decides them on the true table`);
        io.stdout(`${lines.join('\n')}\n`);
      }
      if (unprotected > 0) throw new ExitCode(1);
    });
}
