/**
 * Draws the SVGs this tool makes (its maps and vega's charts) into a pdfkit document. They use a
 * small part of SVG (svg, g, path, rect, circle, line, text; transforms; presentation attributes),
 * which is drawn here with pdfkit's own calls: svg-to-pdfkit computes every property of every
 * element through its CSS machinery and lays text out glyph by glyph, which made it 0.35 s of the
 * neighbourhood's 1.9 s run. An SVG with anything else is refused, for svg-to-pdfkit to draw whole.
 */
export interface SvgElement {
  name: string;
  attributes: Map<string, string>;
  children: SvgElement[];
  /** The element's text (for <text> and <title>). */
  text: string;
}

export type SvgFont = 'DejaVu' | 'DejaVu-Bold' | 'DejaVu-Oblique';

const drawnElements = new Set(['svg', 'g', 'path', 'rect', 'circle', 'line', 'text', 'title', 'defs', 'pattern']);
/** A pattern tiles its cell in the user space where it is used, turned by its patternTransform. */
const patternAttributes = new Set(['id', 'width', 'height', 'patternTransform', 'patternUnits']);
const paintAttributes = ['fill', 'stroke', 'stroke-width', 'fill-opacity', 'stroke-opacity', 'stroke-dasharray', 'stroke-linejoin', 'stroke-linecap', 'stroke-miterlimit', 'font-size', 'font-weight', 'font-style', 'text-anchor'] as const;
const geometryAttributes = ['x', 'y', 'width', 'height', 'viewBox', 'd', 'cx', 'cy', 'r', 'x1', 'y1', 'x2', 'y2', 'transform', 'opacity', 'display', 'overflow', 'font-family', 'xmlns', 'xmlns:xlink', 'version', 'id', 'class', 'role', 'pointer-events'];
const knownAttributes = new Set<string>([...paintAttributes, ...geometryAttributes]);
/** Colours pdfkit knows (hexadecimal, CSS names), none, and a pattern; not rgb(), hsl() or currentColor. */
const paintable = /^(none|transparent|#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|url\(#[^)]+\)|(?!currentcolor$)[a-z]+)$/i;
/** What only says what an element is, for people and scripts: it draws nothing. */
const describing = /^(aria-|data-)/;

const element = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|<!--[^]*?-->|<\?[^]*?\?>|<!DOCTYPE[^>]*>|([^<]+)/g;
const attribute = /([\w:.-]+)\s*=\s*"([^"]*)"/g;

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (text: string) =>
  text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole: string, name: string) =>
    name.startsWith('#x') ? String.fromCodePoint(parseInt(name.slice(2), 16)) : name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (entities[name] ?? whole),
  );

/**
 * The SVG as a tree, or undefined when it uses an element or attribute this drawer does not know
 * (then svg-to-pdfkit draws it whole).
 */
export function parseSvg(svg: string): SvgElement | undefined {
  const root: SvgElement = { name: '', attributes: new Map(), children: [], text: '' };
  const open: SvgElement[] = [root];
  element.lastIndex = 0;
  for (let match = element.exec(svg); match; match = element.exec(svg)) {
    const [, closing, name, attributeText, selfClosing, text] = match;
    const top = open[open.length - 1]!;
    if (text !== undefined) {
      if (text.trim() !== '') {
        if (top.name !== 'text' && top.name !== 'title') return undefined;
        top.text += unescape(text);
      }
      continue;
    }
    if (name === undefined) continue;
    if (closing) {
      if (top.name !== name) return undefined;
      open.pop();
      continue;
    }
    if (!drawnElements.has(name)) return undefined;
    if (top.name === 'text') return undefined;
    const attributes = new Map<string, string>();
    for (const [, key, value] of attributeText!.matchAll(attribute)) {
      const known = name === 'pattern' ? patternAttributes.has(key!) : knownAttributes.has(key!) || describing.test(key!);
      if (!known || ((key === 'fill' || key === 'stroke') && !paintable.test(value!))) return undefined;
      attributes.set(key!, value === 'transparent' ? 'none' : unescape(value!));
    }
    // A pattern's units are the bounding box of the shape it fills unless it says otherwise.
    if (name === 'pattern' && attributes.get('patternUnits') !== 'userSpaceOnUse') return undefined;
    const node: SvgElement = { name, attributes, children: [], text: '' };
    top.children.push(node);
    if (!selfClosing) open.push(node);
  }
  const svgRoot = root.children[0];
  return open.length === 1 && root.children.length === 1 && svgRoot?.name === 'svg' ? svgRoot : undefined;
}

