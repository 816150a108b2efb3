import { valenceWords } from '../../analysis/signals.js';
import { featureCollection, multiPolygon, union } from '@turf/turf';
import { geoIdentity, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import type { AnalysisResult } from '../../analysis/result.js';
import type { IndicatorResult } from '../../indicators/compute.js';
import type { BlockSpatial } from '../../indicators/blocks.js';
import { resolveMeasure, type Measure } from '../../indicators/measures.js';
import polylabel from 'polylabel';
import { PolygonIndex, ringArea, shapeContains, type PlanarPolygons } from '../../geo/polygon-index.js';
import { formatNumber, longDate, periodWords } from '../../indicators/sentences.js';
import { classify, classOf, divergingRatios, type Classification, type ClassificationMethod } from './classify.js';
import { escapeXml, mm, page as makePage, pt, textWidth, type Orientation, type Page, type PageSize } from './page.js';

export type Point = [number, number];
/** A polygon: rings of points, the first the exterior. In RD New metres. */
export type PolygonRings = Point[][];

export interface MapBlock {
  id: string;
  label: string;
  polygons: PolygonRings[];
}

export interface MapStreet {
  name: string;
  points: Point[];
}

export interface MapInput {
  result: AnalysisResult;
  blocks: MapBlock[];
  streets: MapStreet[];
  /** Optional base layer (buildings, water) in RD New. */
  base?: PolygonRings[] | undefined;
  /** Optional wider context (for example the district's buurten) for an inset, in RD New. */
  inset?: PolygonRings[] | undefined;
}

export type LayerName = 'context' | 'choropleth' | 'hatching' | 'stapeling' | 'hotspots' | 'symbols' | 'concentrations' | 'geluiden' | 'labels';
export const allLayers: LayerName[] = ['context', 'choropleth', 'hatching', 'stapeling', 'hotspots', 'symbols', 'geluiden', 'labels'];

export interface MapOptions {
  size: PageSize;
  orientation: Orientation;
  lang: 'nl' | 'en';
  indicator: string;
  layers: readonly LayerName[];
  classification: ClassificationMethod;
  classes?: number | undefined;
  breaks?: number[] | undefined;
  /** `gi`: Gi* hot and cold spots outlined; `lisa`: local Moran cluster categories. */
  hotspots: 'gi' | 'lisa';
  /** Count key drawn as proportional circles per block. */
  symbols?: string | undefined;
  /** Count keys drawn as a marker where a block has at least one. */
  presence: string[];
  /** false: a block whose symbol count is 0 gets no dash (where nearly every block has none, the dashes are noise). */
  zeroSymbols?: boolean;
  title?: string | undefined;
  internal: boolean;
  /** Words for the legend's classes instead of their bounds (the stapeling map: 0, 1, 2, 3 of meer). */
  classLabels?: string[] | undefined;
  /** Words for blocks whose value is incomplete (drawn in its colour, with open hatching), instead of "onvolledig". */
  incompleteLabel?: string | undefined;
  /** The creation date printed on the map (YYYY-MM-DD). */
  date: string;
  version: string;
}

const text = {
  nl: {
    fewData: 'te weinig gegevens',
    incomplete: 'onvolledig: de afzender hield kleine aantallen achter',
    stapelingTitle: 'Opeenstapeling',
    heardTitle: 'Geluiden uit de buurt: wat het vaakst genoemd wordt',
    heardNote: 'Rood: een probleem; groen: iets wat goed gaat; het meest genoemde eerst. Alleen thema’s die vaak genoeg genoemd zijn om te delen. Het teken staat midden in het blok, nooit op de plek waar iemand een punt zette.',
    heardNone: 'Geen blok heeft een thema dat vaak genoeg genoemd is om te delen.',
    heardDots: 'De blokken zijn op deze kaart te klein voor de letters: per blok één stip in de kleur van het meest genoemde thema (rood: een probleem; groen: iets wat goed gaat). Alleen thema’s die vaak genoeg genoemd zijn om te delen. De stip staat midden in het blok, nooit op de plek waar iemand een punt zette.',
    stapeling: 'twee of meer leefgebieden met een signaal of een verhoogd cijfer',
    noData: 'geen gegevens',
    secret: 'geheim (kleine aantallen)',
    hot: 'hotspot (Gi*, significant)',
    cold: 'coldspot (Gi*, significant)',
    clusters: { HH: 'hoog tussen hoog', LL: 'laag tussen laag', HL: 'hoog tussen laag', LH: 'laag tussen hoog' },
    reference: 'referentie',
    times: '×',
    sources: 'Bronnen',
    made: (date: string, version: string) => `Kaart gemaakt op ${date} met buurtbalans ${version}.`,
    confidential: 'VERTROUWELIJK',
    hotspotsTitle: 'Ruimtelijke clusters',
    area: 'gebied',
    presence: 'Aanwezig in blok',
    north: 'N',
    inset: 'ligging',
  },
  en: {
    fewData: 'too few data',
    incomplete: 'incomplete: the sender held back small counts',
    stapelingTitle: 'Accumulation',
    heardTitle: 'What the neighbourhood mentions most often',
    heardNote: 'Red: a problem; green: something that goes well; the most mentioned first. Only themes mentioned often enough to share. The sign stands in the middle of the block, never at the spot where someone placed a pin.',
    heardNone: 'No block has a theme named often enough to share.',
    heardDots: 'The blocks are too small on this map for the letters: one dot per block in the colour of its most mentioned theme (red: a problem; green: something that goes well). Only themes mentioned often enough to share. The dot stands in the middle of the block, never at the spot where someone placed a pin.',
    stapeling: 'two or more domains with a signal or elevated',
    noData: 'no data',
    secret: 'suppressed (small numbers)',
    hot: 'hot spot (Gi*, significant)',
    cold: 'cold spot (Gi*, significant)',
    clusters: { HH: 'high among high', LL: 'low among low', HL: 'high among low', LH: 'low among high' },
    reference: 'reference',
    times: '×',
    sources: 'Sources',
    made: (date: string, version: string) => `Map made on ${date} with buurtbalans ${version}.`,
    confidential: 'CONFIDENTIAL',
    hotspotsTitle: 'Spatial clusters',
    area: 'area',
    presence: 'Present in block',
    north: 'N',
    inset: 'location',
  },
} as const;

/**
 * Type sizes in points on A4, grown with the page scale: the legend has the defaults of QGIS print
 * layouts on A4 less a point (headings 13 pt, items 11 pt, so three columns fit under a portrait
 * A4 map); on A1 that is 22 and 18 pt, well above them. The title stands above all.
 */
const typeSize = { title: 24, subtitle: 13, legendHeading: 13, legendItem: 11, panelTitle: 11, credits: 8, scaleBar: 9, north: 11 };

const clusterColours = { HH: '#b2182b', LL: '#2166ac', HL: '#ef8a62', LH: '#67a9cf' } as const;
const hotColour = '#1a1a1a';
const stapelingColour = '#762a83';
const concentrationColour = '#1b7837';
const coldColour = '#1a1a1a';
/** Hot solid, cold dashed: told apart without colour, and visible on any class colour. */
const coldDash = (s: number) => ` stroke-dasharray="${mm(2 * s)} ${mm(1.2 * s)}"`;
const markerShapes = ['square', 'triangle', 'diamond'] as const;
const markerColours = ['#6a3d9a', '#1b7837', '#b35806'];

/** What the composed map holds, for tests and for the PDF and PNG writers. */
export interface ComposedMap {
  svg: string;
  page: Page;
  /** Millimetres on the page per metre on the ground. */
  mmPerMetre: number;
  scaleBar: { metres: number; millimetres: number };
  legendEntries: string[];
}

/**
 * Composes a layered map as SVG: blocks as a choropleth of one indicator, hatched where the
 * numbers are too few, hot spots outlined, symbols per block, labels with halo, and the furniture
 * (title, legend, scale bar, north arrow, credits). RD New is drawn with an identity projection.
 */
export function composeMap(input: MapInput, options: MapOptions): ComposedMap {
  const composed = composeWithLegend(input, options, 72);
  if (!composed.overflows || options.orientation !== 'portrait') return composed.map;
  // A legend longer than its panel under a portrait map (many layers, the heard themes' note) gets
  // the lowest panel its columns fit in, the map a shorter frame; only beyond 120 mm is its type made smaller.
  const s = composed.map.page.scale;
  let height = 72;
  while (height < 120 && legendAt(composed.legend, { x: 0, y: 0, width: composed.legendWidth, height: height * s }, s).bottom > height * s) height += 2;
  return composeWithLegend(input, options, height).map;
}

/** The map with a portrait legend panel `legendMm` high (at A4); `overflows`: whether the legend at full size runs past it. */
function composeWithLegend(input: MapInput, options: MapOptions, legendMm: number): { map: ComposedMap; overflows: boolean; legend: LegendSection[]; legendWidth: number } {
  const page = makePage(options.size, options.orientation);
  const s = page.scale;
  const t = text[options.lang];
  const indicator = input.result.indicators.find((i) => i.id === options.indicator);
  const margin = 10 * s;
  const header = 23 * s;
  const footer = 12 * s;
  const legendWidth = options.orientation === 'landscape' ? 95 * s : 0;
  const legendHeight = options.orientation === 'portrait' ? legendMm * s : 0;
  const frame = {
    x: margin,
    y: margin + header,
    width: page.width - 2 * margin - legendWidth - (legendWidth > 0 ? 6 * s : 0),
    height: page.height - 2 * margin - header - footer - legendHeight - (legendHeight > 0 ? 4 * s : 0),
  };

  const collection = {
    type: 'FeatureCollection',
    features: input.blocks.map((block) => ({ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: block.polygons } })),
  };
  const inner = 6 * s;
  const projection = geoIdentity()
    .reflectY(true)
    .fitExtent(
      [
        [frame.x + inner, frame.y + inner],
        [frame.x + frame.width - inner, frame.y + frame.height - inner],
      ],
      collection as unknown as GeoPermissibleObjects,
    );
  const mmPerMetre = projection.scale();
  const project = (point: Point) => projection(point) as Point;
  const d = pathsFor(project, `${mmPerMetre} ${projection.translate().join(' ')}`);

  const layers: string[] = [];
  const legend: LegendSection[] = [];
  const classification = indicator ? classificationFor(indicator, options) : undefined;
  // Symbols, markers and badges are sized for blocks a centimetre wide; on smaller blocks they
  // shrink with them (k), or a city's would cover the whole map, each four blocks off its own.
  const { k, fine } = blockScale(input.blocks, mmPerMetre);
  const drawn = indicatorLayers(input, indicator, classification, d, fine, s, options);
  layers.push(...drawn.layers);
  if (indicator && classification && options.layers.includes('choropleth')) legend.push(choroplethLegend(indicator, classification, options.lang, options.classLabels));
  legend.push(...drawn.legend);

  const centres = input.blocks.map((block) => project(labelPoint(block.polygons)));
  const measureOf = (key: string) => {
    const measure = resolveMeasure(key, input.result.blocks, input.result.measures);
    return 'missing' in measure ? undefined : measure;
  };
  if (options.layers.includes('symbols')) {
    const parts: string[] = [];
    const measure = options.symbols ? measureOf(options.symbols) : undefined;
    if (options.symbols && measure) {
      const states = input.blocks.map((_, b) => countState(measure, b));
      const drawn = (b: number) => options.zeroSymbols !== false || states[b] !== 'zero';
      const counts = input.blocks.map((_, b) => (states[b] === 'count' || states[b] === 'at_least' ? measure.values[b]! : 0));
      const maxCount = counts.reduce((most, count) => Math.max(most, count), 0);
      const maxRadius = 7 * s * k;
      const radius = (count: number) => (maxCount > 0 ? Math.sqrt(count / maxCount) * maxRadius : 0);
      const small = 1.8 * s * k;
      // Largest first, so small circles stay visible on top; each sits above its block's label.
      const order = counts.map((count, b) => ({ count, b })).sort((a, b) => b.count - a.count || a.b - b.b);
      for (const { count, b } of order) {
        if (!drawn(b)) continue;
        const [x, centre] = centres[b]!;
        const state = states[b]!;
        const r = state === 'count' || state === 'at_least' ? radius(count) : small;
        parts.push(countSymbol(state, x, fine ? centre : centre - r - 4 * s * k, r, s * k, input.blocks[b]!.id, count));
      }
      legend.push(symbolLegend(options.symbols, maxCount, radius, new Set(states.filter((_, b) => drawn(b))), small, options.lang, input.result.disclosure?.threshold ?? 1));
    }
    const presenceEntries: LegendEntry[] = [];
    options.presence.forEach((key, m) => {
      const shape = markerShapes[m % markerShapes.length]!;
      const colour = markerColours[m % markerColours.length]!;
      const presence = measureOf(key);
      if (!presence) return;
      const seen = new Set<CountState>();
      input.blocks.forEach((block, b) => {
        const state = countState(presence, b);
        seen.add(state);
        if (state === 'zero') return;
        const [x, y] = centres[b]!;
        const offset = (m - (options.presence.length - 1) / 2) * 5 * s * k;
        parts.push(marker(shape, x + offset, fine ? y : y + 8 * s * k, 2.2 * s * k, colour, block.id, key, state));
      });
      presenceEntries.push(...presenceLegend(measureLabel(key, options.lang), shape, colour, seen, options.lang));
    });
    if (presenceEntries.length > 0) legend.push({ title: t.presence, entries: presenceEntries });
    layers.push(group('symbols', parts));
  }

  if (options.layers.includes('geluiden')) {
    // Below the presence markers where the big map has them, else just below the label.
    const drawn = heardLayer(input, centres, s, k, options.lang, options.layers.includes('symbols') && options.presence.length > 0 ? 14 : 6);
    if (drawn) {
      layers.push(drawn.layer);
      legend.push(drawn.legend);
    }
  }

  if (options.layers.includes('concentrations')) {
    const drawn = concentrationLayer(input, centres, d, s, options.lang);
    if (drawn) {
      layers.push(drawn.layer);
      legend.push(drawn.legend);
    }
  }

  if (options.layers.includes('labels')) {
    const signalled = new Set(indicator ? indicator.blocks.filter((b) => b.signal).map((b) => b.id) : []);
    layers.push(group('labels', labelLayer(input, centres, project, (point) => projection.invert!(point) as Point, projection.scale(), s, frame, signalled)));
  }

  const legendBox = legendWidth > 0
    ? { x: page.width - margin - legendWidth, y: margin + header, width: legendWidth, height: page.height - 2 * margin - header - footer }
    : { x: margin, y: page.height - margin - footer - legendHeight, width: page.width - 2 * margin, height: legendHeight };
  const { svg: legendSvg, overflows } = renderLegend(legend, legendBox, s);
  const bar = scaleBar(mmPerMetre, frame.width * 0.25);
  const title = options.title ?? (indicator ? indicator.label[options.lang] : input.result.project.name);
  const period = input.result.project.period ? ` · ${periodWords(input.result.project.period, options.lang)}` : '';
  const subtitle = `${input.result.project.name}${period}${indicator ? ` · ${indicator.unit[options.lang]}` : ''}`;
  const drawnKeys = [
    ...(indicator && options.layers.includes('choropleth') ? [...indicator.numerator.keys, ...indicator.denominator.keys] : []),
    ...(options.layers.includes('symbols') ? [options.symbols, ...options.presence].flatMap((key) => (key ? keysOf(key, input.result) : [])) : []),
  ];
  const heardSources = options.layers.includes('geluiden') ? (input.result.signals?.kinds ?? []).map((kind) => kind.source) : [];
  const credits = creditsText(input.result, drawnKeys, options, heardSources);

  const furniture = [
    titleSvg(title, subtitle, margin, s, page.width - 2 * margin),
    `<rect id="map-frame" x="${mm(frame.x)}" y="${mm(frame.y)}" width="${mm(frame.width)}" height="${mm(frame.height)}" fill="none" stroke="#bbbbbb" stroke-width="${mm(0.25 * s)}"/>`,
    group('legend', [legendSvg]),
    scaleBarSvg(bar, frame.x + 6 * s, frame.y + frame.height - 6 * s, s),
    northArrow(frame.x + frame.width - 10 * s, frame.y + 8 * s, s, t.north),
    creditsSvg(credits, margin, page, s),
  ];
  if (input.inset && input.inset.length > 0) {
    // The inset goes in the legend panel, where it hides no block.
    const size = Math.min(legendBox.width * (legendWidth > 0 ? 1 : 0.4), legendBox.height * (legendWidth > 0 ? 0.4 : 1), 80 * s);
    const box = legendWidth > 0 ? { x: legendBox.x, y: legendBox.y + legendBox.height - size, size } : { x: legendBox.x + legendBox.width - size, y: legendBox.y, size };
    furniture.push(insetMap(input, box, s, t.inset));
  }
  if (options.internal) {
    furniture.push(
      `<g id="confidential"><text x="${mm(page.width - margin)}" y="${mm(margin + 8 * s)}" font-size="${mm(pt(14) * s)}" font-weight="bold" fill="#c00000" text-anchor="end">${t.confidential}</text>` +
        `<text x="${mm(page.width / 2)}" y="${mm(page.height / 2)}" font-size="${mm(pt(60) * s)}" font-weight="bold" fill="#c00000" fill-opacity="0.08" text-anchor="middle" transform="rotate(-30 ${mm(page.width / 2)} ${mm(page.height / 2)})">${t.confidential}</text></g>`,
    );
  }

  const defs = patternDefs(s);
  // A nested viewport clips the map to its frame: the same in every renderer, and svg-to-pdfkit
  // clips it with one rectangle where a clip-path made it measure every shape of the map first.
  const frameBox = `${mm(frame.x)} ${mm(frame.y)} ${mm(frame.width)} ${mm(frame.height)}`;

  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${mm(page.width)}mm" height="${mm(page.height)}mm" viewBox="0 0 ${mm(page.width)} ${mm(page.height)}" font-family="DejaVu Sans">\n` +
    `<title>${escapeXml(title)}</title>\n${defs}\n` +
    `<rect id="page" width="${mm(page.width)}" height="${mm(page.height)}" fill="#ffffff"/>\n` +
    `<svg id="frame" x="${mm(frame.x)}" y="${mm(frame.y)}" width="${mm(frame.width)}" height="${mm(frame.height)}" viewBox="${frameBox}" overflow="hidden">\n` +
    `<g id="map">\n${layers.join('\n')}\n</g>\n</svg>\n${furniture.join('\n')}\n</svg>\n`;
  return { map: { svg, page, mmPerMetre, scaleBar: bar, legendEntries: legend.flatMap((section) => section.entries.map((entry) => entry.label)) }, overflows, legend, legendWidth: legendBox.width };
}

