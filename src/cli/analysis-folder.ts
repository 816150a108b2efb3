import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MultiPolygon, Polygon } from 'geojson';
import type { AnalysisResult } from '../analysis/result.js';
import { UserError } from '../errors.js';
import type { AnalysisDocument } from '../output/document.js';

/**
 * The result an analysis folder holds: analysis.json, with the per-block tables from blocks.parquet
 * where analysis.json is a document (above 5,000 blocks). With `outlines`, also the blocks' outlines
 * from blocks.geojson (WGS84) or else blocks.parquet (RD New), in the order of the result's blocks.
 */
export async function readAnalysisFolder(
  folder: string,
  options: { outlines: boolean },
): Promise<{ result: AnalysisResult; outlines?: { geometries: (Polygon | MultiPolygon)[]; crs: 'EPSG:4326' | 'EPSG:28992' } }> {
  const file = join(folder, 'analysis.json');
  if (!existsSync(file)) throw new UserError(`no analysis.json in ${folder}`, { file: folder, expected: 'an output folder written by buurtbalans analyse', fix: 'give the folder analyse wrote (buurtbalans-output/ beside the project file by default)' });
  const json = JSON.parse(readFileSync(file, 'utf8')) as AnalysisResult | AnalysisDocument;
  const parquet = join(folder, 'blocks.parquet');
  const geojson = join(folder, 'blocks.geojson');
  const isDocument = 'block_table' in json;
  const outlinesFromParquet = options.outlines && !existsSync(geojson);
  if ((isDocument || outlinesFromParquet) && !existsSync(parquet)) {
    throw new UserError(isDocument ? `no blocks.parquet in ${folder}: its analysis.json keeps the per-block tables there` : `no blocks.geojson or blocks.parquet in ${folder}: the block outlines the maps are drawn from`, {
      file: folder,
      expected: isDocument ? 'blocks.parquet beside analysis.json, as analyse wrote them' : 'an analysis folder with blocks.geojson or blocks.parquet beside analysis.json',
      fix: 'keep the folder analyse wrote together, run analyse again (with --tables all, or a list with parquet or geojson), or give map or report the project instead of the folder',
    });
  }
  const table = isDocument || outlinesFromParquet ? await (await import('../ingest/block-table.js')).readBlockTable(parquet, { geometry: outlinesFromParquet }) : undefined;
  const result = isDocument ? (await import('../output/document.js')).resultFromDocument(json, table!.columns, parquet) : (await import('../analysis/result.js')).resultFromJson(json);
  if (!options.outlines) return { result };
  const outlines = outlinesFromParquet
    ? { geometries: table!.geometries!, crs: 'EPSG:28992' as const }
    : { geometries: (JSON.parse(readFileSync(geojson, 'utf8')) as { features: { geometry: Polygon | MultiPolygon }[] }).features.map((feature) => feature.geometry), crs: 'EPSG:4326' as const };
  if (outlines.geometries.length !== result.blocks.length) {
    const name = outlinesFromParquet ? parquet : geojson;
    throw new UserError(`${name} has ${outlines.geometries.length} blocks, analysis.json ${result.blocks.length}`, { file: name, expected: 'the block table written with this analysis.json', fix: 'keep the folder analyse wrote together, or run analyse again' });
  }
  return { result, outlines };
}
