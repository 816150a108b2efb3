import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analyse.js';
import { loadProject } from '../../src/ingest/load.js';
import { allLayers, composeMap, composeSmallMultiples, type MapOptions } from '../../src/render/map/compose.js';
import { mapInputFromProject } from '../../src/render/map/input.js';
import { stapelingMap, withStapeling } from '../../src/render/maps.js';
import { dejaVuDocument, renderPdf } from '../../src/render/pdf.js';
import { renderPng } from '../../src/render/png.js';
import { drawSvgElements, parseSvg } from '../../src/render/svg-pdf.js';
import { accumulationChart, chartSvg, rankedBlocksChart } from '../../src/report/charts.js';
import { temporaryDirectories } from '../helpers.js';

const sample = fileURLToPath(new URL('../../data-samples/rijnbuurt-west/', import.meta.url));
const input = loadProject(sample, { name: 'buurtbalans', version: 'test' });
const mapInput = mapInputFromProject(input, analyse(input).result);
const result = mapInput.result;
const options = (extra: Partial<MapOptions> = {}): MapOptions => ({
  size: 'A4',
  orientation: 'landscape',
  lang: 'nl',
  indicator: 'zorgmijders',
  layers: allLayers,
  classification: 'diverging',
  hotspots: 'gi',
  symbols: 'clienten',
  presence: ['omklapwoningen', 'zorgmijder_signalen'],
  internal: true,
  date: '2026-11-23',
  version: 'test',
  ...extra,
});
const temporaryDirs = temporaryDirectories('buurtbalans-svg-pdf-');
afterAll(temporaryDirs.removeAll);

const sizeOf = (svg: string) => {
  const [, width, height] = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)!.map(Number);
  return { width: width!, height: height! };
};

/**
 * The share of 5 × 5-pixel cells whose mean colour differs clearly between the PDF (by poppler)
 * and the SVG (by resvg) at 60 dpi: the mean, because hatching's fine lines fall on other pixels
 * in each renderer while the shades they make are the same.
 */
async function differenceFromSvg(svg: string, drawn = svg): Promise<number> {
  const dir = temporaryDirs.make();
  // Charts are sized in px (96 to the inch), maps in mm.
  const mm = /width="[\d.]+mm"/.test(svg) ? 1 : 25.4 / 96;
  const { width, height } = sizeOf(svg);
  writeFileSync(join(dir, 'drawn.pdf'), await renderPdf([{ svg: drawn, width: width * mm, height: height * mm }], '2026-11-23', 'test'));
  const pixels = Math.round(((width * mm) / 25.4) * 60);
  execFileSync('pdftoppm', ['-png', '-singlefile', '-scale-to-x', String(pixels), '-scale-to-y', '-1', join(dir, 'drawn.pdf'), join(dir, 'pdf')]);
  const pdf = PNG.sync.read(readFileSync(join(dir, 'pdf.png')));
  const reference = PNG.sync.read(Buffer.from(renderPng(svg, width * mm, 60)));
  const cell = 5;
  const mean = (image: PNG, cx: number, cy: number, channel: number) => {
    let sum = 0;
    for (let y = cy * cell; y < (cy + 1) * cell; y++) for (let x = cx * cell; x < (cx + 1) * cell; x++) sum += image.data[(y * image.width + x) * 4 + channel]!;
    return sum / cell ** 2;
  };
  const [columns, rows] = [Math.floor(pixels / cell), Math.floor(Math.min(pdf.height, reference.height) / cell)];
  let differing = 0;
  for (let cy = 0; cy < rows; cy++) {
    for (let cx = 0; cx < columns; cx++) {
      let distance = 0;
      for (let channel = 0; channel < 3; channel++) distance += Math.abs(mean(pdf, cx, cy, channel) - mean(reference, cx, cy, channel));
      if (distance > 45) differing++;
    }
  }
  return differing / (rows * columns);
}

