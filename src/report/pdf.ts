import { dejaVuDocument, drawSvg } from '../render/pdf.js';
import type { Part, Report } from './content.js';

const A4 = { width: 595.28, height: 841.89 };
const margin = 50;
const contentWidth = A4.width - 2 * margin;
const bottom = A4.height - margin - 20;

export interface PdfFigures {
  /** Map SVGs by name (sized in mm). */
  maps: Map<string, string>;
  /** Chart SVGs by name (sized in px, from vega). */
  charts: Map<string, string>;
}

/**
 * The report as an A4 PDF: cover, table of contents with page numbers, vector maps and charts,
 * DejaVu Sans embedded (so the text can be extracted), page numbers in the footer.
 */
export function renderReportPdf(report: Report, figures: PdfFigures, date: string): Promise<Uint8Array> {
  const { doc, done } = dejaVuDocument(date, report.title, { size: 'A4', margin, bufferPages: true });
  const entries: { level: number; text: string; page: number; destination: string }[] = [];
  // Bookmarks: every chapter, and its sections beneath it, as a PDF viewer's side panel shows them.
  let chapter: PDFKit.PDFOutline | undefined;
  const ensure = (height: number) => {
    if (doc.y + height > bottom) doc.addPage();
  };
  const pageNumber = () => doc.bufferedPageRange().start + doc.bufferedPageRange().count;
  let indicatorOnPage = false;
  let landscapeOpen = false;
  doc.on('pageAdded', () => {
    indicatorOnPage = false;
  });

  for (const [index, part] of report.parts.entries()) {
    switch (part.kind) {
      case 'cover':
        doc.font('DejaVu-Bold').fontSize(28).text(part.title, margin, 220, { width: contentWidth });
        if (part.subtitle) doc.moveDown(0.5).font('DejaVu').fontSize(15).fillColor('#444444').text(part.subtitle);
        doc.moveDown(2).fontSize(10.5).fillColor('#1a1a1a');
        for (const line of part.lines) doc.text(line, { width: contentWidth }).moveDown(0.4);
        // Red for VERTROUWELIJK only: the shareable version's note is information, not a warning.
        doc.moveDown(2).font(part.internal ? 'DejaVu-Bold' : 'DejaVu').fillColor(part.internal ? '#a00000' : '#444444').text(part.confidentiality, { width: contentWidth }).fillColor('#1a1a1a');
        doc.addPage(); // the table of contents, filled in at the end
        doc.addPage();
        break;
      case 'heading': {
        // A chapter begins on a new page, and so does each indicator after the first on a page: an
        // indicator's map, chart and standouts fill one page.
        const indicator = part.id.startsWith('indicator-');
        // The big map's heading and text go on its landscape page, not alone on a page before it.
        const landscapeMap = report.parts.slice(index + 1, index + 3).some((next) => next.kind === 'map' && next.landscape);
        if (landscapeMap) {
          doc.addPage({ size: 'A4', layout: 'landscape', margin });
          landscapeOpen = true;
        } else if ((part.level === 1 && doc.y > margin + 5) || (indicator && indicatorOnPage)) doc.addPage();
        // A heading stays with what it introduces: its text and the start of its figure or table.
        else ensure(keptWithHeading(doc, report.parts, index, figures));
        const destination = `section-${index}`;
        entries.push({ level: part.level, text: part.text, page: pageNumber(), destination });
        if (part.level === 1) chapter = doc.outline.addItem(part.text);
        else if (part.level === 2) (chapter ?? doc.outline).addItem(part.text);
        doc.font('DejaVu-Bold').fontSize(headingSize(part.level)).text(part.text, margin, doc.y, { width: contentWidth, destination }).moveDown(0.4);
        indicatorOnPage ||= indicator;
        break;
      }
      case 'paragraph':
        doc.font('DejaVu').fontSize(10);
        // A short paragraph is not split over two pages.
        ensure(Math.min(doc.heightOfString(part.text, { width: contentWidth, lineGap: 1.5 }), 80));
        doc.text(part.text, margin, doc.y, { width: contentWidth, lineGap: 1.5 }).moveDown(0.6);
        break;
      case 'list':
        doc.font('DejaVu').fontSize(10);
        for (const item of part.items) {
          // The bullet hangs: wrapped lines start under the text, and an item is not split over two pages.
          ensure(Math.min(doc.heightOfString(item, { width: contentWidth - 20, lineGap: 1.5 }) + 4, 120));
          const y = doc.y;
          doc.text('•', margin + 8, y, { lineBreak: false });
          doc.text(item, margin + 20, y, { width: contentWidth - 20, lineGap: 1.5 }).moveDown(0.35);
        }
        doc.moveDown(0.4);
        break;
      case 'table':
        table(doc, part);
        break;
      case 'map':
      case 'chart': {
        const svg = part.kind === 'map' ? figures.maps.get(part.name) : figures.charts.get(part.name);
        if (!svg) break;
        if (part.kind === 'map' && part.landscape) {
          // The big map gets a landscape page, below its heading, as large as the paper allows.
          if (!landscapeOpen) doc.addPage({ size: 'A4', layout: 'landscape', margin });
          const size = svgSize(svg, 72 / 25.4);
          const top = landscapeOpen ? doc.y : margin;
          let width = A4.height - 2 * margin;
          const height = Math.min(A4.width - margin - top - 20, (width * size.height) / size.width);
          width = Math.min(width, (height * size.width) / size.height);
          drawSvg(doc, svg, { x: margin + (A4.height - 2 * margin - width) / 2, y: top, width, height });
          landscapeOpen = false;
          doc.addPage({ size: 'A4', layout: 'portrait', margin });
          break;
        }
        const size = svgSize(svg, part.kind === 'map' ? 72 / 25.4 : 0.75);
        let width = Math.min(contentWidth, size.width);
        // An indicator's map, chart and standouts share one page.
        let height = Math.min((width * size.height) / size.width, (bottom - margin) * (part.pageShare ?? Infinity));
        width = (height * size.width) / size.height;
        // A figure shrinks to the space left on the page when that is at least half of what it wants.
        const left = bottom - doc.y - 24;
        const maxHeight = left >= height * 0.5 ? Math.min(left, bottom - margin - 30) : bottom - margin - 30;
        if (height > maxHeight) {
          height = maxHeight;
          width = (height * size.width) / size.height;
        }
        ensure(height + 24);
        drawSvg(doc, svg, { x: margin + (contentWidth - width) / 2, y: doc.y, width, height });
        doc.y += height + 4;
        doc.font('DejaVu-Oblique').fontSize(8.5).fillColor('#555555').text(part.caption, margin, doc.y, { width: contentWidth }).fillColor('#1a1a1a').moveDown(0.8);
        break;
      }
    }
  }

  const range = doc.bufferedPageRange();
  doc.switchToPage(range.start + 1);
  doc.font('DejaVu-Bold').fontSize(19).text(report.lang === 'nl' ? 'Inhoud' : 'Contents', margin, margin).moveDown(0.6);
  for (const entry of entries.filter((e) => e.level <= 2)) {
    const indent = entry.level === 1 ? 0 : 16;
    doc.font(entry.level === 1 ? 'DejaVu-Bold' : 'DejaVu').fontSize(entry.level === 1 ? 10.5 : 9.5);
    const y = doc.y;
    if (y > bottom) break;
    // Each line of the contents is a link to its section.
    doc.text(entry.text, margin + indent, y, { width: contentWidth - indent - 40, lineBreak: false, ellipsis: true, goTo: entry.destination });
    doc.text(String(entry.page), margin, y, { width: contentWidth, align: 'right', goTo: entry.destination });
    doc.moveDown(0.25);
  }
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const label = `${report.title} · ${i + 1} / ${range.count}`;
    // Text below the bottom margin would make pdfkit start a new page: lift the margin for the footer.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('DejaVu').fontSize(8).fillColor('#777777').text(label, margin, doc.page.height - margin + 10, { width: doc.page.width - 2 * margin, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
    doc.fillColor('#1a1a1a');
  }
  doc.end();
  return done;
}

