import { Command, Option } from 'commander';
import type { CliIo } from './io.js';
import { UserError } from '../errors.js';

interface MapCommandOptions {
  shareable?: boolean;
  layers?: string;
  indicator?: string[];
  out?: string;
  size: 'A4' | 'A3' | 'A2' | 'A1' | 'A0';
  orientation?: 'portrait' | 'landscape';
  dpi: string;
  lang?: 'nl' | 'en';
  title?: string;
  classification: 'quantile' | 'equal' | 'jenks' | 'fixed' | 'diverging';
  classes?: string;
  breaks?: string;
  hotspots: 'gi' | 'lisa';
  symbols?: string;
  presence?: string;
  internal?: boolean;
  date?: string;
  base?: string;
  inset?: string;
  smallMultiples?: boolean;
}

/** `buurtbalans map [PROJECT|ANALYSIS_DIR] ...`: a layered map as SVG, PNG or PDF, A4 to A0. */
export function create(io: CliIo): Command {
  return new Command('map')
    .description('draw a layered map of the blocks (choropleth, hatching, hot spots, symbols, labels) as SVG, PNG or PDF')
    .argument('[target]', 'a project (buurtbalans.yml or its folder) or an analysis folder with analysis.json', '.')
    .option('--layers <list>', 'comma-separated: context,choropleth,hatching,stapeling,hotspots,symbols,labels (default: all)')
    .option('--indicator <id...>', 'indicator(s) to map; several with --small-multiples give one page of maps')
    .option('--out <file>', 'output file: .svg, .png or .pdf (default: maps/<indicator>.svg in the output folder)')
    .addOption(new Option('--size <size>', 'page size').choices(['A4', 'A3', 'A2', 'A1', 'A0']).default('A4'))
    .addOption(new Option('--orientation <o>', 'page orientation (default: landscape from A2 up)').choices(['portrait', 'landscape']))
    .option('--dpi <n>', 'resolution of a PNG', '150')
    .addOption(new Option('--lang <lang>', 'language of the map (default: the language of the analysis folder, or report.lang of the project file, else nl)').choices(['nl', 'en']))
    .option('--title <text>', 'title instead of the indicator name')
    .addOption(new Option('--classification <method>', 'classes of the choropleth').choices(['quantile', 'equal', 'jenks', 'fixed', 'diverging']).default('diverging'))
    .option('--classes <n>', 'number of classes (2-7)')
    .option('--breaks <list>', 'class breaks for --classification fixed, comma-separated')
    .addOption(new Option('--hotspots <kind>', 'gi: Gi* hot and cold spots; lisa: local Moran clusters').choices(['gi', 'lisa']).default('gi'))
    .option('--symbols <key>', 'count key or measure drawn as proportional circles per block')
    .option('--presence <list>', 'count keys or measures drawn as a marker where a block has one, comma-separated')
    .option('--internal', 'mark the map VERTROUWELIJK (for internal use)')
    .option('--shareable', 'from a folder written with --internal: run disclosure control again on its project and write shareable outputs beside the folder')
    .option('--date <yyyy-mm-dd>', 'creation date printed on the map (default: today, or SOURCE_DATE_EPOCH)')
    .option('--base <file>', 'GeoJSON of buildings or water drawn beneath the blocks')
    .option('--inset <file>', 'GeoJSON of the district or city for an inset that shows where the area lies')
    .option('--small-multiples', 'one page with a map per indicator')
    .action(async (target: string, options: MapCommandOptions, command: Command) => {
      const { readInputFile } = await import('../ingest/read-file.js');
      const { extname, join } = await import('node:path');
      const { writeFileAtomic } = await import('./io.js');
      const { toolInfo } = await import('./tool-info.js');
      const { allLayers } = await import('../render/map/compose.js');
      const { polygonsInRd } = await import('../render/map/input.js');
      const { renderMap } = await import('../render/maps.js');
      const { creationDate } = await import('./dates.js');

      if (options.classes !== undefined && !/^[2-7]$/.test(options.classes.trim())) {
        throw new UserError(`--classes ${options.classes} is not a number of classes a map can show`, { expected: 'a whole number from 2 to 7 (ColorBrewer has no more distinguishable colours)', fix: 'for example --classes 5' });
      }
      const breaks = options.breaks === undefined ? undefined : parseBreaks(options.breaks);
      // Breaks are fixed classes: given alone they choose that classification, beside another they contradict it.
      if (breaks && options.classification !== 'fixed') {
        if (command.getOptionValueSource('classification') !== 'default') {
          throw new UserError(`--breaks needs --classification fixed, not ${options.classification}`, { expected: '--classification fixed with --breaks', fix: `drop --classification ${options.classification}, or drop --breaks` });
        }
        options.classification = 'fixed';
      }
      if (options.classification === 'fixed' && !breaks) throw new UserError('--classification fixed needs --breaks', { expected: 'the class breaks, for example --breaks 5,10,20', fix: 'add --breaks, or choose another --classification' });
      const { loadTarget } = await import('./target.js');
      const { mapInput, outDir, internal } = await loadTarget(target, { internal: options.internal ?? false, shareable: options.shareable ?? false }, io.stderr);
      const readPolygons = (file: string) => {
        const help = { expected: 'a GeoJSON FeatureCollection of polygons', fix: 'check the path and export the layer as GeoJSON' };
        const text = readInputFile(file, file, help).toString('utf8');
        try {
          return polygonsInRd(JSON.parse(text));
        } catch (error) {
          throw new UserError(`cannot read ${file} as GeoJSON (${(error as Error).message.split('\n')[0]})`, { file, ...help });
        }
      };
      if (options.base) mapInput.base = readPolygons(options.base);
      if (options.inset) mapInput.inset = readPolygons(options.inset);

      const known = mapInput.result.indicators.map((i) => i.id);
      const indicators = options.indicator ?? [known.includes('meldingen') ? 'meldingen' : known[0] ?? ''];
      for (const id of indicators) {
        if (!known.includes(id)) {
          const { suggestion } = await import('../text.js');
          throw new UserError(`no indicator "${id}" in the analysis`, { expected: `one of: ${known.join(', ')}`, fix: suggestion(id, known) });
        }
      }
      const layers = options.layers ? options.layers.split(',').map((l) => l.trim()) : allLayers;
      const unknownLayer = layers.find((l) => !(allLayers as string[]).includes(l));
      if (unknownLayer) throw new UserError(`unknown layer "${unknownLayer}"`, { expected: allLayers.join(', '), fix: `for example --layers choropleth,hotspots,labels` });
      const out = options.out ?? join(outDir, 'maps', `${options.smallMultiples ? 'kleine-veelvouden' : indicators[0]}.svg`);
      const format = extname(out).slice(1).toLowerCase();
      if (format !== 'svg' && format !== 'png' && format !== 'pdf') throw new UserError(`cannot write a map as "${extname(out) || 'a file without extension'}"`, { expected: '.svg, .png or .pdf', fix: 'give --out a name ending in .svg, .png or .pdf' });
      const dpi = Number(options.dpi);
      if (!Number.isInteger(dpi) || dpi < 30 || dpi > 2400) throw new UserError(`--dpi ${options.dpi} is not a usable resolution`, { expected: 'a whole number from 30 to 2400', fix: 'for example --dpi 300' });
      const size = options.size;
      const lang = options.lang ?? mapInput.result.project.lang ?? 'nl';
      const { content } = await renderMap(mapInput, {
        file: out,
        format,
        dpi,
        smallMultiples: options.smallMultiples ? (options.indicator ?? known) : undefined,
        options: {
          size,
          orientation: options.orientation ?? (['A2', 'A1', 'A0'].includes(size) || options.smallMultiples ? 'landscape' : 'portrait'),
          lang,
          indicator: indicators[0]!,
          layers: layers as typeof allLayers,
          classification: options.classification,
          classes: options.classes ? Number(options.classes) : undefined,
          breaks,
          hotspots: options.hotspots,
          symbols: options.symbols,
          presence: options.presence ? options.presence.split(',').map((p) => p.trim()) : [],
          title: options.title,
          internal,
          date: creationDate(options.date),
          version: toolInfo().version,
        },
      });
      writeFileAtomic(out, content);
      io.stderr(`${lang === 'nl' ? 'geschreven' : 'wrote'}: ${out}\n`);
    });
}

/** `--breaks 5,10,20`: one to six finite numbers, ascending (two to seven classes). */
function parseBreaks(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  const values = parts.map((part) => (/^-?\d+(\.\d+)?$/.test(part) ? Number(part) : NaN));
  const bad = parts.find((_, i) => !Number.isFinite(values[i]));
  const expected = 'one to six numbers in ascending order, with a decimal point, separated by commas (for example 5,10,20)';
  if (bad !== undefined) throw new UserError(`--breaks ${text}: "${bad}" is not a number`, { expected, fix: 'for example --breaks 5,10,20 or --breaks 0.5,1.5' });
  if (values.length > 6) throw new UserError(`--breaks ${text} makes ${values.length + 1} classes`, { expected, fix: 'a map shows at most seven classes apart: give at most six breaks' });
  if (values.some((value, i) => i > 0 && value <= values[i - 1]!)) throw new UserError(`--breaks ${text} is not in ascending order`, { expected, fix: 'give each break once, from low to high' });
  return values;
}
