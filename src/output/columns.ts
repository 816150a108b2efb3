/** The names of the block table's columns, shared by blocks.csv, blocks.geojson, blocks.parquet and the document that reads blocks.parquet back. */

export type CellValue = number | boolean | string | null;

/** An indicator's columns in every block table, after `<id>` itself. */
const indicatorSuffixes = ['', '.lower', '.upper', '.ratio', '.small_numbers', '.signal', '.gi_star_z', '.hotspot', '.cluster'] as const;
/** The rest of an indicator block, in blocks.parquet only. */
const completeIndicatorSuffixes = ['.numerator', '.denominator', '.ratio_lower', '.ratio_upper', '.incomplete', '.suppressed', '.local_moran_i', '.local_moran_z', '.local_moran_p_sim', '.gi_star_p_sim'] as const;

/** Every indicator's columns, in order (`complete`: blocks.parquet's). */
export function indicatorColumns(ids: readonly string[], complete: boolean): string[] {
  const suffixes = [...indicatorSuffixes, ...(complete ? completeIndicatorSuffixes : [])];
  return ids.flatMap((id) => suffixes.map((suffix) => `${id}${suffix}`));
}

/** A count's column: `<key>`, or `<key>.count` where an indicator's column has that name (a source and an indicator may share one: meldingen). */
export function countColumn(key: string, indicatorNames: ReadonlySet<string>): string {
  return indicatorNames.has(key) ? `${key}.count` : key;
}

/** The per-block parts of the samenloop, the surveys and the heard themes, as blocks.parquet has them (see blockTable). */
export const samenloopFields = ['addresses', 'markers_0', 'markers_1', 'markers_2', 'markers_3plus'] as const;
export const surveyShares = ['tevreden', 'ontevreden', 'mean'] as const;
export const heardFields = ['heard', 'agree', 'heard_only', 'figures_only'] as const;