interface Paint {
  fill: string;
  stroke: string;
  'stroke-width': number;
  'fill-opacity': number;
  'stroke-opacity': number;
  'stroke-dasharray': number[] | undefined;
  'stroke-linejoin': 'miter' | 'round' | 'bevel';
  'stroke-linecap': 'butt' | 'round' | 'square';
  'stroke-miterlimit': number;
  'font-size': number;
  'font-weight': string;
  'font-style': string;
  'text-anchor': string;
  opacity: number;
}

const initialPaint: Paint = {
  fill: '#000000',
  stroke: 'none',
  'stroke-width': 1,
  'fill-opacity': 1,
  'stroke-opacity': 1,
  'stroke-dasharray': undefined,
  'stroke-linejoin': 'miter',
  'stroke-linecap': 'butt',
  'stroke-miterlimit': 4,
  'font-size': 16,
  'font-weight': 'normal',
  'font-style': 'normal',
  'text-anchor': 'start',
  opacity: 1,
};

const numbers = (text: string | undefined): number[] => (text === undefined ? [] : (text.match(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi) ?? []).map(Number));
const number = (text: string | undefined, fallback: number) => (text === undefined ? fallback : (numbers(text)[0] ?? fallback));

function inheritPaint(parent: Paint, attributes: Map<string, string>): Paint {
  const paint = { ...parent };
  for (const key of paintAttributes) {
    const value = attributes.get(key);
    if (value === undefined || value === 'inherit') continue;
    if (key === 'fill' || key === 'stroke' || key === 'font-weight' || key === 'font-style' || key === 'text-anchor') paint[key] = value;
    else if (key === 'stroke-dasharray') paint[key] = value === 'none' ? undefined : numbers(value);
    else if (key === 'stroke-linejoin') paint[key] = value as Paint['stroke-linejoin'];
    else if (key === 'stroke-linecap') paint[key] = value as Paint['stroke-linecap'];
    else paint[key] = number(value, parent[key]);
  }
  // Opacity belongs to the element; its children are painted with it (here: multiplied, which
  // equals the group's opacity wherever its shapes do not overlap, as in every SVG of this tool).
  paint.opacity = parent.opacity * number(attributes.get('opacity'), 1);
  return paint;
}

type Matrix = [number, number, number, number, number, number];

/** `second` applied after `first`: first's coordinates are mapped by first, then by second. */
const multiply = (second: readonly number[], first: readonly number[]): Matrix => [
  second[0]! * first[0]! + second[2]! * first[1]!,
  second[1]! * first[0]! + second[3]! * first[1]!,
  second[0]! * first[2]! + second[2]! * first[3]!,
  second[1]! * first[2]! + second[3]! * first[3]!,
  second[0]! * first[4]! + second[2]! * first[5]! + second[4]!,
  second[1]! * first[4]! + second[3]! * first[5]! + second[5]!,
];

