import type { Report } from './content.js';

/**
 * The report as Markdown for pipelines and version control; maps and charts are SVG files
 * beside it, named by `figure`.
 */
export function renderMarkdown(report: Report, figure: (name: string) => string): string {
  const out: string[] = [];
  for (const part of report.parts) {
    switch (part.kind) {
      case 'cover':
        out.push(`# ${part.title}`, '', ...(part.subtitle ? [`**${part.subtitle}**`, ''] : []), ...part.lines.map((line) => `${line}  `), '', `> ${part.confidentiality}`, '');
        break;
      case 'heading':
        out.push(`${'#'.repeat(part.level + 1)} ${part.text}`, '');
        break;
      case 'paragraph':
        out.push(part.text, '');
        break;
      case 'list':
        out.push(...part.items.map((item) => `- ${item}`), '');
        break;
      case 'table':
        out.push(`| ${part.columns.map(cell).join(' | ')} |`, `| ${part.numeric.map((numeric) => (numeric ? '---:' : '---')).join(' | ')} |`, ...part.rows.map((row) => `| ${row.map(cell).join(' | ')} |`), '');
        break;
      case 'map':
      case 'chart':
        out.push(`![${part.caption}](${figure(part.name)})`, '', `*${part.caption}*`, '');
        break;
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
