declare module '@stdlib/stats-base-dists-beta-quantile' {
  export default function quantile(p: number, alpha: number, beta: number): number;
}
declare module '@stdlib/stats-base-dists-gamma-quantile' {
  export default function quantile(p: number, shape: number, rate: number): number;
}
declare module '@stdlib/stats-base-dists-normal-quantile' {
  export default function quantile(p: number, mu: number, sigma: number): number;
}
declare module '@stdlib/stats-base-dists-normal-cdf' {
  export default function cdf(x: number, mu: number, sigma: number): number;
}
declare module '@stdlib/stats-base-dists-chisquare-cdf' {
  export default function cdf(x: number, k: number): number;
}
declare module 'svg-to-pdfkit' {
  export default function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, options?: Record<string, unknown>): void;
}
declare module 'sql.js' {
  interface Database {
    exec(sql: string): { columns: string[]; values: unknown[][] }[];
    close(): void;
  }
  export default function initSqlJs(config: { locateFile: (name: string) => string }): Promise<{ Database: new (bytes: Uint8Array) => Database }>;
}
declare module 'shpjs' {
  export function parseShp(shp: Uint8Array, prj?: string): unknown[];
  export function parseDbf(dbf: Uint8Array, cpg?: string): unknown[];
  export function combine(parts: [unknown[], unknown[] | undefined]): unknown;
}
declare module 'polylabel' {
  /** The pole of inaccessibility: the point inside a polygon farthest from its edges, with that distance. */
  export default function polylabel(polygon: number[][][], precision?: number): [number, number] & { distance: number };
}