/** An SVG transform list as one matrix. */
function transformMatrix(transform: string): Matrix {
  let matrix: Matrix = [1, 0, 0, 1, 0, 0];
  for (const [, kind, args] of transform.matchAll(/(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)/g)) {
    const v = numbers(args);
    const radians = ((v[0] ?? 0) * Math.PI) / 180;
    const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
    const [cx, cy] = [v[1] ?? 0, v[2] ?? 0];
    const step: Matrix =
      kind === 'matrix' ? [v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!]
      : kind === 'translate' ? [1, 0, 0, 1, v[0] ?? 0, v[1] ?? 0]
      : kind === 'scale' ? [v[0] ?? 1, 0, 0, v[1] ?? v[0] ?? 1, 0, 0]
      : kind === 'rotate' ? [cos, sin, -sin, cos, cx - cos * cx + sin * cy, cy - sin * cx - cos * cy]
      : kind === 'skewX' ? [1, 0, Math.tan(radians), 1, 0, 0]
      : [1, Math.tan(radians), 0, 1, 0, 0];
    matrix = multiply(matrix, step);
  }
  return matrix;
}

/** pdfkit's internals a pattern needs: its transformation matrix and a name unique in the document. */
type DocumentInternals = PDFKit.PDFDocument & { _ctm: Matrix; _patternCount?: number; page: { patterns: Record<string, unknown> } };

/**
 * Makes the pattern `id` the fill (or stroke) colour: a tiling pattern whose cell is the
 * pattern's content, in this user space turned by its patternTransform. False for an unknown id.
 */
function usePattern(drawing: SvgDrawing, id: string, stroke: boolean): boolean {
  const pattern = drawing.patterns.get(id);
  const doc = drawing.doc as DocumentInternals;
  if (!pattern) return false;
  const width = number(pattern.attributes.get('width'), 0);
  const height = number(pattern.attributes.get('height'), 0);
  if (!(width > 0 && height > 0)) return false;
  const matrix = multiply(doc._ctm, transformMatrix(pattern.attributes.get('patternTransform') ?? '')).map((v) => +v.toFixed(5));
  // One pattern object per pattern and user space, however many shapes it fills (an SVG is drawn on one page).
  let made = patternsMade.get(pattern);
  if (!made) patternsMade.set(pattern, (made = new Map()));
  const key = matrix.join(' ');
  let name = made.get(key);
  if (name === undefined) made.set(key, (name = makePattern(drawing, pattern, width, height, matrix)));
  doc.addContent(stroke ? '/Pattern CS' : '/Pattern cs').addContent(`/${name} ${stroke ? 'SCN' : 'scn'}`);
  return true;
}

const patternsMade = new WeakMap<SvgElement, Map<string, string>>();

/** A tiling pattern of the pattern's content, registered on the page; its name. */
function makePattern(drawing: SvgDrawing, pattern: SvgElement, width: number, height: number, matrix: number[]): string {
  const doc = drawing.doc as DocumentInternals;
  // The cell is drawn with the same calls as any shape, its content caught for the pattern's stream.
  const cell: string[] = [];
  const addContent = doc.addContent;
  doc.addContent = (data: string) => {
    cell.push(data);
    return doc;
  };
  try {
    drawChildren({ ...drawing, inPattern: true }, pattern, initialPaint);
  } finally {
    doc.addContent = addContent;
  }
  doc._patternCount = (doc._patternCount ?? 0) + 1;
  const name = `P${doc._patternCount}`;
  const ref = doc.ref({ Type: 'Pattern', PatternType: 1, PaintType: 1, TilingType: 2, BBox: [0, 0, width, height], XStep: width, YStep: height, Matrix: matrix, Resources: { ProcSet: ['PDF'] } });
  ref.end(cell.join('\n'));
  doc.page.patterns[name] = ref;
  return name;
}

