import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { fonts } from './fonts.js';
import { drawSvgElements } from './svg-pdf.js';

const pointsPerMm = 72 / 25.4;

type ParsedFont = ReturnType<typeof fontkit.create>;
let parsed: { regular: ParsedFont; bold: ParsedFont; italic: ParsedFont } | undefined;

/**
 * The three fonts parsed once per process: pdfkit takes fontkit fonts as they are, and parsing
 * DejaVu for every PDF (the big map, the report) cost 50 ms a font and document. Here, beside
 * pdfkit, so that fontkit loads only where a PDF is drawn (not for a map's SVG or PNG).
 */
export function parsedFonts() {
  parsed ??= {
    regular: fontkit.create(readFileSync(fonts.regular)),
    bold: fontkit.create(readFileSync(fonts.bold)),
    italic: fontkit.create(readFileSync(fonts.italic)),
  };
  return parsed;
}

/**
 * A PDF document with DejaVu Sans registered (regular, bold, oblique) and dated `date`, so the
 * same content gives the same bytes; `done` resolves to the bytes once `doc.end()` is called.
 */
export function dejaVuDocument(date: string, title: string, options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; done: Promise<Uint8Array> } {
  const created = new Date(`${date}T00:00:00Z`);
  const doc = new PDFDocument({ ...options, info: { Title: title, Creator: 'buurtbalans', Producer: 'buurtbalans', CreationDate: created, ModDate: created } });
  const parsed = parsedFonts();
  // pdfkit embeds a fontkit font object as it is (its types only name paths and buffers).
  doc.registerFont('DejaVu', parsed.regular as unknown as Buffer);
  doc.registerFont('DejaVu-Bold', parsed.bold as unknown as Buffer);
  doc.registerFont('DejaVu-Oblique', parsed.italic as unknown as Buffer);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  return { doc, done };
}

/** svg-to-pdfkit's font choice: every family becomes the embedded DejaVu Sans. */
export const dejaVuFonts = (_family: string, bold: boolean, italic: boolean) => (bold ? 'DejaVu-Bold' : italic ? 'DejaVu-Oblique' : 'DejaVu');

const hatchedBlock = /^<path d="([^"]*)" (fill="url\(#hatch-[a-z]+\)" stroke="[^"]*" stroke-width="[^"]*") data-block="[^"]*"\/>$/;

/**
 * A map's hatched blocks as one path per pattern: svg-to-pdfkit builds a pattern anew for every
 * shape that uses it, which was half the time of a map's shapes. The blocks do not overlap, so the
 * merged path paints the same. Unchanged unless every shape of the layer has the expected form.
 */
export function mergeHatching(svg: string): string {
  return svg.replace(/<g id="hatching">([^]*?)<\/g>/, (layer: string, content: string) => {
    const shapes = content.split('\n').filter((line) => line !== '');
    const matches = shapes.map((shape) => hatchedBlock.exec(shape));
    if (matches.some((match) => !match)) return layer;
    const paths = new Map<string, string[]>();
    for (const match of matches) (paths.get(match![2]!) ?? paths.set(match![2]!, []).get(match![2]!)!).push(match![1]!);
    return `<g id="hatching">\n${[...paths].map(([paint, ds]) => `<path d="${ds.join('')}" ${paint}/>`).join('\n')}\n</g>`;
  });
}

/**
 * An SVG drawn into `doc` in the box (points), scaled to fit and centred as preserveAspectRatio
 * xMidYMid meet: by pdfkit's own calls (see svg-pdf.ts), or whole by svg-to-pdfkit when it uses
 * more SVG than this tool's maps and charts do.
 */
export function drawSvg(doc: PDFKit.PDFDocument, svg: string, box: { x: number; y: number; width: number; height: number }): void {
  const shapes = mergeHatching(svg);
  if (drawSvgElements(doc, shapes, box, (bold, italic) => dejaVuFonts('', bold, italic))) return;
  SVGtoPDF(doc, shapes, box.x, box.y, { width: box.width, height: box.height, preserveAspectRatio: 'xMidYMid meet', assumePt: false, fontCallback: dejaVuFonts });
}

/**
 * Renders one or more SVG pages (sized in mm) to a vector PDF with DejaVu Sans embedded.
 * The creation date is the map's own date, so the same map gives the same bytes.
 */
export function renderPdf(pages: { svg: string; width: number; height: number }[], date: string, title: string): Promise<Uint8Array> {
  const first = pages[0]!;
  const { doc, done } = dejaVuDocument(date, title, { size: [first.width * pointsPerMm, first.height * pointsPerMm], margin: 0, autoFirstPage: true });
  pages.forEach((page, i) => {
    if (i > 0) doc.addPage({ size: [page.width * pointsPerMm, page.height * pointsPerMm], margin: 0 });
    drawSvg(doc, page.svg, { x: 0, y: 0, width: page.width * pointsPerMm, height: page.height * pointsPerMm });
  });
  doc.end();
  return done;
}
