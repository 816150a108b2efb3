import type { AnalysisResult } from '../analysis/result.js';
import type { MapsConfig } from '../project/schema.js';
import { measureValues } from '../indicators/measures.js';
import { stapelingIndicator } from '../indicators/accumulation.js';
import { samenloopMeasure } from '../analysis/samenloop.js';
import { allLayers, composeMap, composeSmallMultiples, type ComposedMap, type MapInput, type MapOptions } from './map/compose.js';
import type { renderPdf } from './pdf.js';
import { renderPng } from './png.js';

export type MapFormat = 'svg' | 'png' | 'pdf';

/** One map file to make: a single map or the small multiples, in one format. */
export interface MapJob {
  file: string;
  format: MapFormat;
  options: MapOptions;
  /** With small multiples: the indicators, one map each. */
  smallMultiples?: string[] | undefined;
  /** The stapeling map: the accumulation drawn as the map's indicator. */
  stapeling?: boolean;
  dpi: number;
}

/** The map's input with the stapeling as one more indicator, for a map that colours the blocks by it. */
export function withStapeling(mapInput: MapInput): MapInput {
  const accumulation = mapInput.result.accumulation;
  return accumulation ? { ...mapInput, result: { ...mapInput.result, indicators: [...mapInput.result.indicators, stapelingIndicator(accumulation, mapInput.result.indicators)] } } : mapInput;
}

type BaseOptions = Omit<MapOptions, 'size' | 'orientation' | 'indicator' | 'layers'>;

/** Where problems pile up: 0, 1, 2, 3 or more domains, hatched where unknown domains could add (drawn with `stapeling: true`). */
export function stapelingMap(result: AnalysisResult, base: BaseOptions): MapOptions | undefined {
  const domains = result.accumulation?.domains.length ?? 0;
  if (domains === 0) return undefined;
  const most = Math.min(3, domains);
  const classLabels = Array.from({ length: most + 1 }, (_, k) => (k === most && most < domains ? (base.lang === 'nl' ? `${k} of meer` : `${k} or more`) : String(k)));
  return {
    ...base,
    size: 'A3',
    orientation: 'landscape',
    indicator: 'stapeling',
    layers: ['context', 'choropleth', 'hatching', ...(result.accumulation?.samenloop ? (['symbols'] as const) : []), 'concentrations', 'labels'],
    symbols: result.accumulation?.samenloop ? samenloopMeasure : undefined,
    presence: [],
    zeroSymbols: false,
    classification: 'fixed',
    breaks: classLabels.slice(1).map((_, k) => k + 0.5),
    classLabels,
    incompleteLabel: base.lang === 'nl' ? 'mogelijk meer: minstens één leefgebied is onbekend (geheim of te kleine aantallen)' : 'possibly more: at least one domain is unknown (secret or too few)',
    title: base.lang === 'nl' ? `${result.project.name}: waar stapelen problemen zich op?` : `${result.project.name}: where do problems pile up?`,
  };
}

/** Cijfers en geluiden: what is heard per block over the stapeling (or, without domains, over `indicator`). */
export function heardMap(result: AnalysisResult, base: BaseOptions & { indicator: string }): { options: MapOptions; stapeling: boolean } | undefined {
  if (!result.signals) return undefined;
  const over = stapelingMap(result, base);
  return {
    stapeling: over !== undefined,
    options: {
      ...(over ?? { ...base, size: 'A3', orientation: 'landscape' }),
      layers: ['context', 'choropleth', 'hatching', 'geluiden', 'labels'],
      symbols: undefined,
      title: base.lang === 'nl' ? `${result.project.name}: cijfers en geluiden` : `${result.project.name}: figures and what people say`,
    },
  };
}

/**
 * Composes a map and writes it as SVG text, or renders it to PNG or PDF bytes. With `composedMaps`,
 * a map already composed for another format of the same job is not composed again.
 */