const patternId = (colour: string) => /^url\(#([^)]+)\)$/.exec(colour)?.[1];
/** pdfkit writes an opacity as a graphics state, which a pattern's cell has no resources for: only below 1. */
const opacity = (value: number) => (value < 1 ? value : undefined);

/**
 * Paints a shape: colours (and patterns) first, then its outline, then the painting operator,
 * as PDF wants them. Nothing is written for a shape neither filled nor stroked.
 */
function paintShape(drawing: SvgDrawing, paint: Paint, outline: () => void): void {
  const { doc } = drawing;
  const fillOpacity = paint['fill-opacity'] * paint.opacity;
  const strokeOpacity = paint['stroke-opacity'] * paint.opacity;
  let fill = paint.fill !== 'none' && fillOpacity > 0;
  let stroke = paint.stroke !== 'none' && paint['stroke-width'] > 0 && strokeOpacity > 0;
  const fillPattern = patternId(paint.fill);
  const strokePattern = patternId(paint.stroke);
  if (fill) {
    if (fillPattern === undefined) doc.fillColor(paint.fill, opacity(fillOpacity));
    else if (drawing.inPattern || !usePattern(drawing, fillPattern, false)) fill = false;
    else if (fillOpacity < 1) doc.fillOpacity(fillOpacity);
  }
  if (stroke) {
    if (strokePattern === undefined) doc.strokeColor(paint.stroke, opacity(strokeOpacity));
    else if (drawing.inPattern || !usePattern(drawing, strokePattern, true)) stroke = false;
    else if (strokeOpacity < 1) doc.strokeOpacity(strokeOpacity);
    doc.lineWidth(paint['stroke-width']).lineJoin(paint['stroke-linejoin']).lineCap(paint['stroke-linecap']).miterLimit(paint['stroke-miterlimit']);
    const dash = paint['stroke-dasharray'];
    // SVG repeats an odd list to make it even; a zero length makes it solid here.
    if (dash && dash.length > 0 && dash.every((d) => d > 0)) doc.dash((dash.length % 2 === 0 ? dash : [...dash, ...dash]) as unknown as number, {}); // pdfkit takes a list; its types say one length
  }
  if (!fill && !stroke) return;
  outline();
  if (fill && stroke) doc.fillAndStroke();
  else if (fill) doc.fill();
  else doc.stroke();
}

export interface SvgDrawing {
  doc: PDFKit.PDFDocument;
  font: (bold: boolean, italic: boolean) => SvgFont;
  /** The SVG's patterns by id. */
  patterns: Map<string, SvgElement>;
  /** Drawing a pattern's cell, where patterns cannot be used again. */
  inPattern?: boolean;
}

function drawChildren(drawing: SvgDrawing, node: SvgElement, paint: Paint): void {
  for (const child of node.children) drawElement(drawing, child, paint);
}

function drawElement(drawing: SvgDrawing, node: SvgElement, parentPaint: Paint): void {
  const { doc } = drawing;
  const a = node.attributes;
  if (node.name === 'title' || node.name === 'defs' || node.name === 'pattern' || a.get('display') === 'none') return;
  const paint = inheritPaint(parentPaint, a);
  if (paint.opacity <= 0) return;
  doc.save();
  const transform = a.get('transform');
  if (transform) doc.transform(...transformMatrix(transform));
  switch (node.name) {
    case 'svg': {
      const box = numbers(a.get('viewBox'));
      const x = number(a.get('x'), 0);
      const y = number(a.get('y'), 0);
      const width = number(a.get('width'), box[2] ?? 0);
      const height = number(a.get('height'), box[3] ?? 0);
      // A nested viewport clips (overflow hidden is SVG's default for it); its viewBox maps onto it.
      if (a.get('overflow') !== 'visible') doc.rect(x, y, width, height).clip();
      doc.translate(x, y);
      if (box.length === 4) {
        doc.scale(width / box[2]!, height / box[3]!);
        doc.translate(-box[0]!, -box[1]!);
      }
      drawChildren(drawing, node, paint);
      break;
    }
    case 'g':
      drawChildren(drawing, node, paint);
      break;
    case 'path': {
      const d = a.get('d');
      if (d) paintShape(drawing, paint, () => doc.path(d));
      break;
    }
    case 'rect': {
      const width = number(a.get('width'), 0);
      const height = number(a.get('height'), 0);
      if (width > 0 && height > 0) paintShape(drawing, paint, () => doc.rect(number(a.get('x'), 0), number(a.get('y'), 0), width, height));
      break;
    }
    case 'circle': {
      const r = number(a.get('r'), 0);
      const [cx, cy] = [number(a.get('cx'), 0), number(a.get('cy'), 0)];
      // From its rightmost point, as SVG draws it: a dashed outline's dashes fall where they do in a browser.
      if (r > 0) paintShape(drawing, paint, () => doc.path(`M${cx + r},${cy}A${r},${r},0,1,1,${cx - r},${cy}A${r},${r},0,1,1,${cx + r},${cy}Z`));
      break;
    }
    case 'line':
      paintShape(drawing, { ...paint, fill: 'none' }, () => doc.moveTo(number(a.get('x1'), 0), number(a.get('y1'), 0)).lineTo(number(a.get('x2'), 0), number(a.get('y2'), 0)));
      break;
    case 'text':
      drawText(drawing, node, paint);
      break;
  }
  doc.restore();
}

function drawText(drawing: SvgDrawing, node: SvgElement, paint: Paint): void {
  const { doc } = drawing;
  const text = node.text.replace(/\s+/g, ' ').trim();
  if (text === '') return;
  // Text is painted with colours only (no SVG of this tool fills text with a pattern).
  const fill = paint.fill !== 'none' && patternId(paint.fill) === undefined;
  const stroke = paint.stroke !== 'none' && patternId(paint.stroke) === undefined && paint['stroke-width'] > 0;
  if (!fill && !stroke) return;
  doc.font(drawing.font(paint['font-weight'] === 'bold' || Number(paint['font-weight']) >= 600, paint['font-style'] === 'italic' || paint['font-style'] === 'oblique')).fontSize(paint['font-size']);
  const anchor = paint['text-anchor'] === 'middle' ? 0.5 : paint['text-anchor'] === 'end' ? 1 : 0;
  const x = number(node.attributes.get('x'), 0) - (anchor === 0 ? 0 : anchor * doc.widthOfString(text));
  const y = number(node.attributes.get('y'), 0);
  if (fill) doc.fillColor(paint.fill, opacity(paint['fill-opacity'] * paint.opacity));
  if (stroke) doc.lineWidth(paint['stroke-width']).lineJoin(paint['stroke-linejoin']).strokeColor(paint.stroke, opacity(paint['stroke-opacity'] * paint.opacity));
  doc.text(text, x, y, { lineBreak: false, baseline: 'alphabetic', fill, stroke });
}

/**
 * Draws `svg` into `doc` in the box (points), scaled to fit and centred as preserveAspectRatio
 * xMidYMid meet. Returns false, having drawn nothing, when the SVG uses more than this drawer knows.
 */
export function drawSvgElements(doc: PDFKit.PDFDocument, svg: string, box: { x: number; y: number; width: number; height: number }, font: SvgDrawing['font']): boolean {
  const root = parseSvg(svg);
  if (!root) return false;
  const viewBox = numbers(root.attributes.get('viewBox'));
  const width = viewBox[2] ?? number(root.attributes.get('width'), box.width);
  const height = viewBox[3] ?? number(root.attributes.get('height'), box.height);
  const scale = Math.min(box.width / width, box.height / height);
  const patterns = new Map(root.children.filter((child) => child.name === 'defs').flatMap((defs) => defs.children.filter((child) => child.name === 'pattern').map((pattern) => [pattern.attributes.get('id') ?? '', pattern] as const)));
  // Text placed by hand must not make pdfkit start a page, nor move the report's flow.
  const { x: flowX, y: flowY } = doc;
  const bottomMargin = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.save();
  doc.translate(box.x + (box.width - width * scale) / 2, box.y + (box.height - height * scale) / 2);
  doc.scale(scale);
  if (viewBox.length === 4) doc.translate(-viewBox[0]!, -viewBox[1]!);
  drawChildren({ doc, font, patterns }, root, inheritPaint(initialPaint, root.attributes));
  doc.restore();
  doc.page.margins.bottom = bottomMargin;
  doc.x = flowX;
  doc.y = flowY;
  return true;
}
