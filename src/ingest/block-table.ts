import type { MultiPolygon, Polygon } from 'geojson';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { UserError } from '../errors.js';
import type { CellValue } from '../output/columns.js';


/**
 * The columns of a blocks.parquet that analyse wrote, whole, one value per block (nulls as null),
 * and with `geometry` the outlines as GeoJSON geometries in the file's CRS (RD New); `only` picks columns.
 */
export async function readBlockTable(path: string, options: { geometry: boolean; only?: (column: string) => boolean }): Promise<{ columns: Map<string, CellValue[]>; geometries: (Polygon | MultiPolygon)[] | undefined }> {
  let file;
  let names: string[];
  try {
    file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    names = metadata.schema.slice(1).map((element) => element.name);
  } catch (error) {
    throw new UserError(`cannot read ${path} as Parquet: ${(error as Error).message}`, {
      file: path,
      expected: 'the blocks.parquet analyse wrote beside analysis.json',
      fix: 'keep the folder analyse wrote together, or run analyse again',
    });
  }
  const wanted = names.filter((name) => (name === 'geometry' ? options.geometry : (options.only?.(name) ?? true)));
  const columns = new Map<string, CellValue[]>(wanted.map((name) => [name, []]));
  await parquetRead({
    file,
    columns: wanted,
    onChunk: ({ columnName, columnData, rowStart }) => {
      const target = columns.get(columnName)!;
      for (let i = 0; i < columnData.length; i++) target[rowStart + i] = (columnData[i] ?? null) as CellValue;
    },
  });
  const geometries = options.geometry ? (columns.get('geometry') as unknown as (Polygon | MultiPolygon)[]) : undefined;
  columns.delete('geometry');
  return { columns, geometries };
}
