import { PNG } from 'pngjs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analyse.js';
import { loadProject } from '../../src/ingest/load.js';
import { loadSolver } from '../../src/privacy/solver.js';
import { allLayers, composeMap, composeSmallMultiples, type ComposedMap, type MapOptions } from '../../src/render/map/compose.js';
import { mapInputFromProject } from '../../src/render/map/input.js';
import { pt, textWidth } from '../../src/render/map/page.js';
import { renderPng } from '../../src/render/png.js';
import { temporaryDirectories, zuidProject } from '../helpers.js';

/**
 * What a person checks when a map is pinned to the wall, as a machine can: nothing outside the
 * page, no block labels on top of each other, every colour of the map explained in the legend and
 * visible when rendered, type large enough to read at arm's length.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const tool = { name: 'buurtbalans', version: 'test' };
const temporaryDirs = temporaryDirectories('buurtbalans-legible-');
afterAll(temporaryDirs.removeAll);
const sampleInput = loadProject(join(root, 'data-samples/rijnbuurt-west'), tool);
const sample = mapInputFromProject(sampleInput, analyse(sampleInput, { highs: await loadSolver() }).result);

/** The real Zuid buurten with CBS Kerncijfers: many blocks of very different sizes, with names. */
const zuidInput = loadProject(zuidProject(join(temporaryDirs.make(), 'zuid')), tool);
const zuid = mapInputFromProject(zuidInput, analyse(zuidInput, { highs: await loadSolver() }).result);

const a1 = (extra: Partial<MapOptions>): MapOptions => ({
  size: 'A1',
  orientation: 'landscape',
  lang: 'nl',
  indicator: 'meldingen',
  layers: allLayers,
  classification: 'diverging',
  hotspots: 'gi',
  presence: [],
  internal: false,
  date: '2026-12-01',
  version: 'test',
  ...extra,
});

interface TextBox {
  text: string;
  size: number;
  bold: boolean;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The page-level texts of an SVG with the box they take (rotated street names are left out). */
function texts(svg: string): TextBox[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)]
    .filter(([, attributes]) => !attributes!.includes('transform=') && !attributes!.includes('fill="none"'))
    .map(([, attributes, content]) => {
      const attribute = (name: string) => new RegExp(`\\b${name}="([^"]+)"`).exec(attributes!)?.[1];
      const text = content!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/&quot;/g, '"');
      const size = Number(attribute('font-size'));
      const bold = attribute('font-weight') === 'bold';
      const width = textWidth(text, size, bold);
      const x = Number(attribute('x'));
      const y = Number(attribute('y'));
      const anchor = attribute('text-anchor');
      const x0 = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
      return { text, size, bold, x0, x1: x0 + width, y0: y - size * 0.8, y1: y + size * 0.25 };
    });
}

function group(svg: string, id: string): string {
  const start = svg.indexOf(`<g id="${id}">`);
  expect(start, id).toBeGreaterThan(-1);
  let depth = 0;
  for (const match of svg.slice(start).matchAll(/<g[\s>]|<\/g>/g)) {
    depth += match[0] === '</g>' ? -1 : 1;
    if (depth === 0) return svg.slice(start, start + match.index! + 4);
  }
  throw new Error(`group ${id} is not closed`);
}

function expectOnThePage(map: ComposedMap): void {
  for (const box of texts(map.svg)) {
    expect(box.x0, box.text).toBeGreaterThanOrEqual(0);
    expect(box.x1, box.text).toBeLessThanOrEqual(map.page.width);
    expect(box.y0, box.text).toBeGreaterThanOrEqual(0);
    expect(box.y1, box.text).toBeLessThanOrEqual(map.page.height);
  }
}

function expectLabelsApart(map: ComposedMap): TextBox[] {
  const labels = texts(group(map.svg, 'labels'));
  for (const [i, a] of labels.entries()) {
    for (const b of labels.slice(i + 1)) {
      const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
      expect(overlap, `"${a.text}" and "${b.text}" overlap`).toBe(false);
    }
  }
  return labels;
}

