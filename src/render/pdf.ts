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

/** A text of a map in the SVG's own units, for pdfkit to draw. */
interface MapText {
  text: string;
  x: number;
  y: number;
  size: number;
  font: 'DejaVu' | 'DejaVu-Bold' | 'DejaVu-Oblique';
  anchor: number;
  fill: string | undefined;
  stroke: { colour: string; width: number } | undefined;
  /** rotate(angle cx cy) */
  rotate: [number, number, number] | undefined;
  /** The map frame that clips it (x, y, width, height), for labels on the map. */
  clip: [number, number, number, number] | undefined;
}

const textElement = /<text ([^>]*)>([^<]*)<\/text>/g;
const drawnTextAttributes = new Set(['x', 'y', 'font-size', 'font-weight', 'font-style', 'fill', 'stroke', 'stroke-width', 'stroke-linejoin', 'text-anchor', 'transform']);

/**
 * Takes the plain texts out of one of our map SVGs, for pdfkit to draw itself: svg-to-pdfkit lays
 * text out glyph by glyph, which was four fifths of the time a map took in a PDF (a report draws
 * 18 of them). Only a map as composeMap makes it (the page and the frame, whose viewBox is its own
 * box, no transformed groups), and only texts with the attributes above; everything else stays.
 */
export function takeMapText(svg: string): { svg: string; texts: MapText[] } {
  const frame = /<svg id="frame" x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="([-\d.]+)"/.exec(svg);
  if (!frame || (svg.match(/<svg/g) ?? []).length !== 2 || /<g [^>]*transform/.test(svg)) return { svg, texts: [] };
  const frameStart = frame.index;
  const frameEnd = svg.indexOf('</svg>', frameStart);
  const box = frame.slice(1, 5).map(Number) as [number, number, number, number];
  const texts: MapText[] = [];
  const rest = svg.replace(textElement, (element: string, attributeText: string, content: string, at: number) => {
    const attributes = new Map([...attributeText.matchAll(/([a-z-]+)="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));
    if ([...attributes.keys()].some((name) => !drawnTextAttributes.has(name))) return element;
    const transform = attributes.get('transform');
    const rotate = transform === undefined ? undefined : /^rotate\(([-\d.]+) ([-\d.]+) ([-\d.]+)\)$/.exec(transform);
    if (transform !== undefined && !rotate) return element;
    const fill = attributes.get('fill') ?? '#000000';
    const stroke = attributes.get('stroke');
    texts.push({
      text: content.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
      x: Number(attributes.get('x') ?? 0),
      y: Number(attributes.get('y') ?? 0),
      size: Number(attributes.get('font-size')),
      font: dejaVuFonts('', attributes.get('font-weight') === 'bold', attributes.get('font-style') === 'italic'),
      anchor: { start: 0, middle: 0.5, end: 1 }[attributes.get('text-anchor') ?? 'start'] ?? 0,
      fill: fill === 'none' ? undefined : fill,
      stroke: stroke && stroke !== 'none' ? { colour: stroke, width: Number(attributes.get('stroke-width') ?? 1) } : undefined,
      rotate: rotate ? [Number(rotate[1]), Number(rotate[2]), Number(rotate[3])] : undefined,
      clip: at > frameStart && at < frameEnd ? box : undefined,
    });
    return '';
  });
  return { svg: rest, texts };
}

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
    for (const match of matches) paths.set(match![2]!, [...(paths.get(match![2]!) ?? []), match![1]!]);
    return `<g id="hatching">\n${[...paths].map(([paint, ds]) => `<path d="${ds.join('')}" ${paint}/>`).join('\n')}\n</g>`;
  });
}

/**
 * An SVG drawn into `doc` in the box (points), scaled to fit and centred as preserveAspectRatio
 * xMidYMid meet: the shapes by svg-to-pdfkit, a map's texts by pdfkit itself (see takeMapText).
 */
export function drawSvg(doc: PDFKit.PDFDocument, svg: string, box: { x: number; y: number; width: number; height: number }): void {
  const { svg: shapes, texts } = takeMapText(mergeHatching(svg));
  SVGtoPDF(doc, shapes, box.x, box.y, { width: box.width, height: box.height, preserveAspectRatio: 'xMidYMid meet', assumePt: false, fontCallback: dejaVuFonts });
  if (texts.length === 0) return;
  const viewBox = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)!;
  const scale = Math.min(box.width / Number(viewBox[1]), box.height / Number(viewBox[2]));
  const left = box.x + (box.width - Number(viewBox[1]) * scale) / 2;
  const top = box.y + (box.height - Number(viewBox[2]) * scale) / 2;
  const at = (x: number, y: number): [number, number] => [left + x * scale, top + y * scale];
  // Text placed by hand must not make pdfkit start a page, nor move the report's flow.
  const { x: flowX, y: flowY } = doc;
  const bottomMargin = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  for (const text of texts) {
    doc.save();
    if (text.clip) doc.rect(...at(text.clip[0], text.clip[1]), text.clip[2] * scale, text.clip[3] * scale).clip();
    if (text.rotate) doc.rotate(text.rotate[0], { origin: at(text.rotate[1], text.rotate[2]) });
    doc.font(text.font).fontSize(text.size * scale);
    const [x, y] = at(text.x, text.y);
    const start = x - text.anchor * doc.widthOfString(text.text);
    if (text.stroke) doc.lineWidth(text.stroke.width * scale).lineJoin('round').strokeColor(text.stroke.colour);
    if (text.fill) doc.fillColor(text.fill);
    doc.text(text.text, start, y, { lineBreak: false, baseline: 'alphabetic', fill: text.fill !== undefined, stroke: text.stroke !== undefined });
    doc.restore();
  }
  doc.page.margins.bottom = bottomMargin;
  doc.x = flowX;
  doc.y = flowY;
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
