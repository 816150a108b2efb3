import type { AnalysisResult } from '../analysis/result.js';
import type { IndicatorResult } from '../indicators/compute.js';
import { formatNumber } from '../indicators/sentences.js';
import { allLayers, composeMap, type MapInput, type MapOptions } from '../render/map/compose.js';
import { escapeXml } from '../render/map/page.js';
import { chartSpecs, figuresHere, type Charts, type Figures } from './figure-thread.js';
import { bigMapLayers, buildReport, type Report } from './content.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { heardMap, withStapeling } from '../render/maps.js';

export type ReportFormat = 'html' | 'pdf' | 'md';

export interface ReportOptions {
  formats: ReportFormat[];
  lang: 'nl' | 'en';
  date: string;
  version: string;
  internal: boolean;
  /** The vega, vega-lite and vega-embed browser bundles (for HTML). */
  scripts: string[];
  /** Who draws the charts and the PDF (default: this thread). */
  figures?: Figures | undefined;
  /** The report prepared already (prepareReport with this result and these options), its charts under way. */
  prepared?: PreparedReport | undefined;
}

export interface PreparedReport {
  report: Report;
  /** The charts, where a format draws them (PDF, Markdown). */
  charts: Promise<Charts> | undefined;
}

/**
 * The report's content, with its charts started: in the figures' thread they are drawn while the
 * caller goes on (writing the tables, composing the maps).
 */
export function prepareReport(result: AnalysisResult, options: Pick<ReportOptions, 'formats' | 'lang' | 'date' | 'figures'>): PreparedReport {
  const report = buildReport(result, options.lang, options.date);
  const drawn = options.formats.includes('pdf') || options.formats.includes('md');
  const charts = drawn ? (options.figures ?? figuresHere).charts(chartSpecs(report)) : undefined;
  // A failure is thrown where the charts are awaited, not as an unhandled rejection before.
  charts?.catch(() => undefined);
  return { report, charts };
}

/**
 * The report files of an analysis, as paths relative to the report folder: `rapport.html`,
 * `rapport.pdf`, `rapport.md` with its figures in `figuren/`. Recomputes nothing: it renders analysis.json.
 */
export async function buildReportFiles(result: AnalysisResult, mapInput: MapInput, options: ReportOptions): Promise<{ path: string; content: string | Uint8Array }[]> {
  const { report, charts } = options.prepared ?? prepareReport(result, options);
  const figures = options.figures ?? figuresHere;
  const mapOptions = (indicator: string, extra: Partial<MapOptions>): MapOptions => ({
    size: 'A4',
    orientation: 'portrait',
    lang: options.lang,
    indicator,
    layers: ['context', 'choropleth', 'hatching', 'hotspots', 'labels'],
    classification: 'diverging',
    hotspots: 'gi',
    presence: [],
    internal: options.internal,
    date: options.date,
    version: options.version,
    ...extra,
  });
  const maps = new Map<string, string>();
  // On an A4 page the big map's legend has no room for what is heard: that has its own map in the report.
  const bigMapInReport = allLayers.filter((layer) => layer !== 'geluiden' || !report.parts.some((part) => part.kind === 'map' && part.name === 'geluiden'));
  const big = bigMapLayers(result);
  const bigIndicator = big?.indicator ?? '';
  for (const part of report.parts) {
    if (part.kind !== 'map') continue;
    const heard = part.name === 'geluiden' ? heardMap(result, mapOptions(bigIndicator, {})) : undefined;
    const svg = heard
      ? composeMap(heard.stapeling ? withStapeling(mapInput) : mapInput, { ...heard.options, size: 'A4' }).svg
      : part.indicator === null
        ? composeMap(mapInput, mapOptions(bigIndicator, { orientation: 'landscape', layers: bigMapInReport, symbols: big!.symbols, presence: big!.presence, title: report.title })).svg
        : // Landscape, legend beside the map: on a report page shared with its chart it stays larger.
          composeMap(mapInput, mapOptions(part.indicator, { orientation: 'landscape' })).svg;
    maps.set(part.name, svg);
  }
  const files: { path: string; content: string | Uint8Array }[] = [];
  if (options.formats.includes('html')) {
    const hoverMaps = new Map([...maps].map(([name, svg]) => {
      // The geluiden map is coloured by the stapeling, which has no values to hover.
      const indicator = name === 'geluiden' ? undefined : (result.indicators.find((i) => i.id === name) ?? result.indicators.find((i) => i.id === bigIndicator));
      return [name, indicator ? withHoverTitles(svg, indicator, options.lang) : svg];
    }));
    files.push({ path: 'rapport.html', content: renderHtml(report, { scripts: options.scripts, maps: hoverMaps }) });
  }
  if (charts) {
    const drawn = await charts;
    if (options.formats.includes('pdf')) files.push({ path: 'rapport.pdf', content: await figures.reportPdf(report, { maps, charts: drawn }, options.date) });
    if (options.formats.includes('md')) {
      const figure = (name: string) => `figuren/${name.replace(/[^A-Za-z0-9_.-]/g, '-')}.svg`;
      files.push({ path: 'rapport.md', content: renderMarkdown(report, figure) });
      for (const [name, svg] of [...maps, ...drawn]) files.push({ path: figure(name), content: svg });
    }
  }
  return files;
}

/** A <title> in each block of the choropleth: hovering shows the block, its value and interval. */
export function withHoverTitles(svg: string, indicator: IndicatorResult, lang: 'nl' | 'en'): string {
  const byId = new Map(indicator.blocks.map((b) => [b.id, b]));
  const n = (x: number | null) => (x === null ? '–' : formatNumber(x, lang, 2));
  return svg.replace(/(<g id="choropleth">[\s\S]*?<\/g>)/, (group) =>
    group.replace(/<path ([^>]*?)data-block="([^"]+)"([^>]*)\/>/g, (_, before: string, id: string, after: string) => {
      const b = byId.get(id.replace(/&quot;/g, '"'));
      const label = b ? `${id}: ${n(b.value)} ${indicator.unit[lang]} (95%: ${n(b.lower)} – ${n(b.upper)})${b.small_numbers ? (lang === 'nl' ? ', te weinig gegevens' : ', too few data') : ''}` : id;
      return `<path ${before}data-block="${id}"${after}><title>${escapeXml(label)}</title></path>`;
    }),
  );
}