describe('drawing the SVGs of this tool into a PDF', async () => {
  const map = composeMap(mapInput, options()).svg;
  const stapeling = composeMap(withStapeling(mapInput), { ...stapelingMap(result, options())!, internal: true }).svg;
  const multiples = composeSmallMultiples(mapInput, ['meldingen', 'zorgmijders', 'omklapwoningen'], options({ layers: ['context', 'choropleth', 'hatching', 'labels'] })).svg;
  const chart = await chartSvg(rankedBlocksChart(result.indicators.find((i) => i.id === 'zorgmijders')!, 'nl'));
  const tiles = await chartSvg(accumulationChart(result.accumulation!, result.accumulation!.blocks, 'nl', { signal: 'signaal', elevated: 'verhoogd', unknown: 'onbekend', none: 'geen' }));

  it('knows every element and attribute of its maps and vega’s charts: none is left to svg-to-pdfkit', () => {
    for (const [name, svg] of Object.entries({ map, stapeling, multiples, chart, tiles })) expect(parseSvg(svg), name).toBeDefined();
  });

  it('draws a map, the stapeling, small multiples and the charts as resvg shows the SVG', async () => {
    expect(map).toContain('url(#hatch-');
    expect(stapeling).toContain('url(#hatch-open)');
    const differences = Object.fromEntries(await Promise.all(Object.entries({ map, stapeling, multiples, chart, tiles }).map(async ([name, svg]) => [name, await differenceFromSvg(svg)] as const)));
    // Antialiasing and text hinting differ between the two renderers; shapes, colours and texts do not.
    for (const [name, difference] of Object.entries(differences)) expect(difference, name).toBeLessThan(0.05);
    // The comparison sees a missing layer: the map without its hatching, and without its colours.
    const unhatched = await differenceFromSvg(map, map.replace(/<g id="hatching">[^]*?<\/g>/, ''));
    const uncoloured = await differenceFromSvg(map, map.replace(/fill="#(?!ffffff)[0-9a-f]{6}" stroke="#ffffff"/g, 'fill="#ffffff" stroke="#ffffff"'));
    expect(unhatched).toBeGreaterThan(1.5 * differences.map!);
    expect(uncoloured).toBeGreaterThan(2 * differences.map!);
  });

  it('writes every text of a map as text, the watermark and the rotated street names included', async () => {
    const dir = temporaryDirs.make();
    const { width, height } = sizeOf(map);
    writeFileSync(join(dir, 'map.pdf'), await renderPdf([{ svg: map, width, height }], '2026-11-23', 'test'));
    // Rotated names come out of pdftotext letter by letter: compared without spaces.
    const words = execFileSync('pdftotext', ['-raw', join(dir, 'map.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    const texts = [...map.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((match) => match[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'));
    expect(texts.length).toBeGreaterThan(50);
    expect(texts).toContain('VERTROUWELIJK');
    for (const text of texts) expect(words).toContain(text.replace(/\s+/g, ''));
  });

  it('makes one tiling pattern per kind of hatching, used by every shape it fills', async () => {
    const { width, height } = sizeOf(map);
    const pdf = Buffer.from(await renderPdf([{ svg: map, width, height }], '2026-11-23', 'test')).toString('latin1');
    const uses = map.match(/="url\(#hatch-[a-z]+\)"/g)!;
    const kinds = new Set(uses);
    expect(uses.length).toBeGreaterThan(kinds.size);
    expect(pdf.match(/\/PatternType 1/g)).toHaveLength(kinds.size);
  });

  it('refuses what it does not know and draws nothing of it: svg-to-pdfkit draws such an SVG whole', async () => {
    const { doc } = dejaVuDocument('2026-11-23', 'test', { size: 'A4' });
    const box = { x: 0, y: 0, width: 100, height: 100 };
    for (const svg of [
      '<svg viewBox="0 0 10 10"><image href="x.png" width="10" height="10"/></svg>',
      '<svg viewBox="0 0 10 10"><text x="1" y="5">a<tspan>b</tspan></text></svg>',
      '<svg viewBox="0 0 10 10"><rect width="10" height="10" style="fill:red"/></svg>',
      '<svg viewBox="0 0 10 10"><defs><pattern id="p" patternUnits="objectBoundingBox" width="1" height="1"/></defs></svg>',
      '<svg viewBox="0 0 10 10"><g>',
      '<svg viewBox="0 0 10 10"><defs><pattern id="p" width="1" height="1"/></defs></svg>',
      '<svg viewBox="0 0 10 10"><rect width="10" height="10" fill="rgb(255, 0, 0)"/></svg>',
      '<svg viewBox="0 0 10 10"><rect width="10" height="10" stroke="currentColor"/></svg>',
    ]) {
      expect(parseSvg(svg), svg).toBeUndefined();
      expect(drawSvgElements(doc, svg, box, () => 'DejaVu'), svg).toBe(false);
    }
    expect(parseSvg('<svg viewBox="0 0 10 10"><text x="1" y="5">a &amp; b</text></svg>')!.children[0]!.text).toBe('a & b');
    const dir = temporaryDirs.make();
    writeFileSync(join(dir, 'other.pdf'), await renderPdf([{ svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20"><text x="2" y="12" font-size="8">Amstel<tspan font-weight="bold">kade</tspan></text></svg>', width: 100, height: 20 }], '2026-11-23', 'test'));
    expect(execFileSync('pdftotext', [join(dir, 'other.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '')).toBe('Amstelkade');
  });
});
