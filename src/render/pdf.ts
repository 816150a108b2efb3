import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { parsedFonts } from './fonts.js';

const pointsPerMm = 72 / 25.4;

/**
 * A PDF document with DejaVu Sans registered (regular, bold, oblique) and dated `date`, so the
 * same content gives the same bytes; `done` resolves to the bytes once `doc.end()` is called.
 */
export function dejaVuDocument(date: string, title: string, options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; done: Promise<Uint8Array> } {
  const created = new Date(`${date}T00:00:00Z`);
  const doc = new PDFDocument({ ...options, info: { Title: title, Creator: 'buurtbalans', Producer: 'buurtbalans', CreationDate: created, ModDate: created } });
  const fonts = parsedFonts();
  // pdfkit embeds a fontkit font object as it is (its types only name paths and buffers).
  doc.registerFont('DejaVu', fonts.regular as unknown as Buffer);
  doc.registerFont('DejaVu-Bold', fonts.bold as unknown as Buffer);
  doc.registerFont('DejaVu-Oblique', fonts.italic as unknown as Buffer);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  return { doc, done };
}

/** svg-to-pdfkit's font choice: every family becomes the embedded DejaVu Sans. */
export const dejaVuFonts = (_family: string, bold: boolean, italic: boolean) => (bold ? 'DejaVu-Bold' : italic ? 'DejaVu-Oblique' : 'DejaVu');

/**
 * Renders one or more SVG pages (sized in mm) to a vector PDF with DejaVu Sans embedded.
 * The creation date is the map's own date, so the same map gives the same bytes.
 */
export function renderPdf(pages: { svg: string; width: number; height: number }[], date: string, title: string): Promise<Uint8Array> {
  const first = pages[0]!;
  const { doc, done } = dejaVuDocument(date, title, { size: [first.width * pointsPerMm, first.height * pointsPerMm], margin: 0, autoFirstPage: true });
  pages.forEach((page, i) => {
    if (i > 0) doc.addPage({ size: [page.width * pointsPerMm, page.height * pointsPerMm], margin: 0 });
    SVGtoPDF(doc, page.svg, 0, 0, {
      width: page.width * pointsPerMm,
      height: page.height * pointsPerMm,
      assumePt: false,
      fontCallback: dejaVuFonts,
    });
  });
  doc.end();
  return done;
}
