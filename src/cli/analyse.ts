import { Command } from 'commander';
import { UserError } from '../errors.js';
import type { CliIo } from './io.js';
import { threadsFor, threadsOption } from './threads.js';
import type { ComposedMap, MapInput } from '../render/map/compose.js';
import type { AnalysisInput, AnalysisOutput } from '../analysis/analyse.js';
import type { InternalResult } from '../analysis/result.js';
import type { ShareableResult } from '../privacy/disclosure.js';
import type { GroupEncoders } from '../output/parquet.js';

/** `buurtbalans analyse [PROJECT] [--out DIR] [--json]`: raw exports to one block table. */
export function create(io: CliIo): Command {
  return new Command('analyse')
    .description('place every record of every source in an address block and write the block table')
    .argument('[project]', 'buurtbalans.yml, or a folder that holds it', '.')
    .option('--out <dir>', 'output folder (default: buurtbalans-output/ beside the project file)')
    .option('--shares <dir>', "a folder of the partners' prepared shares (<source>.deel.csv with their manifests): read instead of those sources' exports")
    .option('--tables <list>', 'which block tables to write: parquet, csv, geojson (comma-separated) or all (default: all up to 5,000 blocks, parquet above; blocks.parquet is always written above 5,000 blocks, where analysis.json is a document)')
    .option('--json', 'print analysis.json to stdout')
    .option('--period <from..to>', 'count dated sources only in this period, for example 2025-01-01..2025-12-31')
    .option('--compare-period <from..to>', 'compare the rates per year with this earlier period, per block')
    .option('--lang <lang>', 'language of the findings, maps, report and blocks.xlsx: nl or en (default: report.lang of the project file, else nl)')
    .option('--no-maps', 'write no maps')
    .option('--no-report', 'write no report')
    .option('--internal', 'for internal use: no suppression of small counts, every map and report marked VERTROUWELIJK')
    .option('--date <yyyy-mm-dd>', 'creation date printed on the maps (default: today, or SOURCE_DATE_EPOCH)')
    .option(...threadsOption)
    .option('--timings', 'print the time of every stage as JSON on stderr (for the benchmark)')
    .option('--quiet', 'no summary on stderr')
    .action(async (project: string, options: { out?: string; shares?: string; tables?: string; json?: boolean; quiet?: boolean; period?: string; comparePeriod?: string; lang?: string; maps: boolean; report: boolean; internal?: boolean; date?: string; timings?: boolean; threads?: number }) => {
      const { dirname, join, resolve } = await import('node:path');
      const { loadProject, readAhead, resolveProjectPath } = await import('../ingest/load.js');
      const { analyse } = await import('../analysis/analyse.js');
      const { analysisJson, blocksCsv, blocksGeoJson, chunked, unplacedCsv } = await import('../output/tables.js');
      const { blocksWorkbook, workbookBlockLimit } = await import('../output/workbook.js');
      const { writeFileAtomic, writePiecesAtomic } = await import('./io.js');
      const { toolInfo } = await import('./tool-info.js');
      const { formatSummary, formatWarning } = await import('./summary.js');

      // Startup: from the process's start to here (Node itself, commander and the pipeline's modules).
      const stages: Record<string, number> = { startup: Math.round(performance.now()) };
      const threadsUsed = { exports: 0, placing: 0, parquet: false, figures: false, neighbours: false, certificates: 0 };
      let lapStart = performance.now();
      const lap = (name: string) => {
        const now = performance.now();
        stages[name] = Math.round(now - lapStart);
        lapStart = now;
      };
      const projectFile = resolveProjectPath(project);
      // Checked before the analysis; which tables the default means depends on how many blocks it gives.
      if (options.tables !== undefined) tableChoice(options.tables);
      const { parsePeriod } = await import('../filter/period.js');
      const { projectSecret } = await import('./secret.js');
      const { progressReporter, stderrTerminalColumns } = await import('./progress.js');
      // HiGHS (WebAssembly) audits the shareable output; loaded once, before the pure stages run.
      const highs = options.internal ? undefined : await (await import('../privacy/solver.js')).loadSolver();
      // The audit's certificates of the hidden cells, shared with a worker thread where --threads allows.
      const certificates = { threads: threadsFor(options.threads), inWorker: 0 };
      // Charts and PDFs get a thread of their own, started now: vega and pdfkit load while this one analyses.
      const figures = (options.report || options.maps) && threadsFor(options.threads) > 1 ? (await import('../report/figure-thread.js')).figureThread() : undefined;
      const columns = stderrTerminalColumns();
      const bar = columns && !options.quiet && !process.env.CI ? progressReporter({ columns, write: io.stderr }) : { progress: undefined, clear: () => {} };
      let input: AnalysisInput;
      let analysed: AnalysisOutput<InternalResult | ShareableResult>;
      let encoders: Promise<GroupEncoders | undefined> | undefined;
      try {
        if (options.lang !== undefined && options.lang !== 'nl' && options.lang !== 'en') {
          const { UserError } = await import('../errors.js');
          throw new UserError(`unknown language "${options.lang}"`, { expected: 'nl or en', fix: 'use --lang nl or --lang en' });
        }
        const ahead = await readAhead(projectFile, { threads: threadsFor(options.threads), progress: bar.progress, shares: options.shares });
        input = loadProject(projectFile, toolInfo(), bar.progress, ahead);
        // Said with --timings: how much of the work went to worker threads.
        threadsUsed.exports = ahead.tables?.size ?? 0;
        // --lang overrides the project's report.lang for everything this run writes and says.
        input.project.report.lang = runLanguage(options.lang, input);
        input.secret = projectSecret(projectFile, input, io.stderr, input.project.report.lang);
        lap('ingest');
        // A wrong --date is said before the analysis, not after it (or never, with --no-maps --no-report).
        if (options.date !== undefined) (await import('./dates.js')).creationDate(options.date);
        if (options.period) input.period = parsePeriod(options.period, '--period');
        if (options.comparePeriod) {
          if (!input.period) {
            const { UserError } = await import('../errors.js');
            throw new UserError('--compare-period needs a period to compare with', { expected: 'period: in buurtbalans.yml, or --period', fix: 'add --period 2025-01-01..2025-12-31 (the later period)' });
          }
          input.comparePeriod = parsePeriod(options.comparePeriod, '--compare-period');
          if (input.comparePeriod.start <= input.period.end && input.period.start <= input.comparePeriod.end) {
            const { UserError } = await import('../errors.js');
            throw new UserError(`--compare-period ${input.comparePeriod.text} overlaps the period ${input.period.text}`, {
              expected: 'an earlier period that does not overlap: every report counts in one period only',
              fix: `for example --compare-period ending before ${input.period.start}`,
            });
          }
        }
        // The neighbour lists, which depend on the outlines alone, are made on the other core while this one places and counts.
        if (threadsFor(options.threads) > 1) input.neighbours = (await import('../spatial/neighbour-thread.js')).neighboursAhead(input.blocks.shapes, (await import('../indicators/spatial.js')).neighbourSpec(input.project.spatial));
        // A large point source, and a large register placed by point, are placed on every core; the workers load while the inputs are checked.
        const { placedInThreads, placingThreads } = await import('../join/placing-thread.js');
        const { registerPlacedByPoint } = await import('../join/register.js');
        const registerRoute = input.register && input.project.addresses && registerPlacedByPoint(input.project.addresses) ? [{ route: 'point', rows: input.register.rowCount }] : [];
        const routes = [...registerRoute, ...input.sources.map((source) => ({ route: source.config.place_by, rows: source.table.rowCount }))];
        const largePointTables = routes.filter(({ route, rows }) => placedInThreads(route, rows)).length * (input.comparePeriod ? 2 : 1);
        if (threadsFor(options.threads) > 1 && largePointTables > 0) input.placingThreads = placingThreads(threadsFor(options.threads), largePointTables);
        // blocks.parquet's encoders start now and warm up on the other core while this one analyses.
        encoders = (await import('../output/parquet.js')).encodersAhead(input.blocks.ids.length, threadsFor(options.threads));
        lapStart = performance.now();
        // Nothing after the analysis reads the exports; the register only for the maps' street names.
        input.releaseTables = options.maps || options.report ? 'sources' : 'all';
        // Everything written is shareable unless --internal: disclosure control protects the block
        // table before any figure is derived, and the audit must pass.
        const { permutationPool, worthThreads } = await import('../spatial/pool.js');
        const pool = permutationPool(threadsFor(options.threads));
        if (worthThreads(input.blocks.ids.length, (await import('../spatial/defaults.js')).permutationsFor(input.project.spatial.permutations, input.blocks.ids.length))) await pool.start();
        input.permutationRunner = pool.run;
        try {
          analysed = highs ? analyse(input, { highs, certificates }) : analyse(input);
        } finally {
          await pool.close();
          await input.placingThreads?.close();
        }
      } finally {
        bar.clear();
      }
      Object.assign(stages, analysed.timings);
      threadsUsed.neighbours = input.neighbours?.taken() ?? false;
      threadsUsed.certificates = certificates.inWorker;
      threadsUsed.placing = input.placingThreads?.rowsInWorkers ?? 0;
      lapStart = performance.now();
      const result = analysed.result;
      const { documentAbove } = await import('../output/document.js');
      const isDocument = result.blocks.length > documentAbove;
      const tables = tableChoice(options.tables ?? (isDocument ? 'parquet' : 'all'));
      // Above 5,000 blocks analysis.json is a document: its per-block tables are in blocks.parquet.
      if (isDocument) tables.add('parquet');
      const lang = input.project.report.lang;
      const unplaced = analysed.unplaced;
      const outDir = options.out ? resolve(options.out) : join(dirname(projectFile), 'buurtbalans-output');
      if (outDir === dirname(projectFile)) {
        const { UserError } = await import('../errors.js');
        throw new UserError('the output folder is the project folder itself', {
          file: outDir,
          expected: 'an output folder apart from the exports, so no output can overwrite an input',
          fix: 'leave --out out (buurtbalans-output/ beside the project file is the default) or choose another folder',
        });
      }
      // The charts are drawn in their thread while this one writes the tables and composes the maps.
      const reporting = options.report && input.project.report.enabled;
      const prepared = figures && reporting ? (await import('../report/build.js')).prepareReport(result, { formats: input.project.report.formats, lang, date: (await import('./dates.js')).creationDate(options.date), figures }) : undefined;
      threadsUsed.figures = figures !== undefined && (prepared?.charts !== undefined || (options.maps && input.project.maps.enabled));
      if (!threadsUsed.figures) figures?.close();
      // Everything goes into a temporary folder first; it replaces the output folder only when whole.
      const { writeWhole } = await import('./output-folder.js');
      const { mapFiles, reportFiles } = await writeWhole(outDir, async (dir) => {
        try {
          // blocks.parquet first: its worker thread encodes while this one writes the other files.
          const parquet = tables.has('parquet')
            ? (await import('../output/parquet.js')).writeBlocksParquet(join(dir, 'blocks.parquet'), result, input.blocks.shapes, `${toolInfo().name} ${toolInfo().version}`, { progress: bar.progress, encoders })
            : undefined;
          // Its failure is thrown where it is awaited, below, not as an unhandled rejection before.
          parquet?.catch(() => undefined);
          await writePiecesAtomic(join(dir, 'analysis.json'), analysisJson(result, bar.progress));
          if (tables.has('geojson')) await writePiecesAtomic(join(dir, 'blocks.geojson'), blocksGeoJson(result, input.blocks.geometries, bar.progress));
          if (tables.has('csv')) await writePiecesAtomic(join(dir, 'blocks.csv'), blocksCsv(result, bar.progress));
          await writePiecesAtomic(join(dir, 'unplaced.csv'), unplacedCsv(unplaced));
          threadsUsed.parquet = (await parquet) ?? false;
          if (result.blocks.length <= workbookBlockLimit) {
            writeFileAtomic(join(dir, 'blocks.xlsx'), await blocksWorkbook(result, lang));
          }
        } finally {
          bar.clear();
        }
        lap('writing_tables');
        // Projected block outlines serve the maps and the report's maps: made once, when either is wanted.
        let projected: MapInput | undefined;
        const mapInput = async () => (projected ??= (await import('../render/map/input.js')).mapInputFromProject(input, result));
        // The report first: this thread composes its maps, the figures' thread draws its charts and PDF
        // while this one composes the maps, whose PDFs that thread draws too.
        const report = reporting
          ? (await import('./write-report.js')).writeReport(await mapInput(), join(dir, 'rapport'), { formats: input.project.report.formats, lang, internal: options.internal ?? false, date: options.date, prepared, figures })
          : undefined;
        report?.catch(() => undefined);
        const mapFiles: string[] = [];
        if (options.maps && input.project.maps.enabled) {
          const { creationDate } = await import('./dates.js');
          const { defaultMapJobs, renderMap } = await import('../render/maps.js');
          const common = { date: creationDate(options.date), version: toolInfo().version, lang, internal: options.internal ?? false };
          const written: Promise<void>[] = [];
          const composedMaps = new Map<string, ComposedMap>();
          for (const job of defaultMapJobs(result, input.project.maps, common)) {
            const rendered = renderMap(await mapInput(), job, figures?.pdf, composedMaps);
            rendered.catch(() => undefined);
            written.push(rendered.then(({ content }) => writeFileAtomic(join(dir, 'maps', job.file), content)));
            mapFiles.push(`maps/${job.file}`);
          }
          await Promise.all(written);
        }
        lap('maps');
        const reportFiles = ((await report) ?? []).map((file) => `rapport/${file}`);
        figures?.close();
        lap('report');
        return { mapFiles, reportFiles };
      });
      if (options.timings) io.stderr(`timings ${JSON.stringify({ ...Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, Math.round(v)])), max_rss_kb: process.resourceUsage().maxRSS, worker_threads: threadsUsed })}\n`);
      if (options.json) for (const chunk of chunked(analysisJson(result), 1 << 20)) io.stdout(chunk);
      const tableFiles = ['analysis.json', ...(['geojson', 'csv', 'parquet'] as const).filter((kind) => tables.has(kind)).map((kind) => `blocks.${kind}`), ...(result.blocks.length <= workbookBlockLimit ? ['blocks.xlsx'] : []), 'unplaced.csv'];
      if (!options.quiet) io.stderr(formatSummary(result, outDir, lang, [...tableFiles, ...mapFiles, ...reportFiles], analysed.local));
      // A filter that matches nothing is a wrong result in the making: said even with --quiet.
      else for (const warning of analysed.local) io.stderr(`${formatWarning(warning, lang)}\n`);
    });
}

/** One language for everything a run writes and says: --lang, else the project's report.lang (Dutch by default). */
function runLanguage(option: string | undefined, input: AnalysisInput): 'nl' | 'en' {
  return option === 'en' || option === 'nl' ? option : input.project.report.lang;
}

/** The block tables `--tables` asks for: parquet, csv, geojson, a list of them, or all. */
function tableChoice(option: string): Set<'parquet' | 'csv' | 'geojson'> {
  const kinds = ['parquet', 'csv', 'geojson'] as const;
  const asked = option.split(',').map((part) => part.trim().toLowerCase()).filter(Boolean);
  if (asked.includes('all')) return new Set(kinds);
  const wrong = asked.find((part) => !(kinds as readonly string[]).includes(part));
  if (wrong !== undefined || asked.length === 0) {
    throw new UserError(`--tables ${option}: unknown table "${wrong ?? ''}"`, { expected: 'parquet, csv, geojson (comma-separated) or all', fix: 'for example --tables parquet, or --tables csv,geojson' });
  }
  return new Set(asked as (typeof kinds)[number][]);
}
