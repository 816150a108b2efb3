import { Command } from 'commander';
import type { CliIo } from './io.js';

/** `buurtbalans report [PROJECT|ANALYSIS_DIR] [--format html,pdf,md] [--lang nl|en] [--out DIR]`. */
export function create(io: CliIo): Command {
  return new Command('report')
    .description('write the report of an analysis: self-contained HTML, A4 PDF and Markdown, Dutch by default')
    .argument('[target]', 'a project (buurtbalans.yml or its folder) or an analysis folder with analysis.json', '.')
    .option('--format <list>', 'comma-separated: html, pdf, md', 'html,pdf,md')
    .option('--lang <lang>', 'nl or en (default: the language of the analysis folder, or report.lang of the project file, else nl)')
    .option('--out <dir>', 'folder for the report (default: rapport/ in the output folder)')
    .option('--internal', 'mark the maps VERTROUWELIJK')
    .option('--shareable', 'from a folder written with --internal: run disclosure control again on its project and write shareable outputs beside the folder')
    .option('--date <yyyy-mm-dd>', 'date on the cover and maps (default: today, or SOURCE_DATE_EPOCH)')
    .action(async (target: string, options: { format: string; lang?: string; out?: string; internal?: boolean; shareable?: boolean; date?: string }) => {
      const { UserError } = await import('../errors.js');
      const formats = options.format.split(',').map((f) => f.trim());
      const unknown = formats.find((f) => !['html', 'pdf', 'md'].includes(f));
      if (unknown) throw new UserError(`unknown report format "${unknown}"`, { expected: 'html, pdf or md, comma-separated', fix: 'for example --format html,pdf' });
      if (options.lang !== undefined && options.lang !== 'nl' && options.lang !== 'en') throw new UserError(`unknown language "${options.lang}"`, { expected: 'nl or en', fix: 'use --lang nl or --lang en' });
      const { join } = await import('node:path');
      // The figures' thread loads vega and pdfkit while the analysis folder is read (or the project analysed).
      const figures = formats.some((format) => format !== 'html') && (await import('./threads.js')).threadsFor(undefined) > 1 ? (await import('../report/figure-thread.js')).figureThread() : undefined;
      const { loadTarget } = await import('./target.js');
      const { writeReport } = await import('./write-report.js');
      const { mapInput, outDir, internal } = await loadTarget(target, { internal: options.internal ?? false, shareable: options.shareable ?? false }, io.stderr);
      const dir = options.out ?? join(outDir, 'rapport');
      const lang = options.lang === 'nl' || options.lang === 'en' ? options.lang : (mapInput.result.project.lang ?? 'nl');
      const written = await writeReport(mapInput, dir, { formats: formats as ('html' | 'pdf' | 'md')[], lang, internal, date: options.date, figures }).finally(() => figures?.close());
      io.stderr(`${lang === 'nl' ? 'geschreven' : 'wrote'}: ${written.map((file) => join(dir, file)).join(', ')}\n`);
    });
}
