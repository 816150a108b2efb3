import { execFileSync, spawnSync } from 'node:child_process';
import { strFromU8, unzipSync } from 'fflate';
import { lonLatToRd } from '../../src/geo/crs.js';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectories } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/buurtbalans.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', BUURTBALANS_SECRET: '' } });
const temporaryDirs = temporaryDirectories('buurtbalans-leak-');
const temporary = temporaryDirs.make;
afterAll(temporaryDirs.removeAll);

const planted = { name: 'Johanna Planting-Geheimhouder', bsn: '111222333', email: 'johanna.planting@voorbeeld.nl', addressNote: 'belt vaak over Plantagestraat 17-II', pc6Note: 'buren op 1079 AB 14 hs' };

/** A generated project with a name, a BSN and an e-mail column planted in one corporation export. */
function projectWithIdentifiers(seed: number, handled: boolean): string {
  const dir = join(temporary(), 'project');
  expect(run('samples', dir, '--seed', String(seed)).status).toBe(0);
  const file = join(dir, 'corporatie-b.csv');
  const lines = readFileSync(file, 'utf8').replace(/^\ufeff/, '').trimEnd().split('\n');
  const withColumns = lines.map((line, i) => (i === 0 ? `${line},naam,bsn,email,notitie` : `${line},${i === 1 ? planted.name : `Bewoner ${i}`},${i === 1 ? planted.bsn : '123456782'},${i === 1 ? planted.email : `bewoner${i}@voorbeeld.nl`},${i === 1 ? planted.addressNote : i === 2 ? planted.pc6Note : ''}`));
  writeFileSync(file, `\ufeff${withColumns.join('\n')}\n`);
  if (handled) {
    const yml = join(dir, 'buurtbalans.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('    columns: { postcode: postcode, huisnummer: huisnummer }\n', '    columns: { postcode: postcode, huisnummer: huisnummer }\n    drop: [naam, bsn]\n    pseudonymise: [email]\n'));
  }
  return dir;
}

/** A file's text as a reader gets it: a PDF's extracted text, every part of a workbook unzipped, else the bytes. */
function readable(file: string): string {
  if (file.endsWith('.pdf')) return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  if (file.endsWith('.xlsx')) return Object.values(unzipSync(readFileSync(file))).map((bytes) => strFromU8(bytes)).join('\n');
  return readFileSync(file).toString('utf8');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('check and analyse with planted identifiers', () => {
  it('check finds the name, BSN and e-mail columns with counts, never the values, and exits 1', () => {
    const dir = projectWithIdentifiers(3, false);
    const result = run('check', dir, '--json');
    expect(result.status).toBe(1);
    const findings = JSON.parse(result.stdout).findings as { column: string; rule: string; count: number; kind: string }[];
    expect(findings).toEqual(expect.arrayContaining([
      expect.objectContaining({ column: 'naam', rule: 'name_column', kind: 'direct' }),
      expect.objectContaining({ column: 'bsn', rule: 'bsn', kind: 'direct' }),
      expect.objectContaining({ column: 'email', rule: 'email', kind: 'direct' }),
      expect.objectContaining({ column: 'notitie', rule: 'address_in_text', kind: 'quasi', count: 2 }),
    ]));
    expect(result.stdout).not.toContain('Plantagestraat');
    expect(result.stdout).not.toContain(planted.bsn);
    expect(result.stdout).not.toContain(planted.email);
    expect(run('check', dir).stdout).toContain('IDENTIFIER: corporatie-b.csv column "bsn": bsn');
  });

  it('analyse refuses them with exit 2 and says how to drop or pseudonymise', () => {
    const result = run('analyse', projectWithIdentifiers(4, false), '--no-report', '--no-maps');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('personal identifiers');
    expect(result.stderr).toContain('drop: ["naam"]');
    expect(result.stderr).not.toContain(planted.name);
  });

  it('check on the committed sample finds no direct identifier', () => {
    const result = run('check', join(root, 'data-samples/rijnbuurt-west'), '--json');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).clean).toBe(true);
  });
});

