import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analyse.js';
import { vegaBundles } from '../../src/cli/bundles.js';
import { loadProject } from '../../src/ingest/load.js';
import { mapInputFromProject } from '../../src/render/map/input.js';
import { buildReportFiles, type ReportFormat } from '../../src/report/build.js';
import { buildReport } from '../../src/report/content.js';
import { rankedBlocksChart } from '../../src/report/charts.js';
import { loadSolver } from '../../src/privacy/solver.js';

const sample = fileURLToPath(new URL('../../data-samples/rijnbuurt-west/', import.meta.url));
const input = loadProject(sample, { name: 'buurtbalans', version: 'test' });
// The report as partners get it: after disclosure control.
const mapInput = mapInputFromProject(input, analyse(input, { highs: await loadSolver() }).result);
const dir = mkdtempSync(join(tmpdir(), 'buurtbalans-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function build(lang: 'nl' | 'en', formats: ReportFormat[]) {
  const files = await buildReportFiles(mapInput.result, mapInput, { formats, lang, date: '2026-11-23', version: 'test', internal: false, scripts: formats.includes('html') ? vegaBundles() : [] });
  const out = join(dir, lang);
  for (const file of files) {
    const path = join(out, file.path);
    execFileSync('mkdir', ['-p', join(path, '..')]);
    writeFileSync(path, file.content);
  }
  return { files, out };
}

describe('the order and language of the meeting', () => {
  const report = buildReport(mapInput.result, 'nl', '2026-11-23');
  const headings = report.parts.flatMap((part) => (part.kind === 'heading' && part.level === 1 ? [part.id] : []));

  it('puts the findings, where problems pile up, what is heard beside the figures and the comparisons before the big map and the indicators', () => {
    expect(headings.slice(0, 6)).toEqual(['findings', 'accumulation', 'geluiden', 'comparisons', 'big-map', 'indicators']);
  });

  it('gives indicators without anything to show one line, not a grey map and a table of "geheim"', () => {
    const sections = report.parts.flatMap((part) => (part.kind === 'heading' && part.level === 2 && part.id.startsWith('indicator-') ? [part.id] : []));
    expect(sections).not.toContain('indicator-omklapwoningen');
    expect(sections).not.toContain('indicator-kwetsbare_toewijzingen');
    expect(sections).toContain('indicator-alleenstaande_75plus');
    const list = report.parts.find((part, i) => part.kind === 'list' && report.parts[i - 2]?.kind === 'heading' && (report.parts[i - 2] as { id: string }).id === 'too-few');
    expect(list).toMatchObject({ items: expect.arrayContaining(['Toewijzingen aan kwetsbare groepen (16 van 16 blokken geheim)']) });
    // Every block a finding names has its indicator's section (or is a comparison).
    expect(sections).toContain('indicator-zorgmijders');
  });

  it('names the blocks of its charts as a reader knows them: by their label, not their code', () => {
    const chart = report.parts.find((part) => part.kind === 'chart' && part.name === 'grafiek-zorgmijders') as unknown as { spec: { data: { values: { block: string }[] } } };
    const names = chart.spec.data.values.map((row) => row.block);
    const labels = new Map(mapInput.result.blocks.map((block) => [block.id, block.label]));
    expect(names.length).toBeGreaterThan(5);
    expect(names.every((name) => [...labels.values()].includes(name))).toBe(true);
    expect(names).toContain(labels.get('B03'));
    // Two blocks of one name keep their codes beside it.
    const indicator = mapInput.result.indicators.find((i) => i.id === 'zorgmijders')!;
    const [first, second] = indicator.blocks.filter((b) => b.value !== null);
    const twice = rankedBlocksChart(indicator, 'nl', undefined, new Map([[first!.id, 'Noord'], [second!.id, 'Noord']])) as { data: { values: { block: string }[] } };
    expect(twice.data.values.map((row) => row.block)).toEqual(expect.arrayContaining([`${first!.id} (Noord)`, `${second!.id} (Noord)`]));
  });

  it('speaks Dutch: dates in words, a thousands point, the streets of a block, no English paragraph', () => {
    const text = JSON.stringify(report.parts);
    expect(text).toContain('Gemaakt op 23 november 2026');
    expect(text).toContain('1 januari 2024 tot en met 31 december 2025');
    expect(text).toContain('Adressenbestand: 1.568 adressen');
    expect(text).toContain('Blok B03 (Lekstraat / Waalstraat)');
    for (const english of ['at least one shared boundary point', 'left out of the regression', 'niet alle cellen bekend', 'een echt verschil', 'keer zoveel bij elke', 'alfa 0.05', 'Deelbaar:']) expect(text).not.toContain(english);
  });
});

describe('the Markdown report', () => {
  it('is deterministic and equal to the reviewed snapshot', async () => {
    const first = await build('nl', ['md']);
    const again = await buildReportFiles(mapInput.result, mapInput, { formats: ['md'], lang: 'nl', date: '2026-11-23', version: 'test', internal: false, scripts: [] });
    const markdown = first.files.find((f) => f.path === 'rapport.md')!.content as string;
    expect(again.find((f) => f.path === 'rapport.md')!.content).toBe(markdown);
    await expect(markdown).toMatchFileSnapshot('__snapshots__/rapport.md');
  });

  it('has every section, and its maps and charts beside it as SVG', async () => {
    const { files } = await build('nl', ['md']);
    const markdown = files.find((f) => f.path === 'rapport.md')!.content as string;
    for (const heading of ['## Belangrijkste bevindingen', '## De grote kaart', '## Indicatoren', '## Vergelijkingen', '## Ruimtelijke clusters', '## Gegevens en methode', '## Bijlage: alle blokken']) expect(markdown).toContain(heading);
    for (const [, figure] of markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) expect(files.some((f) => f.path === figure)).toBe(true);
  });

  it('is English with --lang en, with no Dutch headings', async () => {
    const { files } = await build('en', ['md']);
    const markdown = files.find((f) => f.path === 'rapport.md')!.content as string;
    expect(markdown).toContain('## Key findings');
    expect(markdown).toContain('## Data and method');
    expect(markdown).not.toMatch(/Belangrijkste|Gegevens en methode|Bijlage|te weinig gegevens/);
  });
});

describe('the PDF report', () => {
  let text = '';
  let info = '';
  let raw = '';
  beforeAll(async () => {
    const { out } = await build('nl', ['pdf']);
    const file = join(out, 'rapport.pdf');
    raw = readFileSync(file, 'latin1');
    info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    execFileSync('pdftoppm', ['-r', '15', '-png', '-f', '1', '-l', '3', file, join(out, 'page')]);
    // Every page in grey at 30 dpi, for the checks a reader makes with the eye.
    execFileSync('pdftoppm', ['-r', '30', '-gray', file, join(out, 'grey')]);
    greyPages = readdirSync(out).filter((name) => name.startsWith('grey')).sort().map((name) => readFileSync(join(out, name)));
  }, 120_000);
  let greyPages: Buffer[] = [];

  it('draws nothing outside the printable area: the outer 7 mm of every page stay blank', () => {
    expect(greyPages.length).toBe(Number(/Pages:\s+(\d+)/.exec(info)![1]));
    for (const [i, pgm] of greyPages.entries()) {
      const [, width, height] = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40))!.map(Number);
      const pixels = pgm.subarray(pgm.length - width! * height!);
      const band = Math.round((7 / 25.4) * 30);
      let ink = 0;
      for (let y = 0; y < height!; y++) {
        for (let x = 0; x < width!; x++) {
          const outside = x < band || x >= width! - band || y < band || y >= height! - band;
          if (outside && pixels[y * width! + x]! < 200) ink++;
        }
      }
      expect(ink, `page ${i + 1}`).toBe(0);
    }
  });

  it('has a table of contents whose lines link to their sections', () => {
    const links = raw.match(/\/S \/GoTo/g) ?? [];
    const chapters = [...raw.matchAll(/\/Title \(([^)]*)\)/g)].length;
    // Two links per line of the contents (its text and its page number), one line per bookmark.
    expect(links.length).toBeGreaterThanOrEqual(2 * chapters);
  });

  it('keeps every heading with what follows it: no page ends on a heading', () => {
    const headings = new Set(buildReport(mapInput.result, 'nl', '2026-11-23').parts.flatMap((part) => (part.kind === 'heading' ? [part.text] : [])));
    const pages = text.split('\f').slice(2);
    for (const [i, page] of pages.entries()) {
      const lines = page.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('Buurtbalans Rijnbuurt West ·'));
      expect(headings.has(lines.at(-1) ?? ''), `page ${i + 3} ends with "${lines.at(-1)}"`).toBe(false);
    }
  });

  it('gives each indicator one page: its heading, map, chart and standouts together', () => {
    const report = buildReport(mapInput.result, 'nl', '2026-11-23');
    const sections = report.parts.flatMap((part) => (part.kind === 'heading' && part.id.startsWith('indicator-') ? [part.text] : []));
    expect(sections.length).toBeGreaterThan(3);
    const pages = text.split('\f').map((page) => page.replace(/\s+/g, ' '));
    for (const heading of sections) {
      const page = pages.find((content, i) => i >= 2 && content.includes(heading) && /(Van de|Geen van de) 16 blokken/.test(content.slice(content.indexOf(heading))));
      expect(page, heading).toBeDefined();
      // The figures of the section are on that page too (the map's title and the chart's caption).
      expect(page!.split(heading).length - 1, heading).toBeGreaterThanOrEqual(3);
    }
  });

  it('sizes table columns so no word breaks: the sources table’s headers and encodings are whole', () => {
    for (const word of ['Organisatie', 'Geplaatst', 'Codering', 'decimaalkomma', 'Windows-1252']) expect(text).toMatch(new RegExp(`(^|\\s)${word}`));
    expect(text).not.toMatch(/\bGeplaat\n|\bRije\n|\bcorporatie\n_/);
    // The appendix's headers (long indicator names in narrow columns): every word whole on its page.
    const report = buildReport(mapInput.result, 'nl', '2026-11-23');
    const appendix = report.parts.at(-1)!;
    if (appendix.kind !== 'table') throw new Error('the report ends with the appendix table');
    const page = text.split('\f').find((content) => content.includes('Bijlage: alle blokken') && content.includes('Waarde per blok'))!;
    const tokens = new Set(page.split(/\s+/));
    for (const word of appendix.columns.flatMap((column) => column.split(' '))) expect(tokens, word).toContain(word);
  });

  it('has bookmarks for every chapter, in the order of the meeting, and the early pages tell the story', () => {
    expect(raw).toContain('/Outlines');
    const titles = [...raw.matchAll(/\/Title \(([^)]*)\)/g)].map((m) => m[1]);
    const chapters = ['Belangrijkste bevindingen', 'Waar stapelen problemen zich op?', 'Cijfers en geluiden', 'Vergelijkingen', 'De grote kaart', 'Indicatoren', 'Gegevens en methode'];
    for (const chapter of chapters) expect(titles).toContain(chapter);
    // In the order of the meeting: where problems pile up right after the key findings.
    expect(chapters.map((chapter) => titles.indexOf(chapter))).toEqual([...chapters.map((chapter) => titles.indexOf(chapter))].sort((a, b) => a - b));
    // Key findings and comparisons within the first six pages (after the cover and the contents; the opeenstapeling with its samenloop comes between).
    const pages = text.split('\f');
    const page = (heading: string) => pages.findIndex((content, i) => i >= 2 && content.split('\n').some((line) => line.trim() === heading)) + 1;
    // Cijfers en geluiden (what is heard beside the figures, its map and the resident survey) comes before the comparisons.
    expect(page('Cijfers en geluiden')).toBeLessThanOrEqual(7);
    expect(page('Vergelijkingen')).toBeLessThanOrEqual(9);
    expect(page('Belangrijkste bevindingen')).toBeLessThanOrEqual(5);
  });

  it('is A4 with a table of contents, page numbers and extractable text', () => {
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThan(10);
    expect(text).toContain('Inhoud');
    expect(text).toContain(`Buurtbalans Rijnbuurt West · 2 / ${pages}`);
    expect(text).toContain('Belangrijkste bevindingen');
    expect(text).toContain('In blokken met veel zorgmijders komen overlastmeldingen');
    expect(text).toContain('Cliënten van zorgaanbieders per 100 inwoners');
  });

  it('says what happened to every source in the method section', () => {
    for (const source of mapInput.result.sources) expect(text).toContain(source.organisation.split(' ')[0]!);
    // Reasons in words, in the report's language: no codes such as address_not_in_register.
    expect(text.replace(/\s+/g, ' ')).toContain('adres niet in het adressenbestand');
    for (const code of ['address_not_in_register', 'bag_not_in_register', 'missing_coordinates', 'pc6_not_in_register', 'outside_blocks']) expect(text).not.toContain(code);
  });
});

