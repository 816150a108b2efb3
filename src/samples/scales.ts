/** The sizes `buurtbalans samples --scale` can make. */
export const scaleNames = ['buurt', 'dorp', 'stad', 'land'] as const;
export type ScaleName = (typeof scaleNames)[number];

export interface Scale {
  name: ScaleName;
  /** Blocks per row and column of the whole grid. */
  rows: number;
  cols: number;
  /** Blocks per side of a neighbourhood tile: streets, names and clusters repeat per tile. */
  tile: number;
  /** South-west corner of the grid in RD New. */
  origin: [number, number];
  /** Block cell size (block plus half the streets around it), metres. */
  cell: [number, number];
  /** First PC4 used for postcodes. */
  firstPc4: number;
  /** Nuisance reports per ordinary home per year. */
  reportRate: number;
  /** Years of reports. */
  years: number;
  /** Street frontage of one entrance, metres. */
  frontage: [number, number];
  /** Share of entrances that are single-family houses (one address); the rest are 2-4 storey buildings. */
  singleFamily: number;
}

export const scales: Record<ScaleName, Scale> = {
  // Rijnbuurt West: about 1,500 addresses in 16 blocks, at the real location in Amsterdam Zuid.
  buurt: { name: 'buurt', rows: 4, cols: 4, tile: 4, origin: [121622, 483742], cell: [78, 68], firstPc4: 1079, reportRate: 0.12, years: 2, frontage: [7, 9], singleFamily: 0 },
  // A village: about 700 addresses in 36 blocks, mostly single-family houses, PC6s round each block (as the city's).
  dorp: { name: 'dorp', rows: 6, cols: 6, tile: 6, origin: [155000, 463000], cell: [60, 50], firstPc4: 3441, reportRate: 0.9, years: 2, frontage: [12, 14], singleFamily: 0.7 },
  // A city: about 500,000 addresses in 25,000 blocks, about 1,000,000 reports.
  stad: { name: 'stad', rows: 158, cols: 158, tile: 8, origin: [110000, 470000], cell: [60, 50], firstPc4: 1011, reportRate: 0.9, years: 2, frontage: [12, 14], singleFamily: 0.7 },
  // The country: about 9.5 million addresses in 460,000 blocks, about 10,000,000 reports.
  land: { name: 'land', rows: 678, cols: 679, tile: 8, origin: [100000, 400000], cell: [60, 50], firstPc4: 1011, reportRate: 0.48, years: 2, frontage: [11.5, 13.5], singleFamily: 0.7 },
};