/** A simple table: columns as wide as their content allows, header repeated on each page. */
function table(doc: PDFKit.PDFDocument, part: Extract<Part, { kind: 'table' }>): void {
  const { fontSize, widths } = tableLayout(doc, part);
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(fontSize);
    return Math.max(...cells.map((cell, c) => doc.heightOfString(cell, { width: widths[c]! - 4 }))) + 4;
  };
  const drawRow = (cells: string[], font: string, shade: boolean, height = rowHeight(cells, font)) => {
    const y = doc.y;
    if (shade) doc.rect(margin, y, widths.reduce((a, b) => a + b, 0), height).fill('#f0f0f0').fillColor('#1a1a1a');
    let x = margin;
    cells.forEach((cell, c) => {
      doc.font(font).fontSize(fontSize).text(cell, x + 2, y + 2, { width: widths[c]! - 4, align: part.numeric[c] ? 'right' : 'left' });
      x += widths[c]!;
    });
    doc.y = y + height;
    doc.x = margin;
  };
  if (doc.y + rowHeight(part.columns, 'DejaVu-Bold') * 3 > bottom) doc.addPage();
  drawRow(part.columns, 'DejaVu-Bold', true);
  for (const row of part.rows) {
    const height = rowHeight(row, 'DejaVu');
    if (doc.y + height > bottom) {
      doc.addPage();
      drawRow(part.columns, 'DejaVu-Bold', true);
    }
    drawRow(row, 'DejaVu', false, height);
  }
  doc.moveDown(0.8);
}

