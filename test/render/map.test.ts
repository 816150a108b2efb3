import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analyse.js';
import { loadProject } from '../../src/ingest/load.js';
import { classify } from '../../src/render/map/classify.js';
import { allLayers, apartFromTheOthers, composeMap, type MapBlock, type MapOptions } from '../../src/render/map/compose.js';
import { mapInputFromProject } from '../../src/render/map/input.js';
import { renderMap } from '../../src/render/maps.js';
import { mergeHatching } from '../../src/render/pdf.js';
import { ckmeans } from 'simple-statistics';
import { loadSolver } from '../../src/privacy/solver.js';
import { temporaryDirectories } from '../helpers.js';

const sample = fileURLToPath(new URL('../../data-samples/rijnbuurt-west/', import.meta.url));
const input = loadProject(sample, { name: 'buurtbalans', version: 'test' });
const mapInput = mapInputFromProject(input, analyse(input).result);
const options = (extra: Partial<MapOptions> = {}): MapOptions => ({
  size: 'A4',
  orientation: 'portrait',
  lang: 'nl',
  indicator: 'meldingen',
  layers: allLayers,
  classification: 'diverging',
  hotspots: 'gi',
  symbols: 'clienten',
  presence: ['omklapwoningen', 'zorgmijder_signalen'],
  internal: false,
  date: '2026-11-23',
  version: 'test',
  ...extra,
});
const temporaryDirs = temporaryDirectories('buurtbalans-map-');
const temporary = temporaryDirs.make;
afterAll(temporaryDirs.removeAll);