describe('the HTML report in a real browser (Debian chromium, no download)', () => {
  const chromium = '/usr/bin/chromium';
  const required = process.env.REQUIRE_BROWSER === '1';
  it.skipIf(!required && !existsSync(chromium))('loads offline without errors or network requests, and renders every chart and map', async () => {
    const { out } = await build('nl', ['html']);
    const html = join(out, 'rapport.html');
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/<script[^>]+src=|https?:\/\/cdn/);
    const ids = [...text.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length - new Set(ids).size).toBe(0); // many maps on one page: no id may repeat
    const { chromium: launcher } = await import('playwright-core');
    const browser = await launcher.launch({
      executablePath: chromium,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) requests.push(request.url());
      });
      await page.goto(pathToFileURL(html).href);
      await page.waitForFunction(() => {
        const charts = document.querySelectorAll('.chart');
        return charts.length > 0 && [...charts].every((chart) => chart.querySelector('svg'));
      }, undefined, { timeout: 30_000 });
      const counts = await page.evaluate(() => ({
        charts: document.querySelectorAll('.chart').length,
        rendered: document.querySelectorAll('.chart svg').length,
        maps: document.querySelectorAll('.map-view > svg').length,
        titles: document.querySelectorAll('.map svg [data-block] title').length,
        toc: document.querySelectorAll('nav.toc a').length,
      }));
      const parts = buildReport(mapInput.result, 'nl', '2026-11-23').parts;
      expect(counts.charts).toBe(parts.filter((part) => part.kind === 'chart').length);
      expect(counts.rendered).toBe(counts.charts);
      expect(counts.maps).toBe(parts.filter((part) => part.kind === 'map').length);
      expect(counts.titles).toBeGreaterThan(16);
      expect(counts.toc).toBeGreaterThan(10);
      await page.screenshot({ path: join(out, 'screenshot.png') });
      expect(readFileSync(join(out, 'screenshot.png')).length).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