/**
 * Column widths that break no word: every column at least as wide as its longest word (header in
 * bold), the room left shared out to the columns that want more. Where even the longest words do
 * not fit, the type gets smaller, down to 5.5 pt.
 */
function tableLayout(doc: PDFKit.PDFDocument, part: Extract<Part, { kind: 'table' }>): { fontSize: number; widths: number[] } {
  // pdfkit measures a word with the space after it: a column only just as wide as the word breaks it.
  const longestWord = (text: string, font: string) => Math.max(0, ...text.split(/\s+/).map((word) => doc.font(font).widthOfString(`${word} `)));
  for (let fontSize = part.columns.length > 7 ? 6.5 : 7.5; ; fontSize -= 0.5) {
    doc.fontSize(fontSize);
    const least = part.columns.map((column, c) => Math.max(longestWord(column, 'DejaVu-Bold'), ...part.rows.map((row) => longestWord(row[c] ?? '', 'DejaVu'))) + 6);
    const natural = part.columns.map((_, c) => Math.max(least[c]!, ...part.rows.map((row) => doc.font('DejaVu').widthOfString(row[c] ?? '') + 6)));
    const total = natural.reduce((a, b) => a + b, 0);
    if (total <= contentWidth) return { fontSize, widths: natural };
    const spare = contentWidth - least.reduce((a, b) => a + b, 0);
    if (spare >= 0) {
      const wanted = natural.map((width, c) => width - least[c]!);
      const sum = wanted.reduce((a, b) => a + b, 0);
      return { fontSize, widths: least.map((width, c) => width + (wanted[c]! / sum) * spare) };
    }
    if (fontSize <= 5.5) return { fontSize, widths: natural.map((width) => (width / total) * contentWidth) };
  }
}

const headingSize = (level: number) => (level === 1 ? 19 : level === 2 ? 14 : 11.5);

/** The height a heading needs below it on its page: itself, its paragraphs, and the first rows or the smallest size of its figure. */
function keptWithHeading(doc: PDFKit.PDFDocument, parts: readonly Part[], index: number, figures: PdfFigures): number {
  const heading = parts[index] as Extract<Part, { kind: 'heading' }>;
  let height = doc.font('DejaVu-Bold').fontSize(headingSize(heading.level)).heightOfString(heading.text, { width: contentWidth }) + 8;
  for (const part of parts.slice(index + 1)) {
    if (part.kind === 'paragraph') {
      height += doc.font('DejaVu').fontSize(10).heightOfString(part.text, { width: contentWidth, lineGap: 1.5 }) + 8;
      continue;
    }
    if (part.kind === 'list') height += doc.font('DejaVu').fontSize(10).heightOfString(part.items[0] ?? '', { width: contentWidth - 20, lineGap: 1.5 }) + 6;
    else if (part.kind === 'table') height += 40;
    else if (part.kind === 'map' || part.kind === 'chart') {
      const svg = part.kind === 'map' ? figures.maps.get(part.name) : figures.charts.get(part.name);
      if (svg && !(part.kind === 'map' && part.landscape)) {
        const size = svgSize(svg, part.kind === 'map' ? 72 / 25.4 : 0.75);
        // A figure may shrink to half its size to stay on the page.
        height += (Math.min(contentWidth, size.width) * size.height) / size.width / 2 + 24;
      }
    }
    break;
  }
  return Math.min(height, bottom - margin - 30);
}

/** Width and height of an SVG in points: maps are sized in mm, vega charts in px. */
function svgSize(svg: string, pointsPerUnit: number): { width: number; height: number } {
  const width = Number(/<svg[^>]*\swidth="([\d.]+)/.exec(svg)?.[1] ?? 400);
  const height = Number(/<svg[^>]*\sheight="([\d.]+)/.exec(svg)?.[1] ?? 300);
  return { width: width * pointsPerUnit, height: height * pointsPerUnit };
}
