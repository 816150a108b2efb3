/**
 * Real projects, not only the sample: a project file with only blocks, a register and the
 * partners' exports, and the real CBS Kerncijfers on real buurt boundaries. Each must give
 * indicators, maps and a report that link only what was written, and no false alarm.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectories, zuidProject } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/buurtbalans.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const temporaryDirs = temporaryDirectories('buurtbalans-real-');
afterAll(temporaryDirs.removeAll);

/** Every figure rapport.md links is a file in the report folder. */
function linkedFiguresExist(reportFolder: string): string[] {
  const markdown = readFileSync(join(reportFolder, 'rapport.md'), 'utf8');
  const links = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => decodeURI(match[1]!));
  for (const link of links) expect(existsSync(join(reportFolder, link)), link).toBe(true);
  return links;
}

describe('a first project file: blocks, register and exports, no measures:', () => {
  it('gets an indicator per source, maps and a report, next to the built-ins whose inputs exist', () => {
    const dir = join(temporaryDirs.make(), 'project');
    cpSync(join(root, 'data-samples/rijnbuurt-west'), dir, { recursive: true });
    const yml = join(dir, 'buurtbalans.yml');
    const full = readFileSync(yml, 'utf8');
    writeFileSync(yml, full.slice(0, full.indexOf('\nmeasures:')));
    const result = run('analyse', dir, '--date', '2026-11-30');
    expect(result.status, result.stderr).toBe(0);
    const analysis = JSON.parse(readFileSync(join(dir, 'buurtbalans-output', 'analysis.json'), 'utf8'));
    const indicators = Object.fromEntries(analysis.indicators.map((i: { id: string; unit: { nl: string } }) => [i.id, i.unit.nl]));
    expect(indicators).toMatchObject({
      meldingen: 'per 100 woningen per jaar', // built-in: the source is called meldingen
      corporatie_a: 'per 100 woningen',
      'zorg.clienten': 'per 100 inwoners',
      'bevolking.Inwoners 75+': 'per 100 inwoners',
      'huisartsen.signalen.zorgmijding': 'per 100 inwoners',
    });
    expect(new Set(analysis.indicators.map((i: { id: string }) => i.id)).size).toBe(analysis.indicators.length);
    // The built-ins whose data are not mapped are one note, not one alarm each.
    expect(result.stderr).toMatch(/let op: \d+ ingebouwde Buurtbalans-indicatoren staan uit, want de gegevens ervoor zijn niet gekoppeld: [^\n]*omklapwoningen[^\n]*buurtbalans init --dry-run maakt een voorstel/);
    expect(result.stderr).not.toContain('indicator omklapwoningen overgeslagen');
    expect(result.stderr).toMatch(/\d+ kaarten in maps\/ \(de grote kaart: maps\/overzicht\.svg/);
    expect(linkedFiguresExist(join(dir, 'buurtbalans-output', 'rapport')).length).toBeGreaterThan(3);
  });
});

describe('the real CBS Kerncijfers on the real Zuid buurten', () => {
  it('runs, maps and reports without a false overlap warning; the file is not refused for its naam column', () => {
    const dir = zuidProject(join(temporaryDirs.make(), 'zuid'));
    const result = run('analyse', dir, '--date', '2026-11-30');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('overlap');
    const analysis = JSON.parse(readFileSync(join(dir, 'buurtbalans-output', 'analysis.json'), 'utf8'));
    // inwoners divides the others and is no indicator itself: a buurt with many residents is no finding.
    expect(analysis.indicators.map((i: { id: string }) => i.id)).toEqual(['kwb.inwoners65plus', 'kwb.huishoudens']);
    const older = analysis.indicators.find((i: { id: string }) => i.id === 'kwb.inwoners65plus');
    expect(older.unit.nl).toBe('per 100 inwoners');
    // Over-65s and households describe the buurten: many of either is no signal and no finding
    // (Harmoniehofbuurt, 3.3 times the area's share of over-65s, used to be the "strongest signal").
    expect(analysis.indicators.map((i: { descriptive?: boolean; signalled: string[] }) => [i.descriptive, i.signalled.length])).toEqual([[true, 0], [true, 0]]);
    expect(analysis.findings).toEqual([]);
    expect(analysis.accumulation.outside_domains).toEqual([]);
    expect(result.stderr).toContain('Geen bevindingen: inwoners 65+ (CBS) en huishoudens (CBS) beschrijven de blokken, maar wijzen geen probleem aan');
    expect(result.stderr).not.toContain('geef ze een domain:');
    // 76 buurten placed; the 16 wijk rows and the gemeente row of the file name no block and are listed.
    expect(analysis.sources[0].rows_placed).toBe(76);
    expect(result.stderr).toContain('onbekend blok: 17');
    expect(existsSync(join(dir, 'buurtbalans-output', 'maps', 'overzicht.pdf'))).toBe(true);
    linkedFiguresExist(join(dir, 'buurtbalans-output', 'rapport'));
    // The report says what its big map shows, not what the sample's would.
    const report = readFileSync(join(dir, 'buurtbalans-output', 'rapport', 'rapport.md'), 'utf8');
    expect(report).toContain('Alle gegevens op één kaart: inwoners 65+ (CBS) per blok als kleur (nooit per adres).');
    expect(report).not.toMatch(/cliënten|De sterkste signalen/);
    // CBS hides its own small numbers: nothing is secret here, and the report says so instead of describing hidden counts.
    expect(analysis.disclosure.suppressed).toEqual([]);
    expect(report).toContain('In dit project lag geen enkel aantal in dat bereik, dus er is niets weggelaten.');
    expect(report).not.toContain('elk geheim aantal');
    expect(report).toContain('## Belangrijkste bevindingen\n\nDit project bevat alleen beschrijvende cijfers: inwoners 65+ (CBS) en huishoudens (CBS). Die laten zien hoe de blokken van elkaar verschillen, niet waar een probleem zit.');
    // Coloured without the red of an alarm: ColorBrewer's PuOr, not RdBu.
    const map = readFileSync(join(dir, 'buurtbalans-output', 'maps', 'kwb.inwoners65plus.svg'), 'utf8');
    expect(map).not.toMatch(/#ca0020|#f4a582/i);
    expect(map).toMatch(/#5e3c99/i);
    // 76 blocks: a descriptive figure's table holds the five highest and five lowest buurten, by name;
    // every value is in blocks.xlsx, no pages of numbers.
    expect(report).toContain('Dit cijfer beschrijft de blokken en geeft geen signalen. Hieronder de 5 blokken met het hoogste en de 5 met het laagste cijfer');
    expect(report).not.toContain('valt op');
    const olderRows = report.split('### Inwoners 65+ (CBS)')[1]!.split('###')[0]!.split('\n').filter((line) => line.startsWith('| BU0363'));
    expect(olderRows).toHaveLength(10);
    expect(olderRows.every((line) => /^\| BU0363\w+ \([^)]+\) \|/.test(line))).toBe(true);
    const values = olderRows.map((line) => Number(line.split('|')[4]!.trim().replace(/\./g, '').replace(',', '.')));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(values[4]!).toBeGreaterThan(older.reference.value);
    expect(values[5]!).toBeLessThan(older.reference.value);
    expect(report).toContain('De waarden van alle 76 blokken staan in blocks.xlsx, naast dit rapport.');
    expect(report.split('\n').filter((line) => line.startsWith('| BU0363')).length).toBeLessThan(2 * 25);
  });

  it('maps 76 real buurten legibly: names where they fit (never BU codes), none overlapping or cut at the frame, the area\'s own outline', () => {
    const dir = zuidProject(join(temporaryDirs.make(), 'zuid'), ['inwoners', 'inwoners65plus'], '');
    const out = join(dir, 'kaart.svg');
    const result = run('map', dir, '--indicator', 'kwb.inwoners65plus', '--size', 'A3', '--out', out, '--date', '2026-11-30');
    expect(result.status, result.stderr).toBe(0);
    const svg = readFileSync(out, 'utf8');
    const labels = [...svg.matchAll(/<g data-block="[^"]+"><text x="([\d.]+)" y="([\d.]+)" font-size="([\d.]+)"[^>]*>([^<]+)<\/text>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), size: Number(m[3]), text: m[4]! }));
    expect(labels.length).toBeGreaterThan(10);
    expect(labels.some((label) => /^BU\d/.test(label.text))).toBe(false);
    const names = new Set((JSON.parse(readFileSync(join(dir, 'buurten.geojson'), 'utf8')).features as { properties: { buurtnaam: string } }[]).map((f) => f.properties.buurtnaam));
    for (const label of labels) expect(names.has(label.text.replace(/&amp;/g, '&')), label.text).toBe(true);
    const frame = /<rect id="map-frame" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg)!.slice(1).map(Number);
    // Boxes as the map measures them (DejaVu Sans Bold is about 0.63 em per character).
    const boxes = labels.map((l) => ({ x0: l.x - (l.text.length * l.size * 0.63) / 2, x1: l.x + (l.text.length * l.size * 0.63) / 2, y0: l.y - l.size, y1: l.y + l.size * 0.3 }));
    for (const box of boxes) {
      expect(box.x0).toBeGreaterThanOrEqual(frame[0]! - 1);
      expect(box.x1).toBeLessThanOrEqual(frame[0]! + frame[2]! + 1);
    }
    const overlaps = boxes.filter((a, i) => boxes.some((b, j) => j > i && a.x0 < b.x1 - 0.5 && a.x1 > b.x0 + 0.5 && a.y0 < b.y1 - 0.3 && a.y1 > b.y0 + 0.3));
    expect(overlaps).toEqual([]);
    // The outline follows the buurten (dissolved), not a convex hull of four or five corners.
    const outline = /<g id="context">\s*<path d="([^"]+)"/.exec(svg)![1]!;
    expect(outline.split('L').length).toBeGreaterThan(50);
  });

  it('takes the buurten as a GeoPackage or a zipped Shapefile just as well (the CRS read from the file)', () => {
    for (const file of ['zuid_buurten.gpkg', 'zuid_buurten_shp.zip']) {
      const dir = join(temporaryDirs.make(), 'zuid');
      cpSync(join(root, 'test/fixtures/geodata', file), join(dir, file));
      cpSync(join(root, 'test/fixtures/geodata/zuid_kwb2024.csv'), join(dir, 'kwb.csv'));
      const init = run('init', dir);
      expect(init.status, init.stderr).toBe(0);
      expect(readFileSync(join(dir, 'buurtbalans.yml'), 'utf8')).toContain(`blocks: { file: ${file}, id: buurtcode, label: buurtnaam }`);
      const result = run('analyse', dir, '--no-maps', '--no-report', '--json', '--quiet');
      expect(result.status, result.stderr).toBe(0);
      const analysis = JSON.parse(result.stdout);
      expect(analysis.blocks_file).toMatchObject({ file, crs: 'EPSG:28992', features: 76 });
      expect(analysis.sources[0].rows_placed).toBe(76);
      const inspect = run('inspect', join(dir, file));
      expect(inspect.status, inspect.stderr).toBe(0);
      expect(inspect.stdout).toContain(`${file.endsWith('.gpkg') ? 'GeoPackage' : 'Shapefile'}, 76 features`);
      expect(inspect.stdout).toContain('EPSG::28992');
    }
  });
});