/**
 * The layers that show one indicator (the area's outline, the choropleth, hatching where the
 * numbers are too few, hot spots) with the legend sections of the last two; the choropleth's
 * legend is the caller's, as small multiples share one. `prefix` keeps group ids unique on a page of panels.
 */
function indicatorLayers(
  input: MapInput,
  indicator: IndicatorResult | undefined,
  classification: Classification | undefined,
  d: (polygons: PolygonRings[]) => string,
  /** Blocks too small on the page for outlines (blockScale). */
  fine: boolean,
  s: number,
  options: Pick<MapOptions, 'layers' | 'hotspots' | 'lang' | 'incompleteLabel'>,
  prefix = '',
): { layers: string[]; legend: LegendSection[] } {
  const shown = indicator ? shownBlocks(indicator) : undefined;
  const values = shown?.values ?? [];
  const layers: string[] = [];
  const legend: LegendSection[] = [];
  const t = text[options.lang];

  if (options.layers.includes('context')) {
    const parts: string[] = [];
    if (input.base) parts.push(`<path d="${d(input.base)}" fill="#e8e8e8" stroke="none"/>`);
    const outline = areaOutline(input.blocks);
    if (outline.length > 0) parts.push(`<path d="${d(outline)}" fill="none" stroke="#777777" stroke-width="${mm(0.35 * s)}" stroke-dasharray="${mm(2 * s)} ${mm(1.2 * s)}"/>`);
    layers.push(group(`${prefix}context`, parts));
  }

  const fewData = (b: number) => shown !== undefined && (shown.smallNumbers[b] === 1 || shown.values[b] === null);
  // Blocks too small on the page for their white outlines (a city's 25,000 on one sheet) are drawn
  // without them, one path per colour or pattern: outlined, they were more outline than colour.
  const merged = (fills: Map<string, number[]>, attributes = '') =>
    [...fills].map(([fill, blocks]) => `<path d="${blocks.map((b) => d(input.blocks[b]!.polygons)).join('')}" fill="${fill}" stroke="none"${attributes} data-blocks="${blocks.length}"/>`);
  const byFill = (fillOf: (b: number) => string | undefined) => {
    const fills = new Map<string, number[]>();
    for (let b = 0; b < input.blocks.length; b++) {
      const fill = fillOf(b);
      if (fill !== undefined) (fills.get(fill) ?? fills.set(fill, []).get(fill)!).push(b);
    }
    return fills;
  };
  if (options.layers.includes('choropleth')) {
    const colourOf = (b: number) => {
      const value = values[b];
      return classification && value !== null && value !== undefined && !fewData(b) ? classification.colours[classOf(value, classification)]! : '#f0f0f0';
    };
    const parts = fine
      ? merged(byFill(colourOf))
      : input.blocks.map((block, b) => {
          const value = values[b];
          return `<path d="${d(block.polygons)}" fill="${colourOf(b)}" stroke="#ffffff" stroke-width="${mm(0.25 * s)}" data-block="${escapeXml(block.id)}"${value === null || value === undefined ? '' : ` data-value="${round(value)}"`}/>`;
        });
    layers.push(group(`${prefix}choropleth`, parts));
  }

  if (options.layers.includes('hatching') && shown) {
    const patternOf = (b: number) => {
      if (!fewData(b)) return undefined;
      return shown.suppressed[b] ? 'url(#hatch-secret)' : shown.values[b] === null ? 'url(#hatch-none)' : 'url(#hatch-few)';
    };
    // A value on incomplete counts keeps its colour under open hatching: it is shown, but not exact.
    const incomplete = (b: number) => !fewData(b) && shown.incomplete[b] === 1;
    const parts = fine
      ? [...merged(byFill(patternOf)), ...merged(byFill((b) => (incomplete(b) ? 'url(#hatch-open)' : undefined)), ' data-incomplete="true"')]
      : [
          ...input.blocks.flatMap((block, b) => {
            const pattern = patternOf(b);
            return pattern ? [`<path d="${d(block.polygons)}" fill="${pattern}" stroke="#9a9a9a" stroke-width="${mm(0.25 * s)}" data-block="${escapeXml(block.id)}"/>`] : [];
          }),
          ...input.blocks.flatMap((block, b) => (incomplete(b) ? [`<path d="${d(block.polygons)}" fill="url(#hatch-open)" stroke="none" data-block="${escapeXml(block.id)}" data-incomplete="true"/>`] : [])),
        ];
    layers.push(group(`${prefix}hatching`, parts));
    const entries: LegendEntry[] = [];
    const any = (test: (b: number) => boolean) => shown.values.some((_, b) => test(b));
    if (any((b) => shown.smallNumbers[b] === 1 && shown.values[b] !== null)) entries.push({ kind: 'swatch', fill: 'url(#hatch-few)', label: t.fewData });
    if (any((b) => shown.values[b] === null && shown.suppressed[b] === 0)) entries.push({ kind: 'swatch', fill: 'url(#hatch-none)', label: t.noData });
    if (any((b) => shown.suppressed[b] === 1)) entries.push({ kind: 'swatch', fill: 'url(#hatch-secret)', label: t.secret });
    if (any((b) => incomplete(b))) entries.push({ kind: 'swatch', fill: 'url(#hatch-open)', label: options.incompleteLabel ?? t.incomplete });
    if (entries.length > 0) legend.push({ title: '', entries });
  }

  // Where problems pile up: a wide purple outline, under the hot spots' black one, round blocks
  // known to have two or more domains signalled or elevated.
  const piled = (input.result.accumulation?.blocks ?? []).filter((block) => block.min >= 2).map((block) => block.id);
  if (options.layers.includes('stapeling') && piled.length > 0) {
    const ids = new Set(piled);
    const parts = input.blocks.filter((block) => ids.has(block.id)).map((block) => `<path d="${d(block.polygons)}" fill="none" stroke="${stapelingColour}" stroke-width="${mm(2 * s)}" stroke-linejoin="round" data-block="${escapeXml(block.id)}" data-stapeling="true"/>`);
    layers.push(group(`${prefix}stapeling`, parts));
    legend.push({ title: t.stapelingTitle, entries: [{ kind: 'outline', stroke: stapelingColour, label: t.stapeling }] });
  }

  if (options.layers.includes('hotspots') && shown) {
    const parts: string[] = [];
    const entries: LegendEntry[] = [];
    if (options.hotspots === 'gi') {
      for (const [b, block] of input.blocks.entries()) {
        const spot = shown.hotspots[b];
        if (!spot) continue;
        parts.push(`<path d="${d(block.polygons)}" fill="none" stroke="${spot === 'hot' ? hotColour : coldColour}" stroke-width="${mm(1.1 * s)}"${spot === 'cold' ? coldDash(s) : ''} stroke-linejoin="round" data-block="${escapeXml(block.id)}" data-spot="${spot}"/>`);
      }
      if (shown.hotspots.includes('hot')) entries.push({ kind: 'outline', stroke: hotColour, label: t.hot });
      if (shown.hotspots.includes('cold')) entries.push({ kind: 'outline', stroke: coldColour, dashed: true, label: t.cold });
    } else {
      for (const [b, block] of input.blocks.entries()) {
        const cluster = shown.clusters[b];
        if (!cluster) continue;
        parts.push(`<path d="${d(block.polygons)}" fill="none" stroke="${clusterColours[cluster]}" stroke-width="${mm(1.1 * s)}" data-block="${escapeXml(block.id)}" data-cluster="${cluster}"/>`);
      }
      for (const cluster of ['HH', 'LL', 'HL', 'LH'] as const) {
        if (shown.clusters.includes(cluster)) entries.push({ kind: 'outline', stroke: clusterColours[cluster], label: `${cluster}: ${t.clusters[cluster]}` });
      }
    }
    layers.push(group(`${prefix}hotspots`, parts));
    if (entries.length > 0) legend.push({ title: t.hotspotsTitle, entries });
  }
  return { layers, legend };
}

