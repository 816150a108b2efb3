import { Resvg } from '@resvg/resvg-js';
import { fonts } from './fonts.js';

/** Renders SVG (sized in mm) to PNG at the given DPI with the packaged font. */
export function renderPng(svg: string, widthMm: number, dpi: number): Uint8Array {
  const width = Math.round((widthMm / 25.4) * dpi);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    font: { fontFiles: [fonts.regular, fonts.bold, fonts.italic], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
