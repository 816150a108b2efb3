import { Command } from 'commander';
import { ExitCode } from '../errors.js';
import type { CliIo } from './io.js';
import { threadsFor } from './threads.js';

/** `buurtbalans check [PROJECT] [--json]`: scan every export for personal data before sharing anything. */
export function create(io: CliIo): Command {
  return new Command('check')
    .description('scan every export of a project for personal identifiers (exit 1 when direct identifiers are found)')
    .argument('[project]', 'buurtbalans.yml, or a folder that holds it', '.')
    .option('--json', 'print the findings as JSON')
    .action(async (project: string, options: { json?: boolean }) => {
      const { loadProject, readAhead, resolveProjectPath } = await import('../ingest/load.js');
      const { placeNamesOf, scanRegister, scanSource } = await import('../privacy/protect.js');
      const { toolInfo } = await import('./tool-info.js');
      const projectFile = resolveProjectPath(project);
      // The exports read side by side in worker threads, as analyse reads them.
      const input = loadProject(projectFile, toolInfo(), undefined, await readAhead(projectFile, { threads: threadsFor(undefined), scan: false }));
      const register = input.project.addresses;
      const places = placeNamesOf(input);
      const findings = [
        ...(input.register && register ? scanRegister(register, input.register).map((finding) => ({ ...finding, handled: finding.handled ? 'dropped on reading' : undefined })) : []),
        ...input.sources.flatMap(({ config, table }, index) =>
          scanSource(config, table, index, places, input.project.quotes).map((finding) => ({ ...finding, handled: !finding.handled ? undefined : finding.column === config.signals?.text ? (input.project.quotes ? 'free text of soft signals: a text with it is emptied on reading, never quoted' : 'free text of soft signals: emptied on reading, never in an output') : 'dropped or pseudonymised on reading' })),
        ),
      ];
      const direct = findings.filter((f) => f.kind === 'direct' && !('handled' in f && f.handled));
      if (options.json) {
        io.stdout(`${JSON.stringify({ project: input.project.name, clean: direct.length === 0, findings }, null, 2)}\n`);
      } else {
        const lines = [`${input.project.name}: ${input.sources.length} sources and ${input.register ? 'an address register' : 'no register'} scanned`];
        for (const f of findings) {
          const handled = 'handled' in f && f.handled ? ` (${f.handled})` : '';
          if (f.titleLine !== undefined) {
            lines.push(`IDENTIFIER: ${f.file} title line ${f.titleLine} (above the column names): ${f.rule} — delete the title lines from the export`);
            continue;
          }
          const advice = f.kind === 'direct' ? (handled ? '' : ' — remove before sharing: drop or pseudonymise it') : ' — keep only on this machine';
          lines.push(`${f.kind === 'direct' ? 'IDENTIFIER' : 'quasi-identifier'}: ${f.file} column "${f.column}": ${f.rule}, ${f.count} values${handled}${advice}`);
        }
        lines.push(direct.length === 0 ? 'no direct identifiers: the exports may be analysed' : `${direct.length} finding(s) of direct identifiers: analyse refuses until they are dropped (drop: under the source or addresses), pseudonymised or deleted from the export`);
        io.stdout(`${lines.join('\n')}\n`);
      }
      if (direct.length > 0) throw new ExitCode(1);
    });
}
