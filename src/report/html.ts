import { prefixIds } from '../render/map/compose.js';
import { escapeXml } from '../render/map/page.js';
import type { Report } from './content.js';

export interface HtmlAssets {
  /** The browser bundles of vega, vega-lite and vega-embed, inlined so the page works offline. */
  scripts: string[];
  /** Map SVGs by name. */
  maps: Map<string, string>;
}

/**
 * One self-contained HTML file: text, tables, maps as inline SVG (hover for a block's values,
 * wheel to zoom, drag to pan) and charts drawn by vega-embed from inlined bundles. No CDN, no
 * network; a print stylesheet for paper.
 */
export function renderHtml(report: Report, assets: HtmlAssets): string {
  const body: string[] = [];
  const toc: string[] = [];
  const charts: { id: string; spec: unknown }[] = [];
  for (const part of report.parts) {
    switch (part.kind) {
      case 'cover':
        body.push(`<header class="cover"><h1>${escapeXml(part.title)}</h1>${part.subtitle ? `<p class="subtitle">${escapeXml(part.subtitle)}</p>` : ''}${part.lines.map((line) => `<p>${escapeXml(line)}</p>`).join('')}<p class="${part.internal ? 'confidential' : 'shareable'}">${escapeXml(part.confidentiality)}</p></header>`);
        break;
      case 'heading':
        body.push(`<h${part.level + 1} id="${escapeXml(part.id)}">${escapeXml(part.text)}</h${part.level + 1}>`);
        if (part.level <= 2) toc.push(`<li class="level-${part.level}"><a href="#${escapeXml(part.id)}">${escapeXml(part.text)}</a></li>`);
        break;
      case 'paragraph':
        body.push(`<p>${escapeXml(part.text)}</p>`);
        break;
      case 'list':
        body.push(`<ul>${part.items.map((item) => `<li>${escapeXml(item)}</li>`).join('')}</ul>`);
        break;
      case 'table':
        body.push(
          `<div class="table"><table><thead><tr>${part.columns.map((c, i) => `<th${part.numeric[i] ? ' class="num"' : ''}>${escapeXml(c)}</th>`).join('')}</tr></thead><tbody>` +
            part.rows.map((row) => `<tr>${row.map((c, i) => `<td${part.numeric[i] ? ' class="num"' : ''}>${escapeXml(c)}</td>`).join('')}</tr>`).join('') +
            `</tbody></table></div>`,
        );
        break;
      case 'map': {
        // Many maps share the page: their ids (clip paths, hatch patterns) must not collide.
        const svg = prefixIds(assets.maps.get(part.name) ?? '', `map-${part.name.replace(/[^A-Za-z0-9_-]/g, '-')}`).replace(/^<svg /, '<svg class="map-svg" ');
        body.push(`<figure class="map" data-map="${escapeXml(part.name)}"><div class="map-view">${svg}</div><figcaption>${escapeXml(part.caption)}</figcaption></figure>`);
        break;
      }
      case 'chart': {
        const id = `chart-${charts.length + 1}`;
        charts.push({ id, spec: part.spec });
        body.push(`<figure class="chart-figure"><div class="chart" id="${id}" data-chart="${escapeXml(part.name)}"></div><figcaption>${escapeXml(part.caption)}</figcaption></figure>`);
        break;
      }
    }
  }
  const contents = report.lang === 'nl' ? 'Inhoud' : 'Contents';
  return `<!DOCTYPE html>
<html lang="${report.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(report.title)}</title>
<style>
body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #1a1a1a; max-width: 980px; margin: 0 auto; padding: 24px; line-height: 1.45; }
.cover { border-bottom: 3px solid #1a1a1a; margin-bottom: 24px; }
.cover h1 { font-size: 2.1em; margin-bottom: 0.2em; }
.subtitle { font-size: 1.2em; color: #444; }
.confidential { color: #a00000; font-weight: bold; }
.shareable { color: #444444; }
nav.toc li.level-2 { margin-left: 1.5em; font-size: 0.95em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 2em; }
.table { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85em; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 12px 0 20px; }
figcaption { font-size: 0.85em; color: #555; }
.map-view { border: 1px solid #ddd; overflow: hidden; cursor: grab; }
.map-svg { display: block; width: 100%; height: auto; transform-origin: 0 0; }
.map-svg [data-block]:hover { stroke: #000; stroke-width: 0.8; }
@media print {
  body { max-width: none; padding: 0; }
  nav.toc { page-break-after: always; }
  h2 { page-break-before: always; }
  figure, table { page-break-inside: avoid; }
  .map-view { border: none; }
}
</style>
</head>
<body>
${body[0] ?? ''}
<nav class="toc"><h2>${contents}</h2><ul>${toc.join('')}</ul></nav>
${body.slice(1).join('\n')}
${assets.scripts.map((script) => `<script>${script.replace(/<\/script/gi, '<\\/script')}</script>`).join('\n')}
<script>
(function () {
  var charts = ${JSON.stringify(charts).replace(/</g, '\\u003c')};
  charts.forEach(function (chart) {
    vegaEmbed('#' + chart.id, chart.spec, { actions: false, renderer: 'svg' }).catch(function (error) { console.error(error); });
  });
  document.querySelectorAll('.map-view').forEach(function (view) {
    var svg = view.querySelector('svg');
    if (!svg) return;
    var scale = 1, x = 0, y = 0, start = null;
    function apply() { svg.style.transform = 'translate(' + x + 'px,' + y + 'px) scale(' + scale + ')'; }
    view.addEventListener('wheel', function (event) {
      event.preventDefault();
      var rect = view.getBoundingClientRect();
      var factor = event.deltaY < 0 ? 1.2 : 1 / 1.2;
      var next = Math.min(8, Math.max(1, scale * factor));
      var px = event.clientX - rect.left, py = event.clientY - rect.top;
      x = px - (px - x) * (next / scale); y = py - (py - y) * (next / scale); scale = next;
      if (scale === 1) { x = 0; y = 0; }
      apply();
    }, { passive: false });
    view.addEventListener('mousedown', function (event) { start = { x: event.clientX - x, y: event.clientY - y }; });
    window.addEventListener('mouseup', function () { start = null; });
    window.addEventListener('mousemove', function (event) { if (start && scale > 1) { x = event.clientX - start.x; y = event.clientY - start.y; apply(); } });
  });
})();
</script>
</body>
</html>
`;
}