// White discs with a coloured ring and number: legible on every colour of the choropleth below.
const heardColours = { negative: '#c51b0d', positive: '#1b7837', none: '#4d4d4d' } as const;

function heardBadge(x: number, y: number, r: number, colour: string, label: string, s: number, font: number, weight: 'bold' | 'normal' = 'bold'): string {
  return `<circle cx="${mm(x)}" cy="${mm(y)}" r="${mm(r)}" fill="#ffffff" stroke="${colour}" stroke-width="${mm(0.6 * s)}"/><text x="${mm(x)}" y="${mm(y + font * 0.36)}" font-size="${mm(font)}" font-weight="${weight}" fill="${colour}" text-anchor="middle">${escapeXml(label)}</text>`;
}

/**
 * What is heard, per block: its (at most three) most-named themes as lettered badges in a row, red
 * for a worry and green for what goes well. Only counts the shareable table shows: a soft point is
 * never drawn where it was placed. The legend names the themes. `k` shrinks the badges on small
 * blocks; where that makes their letters too small to read (under 4 pt), a block gets one dot in
 * the colour of its most mentioned theme, at its centre.
 */
function heardLayer(input: MapInput, centres: Point[], s: number, k: number, lang: 'nl' | 'en', below: number): { layer: string; legend: LegendSection } | undefined {
  const signals = input.result.signals;
  if (!signals) return undefined;
  const number = themeLetters(signals.themes.map((theme) => theme.label[lang]), signals.themes.map((theme) => theme.key));
  const index = new Map(input.blocks.map((block, b) => [block.id, b]));
  const heard = signals.blocks.filter((block) => block.heard.length > 0 && index.has(block.id));
  const parts: string[] = [];
  const used = new Set<string>();
  const font = Math.min(3 * s * k * 0.95, pt(8) * s);
  const dots = font < pt(4) * s;
  for (const block of heard) {
    const top = block.heard.slice(0, dots ? 1 : 3);
    // One size: with the few mentions a block has, sizes by count would differ by a hair.
    const radius = () => 3 * s * k;
    const width = top.length * 2 * radius() + (top.length - 1) * 0.8 * s * k;
    const [cx, cy] = centres[index.get(block.id)!]!;
    let x = cx - width / 2;
    for (const { key, count } of top) {
      const theme = signals.themes.find((t) => t.key === key)!;
      const r = radius();
      used.add(key);
      parts.push(
        `<g data-block="${escapeXml(block.id)}" data-theme="${escapeXml(key)}" data-count="${round(count)}">${dots ? `<circle cx="${mm(x + r)}" cy="${mm(cy)}" r="${mm(r)}" fill="${heardColours[theme.valence ?? 'none']}"/>` : heardBadge(x + r, cy + below * s * k, r, heardColours[theme.valence ?? 'none'], number.get(key)!, s * k, font)}</g>`,
      );
      x += 2 * r + 0.8 * s * k;
    }
  }
  const t = text[lang];
  const entries: LegendEntry[] = signals.themes
    .filter((theme) => used.has(theme.key))
    .map((theme) => ({ kind: 'badge', stroke: heardColours[theme.valence ?? 'none'], badge: number.get(theme.key)!, label: `${theme.label[lang]}${valenceWords(theme, lang) ? ` (${valenceWords(theme, lang)})` : ''}` }));
  entries.push({ kind: 'note', label: heard.length === 0 ? t.heardNone : dots ? t.heardDots : t.heardNote });
  return { layer: group('geluiden', parts), legend: { title: t.heardTitle, entries } };
}

/**
 * A short mark per theme from its label's first letters ("E", "Ov", "On"): a number in a disc read as
 * a count in a report where counts from 1 to 4 are secret.
 */
