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