describe.each([5, 6])('no shareable output leaks (generated project, seed %i)', (seed) => {
  let out = '';
  let dir = '';
  let files: string[] = [];
  beforeAll(() => {
    dir = projectWithIdentifiers(seed, true);
    out = join(dir, 'buurtbalans-output');
    const result = run('analyse', dir, '--date', '2026-11-23', '--quiet');
    expect(result.status, result.stderr).toBe(0);
    files = filesUnder(out);
  }, 120_000);
  const threshold = 5;
  const shareable = (value: unknown) => value === null || value === '' || value === 0 || value === '0' || Number(value) >= threshold;

  it('writes every output format', () => {
    const names = files.map((file) => file.slice(out.length + 1));
    expect(names).toEqual(expect.arrayContaining(['analysis.json', 'blocks.csv', 'blocks.geojson', 'unplaced.csv', 'maps/overzicht.svg', 'maps/overzicht.pdf', 'rapport/rapport.html', 'rapport/rapport.pdf', 'rapport/rapport.md']));
  });

  it('holds no value from an identifier column, no pseudonym and not the secret, in any file', () => {
    const secret = readFileSync(join(dir, '.buurtbalans-secret'), 'utf8').trim();
    for (const file of files) {
      const text = readFileSync(file).toString('latin1');
      for (const value of [planted.name, planted.bsn, planted.email, 'voorbeeld.nl', 'Bewoner 7', 'Plantagestraat', '1079 AB 14', secret, 'p_']) expect(text.includes(value) && !(value === 'p_' && !/\bp_[0-9a-f]{20}\b/.test(text)), `${value} in ${file}`).toBe(false);
    }
  });

  it('holds none of the free texts of the soft sources (a name, a phone number, an e-mail, an address) and no soft point where it was placed, in any format', () => {
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    const texts = truth.effects.signals.planted_texts as string[];
    expect(texts.length).toBeGreaterThanOrEqual(4);
    const fragments = ['De Wit', 'Jan Bakker', '06-12345678', 'p.jansen', 'example.nl', 'El Amrani', 'Lekstraat 14', 'zit altijd alleen', 'veel te hard', 'koffieochtend'];
    // Each sticker's point, as the export wrote it and in RD New as the tool reads it.
    const stickers = (JSON.parse(readFileSync(join(dir, 'gevoelskaart.geojson'), 'utf8')).features as { geometry: { type: string; coordinates: [number, number] } }[]).filter((f) => f.geometry.type === 'Point');
    expect(stickers.length).toBeGreaterThan(20);
    const points = stickers.flatMap(({ geometry: { coordinates: [lon, lat] } }) => {
      const [x, y] = lonLatToRd(lon, lat);
      return [`${lon},${lat}`, `${lon}, ${lat}`, String(lat), `${Math.round(x * 100) / 100}`, `${Math.round(y * 100) / 100}`];
    });
    for (const file of files) {
      const text = readable(file);
      for (const value of [...texts, ...fragments]) expect(text.includes(value), `"${value}" in ${file}`).toBe(false);
      for (const value of points) expect(text.includes(value), `soft point ${value} in ${file}`).toBe(false);
    }
  });

  it('holds no count below the threshold in analysis.json', () => {
    const analysis = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
    for (const block of analysis.blocks) for (const [key, value] of Object.entries(block.counts)) expect(shareable(value), `${block.id} ${key} = ${value}`).toBe(true);
    for (const indicator of analysis.indicators) {
      for (const block of indicator.blocks) expect(shareable(block.numerator), `${indicator.id} ${block.id}`).toBe(true);
      expect(shareable(indicator.area.numerator), indicator.id).toBe(true);
    }
    for (const comparison of analysis.comparisons) for (const group of comparison.groups) expect(shareable(group.events)).toBe(true);
    // The opeenstapeling's concentrations pool published counts, and are shown from 10 events only.
    expect(analysis.accumulation.concentrations.length).toBeGreaterThan(0);
    for (const concentration of analysis.accumulation.concentrations) expect(concentration.numerator, concentration.blocks.join('+')).toBeGreaterThanOrEqual(Math.max(threshold, 10));
    const markdown = readFileSync(join(out, 'rapport/rapport.md'), 'utf8');
    for (const [, count] of markdown.matchAll(/; (\d[\d.]*) geteld\)/g)) expect(shareable(count!.replace('.', '')), count).toBe(true);
    // Samenloop: every count per block, for the area, per combination and pooled is 0 or at least the threshold.
    const samenloop = analysis.accumulation.samenloop;
    const figures = ['markers_0', 'markers_1', 'markers_2', 'markers_3plus'];
    for (const row of [...samenloop.blocks, samenloop.area]) for (const key of figures) expect(shareable(row[key]), `samenloop ${row.id ?? 'area'} ${key} = ${row[key]}`).toBe(true);
    for (const c of samenloop.combinations) expect(c.addresses, c.markers.join('+')).toBeGreaterThanOrEqual(threshold);
    for (const value of Object.values(samenloop.other_combinations)) expect(shareable(value)).toBe(true);
    for (const marker of samenloop.markers) expect(shareable(marker.rows_without_address), marker.name).toBe(true);
    // The spread in whole percents and two decimals, with no counts: exact figures and their seeded intervals gave away how many addresses had 1, 2, 3, ... reports.
    if (samenloop.spread !== null) {
      expect([samenloop.spread.reports, samenloop.spread.addresses_with_reports]).toEqual([null, null]);
      for (const figure of [samenloop.spread.top_tenth, samenloop.spread.gini]) for (const value of Object.values(figure).filter((v) => typeof v === 'number' && v <= 1)) expect(Math.abs((value as number) * 100 - Math.round((value as number) * 100))).toBeLessThan(1e-9);
    }
    const table = markdown.split('\n\n').find((chunk) => chunk.startsWith('| Blok | Adressen in blok |'));
    expect(table).toBeDefined();
    expect(table).not.toContain('1 kenmerk');
    for (const row of table!.split('\n').slice(2)) for (const cell of row.split('|').slice(3, -1)) expect(shareable(cell.trim() === 'geheim' ? null : cell.trim().replace('.', '')), row).toBe(true);
    expect(analysis.disclosure.suppressed.length).toBeGreaterThan(0);
  });

  it('names no address: no postcode with a house number in any file (the samenloop counts addresses, never shows one)', () => {
    for (const file of files.filter((f) => /\.(json|csv|geojson|md|html|svg)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      expect(text.match(/\b[1-9]\d{3} ?[A-Z]{2}[\s,;]+\d{1,5}\b/), file).toBeNull();
    }
  });

  it('holds no count below the threshold in blocks.csv and blocks.geojson', () => {
    const analysis = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
    const countKeys = new Set(Object.keys(analysis.blocks[0].counts));
    const [header, ...rows] = readFileSync(join(out, 'blocks.csv'), 'utf8').trim().split('\n').map((line) => line.split(','));
    header!.forEach((column, c) => {
      if (countKeys.has(column)) for (const row of rows) expect(shareable(row[c]), `${column} ${row[0]}`).toBe(true);
    });
    const geojson = JSON.parse(readFileSync(join(out, 'blocks.geojson'), 'utf8'));
    for (const feature of geojson.features) for (const key of countKeys) expect(shareable(feature.properties[key]), `${feature.properties.id} ${key}`).toBe(true);
  });

  it('draws no symbol from a count below the threshold, and tables in the reports show none', () => {
    for (const file of files.filter((f) => f.endsWith('.svg'))) {
      for (const [, count] of readFileSync(file, 'utf8').matchAll(/data-count="([\d.]+)"/g)) expect(shareable(count), file).toBe(true);
    }
    const markdown = readFileSync(join(out, 'rapport/rapport.md'), 'utf8');
    for (const table of markdown.split('\n\n').filter((chunk) => chunk.startsWith('| Blok | Aantal |'))) {
      for (const row of table.split('\n').slice(2)) {
        const count = row.split('|')[2]!.trim();
        expect(count === '–' || count === 'geheim' || shareable(count.replace('.', '')), row).toBe(true);
      }
    }
    const html = readFileSync(join(out, 'rapport/rapport.html'), 'utf8');
    const countTables = html.split('<table>').filter((table) => table.includes('<th class="num">Aantal</th>'));
    expect(countTables.length).toBeGreaterThan(0);
    for (const table of countTables) {
      for (const [, count] of table.matchAll(/<tr><td>B\d+<\/td><td class="num">([^<]*)<\/td>/g)) expect(count === '–' || count === 'geheim' || shareable(count!.replace('.', '')), count).toBe(true);
    }
  });

  it('holds no address point of the register in any output', () => {
    const register = readFileSync(join(dir, 'adressen.csv'), 'utf8').trim().split('\n').slice(1, 40).map((line) => line.split(','));
    for (const file of files) {
      const text = readFileSync(file).toString('latin1');
      for (const row of register) expect(text.includes(`${row[6]},${row[7]}`) || text.includes(`${row[6]} ${row[7]}`), file).toBe(false);
    }
  });
});
