/**
 * `buurtbalans init`: a gebiedsmakelaar with a folder of files gets a project file without writing
 * YAML. On the sample's files it must draft what the committed project file says; on real CBS data
 * and a partner's workbook it must map every source.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import writeExcelFile from 'write-excel-file/node';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/ingest/csv.js';
import { temporaryDirectories } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = join(root, 'data-samples/rijnbuurt-west');
const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/buurtbalans.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const temporaryDirs = temporaryDirectories('buurtbalans-init-');
afterAll(temporaryDirs.removeAll);

function analysed(dir: string) {
  const result = run('analyse', dir, '--out', join(temporaryDirs.make(), 'out'), '--json', '--no-maps', '--no-report', '--quiet');
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { findings: { text: { nl: string } }[]; indicators: { id: string }[]; sources: { name: string; kind: string; place_by: string; rows_placed: number; rows_read: number }[] };
}

describe('buurtbalans init on the sample folder without its project file', () => {
  const dir = join(temporaryDirs.make(), 'rijnbuurt');
  cpSync(sample, dir, { recursive: true });
  rmSync(join(dir, 'buurtbalans.yml'));
  const init = run('init', dir);

  it('drafts every source with its route, counts, flags, category and the built-in measures', () => {
    expect(init.status, init.stderr).toBe(0);
    const yml = readFileSync(join(dir, 'buurtbalans.yml'), 'utf8');
    for (const line of [
      'blocks: { file: blokken.geojson, id: blok_id, label: naam }',
      'period: 2024-01-01..2025-12-31',
      '  bag: [nummeraanduiding_id, verblijfsobject_id]',
      '    columns: { postcode: PC, huisnummer: HNR, huisletter: HLTR, toevoeging: HNR_TOEV }',
      '    flags: { omklapwoning: "Label == \\"Omklapwoning\\"", kwetsbaar: "Label == \\"Kwetsbare doelgroep\\"" }',
      '    place_by: bag',
      '    columns: { x: lon, y: lat }',
      '    category: Categorie',
      '    counts: [signalen]',
      '  zorgmijder_signalen: wijkteam.Signalen zorgmijding',
      '  huisarts_signalen: huisartsen.signalen',
    ]) {
      expect(yml).toContain(line);
    }
    expect(init.stderr).toContain('Adressenbestand: adressen.csv (1.568 adressen).');
    expect(init.stderr).toContain('Geschreven:');
  });

  it('gives the committed project\'s findings once the one figure init cannot know, the city average, is added', () => {
    const committed = analysed(sample);
    const drafted = analysed(dir);
    expect(drafted.indicators.map((i) => i.id)).toEqual(committed.indicators.map((i) => i.id));
    // Soft signals and surveys: their rows are shown only where none of their area totals is hidden, which depends on the codebook and question ids init cannot write.
    const placed = (result: typeof committed) => Object.fromEntries(result.sources.filter((s) => s.kind !== 'signals' && s.kind !== 'survey').map((s) => [s.name, s.rows_placed]));
    expect(placed(drafted)).toEqual(placed(committed));
    const soft = (result: typeof committed) => result.sources.filter((s) => s.kind === 'signals' || s.kind === 'survey').map((s) => [s.name, s.kind, s.place_by]).sort();
    expect(soft(drafted)).toEqual(soft(committed));
    const yml = join(dir, 'buurtbalans.yml');
    writeFileSync(yml, `${readFileSync(yml, 'utf8')}references:\n  alleenstaande_75plus: 2.7\n`);
    expect(analysed(dir).findings.map((f) => f.text.nl)).toEqual(committed.findings.map((f) => f.text.nl));
  });

  it('never overwrites a project file without --force; --dry-run prints the draft', () => {
    const again = run('init', dir);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
    const dry = run('init', dir, '--dry-run', '--lang', 'en');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('sources:');
    expect(dry.stderr).toContain('Found in');
    expect(dry.stderr).not.toContain('Written');
  });
});

describe('buurtbalans init on real data and a workbook', () => {
  it('maps the real CBS Kerncijfers on the real Zuid buurten and a corporation\'s .xlsx; analyse then writes maps', async () => {
    const dir = join(temporaryDirs.make(), 'zuid');
    cpSync(join(root, 'test/fixtures/geodata/zuid_buurten_kwb2024_rd.geojson'), join(dir, 'buurten.geojson'));
    cpSync(join(root, 'test/fixtures/geodata/zuid_kwb2024.csv'), join(dir, 'kwb.csv'));
    // A corporation's export as a workbook, with RD coordinates instead of addresses (no register here).
    const table = parseCsv(readFileSync(join(sample, 'meldingen.csv')), 'meldingen.csv');
    const rows = [table.header.map((value) => ({ value })), ...Array.from({ length: table.rowCount }, (_, i) => table.row(i).map((value) => ({ value })))];
    await writeExcelFile([{ data: rows, sheet: 'Meldingen' }] as never).toFile(join(dir, 'meldingen.xlsx'));
    const init = run('init', dir);
    expect(init.status, init.stderr).toBe(0);
    const yml = readFileSync(join(dir, 'buurtbalans.yml'), 'utf8');
    expect(yml).toContain('columns: { block: code }');
    expect(yml).not.toContain('drop: [naam]'); // area names, not people
    expect(yml).toContain('sheet: Meldingen');
    expect(yml).toContain('place_by: point');
    const result = run('analyse', dir, '--no-report', '--date', '2026-11-30');
    expect(result.status, result.stderr).toBe(0);
    const analysis = JSON.parse(readFileSync(join(dir, 'buurtbalans-output', 'analysis.json'), 'utf8'));
    expect(analysis.sources.map((s: { name: string }) => s.name)).toEqual(['kwb', 'meldingen']);
    expect(analysis.sources.every((s: { rows_placed: number }) => s.rows_placed > 0)).toBe(true);
    expect(analysis.indicators.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining(['meldingen_per_100', 'meldingen_per_100.burenoverlast', 'kwb.inwoners65plus']));
    expect(existsSync(join(dir, 'buurtbalans-output', 'maps', 'overzicht.svg'))).toBe(true);
  });
});
