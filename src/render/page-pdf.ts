import { dejaVuDocument } from './pdf.js';

const margin = 56;

/**
 * A short Markdown page (headings, paragraphs, lists, an indented command) as an A4 PDF with
 * DejaVu embedded: the handouts a partner's data officer prints (the data request).
 */
export function markdownPagePdf(markdown: string, title: string, date: string): Promise<Uint8Array> {
  const { doc, done } = dejaVuDocument(date, title, { size: 'A4', margin });
  const width = doc.page.width - 2 * margin;
  // Inline code and bold are set plain: the page is read on paper.
  const plain = (text: string) => text.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1');
  for (const line of markdown.split('\n')) {
    if (line.startsWith('# ')) doc.font('DejaVu-Bold').fontSize(16).fillColor('#1a1a1a').text(plain(line.slice(2)), { width }).moveDown(0.3);
    else if (line.startsWith('## ')) doc.moveDown(0.4).font('DejaVu-Bold').fontSize(11.5).text(plain(line.slice(3)), { width }).moveDown(0.2);
    else if (line.startsWith('    ')) doc.font('DejaVu').fontSize(9).fillColor('#003a70').text(line.trim(), margin + 18, undefined, { width: width - 18 }).fillColor('#1a1a1a').text('', margin);
    else if (/^\s*(- |\d+\. )/.test(line)) {
      const indent = line.startsWith('  ') ? 28 : 12;
      const [, marker, rest] = /^\s*(- |\d+\. )(.*)$/.exec(line)!;
      doc.font('DejaVu').fontSize(9.5).text(marker!.trim() === '-' ? '•' : marker!.trim(), margin + indent - 12, undefined, { continued: false, width: 14 });
      doc.moveUp().text(plain(rest!), margin + indent + 4, undefined, { width: width - indent - 4 }).text('', margin);
    } else if (line.trim() === '') doc.moveDown(0.35);
    else doc.font('DejaVu').fontSize(9.5).text(plain(line), margin, undefined, { width });
  }
  doc.end();
  return done;
}
