import { fonts } from './fonts.js';
import { dejaVuDocument } from './pdf.js';

const margin = 46;

/**
 * A short Markdown page (headings, paragraphs, lists, an indented command) as an A4 PDF with
 * DejaVu embedded: the handouts a partner's data officer prints (the data request, the manifest).
 * Inline `code` (commands, column names) is set in DejaVu Sans Mono, so it copies as typed.
 */
export function markdownPagePdf(markdown: string, title: string, date: string): Promise<Uint8Array> {
  const { doc, done } = dejaVuDocument(date, title, { size: 'A4', margin });
  doc.registerFont('DejaVu-Mono', fonts.mono);
  const width = doc.page.width - 2 * margin;
  /** A line of text with its `code` spans in mono and its **bold** spans bold, from x with the given width. */
  const runs = (text: string, x: number, size: number, lineWidth: number) => {
    const parts = text.split(/(`[^`]+`|\*\*[^*]+\*\*)/).filter((part) => part !== '');
    doc.fontSize(size);
    parts.forEach((part, i) => {
      const code = part.startsWith('`');
      const bold = part.startsWith('**');
      doc.font(code ? 'DejaVu-Mono' : bold ? 'DejaVu-Bold' : 'DejaVu').fillColor(code ? '#003a70' : '#1a1a1a');
      const content = code ? part.slice(1, -1) : bold ? part.slice(2, -2) : part;
      if (i === 0) doc.text(content, x, undefined, { width: lineWidth, continued: i < parts.length - 1 });
      else doc.text(content, { continued: i < parts.length - 1 });
    });
    doc.fillColor('#1a1a1a');
  };
  for (const line of markdown.split('\n')) {
    if (line.startsWith('# ')) doc.font('DejaVu-Bold').fontSize(15).fillColor('#1a1a1a').text(line.slice(2), margin, undefined, { width }).moveDown(0.3);
    else if (line.startsWith('## ')) doc.moveDown(0.4).font('DejaVu-Bold').fontSize(11.5).text(line.slice(3), margin, undefined, { width }).moveDown(0.2);
    else if (line.startsWith('    ')) doc.font('DejaVu-Mono').fontSize(8.5).fillColor('#003a70').text(line.trim(), margin + 18, undefined, { width: width - 18 }).fillColor('#1a1a1a');
    else if (/^\s*(- |\d+\. )/.test(line)) {
      const indent = line.startsWith('  ') ? 28 : 12;
      const [, marker, rest] = /^\s*(- |\d+\. )(.*)$/.exec(line)!;
      doc.font('DejaVu').fontSize(9).fillColor('#1a1a1a').text(marker!.trim() === '-' ? '•' : marker!.trim(), margin + indent - 12, undefined, { width: 14 });
      doc.moveUp();
      runs(rest!, margin + indent + 4, 9, width - indent - 4);
    } else if (line.trim() === '') doc.moveDown(0.35);
    else runs(line, margin, 9, width);
  }
  doc.end();
  return done;
}