export async function renderMap(
  mapInput: MapInput,
  job: MapJob,
  pdf: typeof renderPdf = async (...args) => (await import('./pdf.js')).renderPdf(...args),
  composedMaps?: Map<string, ComposedMap>,
): Promise<{ content: string | Uint8Array; composed: ComposedMap }> {
  const input = job.stapeling ? withStapeling(mapInput) : mapInput;
  const key = JSON.stringify([job.options, job.smallMultiples, job.stapeling]);
  const composed = composedMaps?.get(key) ?? (job.smallMultiples ? composeSmallMultiples(input, job.smallMultiples, job.options) : composeMap(input, job.options));
  composedMaps?.set(key, composed);
  if (job.format === 'svg') return { content: composed.svg, composed };
  if (job.format === 'png') return { content: renderPng(composed.svg, composed.page.width, job.dpi), composed };
  const title = job.options.title ?? input.result.project.name;
  return { content: await pdf([{ svg: composed.svg, width: composed.page.width, height: composed.page.height }], job.options.date, title), composed };
}

/**
 * The maps `analyse` writes by default: the big map (all layers, in the configured size and
 * formats), one A4 map per indicator and the small multiples. `maps:` in the project file changes them.
 */
export function defaultMapJobs(result: AnalysisResult, config: MapsConfig, common: { date: string; version: string; lang: 'nl' | 'en'; internal: boolean }): MapJob[] {
  if (!config.enabled || result.indicators.length === 0) return [];
  const has = (id: string) => result.indicators.some((i) => i.id === id);
  const ids = config.indicators === 'all' ? result.indicators.map((i) => i.id) : config.indicators.filter(has);
  const bigIndicator = config.big.indicator && has(config.big.indicator) ? config.big.indicator : has('meldingen') ? 'meldingen' : result.indicators[0]!.id;
  const measureOrKey = (key: string) => measureValues(key, result.blocks, result.measures) !== null;
  const base: BaseOptions = {
    lang: common.lang,
    classification: config.classification,
    hotspots: 'gi',
    presence: [],
    internal: common.internal,
    date: common.date,
    version: common.version,
  };
  const jobs: MapJob[] = config.big.formats.map((format) => ({
    file: `overzicht.${format}`,
    format,
    dpi: config.dpi,
    options: {
      ...base,
      size: config.big.size,
      orientation: config.big.orientation,
      indicator: bigIndicator,
      layers: allLayers,
      title: common.lang === 'nl' ? `${result.project.name}: alle gegevens op één kaart` : `${result.project.name}: all data on one map`,
      symbols: config.big.symbols && measureOrKey(config.big.symbols) ? config.big.symbols : undefined,
      presence: config.big.presence.filter(measureOrKey),
    },
  }));
  // The maps with a PDF come first: their PDFs are drawn (in the figures' thread) while the rest are composed.
  const stapeling = stapelingMap(result, base);
  const heard = heardMap(result, { ...base, indicator: bigIndicator });
  for (const format of ['svg', 'pdf'] as const) {
    if (stapeling) jobs.push({ file: `stapeling.${format}`, format, dpi: config.dpi, stapeling: true, options: stapeling });
  }
  for (const format of ['svg', 'pdf'] as const) {
    if (heard) jobs.push({ file: `geluiden.${format}`, format, dpi: config.dpi, stapeling: heard.stapeling, options: heard.options });
  }
  for (const id of ids) {
    jobs.push({ file: `${id.replace(/[^A-Za-z0-9_.-]/g, "-")}.svg`, format: 'svg', dpi: config.dpi, options: { ...base, size: 'A4', orientation: 'portrait', indicator: id, layers: ['context', 'choropleth', 'hatching', 'hotspots', 'labels'] } });
  }
  if (ids.length > 1) {
    jobs.push({
      file: 'kleine-veelvouden.svg',
      format: 'svg',
      dpi: config.dpi,
      smallMultiples: ids,
      options: { ...base, size: 'A3', orientation: 'landscape', indicator: ids[0]!, layers: ['context', 'choropleth', 'hatching', 'hotspots', 'labels'] },
    });
  }
  return jobs;
}