function themeLetters(labels: readonly string[], keys: readonly string[]): Map<string, string> {
  const marks = new Map<string, string>();
  const taken = new Set<string>();
  labels.forEach((label, i) => {
    const letters = label.replace(/[^A-Za-zÀ-ÿ]/g, '');
    let mark = letters.slice(0, 1).toUpperCase() || '?';
    for (let n = 2; taken.has(mark) && n <= letters.length; n++) mark = letters.slice(0, 1).toUpperCase() + letters.slice(1, n).toLowerCase();
    for (let n = 2; taken.has(mark); n++) mark = `${letters.slice(0, 1).toUpperCase()}${n}`;
    taken.add(mark);
    marks.set(keys[i]!, mark);
  });
  return marks;
}

/** Ruimtelijke concentraties (the Regiomonitor's rule): the three largest, each block outlined dashed, a numbered badge in the middle of its blocks. */
function concentrationLayer(input: MapInput, centres: Point[], d: (polygons: PolygonRings[]) => string, s: number, lang: 'nl' | 'en'): { layer: string; legend: LegendSection } | undefined {
  const concentrations = (input.result.accumulation?.concentrations ?? []).slice(0, 3);
  if (concentrations.length === 0) return undefined;
  const index = new Map(input.blocks.map((block, b) => [block.id, b]));
  const parts: string[] = [];
  const entries: LegendEntry[] = [];
  const badges: Point[] = [];
  concentrations.forEach((concentration, c) => {
    const members = concentration.blocks.map((id) => index.get(id)).filter((b): b is number => b !== undefined);
    for (const b of members) parts.push(`<path d="${d(input.blocks[b]!.polygons)}" fill="none" stroke="${concentrationColour}" stroke-width="${mm(0.9 * s)}"${coldDash(s)} stroke-linejoin="round" data-block="${escapeXml(input.blocks[b]!.id)}" data-concentration="${c + 1}"/>`);
    // Between its blocks (in the street where there are several), above the label where there is one.
    let x = members.reduce((sum, b) => sum + centres[b]![0], 0) / members.length;
    const y = members.reduce((sum, b) => sum + centres[b]![1], 0) / members.length - (members.length === 1 ? 7 * s : 0);
    // Two concentrations of the same blocks (two indicators): their badges side by side.
    while (badges.some(([bx, by]) => Math.hypot(bx - x, by - y) < 5.5 * s)) x += 6 * s;
    badges.push([x, y]);
    parts.push(`<g data-concentration-badge="${c + 1}"><circle cx="${mm(x)}" cy="${mm(y)}" r="${mm(2.6 * s)}" fill="${concentrationColour}" stroke="#ffffff" stroke-width="${mm(0.4 * s)}"/><text x="${mm(x)}" y="${mm(y + 1.1 * s)}" font-size="${mm(pt(9) * s)}" font-weight="bold" fill="#ffffff" text-anchor="middle">${c + 1}</text></g>`);
    const label = input.result.indicators.find((i) => i.id === concentration.indicator)?.label[lang] ?? concentration.indicator;
    entries.push({ kind: 'outline', stroke: concentrationColour, dashed: true, label: `${c + 1}: ${label} (${concentration.blocks.join(', ')})` });
  });
  return { layer: group('concentrations', parts), legend: { title: lang === 'nl' ? 'Concentraties (regel van de Regiomonitor)' : 'Concentrations (the Regiomonitor\'s rule)', entries } };
}

function classificationFor(indicator: IndicatorResult, options: MapOptions): Classification {
  const values = indicator.blocks.filter((b) => !b.small_numbers && b.value !== null).map((b) => b.value!);
  const method = options.classification === 'diverging' && (indicator.reference.value ?? 0) <= 0 ? 'quantile' : options.classification;
  return classify(values.length > 0 ? values : indicator.blocks.filter((b) => b.value !== null).map((b) => b.value!), method, { classes: options.classes, breaks: options.breaks, reference: indicator.reference.value, neutral: indicator.descriptive });
}

interface LegendEntry {
  /** `note`: text only, for a layer with nothing to draw. */
  kind: 'swatch' | 'outline' | 'symbol' | 'marker' | 'badge' | 'note';
  /** The number in a badge (a theme heard). */
  badge?: string;
  label: string;
  state?: CountState;
  dashed?: boolean;
  fill?: string;
  stroke?: string;
  radius?: number;
  shape?: (typeof markerShapes)[number];
}
interface LegendSection {
  title: string;
  entries: LegendEntry[];
}

/** Proportional circles, solid so they look the same on every colour of the choropleth as in the legend. */
const symbolFill = '#525252';

/** The count keys a measure name or key stands for. */
function keysOf(reference: string, result: AnalysisResult): string[] {
  const measure = resolveMeasure(reference, result.blocks, result.measures);
  return 'missing' in measure ? [] : measure.keys;
}

/** The hatch patterns of too few data, no data and secret (one set per page). */
function patternDefs(s: number): string {
  return (
    `<defs>` +
    `<pattern id="hatch-few" patternUnits="userSpaceOnUse" width="${mm(2.2 * s)}" height="${mm(2.2 * s)}" patternTransform="rotate(45)"><rect width="${mm(2.2 * s)}" height="${mm(2.2 * s)}" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="${mm(2.2 * s)}" stroke="#8c8c8c" stroke-width="${mm(0.5 * s)}"/></pattern>` +
    `<pattern id="hatch-none" patternUnits="userSpaceOnUse" width="${mm(2.2 * s)}" height="${mm(2.2 * s)}"><rect width="${mm(2.2 * s)}" height="${mm(2.2 * s)}" fill="#ffffff"/><path d="M0 0L${mm(2.2 * s)} ${mm(2.2 * s)}M${mm(2.2 * s)} 0L0 ${mm(2.2 * s)}" stroke="#b0b0b0" stroke-width="${mm(0.3 * s)}"/></pattern>` +
    `<pattern id="hatch-open" patternUnits="userSpaceOnUse" width="${mm(2.2 * s)}" height="${mm(2.2 * s)}" patternTransform="rotate(-45)"><line x1="0" y1="0" x2="0" y2="${mm(2.2 * s)}" stroke="#4d4d4d" stroke-width="${mm(0.3 * s)}"/></pattern>` +
    `<pattern id="hatch-secret" patternUnits="userSpaceOnUse" width="${mm(1.6 * s)}" height="${mm(1.6 * s)}"><rect width="${mm(1.6 * s)}" height="${mm(1.6 * s)}" fill="#d9d9d9"/><circle cx="${mm(0.8 * s)}" cy="${mm(0.8 * s)}" r="${mm(0.25 * s)}" fill="#737373"/></pattern></defs>`
  );
}