/** Every fill of the choropleth is a swatch of the legend, and shows up in the rendered map. */
function expectColoursExplained(map: ComposedMap): void {
  const fills = new Set([...group(map.svg, 'choropleth').matchAll(/fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]!));
  const swatches = new Set([...group(map.svg, 'legend').matchAll(/<rect [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]!));
  // #f0f0f0 lies under the hatching of blocks without a value, which the legend explains.
  for (const fill of fills) if (fill !== '#f0f0f0') expect(swatches, `map colour ${fill}`).toContain(fill);
  const image = PNG.sync.read(Buffer.from(renderPng(map.svg, map.page.width, 40)));
  const seen = new Set<string>();
  for (let i = 0; i < image.data.length; i += 4) {
    seen.add(`#${[image.data[i]!, image.data[i + 1]!, image.data[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`);
  }
  for (const fill of fills) if (fill !== '#f0f0f0') expect(seen, `rendered colour ${fill}`).toContain(fill);
}

describe('the big map of the sample on A1', () => {
  const map = composeMap(sample, a1({ symbols: 'clienten', presence: ['omklapwoningen', 'zorgmijder_signalen'], title: 'Rijnbuurt West: alle gegevens op één kaart' }));

  it('keeps every text on the page and every block label clear of the others', () => {
    expectOnThePage(map);
    expect(expectLabelsApart(map).length).toBe(sample.blocks.length);
  });

  it('explains every colour in the legend, and the colours are there when rendered', () => expectColoursExplained(map));

  it('is readable at arm’s length: legend at least the QGIS defaults (items 12 pt, headings 14 pt), title twice the items', () => {
    const boxes = texts(map.svg);
    const legend = texts(group(map.svg, 'legend'));
    const items = legend.filter((box) => !box.bold);
    const headings = legend.filter((box) => box.bold);
    expect(Math.min(...items.map((box) => box.size))).toBeGreaterThanOrEqual(pt(12));
    expect(Math.min(...headings.map((box) => box.size))).toBeGreaterThanOrEqual(pt(14));
    const title = boxes.find((box) => box.text === 'Rijnbuurt West: alle gegevens op één kaart')!;
    expect(title.size).toBeGreaterThanOrEqual(2 * Math.min(...items.map((box) => box.size)));
    // The credits, the smallest text, are still larger than a book's footnotes.
    expect(Math.min(...boxes.map((box) => box.size))).toBeGreaterThanOrEqual(pt(8));
  });
});

describe('the real Zuid buurten on A1 (CBS share of residents aged 65+)', () => {
  const map = composeMap(zuid, a1({ indicator: 'kwb.inwoners65plus' }));

  it('labels buurten with their names where they fit, never with a code, all clear of each other and inside the frame', () => {
    expectOnThePage(map);
    const labels = expectLabelsApart(map);
    expect(labels.length).toBeGreaterThanOrEqual(zuid.blocks.length / 2);
    for (const label of labels) expect(label.text).not.toMatch(/^BU\d/);
    const frame = /<rect id="map-frame" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(map.svg)!.slice(1).map(Number);
    for (const label of labels) {
      expect(label.x0).toBeGreaterThanOrEqual(frame[0]!);
      expect(label.x1).toBeLessThanOrEqual(frame[0]! + frame[2]!);
    }
  });

  it('explains every colour in the legend, and the colours are there when rendered', () => expectColoursExplained(map));

  it('draws the area outline as the buurten’s own outline, not their convex hull', () => {
    const outline = /<g id="context">\n<path d="([^"]+)"/.exec(map.svg)![1]!;
    // Zuid's outline has far more corners than a hull around it would.
    expect(outline.split('L').length).toBeGreaterThan(100);
  });
});

describe('the small multiples on A3', () => {
  const indicators = sample.result.indicators.map((i) => i.id);
  const map = composeSmallMultiples(sample, indicators, a1({ size: 'A3', layers: ['context', 'choropleth', 'hatching', 'hotspots'] }));

  it('are one page of panels with one legend, scale bar and credits, each panel titled', () => {
    expect(map.svg.match(/<g id="panel-\d+"/g)).toHaveLength(indicators.length);
    for (const id of ['legend', 'scale-bar', 'north-arrow', 'credits']) expect(map.svg.match(new RegExp(`<g id="${id}"`, 'g'))).toHaveLength(1);
    for (const indicator of sample.result.indicators) {
      const panel = /<g id="panel-\d+" data-indicator="([^"]+)">(.*?)\n/.exec(map.svg.slice(map.svg.indexOf(`data-indicator="${indicator.id}"`) - 20))!;
      expect(panel[2]!.replace(/<[^>]+>/g, ' ').replace(/…/g, '')).toContain(indicator.label.nl.split(' ')[0]);
    }
    expectOnThePage(map);
  });

  it('draw every panel at one scale, so blocks compare across panels', () => {
    // Each panel's outlines are drawn once and moved into place by its translation.
    const widths = [...map.svg.matchAll(/<g transform="translate\(([\d.]+) [\d.]+\)">\n(?:<g id="m\d+-context">[^]*?<\/g>\n)?<g id="m(\d+)-choropleth">\n<path d="M([\d.]+),/g)].map((m) => Number(m[1]) + Number(m[3]));
    const panelLeft = [...map.svg.matchAll(/<g id="panel-(\d+)" data-indicator="[^"]+"><text x="([\d.]+)"/g)].map((m) => Number(m[2]));
    expect(widths).toHaveLength(indicators.length);
    // The first block starts at the same place within every panel.
    const offsets = widths.map((x, k) => Math.round((x - panelLeft[k]!) * 10) / 10);
    expect(new Set(offsets).size).toBe(1);
  });

  it('are readable on A3: no text under 8 pt', () => {
    expect(Math.min(...texts(map.svg).map((box) => box.size))).toBeGreaterThanOrEqual(pt(8));
  });
});