describe('the SVG of a map', () => {
  const map = composeMap(mapInput, options());

  it('has one group per layer and per piece of furniture, with readable ids', () => {
    for (const id of ['context', 'choropleth', 'hatching', 'hotspots', 'symbols', 'labels', 'title', 'legend', 'scale-bar', 'north-arrow', 'credits']) {
      expect(map.svg, id).toContain(`<g id="${id}"`);
    }
  });

  it('draws every block once in the choropleth, with its id as data attribute', () => {
    const choropleth = /<g id="choropleth">([\s\S]*?)<\/g>/.exec(map.svg)![1]!;
    const ids = [...choropleth.matchAll(/data-block="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(mapInput.blocks.map((b) => b.id));
  });

  it('has a legend entry per class', () => {
    const indicator = mapInput.result.indicators.find((i) => i.id === 'meldingen')!;
    const classes = classify([], 'diverging', { reference: indicator.reference.value }).colours.length;
    expect(map.legendEntries.filter((entry) => /×\)$/.test(entry))).toHaveLength(classes);
    for (const entry of map.legendEntries.slice(0, classes)) expect(map.svg).toContain(`>${entry.replace(/</g, '&lt;')}</text>`);
  });

  it('writes colours as hex only', () => {
    expect(map.svg).not.toMatch(/(hsl|rgb)\(/);
    for (const [, colour] of map.svg.matchAll(/(?:fill|stroke)="(#[^"]*)"/g)) expect(colour).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('has a scale bar that matches the projection within 1%', () => {
    // The projection independently: two corners of a block in RD metres and in the drawn path.
    const block = mapInput.blocks[0]!;
    const [a, b] = [block.polygons[0]![0]![0]!, block.polygons[0]![0]![1]!];
    const path = /<g id="choropleth">\s*<path d="M([-\d.]+),([-\d.]+)L([-\d.]+),([-\d.]+)/.exec(map.svg)!;
    const drawn = Math.hypot(Number(path[3]) - Number(path[1]), Number(path[4]) - Number(path[2]));
    const mmPerMetre = drawn / Math.hypot(b[0] - a[0], b[1] - a[1]);
    const bar = /data-metres="([\d.]+)" data-millimetres="([\d.]+)"/.exec(map.svg)!;
    expect(Math.abs(Number(bar[2]) / (Number(bar[1]) * mmPerMetre) - 1)).toBeLessThan(0.01);
    expect([1, 2, 5]).toContain(Number(bar[1]) / 10 ** Math.floor(Math.log10(Number(bar[1]))));
  });

  it('scales text and lines with the page: A0 has twice the sizes of A4, in the same layout', () => {
    const a0 = composeMap(mapInput, options({ size: 'A0' }));
    const fontSize = (svg: string) => Number(/<g id="title"><text [^>]*font-size="([\d.]+)"/.exec(svg)![1]);
    expect(fontSize(a0.svg) / fontSize(map.svg)).toBeCloseTo(2, 1);
    expect(a0.page.width / map.page.width).toBeCloseTo(841 / 210, 5);
    expect(a0.svg.match(/<g id=/g)!.length).toBe(map.svg.match(/<g id=/g)!.length);
  });

  it('marks internal maps VERTROUWELIJK and only those', () => {
    expect(map.svg).not.toContain('VERTROUWELIJK');
    expect(composeMap(mapInput, options({ internal: true })).svg).toContain('VERTROUWELIJK');
  });

  it('outlines hot spots with Gi* or local Moran clusters, and hatches blocks with too few numbers', () => {
    const alleen = composeMap(mapInput, options({ indicator: 'alleenstaande_75plus' }));
    expect(alleen.svg).toContain('data-spot="hot"');
    expect(alleen.svg).toContain('url(#hatch-few)');
    expect(alleen.legendEntries).toContain('te weinig gegevens');
    const lisa = composeMap(mapInput, options({ indicator: 'alleenstaande_75plus', hotspots: 'lisa' }));
    expect(lisa.svg).toMatch(/data-cluster="(HH|LL|HL|LH)"/);
  });

  it('draws symbol circles in exactly the colour of the legend, above the block labels, and credits only the sources drawn', () => {
    const circles = [...map.svg.matchAll(/<circle [^>]*fill="([^"]+)"[^>]*data-state="count"/g)].map((m) => m[1]);
    const legend = /<g id="legend">([\s\S]*?)<\/g>/.exec(map.svg)![1]!;
    const legendFills = [...legend.matchAll(/<circle [^>]*fill="([^"]+)" stroke="#ffffff"/g)].map((m) => m[1]);
    expect(circles.length).toBeGreaterThan(0);
    expect(legendFills.length).toBeGreaterThan(0);
    expect(new Set([...circles, ...legendFills])).toEqual(new Set([circles[0]]));
    expect(map.svg).not.toMatch(/<circle [^>]*fill-opacity/);
    const credits = /<g id="credits">([\s\S]*?)<\/g>/.exec(map.svg)![1]!.replace(/<[^>]+>/g, ' ');
    expect(credits).toContain('Meldingensysteem gemeente'); // the choropleth
    expect(credits).toContain('Zorgaanbieder Zuid'); // the circles
    expect(credits).toContain('Bewoners (gevoelskaart)'); // what is heard
    expect(credits).not.toContain('Gemeente, Onderzoek en Statistiek'); // not on this map
  });

  it('tells an exact count from one the sender partly held back, from unknown, secret and zero, each with its legend entry', async () => {
    const shareable = composeMap(mapInputFromProject(input, analyse(input, { highs: await loadSolver() }).result), options());
    const symbols = /<g id="symbols">([\s\S]*?)<\/g>\n?<g id="labels"/.exec(shareable.svg)![1]!;
    const circleStates = [...symbols.matchAll(/<(?:circle|g|line) [^>]*data-block="[^"]+" data-state="([a-z_]+)"/g)].map((m) => m[1]!);
    // One sign per block and no block left blank: an absent circle would read as zero.
    expect(circleStates).toHaveLength(mapInput.blocks.length);
    // The sample's care counts per PC6 have cells the sender suppressed, and disclosure control hides small ones.
    expect(new Set(circleStates)).toEqual(new Set(['at_least', 'secret', 'count']));
    const words: Record<string, string> = { at_least: 'ten minste (deels achtergehouden door de afzender)', secret: 'geheim (kleine aantallen)', unknown: 'onbekend (achtergehouden door de afzender)', zero: '0' };
    for (const state of new Set(circleStates)) if (state !== 'count') expect(shareable.legendEntries).toContain(words[state]);
    // Omklapwoningen are secret in nearly every block: drawn as secret, not left out without a word.
    const omklap = [...symbols.matchAll(/data-presence="omklapwoningen" data-state="([a-z_]+)"/g)].map((m) => m[1]);
    expect(omklap.filter((state) => state === 'secret').length).toBeGreaterThanOrEqual(mapInput.blocks.length - 1);
    expect(shareable.legendEntries).toContain('omklapwoning(en): geheim (kleine aantallen)');
    // A layer with nothing to draw says so in the legend.
    const none = { ...mapInput, result: { ...mapInput.result, blocks: mapInput.result.blocks.map((block) => ({ ...block, counts: Object.fromEntries(Object.entries(block.counts).map(([key, count]) => [key, key.includes('[omklap') ? 0 : count])), unknown_cells: {} })) } };
    const nothing = composeMap(none, options({ presence: ['omklapwoningen'] }));
    expect(nothing.svg).not.toContain('data-presence="omklapwoningen"');
    expect(nothing.legendEntries).toContain('omklapwoning(en): in geen enkel blok');
  });

  it('draws symbols per block, never at an address', () => {
    const circles = [...map.svg.matchAll(/<circle [^>]*data-block="([^"]+)"/g)].map((m) => m[1]);
    expect(circles.length).toBeGreaterThan(0);
    expect(new Set(circles).size).toBe(circles.length);
    expect(map.svg).toContain('data-presence="omklapwoningen"');
  });

  it('labels blocks and streets with a halo, and writes text as text', () => {
    expect(map.svg).toContain('data-street="Rijnstraat"');
    expect(map.svg).toMatch(/stroke="#ffffff"[^>]*>B01<\/text>/);
  });

  it('draws a block digitised with a million vertices as a path at the page resolution', () => {
    const first = mapInput.blocks[0]!;
    const ring = first.polygons[0]![0]!;
    const dense: [number, number][] = [];
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i]!, [bx, by] = ring[i + 1]!;
      for (let k = 0; k < 250_000; k++) dense.push([ax + ((bx - ax) * k) / 250_000, ay + ((by - ay) * k) / 250_000]);
    }
    dense.push(ring[0]!);
    const denseMap = composeMap({ ...mapInput, blocks: [{ ...first, polygons: [[dense, ...first.polygons[0]!.slice(1)], ...first.polygons.slice(1)] }, ...mapInput.blocks.slice(1)] }, options());
    const path = (svg: string) => new RegExp(`<g id="choropleth">\\s*<path d="([^"]*)"`).exec(svg)![1]!;
    // The same outline; the points between corners that the page cannot show apart are left out.
    expect(path(denseMap.svg).startsWith(path(map.svg).split('L')[0]!)).toBe(true);
    expect(path(denseMap.svg).length).toBeLessThan(1_000_000);
  });

  it('is the same SVG as the reviewed snapshot (deterministic)', async () => {
    await expect(map.svg).toMatchFileSnapshot('__snapshots__/meldingen-a4.svg');
    expect(composeMap(mapInput, options()).svg).toBe(map.svg);
  });
});

describe('a map whose blocks are too small on the page for outlines (a city on one sheet)', () => {
  // One block moved 30 km off makes the others about half a millimetre wide on A4.
  const far = { ...mapInput, blocks: mapInput.blocks.map((block, b) => (b === mapInput.blocks.length - 1 ? { ...block, polygons: block.polygons.map((polygon) => polygon.map((ring) => ring.map(([x, y]) => [x + 30_000, y] as [number, number]))) } : block)) };
  const fine = composeMap(far, options({ layers: [...allLayers, 'geluiden'] }));
  const outlined = composeMap(mapInput, options());
  const layer = (svg: string, id: string) => new RegExp(`<g id="${id}">([\\s\\S]*?)</g>`).exec(svg)![1]!;

  it('fills the blocks without white outlines, one path per colour, each block in the path of its own colour', () => {
    const paths = [...layer(fine.svg, 'choropleth').matchAll(/<path d="([^"]*)" fill="([^"]+)" stroke="none" data-blocks="(\d+)"\/>/g)];
    const blocksPerColour = new Map<string, number>();
    for (const [, fill] of layer(outlined.svg, 'choropleth').matchAll(/fill="([^"]+)" stroke="#ffffff"/g)) blocksPerColour.set(fill!, (blocksPerColour.get(fill!) ?? 0) + 1);
    expect(new Map(paths.map(([, , fill, count]) => [fill!, Number(count)]))).toEqual(blocksPerColour);
    // Every ring of every block is in one of them.
    const rings = mapInput.blocks.reduce((sum, block) => sum + block.polygons.flat().length, 0);
    expect(paths.reduce((sum, [, d]) => sum + d!.split('M').length - 1, 0)).toBe(rings);
    expect(layer(fine.svg, 'choropleth')).not.toContain('data-block=');
  });

  it('shrinks the symbols with the blocks, in the same proportions', () => {
    const radii = (svg: string) => [...svg.matchAll(/<circle cx="[^"]+" cy="[^"]+" r="([^"]+)"[^>]*data-state="count"/g)].map((m) => Number(m[1]));
    const big = radii(outlined.svg);
    const small = radii(fine.svg);
    expect(small).toHaveLength(big.length);
    // The largest circle keeps its share of the largest count: the same proportions, smaller.
    expect(Math.max(...small)).toBeLessThan(1);
    expect(Math.max(...small) / Math.min(...small)).toBeCloseTo(Math.max(...big) / Math.min(...big), 1);
  });

  it('gives each block one dot of what is heard where letters would be too small to read, and says so in the legend', () => {
    const badges = [...fine.svg.matchAll(/<g data-block="([^"]+)" data-theme="[^"]+" data-count="[^"]+"><circle [^>]*fill="#[0-9a-f]{6}"\/><\/g>/g)].map((m) => m[1]);
    expect(badges.length).toBeGreaterThan(0);
    expect(new Set(badges).size).toBe(badges.length);
    expect(fine.svg).not.toMatch(/data-theme="[^"]+" data-count="[^"]+"><circle[^>]*\/><text/);
    expect(fine.legendEntries.join(' ')).toContain('per blok één stip in de kleur van het meest genoemde thema');
    const full = composeMap(mapInput, options({ layers: [...allLayers, 'geluiden'] }));
    expect([...full.svg.matchAll(/<g data-block="([^"]+)" data-theme=/g)].length).toBeGreaterThan(badges.length);
  });
});

describe('classifications', () => {
  const values = [1, 2, 2, 3, 4, 8, 9, 10, 20, 21, 22, 40];
  it('quantile, equal interval, natural breaks and fixed breaks give one colour per class', () => {
    expect(classify(values, 'quantile', { classes: 4 }).breaks).toHaveLength(3);
    expect(classify(values, 'equal', { classes: 4 }).breaks).toEqual([10.75, 20.5, 30.25]);
    const jenks = classify(values, 'jenks', { classes: 3 });
    expect(jenks.breaks).toEqual(ckmeans(values, 3).slice(0, -1).map((g) => g[g.length - 1]));
    expect(classify(values, 'fixed', { breaks: [5, 15] }).colours).toHaveLength(3);
    expect(classify(values, 'diverging', { reference: 10 }).breaks).toEqual([5, 8, 12.5, 20]);
  });
});

describe('PNG and PDF', () => {
  it('renders a PNG with the size the DPI asks for', async () => {
    const { content } = await renderMap(mapInput, { file: 'x.png', format: 'png', dpi: 100, options: options() });
    const png = Buffer.from(content as Uint8Array);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(Math.round((210 / 25.4) * 100));
    expect(Math.abs(png.readUInt32BE(20) - (297 / 25.4) * 100)).toBeLessThanOrEqual(1);
  });

  it('renders an A1 vector PDF with DejaVu embedded that poppler renders, with ë é € ĳ intact', async () => {
    const title = 'Overzicht: één café, € 5, ĳsbaan, Cliënten';
    const { content } = await renderMap(mapInput, { file: 'x.pdf', format: 'pdf', dpi: 150, options: options({ size: 'A1', orientation: 'landscape', title }) });
    const dir = temporary();
    const file = join(dir, 'map.pdf');
    writeFileSync(file, content);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+2383\.9\d x 1683\.7\d pts \(A1\)/);
    expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).toMatch(/DejaVuSans\s.*yes yes/);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain(title);
    execFileSync('pdftoppm', ['-r', '20', '-png', '-singlefile', file, join(dir, 'page')]);
    const png = readFileSync(join(dir, 'page.png'));
    expect(png.readUInt32BE(16)).toBeGreaterThan(600);
  });

  it('counts the blocks that stand apart, so a city of address blocks skips the union it would not use', () => {
    const square = (id: string, x: number, y: number, size: number): MapBlock => ({ id, label: id, polygons: [[[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]] });
    const streets = Array.from({ length: 100 }, (_, i) => square(`S${i}`, (i % 10) * 120, Math.floor(i / 10) * 120, 100));
    const tiled = Array.from({ length: 100 }, (_, i) => square(`T${i}`, (i % 10) * 100, Math.floor(i / 10) * 100, 100));
    expect(apartFromTheOthers(streets)).toBe(100);
    expect(apartFromTheOthers(tiled)).toBe(0);
    // Two blocks that meet, the rest apart; a park over the whole area meets them all.
    expect(apartFromTheOthers([...streets.slice(2), square('A', 0, 0, 100), square('B', 100, 0, 100)])).toBe(98);
    expect(apartFromTheOthers([...streets, square('park', -10, -10, 1300)])).toBe(0);
  });

  it('gives the PDF one hatched path per pattern, with every hatched block in it', () => {
    const { svg } = composeMap(mapInput, options({ indicator: 'zorgmijders' }));
    const layer = (text: string) => /<g id="hatching">([^]*?)<\/g>/.exec(text)![1]!;
    const before = layer(svg).match(/<path [^>]*\/>/g)!;
    const after = layer(mergeHatching(svg)).match(/<path [^>]*\/>/g)!;
    const patterns = new Set(before.map((path) => /fill="([^"]+)"/.exec(path)![1]));
    expect(before.length).toBeGreaterThan(patterns.size);
    expect(after).toHaveLength(patterns.size);
    const outlines = (paths: string[]) => paths.map((path) => /d="([^"]+)"/.exec(path)![1]!).join('').split('M').sort();
    expect(outlines(after)).toEqual(outlines(before));
    expect(mergeHatching(svg).replace(layer(mergeHatching(svg)), '')).toBe(svg.replace(layer(svg), ''));
    const unexpected = svg.replace(layer(svg), layer(svg).replace('"/>', '" opacity="0.5"/>'));
    expect(unexpected).not.toBe(svg);
    expect(mergeHatching(unexpected)).toBe(unexpected);
  });
});
