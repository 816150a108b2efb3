import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliIo } from './io.js';
import { threadsFor, threadsOption } from './threads.js';
import { maxPermutations } from '../spatial/defaults.js';

/** `buurtbalans hotspots FILE.geojson --value FIELD ...`: spatial autocorrelation and hot spots of any polygon layer. */
export function create(io: CliIo): Command {
  return new Command('hotspots')
    .description("global Moran's I, local Moran clusters and Getis-Ord Gi* hot spots of a polygon GeoJSON")
    .argument('<file>', 'a polygon GeoJSON')
    .requiredOption('--value <field>', 'the numeric property to test')
    .option('--id <field>', 'the property that identifies a feature (default: its number, from 1)')
    .option('--weights <spec>', 'queen, rook, knn:K or distance:D (metres; coordinate units with --crs planar)', 'queen')
    .addOption(new Option('--style <style>', 'W row-standardised or B binary').choices(['W', 'B']).default('W'))
    .addOption(new Option('--crs <crs>', 'coordinates: planar, EPSG:4326 or EPSG:28992 (default: the file\'s crs member, else WGS84 when the numbers fit degrees, else planar)').choices(['planar', 'EPSG:4326', 'EPSG:28992']))
    .option('--snap <distance>', 'vertex snap for queen/rook: metres for RD New and WGS84 (converted at 1° = 111 km), coordinate units for planar data', parsePositive)
    .option('--permutations <n>', 'conditional permutations for p_sim (0: none; auto: 999 up to 5,000 areas, else none), as in analyse', parsePermutations, 'auto')
    .option('--seed <n>', 'seed of the permutations', parseCount, 1)
    .option('--alpha <a>', 'significance level after correction (between 0 and 1)', parseAlpha, 0.05)
    .addOption(new Option('--correction <method>', 'multiple-testing control of the local p_sim').choices(['none', 'fdr', 'bonferroni']).default('fdr'))
    .option('--out <file>', 'write the features with the statistics added as properties')
    .option('--json', 'print the full result as JSON')
    .option(...threadsOption)
    .action(async (file: string, options: { value: string; id?: string; weights: string; style: 'W' | 'B'; crs?: 'planar' | 'EPSG:4326' | 'EPSG:28992'; snap?: number; permutations: number | 'auto'; seed: number; alpha: number; correction: 'none' | 'fdr' | 'bonferroni'; out?: string; json?: boolean; threads?: number }) => {
      const { readInputFile } = await import('../ingest/read-file.js');
      const { UserError } = await import('../errors.js');
      const { readPolygonLayer } = await import('../ingest/polygons.js');
      const { hotspots, parseWeightsSpec, conventions } = await import('../spatial/hotspots.js');
      const { hotspotSummary, withStatistics, defaultSnap, snapInUnits } = await import('../spatial/present.js');
      const { permutationsFor } = await import('../spatial/defaults.js');
      const { writePiecesAtomic } = await import('./io.js');
      const weights = parseWeightsSpec(options.weights);
      if (!weights) throw new UserError(`unknown weights "${options.weights}"`, { expected: 'queen, rook, knn:K (K ≥ 1) or distance:D (D > 0)', fix: 'for example --weights knn:8 or --weights distance:250' });
      const text = readInputFile(file, file, { expected: 'a GeoJSON file of polygons', fix: 'check the path' }).toString('utf8');
      const layer = readPolygonLayer(text, file, options.value, options.id, options.crs);
      const { permutationPool, worthThreads } = await import('../spatial/pool.js');
      const pool = permutationPool(threadsFor(options.threads));
      const permutations = permutationsFor(options.permutations, layer.ids.length);
      if (worthThreads(layer.ids.length, permutations)) await pool.start();
      const result = hotspots(
        { variable: options.value, ids: layer.ids, values: layer.values, shapes: layer.shapes },
        {
          weights,
          style: options.style,
          metric: layer.crs === 'EPSG:4326' ? 'geographic' : 'planar',
          // A snap given for geographic data is metres, as everywhere else: 25 degrees would join every polygon to every other.
          snap: options.snap === undefined ? defaultSnap(layer.crs, layer.shapes) : snapInUnits(options.snap, layer.crs),
          permutations,
          seed: options.seed,
          alpha: options.alpha,
          correction: options.correction,
          permutationRunner: pool.run,
        },
      );
      await pool.close();
      if (options.out) await writePiecesAtomic(options.out, withStatistics(layer.features, result));
      // `local` holds the same figures as arrays for analyse; the JSON shows them per feature.
      const { local: _arrays, ...shown } = result;
      if (options.json) io.stdout(`${JSON.stringify({ ...shown, crs: layer.crs, conventions })}\n`);
      else io.stdout(hotspotSummary(result, layer.crs));
    });
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number of 0 or more');
  return n;
}

function parsePermutations(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > maxPermutations) throw new InvalidArgumentError(`auto, or a whole number from 0 to ${maxPermutations} (more adds no precision to a p-value and runs for hours)`);
  return n;
}

function parseAlpha(value: string): number {
  const alpha = Number(value);
  if (!(alpha > 0 && alpha < 1)) throw new InvalidArgumentError(`--alpha must lie between 0 and 1, for example 0.05 (got "${value}")`);
  return alpha;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('a number above 0');
  return n;
}