/** Credits name the organisations whose data a map draws, not every partner of the project. */
function creditsText(result: AnalysisResult, drawnKeys: readonly string[], options: Pick<MapOptions, 'lang' | 'version' | 'date'>, heardSources: readonly string[] = []): string {
  const t = text[options.lang];
  const drawnSources = new Set(drawnKeys.map((key) => /^[^.[]+/.exec(key)?.[0] ?? key));
  const credited = result.sources.filter((source) => drawnSources.has(source.name));
  // A layer drawn from every source (the stapeling) credits them all; what is heard adds its own.
  const shown = credited.length > 0 ? [...credited, ...result.sources.filter((source) => heardSources.includes(source.name))] : result.sources;
  const organisations = [...new Set(shown.map((source) => source.organisation ?? source.name))];
  // CBS data (CC BY 4.0) is credited as CBS asks, "Bron: CBS", once.
  const listed = organisations.filter((o) => o !== 'CBS');
  const parts = [...(listed.length > 0 ? [`${t.sources}: ${listed.join(', ')}`] : []), ...(organisations.some((o) => /\bCBS\b/.test(o)) ? ['Bron: CBS'] : [])];
  return `${parts.join('. ')}. ${t.made(longDate(options.date, options.lang), options.version)}`;
}

/** The title and subtitle, each made smaller where it would run past `width` (a long period and unit do on A4). */
function titleSvg(title: string, subtitle: string, margin: number, s: number, width: number): string {
  const fitted = (text: string, size: number, bold: boolean) => size * Math.min(1, width / textWidth(text, size, bold));
  return (
    `<g id="title"><text x="${mm(margin)}" y="${mm(margin + 9 * s)}" font-size="${mm(fitted(title, pt(typeSize.title) * s, true))}" font-weight="bold" fill="#1a1a1a">${escapeXml(title)}</text>` +
    `<text x="${mm(margin)}" y="${mm(margin + 16.5 * s)}" font-size="${mm(fitted(subtitle, pt(typeSize.subtitle) * s, false))}" fill="#444444">${escapeXml(subtitle)}</text></g>`
  );
}

function creditsSvg(credits: string, margin: number, page: Page, s: number): string {
  const font = pt(typeSize.credits) * s;
  const lines = wrap(credits, page.width - 2 * margin, font);
  const top = page.height - margin - (lines.length - 1) * font * 1.3;
  return `<g id="credits">${lines.map((line, i) => `<text x="${mm(margin)}" y="${mm(top + i * font * 1.3)}" font-size="${mm(font)}" fill="#555555">${escapeXml(line)}</text>`).join('')}</g>`;
}

function choroplethLegend(indicator: IndicatorResult, c: Classification, lang: 'nl' | 'en', classLabels?: readonly string[]): LegendSection {
  const f = (x: number) => formatNumber(x, lang, x >= 100 ? 0 : x >= 10 ? 1 : 2);
  const bounds = [-Infinity, ...c.breaks, Infinity];
  if (classLabels) return { title: indicator.label[lang], entries: c.colours.map((fill, k) => ({ kind: 'swatch', fill, label: classLabels[k] ?? '' })) };
  const entries = c.colours.map((fill, k) => {
    const low = bounds[k]!;
    const high = bounds[k + 1]!;
    let label = low === -Infinity ? `< ${f(high)}` : high === Infinity ? `≥ ${f(low)}` : `${f(low)} – ${f(high)}`;
    if (c.method === 'diverging' && c.reference) {
      const ratio = (x: number) => formatNumber(x / c.reference!, lang, 2).replace(/([,.]\d)0$/, '$1');
      const part = low === -Infinity ? `< ${ratio(high)}×` : high === Infinity ? `≥ ${ratio(low)}×` : `${ratio(low)}–${ratio(high)}×`;
      label += ` (${part})`;
    }
    return { kind: 'swatch' as const, fill, label };
  });
  const reference = c.method === 'diverging' && c.reference ? ` · ${text[lang].reference} ${formatNumber(c.reference, lang, 2)}` : '';
  return { title: `${indicator.label[lang]}${reference}`, entries };
}

/**
 * How a block's count is drawn: exactly; as a lower bound (the sender held some cells back); or
 * not at all, and then why: unknown (held back by the sender), secret (disclosure control) or zero.
 */
type CountState = 'count' | 'at_least' | 'unknown' | 'secret' | 'zero';

function countState(measure: Measure, b: number): CountState {
  if (measure.hidden[b]) return 'secret';
  if (measure.unknown[b]! > 0) return measure.values[b]! > 0 ? 'at_least' : 'unknown';
  return measure.values[b]! > 0 ? 'count' : 'zero';
}

const stateWords = {
  nl: { at_least: 'ten minste (deels achtergehouden door de afzender)', unknown: 'onbekend (achtergehouden door de afzender)', secret: 'geheim (kleine aantallen)', zero: '0', none: 'in geen enkel blok' },
  en: { at_least: 'at least (partly held back by the sender)', unknown: 'unknown (held back by the sender)', secret: 'suppressed (small numbers)', zero: '0', none: 'in no block' },
};

/** A block's proportional circle, or the small sign that says why it has none; the legend draws the same. */
function countSymbol(state: CountState, x: number, y: number, r: number, s: number, block = '', count = 0): string {
  const data = block ? ` data-block="${escapeXml(block)}" data-state="${state}"${state === 'count' || state === 'at_least' ? ` data-count="${count}"` : ''}` : '';
  const at = `cx="${mm(x)}" cy="${mm(y)}" r="${mm(r)}"`;
  switch (state) {
    case 'count':
      return `<circle ${at} fill="${symbolFill}" stroke="#ffffff" stroke-width="${mm(0.4 * s)}"${data}/>`;
    case 'at_least':
      return `<circle ${at} fill="#ffffff" stroke="${symbolFill}" stroke-width="${mm(0.6 * s)}" stroke-dasharray="${mm(1 * s)} ${mm(0.6 * s)}"${data}/>`;
    case 'unknown':
      return `<g${data}><circle ${at} fill="#ffffff" stroke="${symbolFill}" stroke-width="${mm(0.35 * s)}"/><text x="${mm(x)}" y="${mm(y + r * 0.55)}" font-size="${mm(r * 1.5)}" font-weight="bold" text-anchor="middle" fill="${symbolFill}">?</text></g>`;
    case 'secret':
      return `<circle ${at} fill="url(#hatch-secret)" stroke="#737373" stroke-width="${mm(0.35 * s)}"${data}/>`;
    default:
      return `<line x1="${mm(x - r)}" y1="${mm(y)}" x2="${mm(x + r)}" y2="${mm(y)}" stroke="#737373" stroke-width="${mm(0.5 * s)}"${data}/>`;
  }
}

function symbolLegend(key: string, maxCount: number, radius: (count: number) => number, states: ReadonlySet<CountState>, small: number, lang: 'nl' | 'en', least: number): LegendSection {
  // No step below the disclosure threshold: a shareable map never draws such a count.
  const steps = maxCount > 0 ? [...new Set([maxCount, niceNumber(maxCount / 2), niceNumber(maxCount / 8)].filter((v) => v >= least && v > 0))] : [];
  const entries: LegendEntry[] = steps.map((count) => ({ kind: 'symbol', state: 'count', radius: radius(count), label: formatNumber(count, lang, 0) }));
  for (const state of ['at_least', 'unknown', 'secret', 'zero'] as const) {
    if (states.has(state)) entries.push({ kind: 'symbol', state, radius: state === 'at_least' ? Math.max(small, radius(steps.at(-1) ?? 0)) : small, label: stateWords[lang][state] });
  }
  return { title: measureLabel(key, lang), entries };
}

/** A presence marker per kind of block; a layer with nothing to draw says so. */
function presenceLegend(label: string, shape: (typeof markerShapes)[number], fill: string, seen: ReadonlySet<CountState>, lang: 'nl' | 'en'): LegendEntry[] {
  const entries: LegendEntry[] = [];
  if (seen.has('count') || seen.has('at_least')) entries.push({ kind: 'marker', shape, fill, state: 'count', label });
  if (seen.has('secret')) entries.push({ kind: 'marker', shape, fill, state: 'secret', label: `${label}: ${stateWords[lang].secret}` });
  if (seen.has('unknown')) entries.push({ kind: 'marker', shape, fill, state: 'unknown', label: `${label}: ${stateWords[lang].unknown}` });
  if (entries.length === 0) entries.push({ kind: 'note', label: `${label}: ${stateWords[lang].none}` });
  return entries;
}

function measureLabel(key: string, lang: 'nl' | 'en'): string {
  const labels: Record<string, { nl: string; en: string }> = {
    meldingen: { nl: 'Overlastmeldingen (aantal)', en: 'Nuisance reports (count)' },
    clienten: { nl: 'Cliënten van zorgaanbieders (aantal)', en: 'Clients of care providers (count)' },
    omklapwoningen: { nl: 'omklapwoning(en)', en: 'omklapwoning(en)' },
    zorgmijder_signalen: { nl: 'signalen van zorgmijding', en: 'signals of care avoidance' },
    samenloop_2plus: { nl: 'Adressen met 2 of meer kenmerken (samenloop)', en: 'Addresses with 2 or more markers (samenloop)' },
  };
  return labels[key]?.[lang] ?? key;
}

/** The legend in its box: at full size where it fits (`overflows` false), else with its type made smaller, down to four fifths. */
function renderLegend(sections: LegendSection[], box: { x: number; y: number; width: number; height: number }, s: number): { svg: string; overflows: boolean } {
  const full = legendAt(sections, box, s);
  const overflows = full.bottom > box.y + box.height;
  for (let k = s, drawn = full; ; k *= 0.95, drawn = legendAt(sections, box, k)) {
    if (drawn.bottom <= box.y + box.height || k < 0.8 * s) return { svg: drawn.svg, overflows };
  }
}

function legendAt(sections: LegendSection[], box: { x: number; y: number; width: number; height: number }, s: number): { svg: string; bottom: number } {
  const parts: string[] = [];
  let bottom = box.y;
  const font = pt(typeSize.legendItem) * s;
  const headingFont = pt(typeSize.legendHeading) * s;
  const line = font * 1.7;
  let x = box.x;
  let y = box.y + font;
  // A wide panel (under a portrait map) holds as many columns as fit whole; labels wrap within theirs.
  const columns = box.width > 120 * s ? Math.max(1, Math.min(sections.length, Math.floor(box.width / (60 * s)))) : 1;
  const columnWidth = box.width / columns;
  for (const section of sections) {
    const needed = (section.title ? line * 1.2 : 0) + section.entries.length * line + line * 0.6;
    if (y + needed > box.y + box.height && x + 2 * columnWidth <= box.x + box.width + 0.01) {
      x += columnWidth;
      y = box.y + font;
    }
    if (section.title) {
      for (const titleLine of wrap(section.title, columnWidth - 4 * s, headingFont * 1.1)) {
        parts.push(`<text x="${mm(x)}" y="${mm(y)}" font-size="${mm(headingFont)}" font-weight="bold" fill="#1a1a1a">${escapeXml(titleLine)}</text>`);
        y += headingFont * 1.35;
      }
      y += line * 0.2;
    }
    const widest = Math.max(0, ...section.entries.map((entry) => (entry.kind === 'symbol' ? entry.radius! : 0)));
    for (const entry of section.entries) {
      // Circles in the legend are as large as on the map; the text moves aside and down for them.
      // A theme's mark of two letters needs a wider disc than one, at the legend's own type size.
      const r = entry.kind === 'symbol' ? entry.radius! : entry.kind === 'badge' ? Math.max(2.2 * s, font * (entry.badge!.length > 1 ? 1.05 : 0.75)) : 0;
      if (r > line / 2) y += r - line / 2;
      const sx = x + Math.max(3 * s, widest);
      const cy = y - font * 0.35;
      const textX = x + (entry.kind === 'note' ? 0 : Math.max(8 * s, 2 * widest + 3 * s, entry.kind === 'badge' ? 2 * r + 2 * s : 0));
      if (entry.kind === 'swatch') parts.push(`<rect x="${mm(x)}" y="${mm(cy - 2 * s)}" width="${mm(6 * s)}" height="${mm(4 * s)}" fill="${entry.fill}" stroke="#9a9a9a" stroke-width="${mm(0.2 * s)}"/>`);
      else if (entry.kind === 'outline') parts.push(`<rect x="${mm(x + 0.5 * s)}" y="${mm(cy - 1.6 * s)}" width="${mm(5 * s)}" height="${mm(3.2 * s)}" fill="none" stroke="${entry.stroke}" stroke-width="${mm(1.1 * s)}"${entry.dashed ? coldDash(s) : ''}/>`);
      else if (entry.kind === 'symbol') parts.push(countSymbol(entry.state!, sx, cy, r, s));
      else if (entry.kind === 'marker') parts.push(marker(entry.shape!, sx, cy, 2.2 * s, entry.fill!, '', '', entry.state));
      // Bold is for the legend's headings.
      else if (entry.kind === 'badge') parts.push(heardBadge(x + r, cy, r, entry.stroke!, entry.badge!, s, font, 'normal'));
      // A long label wraps beside its symbol instead of running out of the panel.
      const labelLines = wrap(entry.label, columnWidth - (textX - x) - s, font);
      labelLines.forEach((labelLine, i) => parts.push(`<text x="${mm(textX)}" y="${mm(y + i * font * 1.25)}" font-size="${mm(font)}" fill="#1a1a1a">${escapeXml(labelLine)}</text>`));
      const textHeight = line + (labelLines.length - 1) * font * 1.25;
      bottom = Math.max(bottom, y + textHeight - line + font * 0.3);
      y += Math.max(textHeight, r + line / 2 + 1.5 * s);
    }
    y += line * 0.6;
  }
  return { svg: parts.join('\n'), bottom };
}

/** Words to lines no wider than `width` mm. */
export function wrap(textValue: string, width: number, font: number): string[] {
  const max = Math.max(8, Math.floor(width / (font * 0.58)));
  const lines: string[] = [];
  let current = '';
  for (const word of textValue.split(' ')) {
    if (current && (current + ' ' + word).length > max) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

function marker(shape: (typeof markerShapes)[number], x: number, y: number, size: number, colour: string, block: string, key: string, state: CountState = 'count'): string {
  const data = block ? ` data-block="${escapeXml(block)}" data-presence="${escapeXml(key)}" data-state="${state}"` : '';
  // Present: solid; secret: the hatch of "geheim" in the marker's outline; unknown: the outline dashed.
  const fill = state === 'secret' ? 'url(#hatch-secret)' : state === 'unknown' ? '#ffffff' : colour;
  const stroke =
    state === 'secret' || state === 'unknown'
      ? `stroke="${colour}" stroke-width="${mm(size * 0.22)}"${state === 'unknown' ? ` stroke-dasharray="${mm(size * 0.4)} ${mm(size * 0.25)}"` : ''}`
      : `stroke="#ffffff" stroke-width="${mm(size * 0.18)}"`;
  if (shape === 'square') return `<rect x="${mm(x - size)}" y="${mm(y - size)}" width="${mm(2 * size)}" height="${mm(2 * size)}" fill="${fill}" ${stroke}${data}/>`;
  if (shape === 'triangle') return `<path d="M${mm(x)} ${mm(y - size * 1.15)}L${mm(x + size * 1.15)} ${mm(y + size * 0.9)}L${mm(x - size * 1.15)} ${mm(y + size * 0.9)}Z" fill="${fill}" ${stroke}${data}/>`;
  return `<path d="M${mm(x)} ${mm(y - size * 1.3)}L${mm(x + size * 1.1)} ${mm(y)}L${mm(x)} ${mm(y + size * 1.3)}L${mm(x - size * 1.1)} ${mm(y)}Z" fill="${fill}" ${stroke}${data}/>`;
}

/** A scale bar of a round length (1, 2 or 5 × 10^k metres) about as long as `target` mm. */
export function scaleBar(mmPerMetre: number, target: number): { metres: number; millimetres: number } {
  const metres = niceNumber(target / mmPerMetre);
  return { metres, millimetres: metres * mmPerMetre };
}

function niceNumber(value: number): number {
  if (!(value > 0)) return 0;
  const power = 10 ** Math.floor(Math.log10(value));
  const fraction = value / power;
  return (fraction >= 5 ? 5 : fraction >= 2 ? 2 : 1) * power;
}

function scaleBarSvg(bar: { metres: number; millimetres: number }, x: number, y: number, s: number): string {
  const height = 1.6 * s;
  const half = bar.millimetres / 2;
  const label = bar.metres >= 1000 ? `${bar.metres / 1000} km` : `${bar.metres} m`;
  const font = pt(typeSize.scaleBar) * s;
  return (
    `<g id="scale-bar" data-metres="${bar.metres}" data-millimetres="${mm(bar.millimetres)}">` +
    `<rect x="${mm(x - 1.5 * s)}" y="${mm(y - height - font - 2.5 * s)}" width="${mm(bar.millimetres + 3 * s + textWidth(label, font))}" height="${mm(height + font + 4 * s)}" fill="#ffffff" fill-opacity="0.8"/>` +
    `<rect x="${mm(x)}" y="${mm(y - height)}" width="${mm(half)}" height="${mm(height)}" fill="#1a1a1a"/>` +
    `<rect x="${mm(x + half)}" y="${mm(y - height)}" width="${mm(half)}" height="${mm(height)}" fill="#ffffff" stroke="#1a1a1a" stroke-width="${mm(0.25 * s)}"/>` +
    `<text x="${mm(x)}" y="${mm(y - height - 1.2 * s)}" font-size="${mm(font)}" fill="#1a1a1a">0</text>` +
    `<text x="${mm(x + bar.millimetres)}" y="${mm(y - height - 1.2 * s)}" font-size="${mm(font)}" fill="#1a1a1a" text-anchor="middle">${label}</text></g>`
  );
}

function northArrow(x: number, y: number, s: number, label: string): string {
  const h = 9 * s;
  return (
    `<g id="north-arrow">` +
    `<path d="M${mm(x)} ${mm(y)}L${mm(x + 2.6 * s)} ${mm(y + h)}L${mm(x)} ${mm(y + h * 0.72)}Z" fill="#1a1a1a"/>` +
    `<path d="M${mm(x)} ${mm(y)}L${mm(x - 2.6 * s)} ${mm(y + h)}L${mm(x)} ${mm(y + h * 0.72)}Z" fill="#ffffff" stroke="#1a1a1a" stroke-width="${mm(0.25 * s)}"/>` +
    `<text x="${mm(x)}" y="${mm(y - 1.2 * s)}" font-size="${mm(pt(typeSize.north) * s)}" font-weight="bold" text-anchor="middle" fill="#1a1a1a">${label}</text></g>`
  );
}

function insetMap(input: MapInput, box: { x: number; y: number; size: number }, s: number, label: string): string {
  const size = box.size;
  const context = { type: 'MultiPolygon', coordinates: input.inset! };
  const projection = geoIdentity().reflectY(true).fitExtent([[box.x + 2 * s, box.y + 2 * s], [box.x + size - 2 * s, box.y + size - 2 * s]], context as unknown as GeoPermissibleObjects);
  const path = geoPath(projection).digits(2);
  const { minX, minY, maxX, maxY } = blocksBounds(input.blocks);
  const [x0, y0] = projection([minX, maxY]) as Point;
  const [x1, y1] = projection([maxX, minY]) as Point;
  return (
    `<g id="inset"><rect x="${mm(box.x)}" y="${mm(box.y)}" width="${mm(size)}" height="${mm(size)}" fill="#ffffff" stroke="#777777" stroke-width="${mm(0.25 * s)}"/>` +
    `<path d="${path(context as unknown as GeoPermissibleObjects) ?? ''}" fill="#eeeeee" stroke="#aaaaaa" stroke-width="${mm(0.15 * s)}"/>` +
    `<rect x="${mm(Math.min(x0, x1) - 0.6 * s)}" y="${mm(Math.min(y0, y1) - 0.6 * s)}" width="${mm(Math.abs(x1 - x0) + 1.2 * s)}" height="${mm(Math.abs(y1 - y0) + 1.2 * s)}" fill="none" stroke="#c00000" stroke-width="${mm(0.5 * s)}"/>` +
    `<text x="${mm(box.x + 1.5 * s)}" y="${mm(box.y + size - 1.5 * s)}" font-size="${mm(pt(6.5) * s)}" fill="#555555">${label}</text></g>`
  );
}

/**
 * Block labels at their centres and street names along the address points, with a halo. A block
 * gets its label where it fits, a short id (B03) otherwise, never a code like BU0363KD10;
 * signalled and larger blocks are placed first, and a label that would overlap another or cross
 * the map's frame is left out.
 */
function labelLayer(input: MapInput, centres: Point[], project: (p: Point) => Point, unproject: (p: Point) => Point, mmPerMetre: number, s: number, frame: { x: number; y: number; width: number; height: number }, signalled: ReadonlySet<string>): string[] {
  const placed: { x0: number; y0: number; x1: number; y1: number }[] = [];
  const fits = (box: { x0: number; y0: number; x1: number; y1: number }) =>
    box.x0 >= frame.x && box.x1 <= frame.x + frame.width && box.y0 >= frame.y && box.y1 <= frame.y + frame.height && !placed.some((p) => box.x0 < p.x1 && box.x1 > p.x0 && box.y0 < p.y1 && box.y1 > p.y0);
  const parts: string[] = [];
  const haloed = (x: number, y: number, label: string, font: number, extra: string, colour: string) =>
    `<text x="${mm(x)}" y="${mm(y)}" font-size="${mm(font)}" text-anchor="middle" fill="none" stroke="#ffffff" stroke-width="${mm(font * 0.28)}" stroke-linejoin="round"${extra}>${escapeXml(label)}</text>` +
    `<text x="${mm(x)}" y="${mm(y)}" font-size="${mm(font)}" text-anchor="middle" fill="${colour}"${extra}>${escapeXml(label)}</text>`;

  // Block names at 8 pt, or smaller down to 6 pt (still legible on paper) where a name is wider than its block.
  const fonts = [8, 7, 6].map((size) => pt(size) * s);
  const area = blockAreas(input.blocks);
  // A label wider than its block would sit on the neighbours. Where the ids are short (B03) and
  // some label does not fit, every block gets its id: one kind of name per map, not a mix.
  // A name fits where its whole box lies inside its own block (corners and the middles of the long sides).
  const shapes = new Map<number, PlanarPolygons>();
  const shapeOf = (b: number) => shapes.get(b) ?? shapes.set(b, planar(input.blocks[b]!)).get(b)!;
  const insideBlock = (b: number, [x, y]: Point, width: number, font: number) => {
    const corners: Point[] = [[x - width / 2, y - font], [x + width / 2, y - font], [x - width / 2, y + font * 0.3], [x + width / 2, y + font * 0.3], [x, y - font], [x, y + font * 0.3]];
    return corners.every((corner) => shapeContains(shapeOf(b), ...unproject(corner)));
  };
  // The name goes at the block's centre, or where the block is widest inside when it does not fit there.
  const placements = new Map<number, { font: number; at: Point } | undefined>();
  const placement = (b: number) => {
    if (placements.has(b)) return placements.get(b);
    let found: { font: number; at: Point } | undefined;
    if (Math.sqrt(area[b]!) * mmPerMetre >= fonts.at(-1)! * 2) {
      const inner = innerPoint(input.blocks[b]!.polygons);
      for (const at of [centres[b]!, ...(inner ? [project(inner)] : [])]) {
        const font = fonts.find((size) => insideBlock(b, at, textWidth(input.blocks[b]!.label, size, true), size));
        if (font !== undefined) {
          found = { font, at };
          break;
        }
      }
    }
    placements.set(b, found);
    return found;
  };
  const labelFont = (b: number) => placement(b)?.font;
  const labelled = input.blocks.filter((block, b) => block.label && block.label !== block.id && labelFont(b) !== undefined).length;
  const shortIds = input.blocks.every((block) => block.id.length <= 5);
  const useIds = shortIds && labelled < input.blocks.length;
  const order = input.blocks.map((_, b) => b).sort((a, b) => Number(signalled.has(input.blocks[b]!.id)) - Number(signalled.has(input.blocks[a]!.id)) || area[b]! - area[a]! || a - b);
  for (const b of order) {
    const block = input.blocks[b]!;
    const named = !useIds && block.label && placement(b);
    const [x, y] = named ? named.at : centres[b]!;
    const font = useIds || !block.label ? fonts[0] : labelFont(b) ?? (shortIds ? fonts[0] : undefined);
    if (font === undefined) continue;
    const text = useIds || !block.label || labelFont(b) === undefined ? block.id : block.label;
    const width = textWidth(text, font, true);
    const box = { x0: x - width / 2, y0: y - font, x1: x + width / 2, y1: y + font * 0.3 };
    if (!fits(box)) continue;
    placed.push(box);
    parts.push(`<g data-block="${escapeXml(block.id)}">${haloed(x, y, text, font, ' font-weight="bold"', '#1a1a1a')}</g>`);
  }

  const streetFont = pt(7) * s;
  for (const street of [...input.streets].sort((a, b) => b.points.length - a.points.length || (a.name < b.name ? -1 : 1))) {
    if (street.points.length < 2) continue;
    const { centre, angle, length } = streetAxes.get(street) ?? streetAxes.set(street, principalAxis(street.points)).get(street)!;
    const [x, y] = project(centre);
    const width = textWidth(street.name, streetFont);
    if (length * mmPerMetre < width * 0.8) continue;
    // The street runs between block rows: nudge the label off the address line towards the street.
    const upright = angle > 90 ? angle - 180 : angle < -90 ? angle + 180 : angle;
    const radians = (upright * Math.PI) / 180;
    const half = Math.hypot(width / 2 * Math.cos(radians), width / 2 * Math.sin(radians));
    const box = { x0: x - Math.max(half, streetFont), y0: y - Math.max(half * Math.abs(Math.sin(radians)), streetFont), x1: x + Math.max(half, streetFont), y1: y + Math.max(half * Math.abs(Math.sin(radians)), streetFont * 0.4) };
    if (!fits(box)) continue;
    placed.push(box);
    parts.push(`<g data-street="${escapeXml(street.name)}">${haloed(x, y, street.name, streetFont, ` font-style="italic" transform="rotate(${mm(-upright)} ${mm(x)} ${mm(y)})"`, '#3a3a3a')}</g>`);
  }
  return parts;
}

/** What the maps show of an indicator's blocks, read once from its columns: several maps show each indicator. */
interface ShownBlocks {
  values: (number | null)[];
  smallNumbers: Uint8Array;
  suppressed: Uint8Array;
  incomplete: Uint8Array;
  hotspots: BlockSpatial['hotspot'][];
  clusters: BlockSpatial['cluster'][];
}
const shownOf = new WeakMap<IndicatorResult, ShownBlocks>();

function shownBlocks(indicator: IndicatorResult): ShownBlocks {
  const known = shownOf.get(indicator);
  if (known) return known;
  const blocks = indicator.blocks;
  const n = blocks.length;
  const flags = (test: (b: number) => boolean) => Uint8Array.from({ length: n }, (_, b) => (test(b) ? 1 : 0));
  const shown: ShownBlocks = {
    values: Array.from({ length: n }, (_, b) => blocks.figure(b, 'value')),
    smallNumbers: flags((b) => blocks.smallNumbers(b)),
    suppressed: flags((b) => blocks.suppressed(b)),
    incomplete: flags((b) => blocks.incomplete(b)),
    hotspots: Array.from({ length: n }, (_, b) => blocks.hotspot(b)),
    clusters: Array.from({ length: n }, (_, b) => blocks.cluster(b)),
  };
  shownOf.set(indicator, shown);
  return shown;
}

// Every map of a run has the same blocks and streets: their areas and axes are worked out once.
const areas = new WeakMap<readonly MapBlock[], number[]>();
const streetAxes = new WeakMap<MapStreet, ReturnType<typeof principalAxis>>();

/** Each block's area in m². */
function blockAreas(blocks: readonly MapBlock[]): number[] {
  let known = areas.get(blocks);
  if (!known) areas.set(blocks, (known = blocks.map((block) => block.polygons.reduce((sum, polygon) => sum + Math.abs(ringArea(polygon[0] ?? [])), 0))));
  return known;
}

/** The box around the blocks' outer rings (their holes lie within). A loop, not `Math.min(...xs)`: a country's vertices overflow the call stack (so do its blocks: no spread of a value per block). */
function blocksBounds(blocks: readonly MapBlock[]): { minX: number; minY: number; maxX: number; maxY: number } {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const block of blocks) {
    for (const polygon of block.polygons) {
      for (const [x, y] of polygon[0] ?? []) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return { minX, minY, maxX, maxY };
}

/** Centre, direction (degrees, counter-clockwise from east) and extent of a cloud of points. */
function principalAxis(points: Point[]): { centre: Point; angle: number; length: number } {
  const n = points.length;
  const cx = points.reduce((sum, p) => sum + p[0], 0) / n;
  const cy = points.reduce((sum, p) => sum + p[1], 0) / n;
  let sxx = 0, syy = 0, sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - cx) ** 2;
    syy += (y - cy) ** 2;
    sxy += (x - cx) * (y - cy);
  }
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const projections = points.map(([x, y]) => (x - cx) * Math.cos(theta) + (y - cy) * Math.sin(theta));
  return { centre: [cx, cy], angle: (theta * 180) / Math.PI, length: projections.reduce((a, b) => Math.max(a, b), -Infinity) - projections.reduce((a, b) => Math.min(a, b), Infinity) };
}

/** The area-weighted centre of the largest polygon: where a block's label and symbols go. */
function labelPoint(polygons: PolygonRings[]): Point {
  let best: { area: number; point: Point } = { area: -1, point: polygons[0]?.[0]?.[0] ?? [0, 0] };
  for (const polygon of polygons) {
    const ring = polygon[0] ?? [];
    let area = 0, cx = 0, cy = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
      const cross = ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
      area += cross;
      cx += (ring[i]![0] + ring[i + 1]![0]) * cross;
      cy += (ring[i]![1] + ring[i + 1]![1]) * cross;
    }
    if (Math.abs(area) > best.area && area !== 0) best = { area: Math.abs(area), point: [cx / (3 * area), cy / (3 * area)] };
  }
  return best.point;
}

/** The largest part's pole of inaccessibility (polylabel): inside even a bent block, where its centroid is not. */
function innerPoint(polygons: PolygonRings[]): Point | undefined {
  let largest: PolygonRings | undefined;
  let largestArea = 0;
  for (const polygon of polygons) {
    const area = Math.abs(ringArea(polygon[0] ?? []));
    if (area > largestArea) [largest, largestArea] = [polygon, area];
  }
  if (!largest) return undefined;
  const [x, y] = polylabel(largest, Math.max(0.5, Math.sqrt(largestArea) / 200));
  return [x, y];
}

/** Below this median width on the page (mm), a block's 0.25 mm white outline would take a quarter of it. */
const fineBlockMm = 2;
/** The block width (mm) the symbols, markers and badges are drawn for at full size. */
const symbolBlockMm = 10;

const blockSizes = new WeakMap<readonly MapBlock[], number>();

/**
 * How the blocks' size on the page, the median block's width (the square root of its area), changes
 * the drawing: `fine` under fineBlockMm (no outlines), and `k`, the share of their full size that
 * symbols, markers and badges get (1 from symbolBlockMm on).
 */
function blockScale(blocks: readonly MapBlock[], mmPerMetre: number): { k: number; fine: boolean } {
  let metres = blockSizes.get(blocks);
  if (metres === undefined) {
    const sides = blockAreas(blocks).map(Math.sqrt).sort((a, b) => a - b);
    blockSizes.set(blocks, (metres = sides[sides.length >> 1] ?? Infinity));
  }
  const blockMm = metres * mmPerMetre;
  return { k: Math.min(1, blockMm / symbolBlockMm), fine: blockMm < fineBlockMm };
}

const outlines = new WeakMap<readonly MapBlock[], PolygonRings[]>();

/**
 * The area's outline: the blocks dissolved into one shape where they tile the area (buurten share
 * their borders; polyclip-ts through @turf/union), else, for address blocks with streets between
 * them, the convex hull around them. Made once per set of blocks: every map of a run reuses it.
 */
function areaOutline(blocks: readonly MapBlock[]): PolygonRings[] {
  const known = outlines.get(blocks);
  if (known) return known;
  let outline: PolygonRings[] | undefined;
  // The union is kept only when it has few parts: where too many blocks stand apart for that (address
  // blocks with streets between them), the dissolving, 4 s for a city, would be thrown away.
  const fewParts = Math.max(2, blocks.length / 10);
  try {
    if (blocks.length > 1 && apartFromTheOthers(blocks) <= fewParts) {
      const dissolved = union(featureCollection(blocks.map((block) => multiPolygon(block.polygons))));
      const parts = dissolved ? (dissolved.geometry.type === 'Polygon' ? [dissolved.geometry.coordinates] : dissolved.geometry.coordinates) : [];
      if (parts.length > 0 && parts.length <= fewParts) outline = parts.map((polygon) => [polygon[0] as Point[]]);
    }
  } catch {
    // Geometry the clipper cannot dissolve: the hull is still an honest outline.
  }
  if (!outline) {
    const points = hull(blocks.flatMap((b) => b.polygons.flatMap((p) => p[0] ?? [])));
    outline = points.length > 2 ? [[[...points, points[0]!]]] : [];
  }
  outlines.set(blocks, outline);
  return outline;
}

/** How many blocks have a bounding box that meets no other block's: each is a part of the union on its own. */
export function apartFromTheOthers(blocks: readonly MapBlock[]): number {
  return new PolygonIndex(blocks.map(planar)).apart();
}

/** A block's polygons as the geometry functions take them: flat x, y rings. */
const planar = (block: MapBlock): PlanarPolygons => block.polygons.map((polygon) => polygon.map((ring) => Float64Array.from(ring.flat())));

/** Convex hull (monotone chain) of the block vertices. */
function hull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (const p of [...sorted].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

function group(id: string, parts: string[]): string {
  return `<g id="${id}">\n${parts.join('\n')}\n</g>`;
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

/** Gives every id in a map a prefix, so several maps can share one document (HTML, small multiples). */
export function prefixIds(svg: string, prefix: string): string {
  return svg.replace(/ id="/g, ` id="${prefix}-`).replace(/url\(#/g, `url(#${prefix}-`);
}

/**
 * Small multiples as a facet layout: one panel per indicator on one page, all at one scale, each
 * with its title; one legend, one scale bar, one north arrow and one credits line for the page.
 * Every panel shows its indicator against its own reference (the area's rate), so one legend of
 * "times the reference" classes serves them all whatever their units.
 */
export function composeSmallMultiples(input: MapInput, indicators: string[], options: MapOptions): ComposedMap {
  const page = makePage(options.size, options.orientation);
  const s = page.scale;
  const t = text[options.lang];
  const margin = 10 * s;
  const header = 23 * s;
  const footer = 10 * s;
  const legendWidth = 80 * s;
  const gap = 5 * s;
  const titleFont = pt(typeSize.panelTitle) * s;
  const titleHeight = 2 * titleFont * 1.25 + 1.5 * s;
  const grid = { x: margin, y: margin + header, width: page.width - 2 * margin - legendWidth - gap, height: page.height - 2 * margin - header - footer };

  const { minX, minY, maxX, maxY } = blocksBounds(input.blocks);
  const extent = { width: Math.max(maxX - minX, 1), height: Math.max(maxY - minY, 1) };
  // The number of columns that gives the panels the largest scale.
  const n = Math.max(1, indicators.length);
  const layout = Array.from({ length: n }, (_, i) => i + 1)
    .map((columns) => {
      const rows = Math.ceil(n / columns);
      const cell = { width: (grid.width - (columns - 1) * gap) / columns, height: (grid.height - (rows - 1) * gap) / rows };
      return { columns, cell, scale: Math.min(cell.width / extent.width, (cell.height - titleHeight) / extent.height) };
    })
    .reduce((best, candidate) => (candidate.scale > best.scale ? candidate : best));
  const { columns, cell, scale: mmPerMetre } = layout;

  const layers = options.layers.filter((layer) => layer === 'context' || layer === 'choropleth' || layer === 'hatching' || layer === 'hotspots');
  const ratioClasses = classify([], 'diverging', { reference: 1 });
  const shared: LegendSection[] = [];
  const drawnKeys: string[] = [];
  const panels = indicators.map((id, k) => {
    const indicator = input.result.indicators.find((i) => i.id === id);
    const x = grid.x + (k % columns) * (cell.width + gap);
    const y = grid.y + Math.floor(k / columns) * (cell.height + gap);
    const box = { x, y: y + titleHeight, width: cell.width, height: cell.height - titleHeight };
    const left = box.x + (box.width - extent.width * mmPerMetre) / 2;
    const top = box.y + (box.height - extent.height * mmPerMetre) / 2;
    // Every panel draws the outlines at the same scale: made once, moved into place by a translation.
    const project = ([px, py]: Point): Point => [(px - minX) * mmPerMetre, (maxY - py) * mmPerMetre];
    const reference = indicator?.reference.value ?? null;
    const classification = reference !== null && reference > 0 ? classify([], 'diverging', { reference }) : undefined;
    const drawn = indicatorLayers(input, indicator, classification, pathsFor(project, `panel ${mmPerMetre} ${minX} ${maxY}`), blockScale(input.blocks, mmPerMetre).fine, s, { layers, hotspots: options.hotspots, lang: options.lang }, `m${k}-`);
    for (const section of drawn.legend) mergeLegendSection(shared, section);
    if (indicator) drawnKeys.push(...indicator.numerator.keys, ...indicator.denominator.keys);
    const label = indicator ? indicator.label[options.lang] : id;
    // A long title gets a smaller type before it loses words.
    const font = [1, 0.85, 0.72].map((factor) => titleFont * factor).find((size) => wrap(label, cell.width, size * 1.1).length <= 2) ?? titleFont * 0.72;
    const lines = wrap(label, cell.width, font * 1.1);
    const shown = lines.length > 2 ? [lines[0]!, `${lines[1]!.replace(/\s*\S*$/, '')}…`] : lines;
    const title = shown.map((line, i) => `<text x="${mm(x)}" y="${mm(y + titleFont + i * font * 1.25)}" font-size="${mm(font)}" font-weight="bold" fill="#1a1a1a">${escapeXml(line)}</text>`).join('');
    return `<g id="panel-${k}" data-indicator="${escapeXml(id)}">${title}\n<g transform="translate(${mm(left)} ${mm(top)})">\n${drawn.layers.join('\n')}\n</g>\n</g>`;
  });

  const legend: LegendSection[] = [
    {
      title: options.lang === 'nl' ? 'Vergeleken met de referentie (het gemiddelde van het gebied, of de waarde uit het projectbestand)' : 'Compared with the reference (the area average, or the value in the project file)',
      entries: ratioClasses.colours.map((fill, k) => {
        const f = (ratio: number) => formatNumber(ratio, options.lang, 2).replace(/([,.]\d)0$/, '$1');
        const low = divergingRatios[k - 1];
        const high = divergingRatios[k];
        return { kind: 'swatch' as const, fill, label: low === undefined ? `< ${f(high!)}×` : high === undefined ? `≥ ${f(low)}×` : `${f(low)}–${f(high)}×` };
      }),
    },
    ...shared,
  ];
  const legendBox = { x: page.width - margin - legendWidth, y: grid.y, width: legendWidth, height: grid.height - 40 * s };
  const bar = scaleBar(mmPerMetre, Math.min(legendWidth * 0.7, cell.width * 0.5));
  const title = options.title ?? (options.lang === 'nl' ? `${input.result.project.name}: alle indicatoren` : `${input.result.project.name}: all indicators`);
  const period = input.result.project.period ? ` · ${periodWords(input.result.project.period, options.lang)}` : '';
  const subtitle = `${input.result.project.name}${period} · ${options.lang === 'nl' ? 'elk kaartje tegen de referentie van zijn indicator' : 'each panel against the reference of its indicator'}`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${mm(page.width)}mm" height="${mm(page.height)}mm" viewBox="0 0 ${mm(page.width)} ${mm(page.height)}" font-family="DejaVu Sans">\n` +
    `<title>${escapeXml(title)}</title>\n${patternDefs(s)}\n<rect id="page" width="${mm(page.width)}" height="${mm(page.height)}" fill="#ffffff"/>\n` +
    `${titleSvg(title, subtitle, margin, s, page.width - 2 * margin)}\n` +
    (options.internal ? `<text x="${mm(page.width - margin)}" y="${mm(margin + 8 * s)}" font-size="${mm(pt(14) * s)}" font-weight="bold" fill="#c00000" text-anchor="end">${t.confidential}</text>\n` : '') +
    `<g id="small-multiples">\n${panels.join('\n')}\n</g>\n` +
    `${group('legend', [renderLegend(legend, legendBox, s).svg])}\n` +
    `${northArrow(legendBox.x + 4 * s, grid.y + grid.height - 30 * s, s, t.north)}\n` +
    `${scaleBarSvg(bar, legendBox.x + 1.5 * s, grid.y + grid.height - 2 * s, s)}\n` +
    `${creditsSvg(creditsText(input.result, drawnKeys, options), margin, page, s)}\n</svg>\n`;
  return { svg, page, mmPerMetre, scaleBar: bar, legendEntries: legend.flatMap((section) => section.entries.map((entry) => entry.label)) };
}

/** Adds a panel's legend section to the page's, each entry once. */
function mergeLegendSection(sections: LegendSection[], section: LegendSection): void {
  const same = sections.find((existing) => existing.title === section.title);
  if (!same) {
    sections.push({ title: section.title, entries: [...section.entries] });
    return;
  }
  for (const entry of section.entries) if (!same.entries.some((existing) => existing.label === entry.label)) same.entries.push(entry);
}

/**
 * Path data by a projection (`key`: its scale and offsets), kept per outline: a city's maps of
 * one size draw the same 25,000 outlines the same way, which made each of them anew took seconds.
 */
function pathsFor(project: (point: Point) => Point, key: string): (polygons: PolygonRings[]) => string {
  return (polygons) => {
    let drawn = drawnPaths.get(polygons);
    if (!drawn) drawnPaths.set(polygons, (drawn = new Map()));
    let path = drawn.get(key);
    if (path === undefined) drawn.set(key, (path = pathData(polygons, project)));
    return path;
  };
}
const drawnPaths = new WeakMap<PolygonRings[], Map<string, string>>();

/**
 * SVG path data at the page's resolution (0.01 mm), as d3's geoPath writes it, but without the
 * points that land on the one before: a boundary digitised to the millimetre (a million
 * vertices) would otherwise become a path of tens of megabytes on every map.
 */
function pathData(polygons: readonly PolygonRings[], project: (point: Point) => Point): string {
  const parts: string[] = [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      // The closing point repeats the first: Z draws that edge.
      const last = ring.length > 1 && ring[0]![0] === ring[ring.length - 1]![0] && ring[0]![1] === ring[ring.length - 1]![1] ? ring.length - 1 : ring.length;
      let previous = '';
      for (let i = 0; i < last; i++) {
        const [x, y] = project(ring[i]!);
        const point = `${mm(x)},${mm(y)}`;
        if (point === previous) continue;
        parts.push(previous === '' ? `M${point}` : `L${point}`);
        previous = point;
      }
      if (previous !== '') parts.push('Z');
    }
  }
  return parts.join('');
}
