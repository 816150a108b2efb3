import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectories } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/buurtbalans.js');
const sample = join(root, 'data-samples/rijnbuurt-west');

/** Runs the built CLI as a user would. */
function run(...args: string[]) {
  return runWith({}, ...args);
}

function runWith(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const temporaryDirs = temporaryDirectories('buurtbalans-');
const temporary = temporaryDirs.make;
afterAll(temporaryDirs.removeAll);

/** A copy of the sample project with one file changed. */
function mutatedSample(file: string, change: (text: string) => string): string {
  const dir = temporary();
  cpSync(sample, dir, { recursive: true });
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

/** `script` (util-linux) runs a command on a pseudo-terminal, as a user's shell would. */
const hasScript = spawnSync('script', ['--version']).status === 0;

describe.runIf(hasScript)('colours on a terminal', () => {
  const onTerminal = (env: Record<string, string | undefined>, redirect: string) => {
    const log = join(temporary(), 'log');
    const command = `${process.execPath} ${bin} analyse ${sample} --out ${temporary()} --no-maps --no-report 2>${redirect === 'log' ? log : '&1'}`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, CI: undefined, FORCE_COLOR: undefined, TERM: 'xterm-256color', ...env } });
    return redirect === 'log' ? readFileSync(log, 'utf8') : result.stdout;
  };
  it('are drawn on a terminal, never with NO_COLOR and never into a log file', () => {
    // Colour codes (SGR, ESC[…m); a progress bar on a slow run may still clear its line (ESC[K) on a terminal.
    const colour = /\x1b\[[0-9;]*m/;
    expect(onTerminal({ NO_COLOR: undefined }, 'terminal')).toMatch(colour);
    expect(onTerminal({ NO_COLOR: '1' }, 'terminal')).not.toMatch(colour);
    // stdout is the terminal, stderr the log: the log gets plain text, no colours and no progress bar.
    expect(onTerminal({ NO_COLOR: undefined }, 'log')).not.toContain('\x1b[');
  });
});

describe('buurtbalans analyse when memory runs out', () => {
  it('says what helps and exits 2, without V8\'s crash dump', () => {
    const out = temporary();
    writeFileSync(join(out, 'analysis.json'), '{"earlier": "run"}');
    const result = runWith({ BUURTBALANS_MEMORY_MB: '20' }, 'analyse', sample, '--out', out, '--quiet');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('buurtbalans analyse ran out of memory (it may use 20 MB');
    expect(result.stderr).toContain('nothing was written: the output folder is as it was before this run');
    expect(readdirSync(out)).toEqual(['analysis.json']);
    expect(readFileSync(join(out, 'analysis.json'), 'utf8')).toBe('{"earlier": "run"}');
    expect(result.stderr).toContain('one area per run');
    expect(result.stderr).not.toMatch(/FATAL ERROR|Native stack trace|Last few GCs/);
  });
});

describe('buurtbalans analyse', () => {
  const out = temporary();
  const first = run('analyse', sample, '--out', out, '--json');

  it('runs on the sample, prints analysis.json on stdout and a summary on stderr', () => {
    expect(first.code).toBe(0);
    const analysis = JSON.parse(first.stdout);
    expect(analysis.project.name).toBe('Rijnbuurt West');
    expect(analysis.sources[0]).toMatchObject({ name: 'corporatie_a', file: 'corporatie-a.csv', encoding: 'windows-1252', delimiter: ';' });
    expect(analysis.blocks[0]).toHaveProperty('counts');
    expect(analysis.warnings.length).toBeGreaterThan(0);
    // Dutch by default: column heads, routes, reasons, decimal comma, thousands point.
    expect(first.stderr).toMatch(/^bron\s+geplaatst via\s+regels/);
    expect(first.stderr).toMatch(/corporatie_a\s+adres\s+\d+\s+\d+\s+\d+,\d%\s+adres niet in het adressenbestand: \d/);
    expect(first.stderr).toMatch(/Rijnbuurt West: 16 blokken, 1\.\d{3} van 1\.\d{3} regels geplaatst/);
    expect(first.stderr).toMatch(/waarschuwing: zorg: cellen die de afzender achterhield/);
    expect(first.stderr).toContain('geschreven naar');
    expect(first.stderr).not.toMatch(/\b(warning|rows|placed|written to|address_not_in_register)\b/);
    // ANSI colours only on a terminal: never in a log (the test's stderr is a pipe), never with NO_COLOR.
    expect(first.stderr).not.toContain('\x1b[');
  });

  it('writes analysis.json, blocks.geojson (WGS84, RFC 7946), blocks.csv and unplaced.csv', () => {
    const geojson = JSON.parse(readFileSync(join(out, 'blocks.geojson'), 'utf8'));
    expect(geojson.features).toHaveLength(16);
    expect(geojson.crs).toBeUndefined();
    const ring = geojson.features[0].geometry.coordinates[0] as [number, number][];
    expect(ring[0]![0]).toBeGreaterThan(4.8);
    expect(ring[0]![1]).toBeGreaterThan(52.3);
    let twiceArea = 0;
    for (let i = 0; i < ring.length - 1; i++) twiceArea += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
    expect(twiceArea).toBeGreaterThan(0); // counter-clockwise exterior
    expect(geojson.features[0].properties).toMatchObject({ id: 'B01', meldingen: expect.any(Number) });

    const csv = readFileSync(join(out, 'blocks.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^id,label,addresses,corporatie_a,/);
    expect(csv).toHaveLength(17);
    // The source meldingen and the indicator meldingen each keep their own column.
    const header = csv[0]!.split(',');
    expect(new Set(header).size).toBe(header.length);
    const countColumn = header.indexOf('meldingen.count');
    expect(countColumn).toBeGreaterThan(0);
    expect(Number(csv[1]!.split(',')[countColumn])).toBe(JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8')).blocks[0].counts.meldingen);

    const unplaced = readFileSync(join(out, 'unplaced.csv'), 'utf8').trim().split('\n');
    expect(unplaced[0]).toBe('source,line,reason');
    expect(unplaced.length).toBeGreaterThan(5);
    expect(unplaced.join('\n')).not.toMatch(/\d{4} ?[A-Z]{2}/); // no postcodes
  });

  it('writes the same bytes on a second run', () => {
    const again = temporary();
    expect(run('analyse', sample, '--out', again, '--quiet').code).toBe(0);
    for (const file of ['analysis.json', 'blocks.geojson', 'blocks.csv', 'unplaced.csv']) {
      expect(readFileSync(join(again, file), 'utf8'), file).toBe(readFileSync(join(out, file), 'utf8'));
    }
    expect(readFileSync(join(again, 'blocks.xlsx')).equals(readFileSync(join(out, 'blocks.xlsx')))).toBe(true);
  });

  it('writes blocks.xlsx for Dutch Excel: headers a person reads, "geheim" where a count is hidden, values as in analysis.json, a sheet that explains the columns', async () => {
    const { default: readXlsxFile } = await import('read-excel-file/node');
    const sheets = await readXlsxFile(join(out, 'blocks.xlsx'));
    expect(sheets.map((s) => s.sheet)).toEqual(['Blokken', 'Toelichting']);
    const [header, ...rows] = sheets[0]!.data as (string | number | null)[][];
    expect(header!.slice(0, 3)).toEqual(['Blok', 'Bloknaam', 'Adressen in het adressenbestand']);
    expect(header).toContain('overlastmeldingen: burenoverlast');
    const analysis = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
    const column = header!.indexOf('Alleenstaande 75-plussers (per 100 inwoners)');
    expect(column).toBeGreaterThan(0);
    const indicator = analysis.indicators.find((i: { id: string }) => i.id === 'alleenstaande_75plus');
    rows.forEach((row, b) => {
      const block = indicator.blocks[b];
      expect(row[column]).toEqual(block.suppressed ? 'geheim' : block.value === null ? null : Math.round(block.value * 100) / 100);
    });
    const omklap = header!.indexOf('corporatie_a: omklapwoning');
    const hidden = analysis.blocks.flatMap((block: { counts: Record<string, number | null> }, b: number) => (block.counts['corporatie_a[omklapwoning]'] === null ? [b] : []));
    expect(hidden.length).toBeGreaterThan(0);
    for (const b of hidden) expect(rows[b]![omklap]).toBe('geheim');
    expect(JSON.stringify(sheets[1]!.data)).toContain('te klein om te delen');
    // The stapeling as the report says it: "2 tot 4", not a number to sum.
    const stapeling = header!.indexOf('Opeenstapeling (leefgebieden)');
    rows.forEach((row, b) => {
      const { min, max } = analysis.accumulation.blocks[b];
      expect(row[stapeling]).toBe(min === max ? String(min) : `${min} tot ${max}`);
    });
  });

  it('adds the opeenstapeling index only when the project asks for it, with its domain parts, in analysis.json, blocks.csv and the report', () => {
    expect(readFileSync(join(out, 'blocks.csv'), 'utf8').split('\n')[0]).not.toContain('stapeling.index');
    const dir = mutatedSample('buurtbalans.yml', (t) => `${t}\naccumulation: { index: true }\n`);
    const indexed = temporary();
    expect(run('analyse', dir, '--out', indexed, '--no-maps', '--quiet', '--date', '2026-12-01').code).toBe(0);
    const analysis = JSON.parse(readFileSync(join(indexed, 'analysis.json'), 'utf8'));
    const withIndex = analysis.accumulation.blocks.filter((b: { index: unknown }) => b.index !== null);
    expect(withIndex.length).toBeGreaterThan(0);
    for (const block of withIndex) {
      expect(block.index.lower).toBeLessThanOrEqual(block.index.value);
      expect(Object.keys(block.index.domains)).toEqual(analysis.accumulation.domains.map((d: { id: string }) => d.id));
      // In the shareable sample omklapwoningen are secret: the wonen domain is unknown, never counted.
      expect(block.index.domains.wonen).toBeNull();
    }
    expect(readFileSync(join(indexed, 'rapport', 'rapport.md'), 'utf8')).toMatch(/Index \d+ \(100 = referentie; 95%-interval \d+ tot \d+\): wonen en kwetsbare huisvesting onbekend, zorg \d+/);
    expect(readFileSync(join(indexed, 'blocks.csv'), 'utf8').split('\n')[0]).toContain('stapeling.index,stapeling.index.lower,stapeling.index.upper');
  });

  it('writes to buurtbalans-output/ beside the project file by default', () => {
    const dir = temporary();
    cpSync(sample, dir, { recursive: true });
    expect(run('analyse', join(dir, 'buurtbalans.yml'), '--quiet').code).toBe(0);
    expect(existsSync(join(dir, 'buurtbalans-output', 'analysis.json'))).toBe(true);
  });
});

describe('buurtbalans inspect', () => {
  it('describes a corporation export: dialect and column roles', () => {
    const { code, stdout } = run('inspect', join(sample, 'corporatie-a.csv'), '--json');
    expect(code).toBe(0);
    const description = JSON.parse(stdout);
    expect(description).toMatchObject({ format: 'csv', encoding: 'windows-1252', bom: false, delimiter: ';', decimal: ',' });
    const roles = Object.fromEntries(description.columns.map((c: { name: string; role: string }) => [c.name, c.role]));
    expect(roles).toMatchObject({ Postcode: 'postcode', Huisnr: 'huisnummer', Toev: 'toevoeging', 'Opp m²': null });
    expect(description.rows).toBeGreaterThan(100);
  });

  it('recognises coordinates, PC6 keys, BAG ids, dates and counts', () => {
    const role = (file: string, column: string) => {
      const description = JSON.parse(run('inspect', join(sample, file), '--json').stdout);
      return description.columns.find((c: { name: string }) => c.name === column).role;
    };
    expect(role('meldingen.csv', 'X')).toBe('x');
    expect(role('meldingen.csv', 'Datum')).toBe('date');
    expect(role('corporatie-e.csv', 'lat')).toBe('lat');
    expect(role('zorg.csv', 'PC6')).toBe('pc6');
    expect(role('zorg.csv', 'clienten')).toBe('count');
    expect(role('corporatie-c.csv', 'nummeraanduiding_id')).toBe('bag_id');
    expect(role('wijkteam.csv', 'Blok')).toBe('block');
  });

  it('never shows values of columns that look personal', () => {
    const dir = temporary();
    const file = join(dir, 'clienten.csv');
    writeFileSync(file, 'naam;bsn;contact;postcode\nJan Jansen;111222333;jan@example.nl;1079AB\nPiet Pietersen;123456782;piet@example.nl;1079AC\n');
    const { code, stdout } = run('inspect', file, '--json');
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/Jansen|111222333|123456782|example\.nl/);
    const columns = JSON.parse(stdout).columns;
    expect(columns.map((c: { personal: boolean }) => c.personal)).toEqual([true, true, true, false]);
    expect(run('inspect', file).stdout).toContain('(hidden: looks personal)');
  });

  it('describes a GeoJSON file', () => {
    const description = JSON.parse(run('inspect', join(sample, 'blokken.geojson'), '--json').stdout);
    expect(description).toMatchObject({ format: 'geojson', rows: 16, geometry: { types: ['Polygon'], crs: 'urn:ogc:def:crs:EPSG::28992' } });
  });
});

describe('hotspots --snap', () => {
  it('is metres for WGS84 data too: the same neighbours as the RD New file at 25 m, no hang', () => {
    const geodata = (name: string) => fileURLToPath(new URL(`../fixtures/geodata/${name}`, import.meta.url));
    const links = (file: string) => JSON.parse(run('hotspots', geodata(file), '--value', 'aantal_inwoners', '--id', 'buurtcode', '--snap', '25', '--json').stdout).weights.links as number;
    const rd = links('zuid_buurten_kwb2024_rd.geojson');
    expect(rd).toBeGreaterThan(300);
    expect(Math.abs(links('zuid_buurten_kwb2024_wgs84.geojson') - rd)).toBeLessThanOrEqual(rd * 0.05);
  });
});

describe('buurtbalans samples', () => {
  it('refuses a file as its folder with exit 2', () => {
    const file = join(temporary(), 'bestand.txt');
    writeFileSync(file, 'x');
    const { code, stderr } = run('samples', file);
    expect(code).toBe(2);
    expect(stderr).toContain('is a file, not a folder');
  });

  it('writes a project that analyse places completely', () => {
    const dir = join(temporary(), 'p');
    expect(run('samples', dir, '--seed', '5').code).toBe(0);
    // Internal: a shareable run hides the rows of a source where they would give a hidden total away.
    const { code, stdout } = run('analyse', dir, '--json', '--quiet', '--internal');
    expect(code).toBe(0);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    const analysis = JSON.parse(stdout);
    for (const source of analysis.sources) expect(source.rows_placed).toBe(truth.sources[source.name].placeable);
  });

  it('refuses a folder that holds files, unless --force', () => {
    const result = run('samples', sample);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not empty');
    expect(result.stderr).toContain('--force');
  });
});

describe('bad input: exit 2, a message that says where and what to do, no stack trace', () => {
  const expectUserError = (result: ReturnType<typeof run>, ...parts: string[]) => {
    expect(result.code).toBe(2);
    for (const part of parts) expect(result.stderr).toContain(part);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  };

  it('a project that does not exist', () => {
    expectUserError(run('analyse', '/nonexistent/project'), 'project not found', 'fix:');
  });

  it('a missing source file', () => {
    const dir = mutatedSample('buurtbalans.yml', (t) => t.replace('file: zorg.csv', 'file: zorg-2025.csv'));
    expectUserError(run('analyse', dir), 'zorg-2025.csv', 'file not found', 'sources[6].file');
  });

  it('a misspelt column, with the closest name', () => {
    const dir = mutatedSample('buurtbalans.yml', (t) => t.replace('huisnummer: Huisnr', 'huisnummer: Huisnummer'));
    expectUserError(run('analyse', dir), 'corporatie-a.csv, line 1, column "Huisnummer"', 'did you mean "Huisnr"?');
  });

  it('an unknown key in the project file, with its line', () => {
    const dir = mutatedSample('buurtbalans.yml', (t) => t.replace('    place_by: pc6\n    columns: { pc6: PC6 }', '    place_by: pc6\n    colums: { pc6: PC6 }'));
    expectUserError(run('analyse', dir), 'buurtbalans.yml, line', 'unknown key "colums"', 'did you mean "columns"?');
  });

  it('invalid GeoJSON', () => {
    const dir = mutatedSample('blokken.geojson', (t) => t.slice(0, 500));
    expectUserError(run('analyse', dir), 'blokken.geojson', 'not valid JSON');
  });

  it('blocks without the id property', () => {
    const dir = mutatedSample('blokken.geojson', (t) => t.replace('"blok_id":"B03"', '"blokid":"B03"'));
    expectUserError(run('analyse', dir), 'blokken.geojson, feature 2', 'no block id property "blok_id"');
  });

  it('duplicate block ids', () => {
    const dir = mutatedSample('blokken.geojson', (t) => t.replace('"blok_id":"B03"', '"blok_id":"B02"'));
    expectUserError(run('analyse', dir), 'block id "B02" is used by feature 1 and feature 2');
  });

  it('an undetectable dialect', () => {
    const dir = mutatedSample('zorg.csv', () => 'PC6;clienten,zorgmijders\n1079AA,1;2\n1079AB;1;2;3\n1079AC\n');
    expectUserError(run('analyse', dir), 'zorg.csv, line 1', 'dialect cannot be detected', 'delimiter:');
  });

  it('swapped x and y', () => {
    const dir = mutatedSample('meldingen.csv', (t) => t.replace('Melding nr;Datum;Categorie;X;Y', 'Melding nr;Datum;Categorie;Y;X'));
    expectUserError(run('analyse', dir), 'meldingen.csv', 'outside the Netherlands', 'swapped');
  });

  it('lat/lon declared as RD New', () => {
    const dir = mutatedSample('buurtbalans.yml', (t) => t.replace('columns: { x: lon, y: lat }\n    crs: EPSG:4326', 'columns: { x: lon, y: lat }\n    crs: EPSG:28992'));
    expectUserError(run('analyse', dir), 'corporatie-e.csv', 'set crs: EPSG:4326');
  });

  it('shows the stack only with --debug', () => {
    const result = run('analyse', '/nonexistent/project', '--debug');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('an unknown option', () => {
    const result = run('analyse', sample, '--outt', 'x');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--outt'");
  });
});

/** A project indicator with a where: filter, appended to the sample's project file. */
const ownIndicator = `
indicators:
  - id: burenoverlast_zomer
    label: { nl: Burenoverlast in de zomer, en: Neighbour nuisance in summer }
    numerator: meldingen
    where: Categorie == "burenoverlast" and Datum in ("01-07-2025", "02-07-2025") or Categorie == "burenoverlast"
    denominator: woningen
    scale: 1000
`;

describe('indicators defined in the project file', () => {
  it('are computed with a row filter', () => {
    const dir = mutatedSample('buurtbalans.yml', (t) => t + ownIndicator);
    const { code, stdout } = run('analyse', dir, '--json', '--quiet');
    expect(code).toBe(0);
    const analysis = JSON.parse(stdout);
    const own = analysis.indicators.find((i: { id: string }) => i.id === 'burenoverlast_zomer');
    const builtin = analysis.indicators.find((i: { id: string }) => i.id === 'meldingen.burenoverlast');
    expect(own.area.numerator).toBe(builtin.area.numerator);
    expect(own.unit.en).toBe('per 1,000');
  });

  it('name a misspelt column in a filter, with the closest name', () => {
    const dir = mutatedSample('buurtbalans.yml', (t) => t + ownIndicator.replace('where: Categorie ==', 'where: Catgorie =='));
    const result = run('analyse', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('indicators[burenoverlast_zomer].where names column "Catgorie"');
    expect(result.stderr).toContain('did you mean "Categorie"?');
  });

  it('create exactly one indicator each: a where: filter is no category of its source', () => {
    const dir = mutatedSample('buurtbalans.yml', (t) => t + ownIndicator);
    const ids = JSON.parse(run('analyse', dir, '--json', '--quiet').stdout).indicators.map((i: { id: string }) => i.id) as string[];
    expect(ids.filter((id) => id.includes('burenoverlast_zomer'))).toEqual(['burenoverlast_zomer']);
    expect(ids.filter((id) => id.startsWith('meldingen.'))).toEqual(['meldingen.burenoverlast', 'meldingen.schade', 'meldingen.vervuiling']);
  });
});

describe('loud instead of quiet: a real project file with a slip in it', () => {
  it('a source renamed in sources: but not in measures: is an error that names the new name, not a dropped indicator', () => {
    const dir = mutatedSample('buurtbalans.yml', (t) => t.replace('  - name: corporatie_b ', '  - name: rivierenwonen '));
    const result = run('analyse', dir, '--out', temporary());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('measures.omklapwoningen names "corporatie_b[omklapwoning]", which is no source');
    expect(result.stderr).toContain('did you mean "rivierenwonen[omklapwoning]"?');
    const comparison = mutatedSample('buurtbalans.yml', (t) => t.replace('outcome: meldingen', 'outcome: meldngen'));
    expect(run('analyse', comparison, '--out', temporary()).stderr).toContain('compare[0].outcome names "meldngen"');
  });

  it('a where: filter or flag that matches no row is a warning naming what the column holds, said on stderr only', () => {
    const dir = mutatedSample('buurtbalans.yml', (t) => t.replace('flags: { omklapwoning: omklap, kwetsbaar: \'doelgroep == "kwetsbaar"\' }', 'flags: { omklapwoning: omklap, kwetsbaar: \'doelgroep == "kwetsbare"\' }') + ownIndicator.replace('where: Categorie == "burenoverlast" and Datum in ("01-07-2025", "02-07-2025") or Categorie == "burenoverlast"', 'where: Categorie == "Burenoverlast "'));
    const out = temporary();
    const result = run('analyse', dir, '--out', out, '--no-maps', '--no-report', '--lang', 'en');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('indicators[burenoverlast_zomer].where (Categorie == "Burenoverlast ") matches no counted row of meldingen, so it counts 0 everywhere: column "Categorie" mostly holds');
    expect(result.stderr).toMatch(/flags\.kwetsbaar \(doelgroep == "kwetsbare"\) matches no counted row of corporatie_b[^\n]*"kwetsbaar"/);
    // Not in the shareable files: how a flag relates to its source's rows would help undo suppression.
    expect(readFileSync(join(out, 'analysis.json'), 'utf8')).not.toContain('filter_matches');
    expect(run('analyse', dir, '--out', temporary(), '--quiet').stderr).toContain('treft geen enkele getelde regel van meldingen, dus telt overal 0: kolom "Categorie" bevat vooral');
  });
});

describe('periods on the command line', () => {
  it('restrict the reports to a period and compare it with an earlier one', () => {
    const { code, stdout } = run('analyse', sample, '--out', temporary(), '--json', '--quiet', '--period', '2025-01-01..2025-12-31', '--compare-period', '2024-01-01..2024-12-31');
    expect(code).toBe(0);
    const analysis = JSON.parse(stdout);
    expect(analysis.project.period).toBe('2025-01-01..2025-12-31');
    const change = analysis.period_comparison.indicators.find((i: { id: string }) => i.id === 'meldingen');
    expect(change.blocks).toHaveLength(16);
    expect(change.area.before + change.area.after).toBe(analysis.sources.find((s: { name: string }) => s.name === 'meldingen').rows_placed);
  });

  it('refuses a period that is not one', () => {
    const result = run('analyse', sample, '--out', temporary(), '--period', '2025-12-31..2025-01-01');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a period');
  });
});

describe('buurtbalans hotspots', () => {
  const columbus = join(root, 'test/fixtures/spatial/columbus.geojson');

  it('summarises global Moran, clusters and hot spots', () => {
    const { code, stdout } = run('hotspots', columbus, '--value', 'CRIME', '--id', 'POLYID', '--crs', 'planar');
    expect(code).toBe(0);
    expect(stdout).toContain("Global Moran's I = 0.500");
    expect(stdout).toContain('similar values cluster in space');
    expect(stdout).toMatch(/HH \d+, LL \d+, HL \d+, LH \d+/);
    expect(stdout).toMatch(/Gi\* hot spots: \d+, cold spots: \d+/);
  });

  it('prints the documented JSON and writes the features with statistics', () => {
    const out = join(temporary(), 'columbus-hotspots.geojson');
    const { code, stdout } = run('hotspots', columbus, '--value', 'CRIME', '--id', 'POLYID', '--crs', 'planar', '--weights', 'knn:4', '--style', 'B', '--permutations', '99', '--json', '--out', out);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ n: 49, variable: 'CRIME', weights: { type: 'knn', style: 'B', k: 4, links: 196, islands: [] } });
    expect(Object.keys(result.global.moran)).toEqual(expect.arrayContaining(['I', 'expected', 'variance', 'z', 'p_norm', 'p_sim']));
    expect(Object.keys(result.features[0])).toEqual(['id', 'value', 'neighbors', 'local_moran', 'gi_star', 'gi']);
    expect(result.conventions).toContain('not symmetrised');
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written.features[0].properties).toMatchObject({ POLYID: 1, CRIME: 15.72598, lisa_cluster: expect.any(String), gi_star_z: expect.any(Number) });
  });

  it('refuses unknown weights and a misspelt property with exit 2', () => {
    const weights = run('hotspots', columbus, '--value', 'CRIME', '--weights', 'bishop');
    expect(weights.code).toBe(2);
    expect(weights.stderr).toContain('unknown weights "bishop"');
    const property = run('hotspots', columbus, '--value', 'CRIEM');
    expect(property.code).toBe(2);
    expect(property.stderr).toContain('did you mean "CRIME"?');
  });
});

describe('buurtbalans map', () => {
  it('draws a map from a project as SVG, PNG and PDF', () => {
    const dir = temporary();
    for (const extension of ['svg', 'png', 'pdf']) {
      const out = join(dir, `kaart.${extension}`);
      const { code, stderr } = run('map', sample, '--indicator', 'alleenstaande_75plus', '--out', out, '--date', '2026-11-23', '--dpi', '72');
      expect(code, stderr).toBe(0);
      expect(readFileSync(out).length).toBeGreaterThan(1000);
    }
    expect(readFileSync(join(dir, 'kaart.svg'), 'utf8')).toContain('Alleenstaande 75-plussers');
  });

  it('draws small multiples from an analysis folder, in English', () => {
    const analysis = temporary();
    expect(run('analyse', sample, '--out', analysis, '--quiet', '--no-maps').code).toBe(0);
    const out = join(analysis, 'multiples.svg');
    const { code } = run('map', analysis, '--small-multiples', '--indicator', 'meldingen', 'zorgmijders', '--out', out, '--lang', 'en', '--size', 'A3');
    expect(code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    // A facet layout: two panels with their titles, and one legend, scale bar and credits line for the page.
    expect(svg.match(/<g id="panel-\d+" data-indicator=/g)).toHaveLength(2);
    expect(svg).toContain('>Nuisance reports</text>');
    expect(svg).toMatch(/>Compared with the( area)?/);
    for (const id of ['legend', 'scale-bar', 'north-arrow', 'credits']) expect(svg.match(new RegExp(`<g id="${id}"`, 'g'))).toHaveLength(1);
  });

  it('writes the default maps in analyse: the big map as SVG and PDF, one per indicator, small multiples', () => {
    const out = temporary();
    expect(run('analyse', sample, '--out', out, '--quiet', '--date', '2026-11-23').code).toBe(0);
    const maps = readdirSync(join(out, 'maps'));
    expect(maps).toEqual(expect.arrayContaining(['overzicht.svg', 'overzicht.pdf', 'meldingen.svg', 'alleenstaande_75plus.svg', 'kleine-veelvouden.svg', 'stapeling.svg', 'stapeling.pdf']));
    expect(readFileSync(join(out, 'maps', 'overzicht.svg'), 'utf8')).toContain('alle gegevens op één kaart');
  });

  it('refuses an unknown indicator and an unknown format', () => {
    const indicator = run('map', sample, '--indicator', 'meldngen', '--out', join(temporary(), 'x.svg'));
    expect(indicator.code).toBe(2);
    expect(indicator.stderr).toContain('did you mean "meldingen"');
    const format = run('map', sample, '--out', join(temporary(), 'x.gif'));
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('.svg, .png or .pdf');
  });

  it('draws fixed classes from --breaks, and refuses breaks no legend can show ("< NaN", "< Infinity")', () => {
    const dir = temporary();
    const out = join(dir, 'vast.svg');
    expect(run('map', sample, '--indicator', 'meldingen', '--breaks', '2,5.5', '--out', out).code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('>&lt; 2,00<');
    expect(svg).toContain('2,00 – 5,50');
    expect(svg).toContain('≥ 5,50');
    expect(svg).not.toMatch(/NaN|Infinity/);
    for (const [breaks, message] of [['a,b', '"a" is not a number'], ['1e999', '"1e999" is not a number'], ['5,3', 'not in ascending order'], ['1,2,3,4,5,6,7', 'makes 8 classes']]) {
      const refused = run('map', sample, '--breaks', breaks!, '--out', join(dir, 'x.svg'));
      expect(refused.code, breaks).toBe(2);
      expect(refused.stderr).toContain(message);
    }
    expect(run('map', sample, '--classification', 'quantile', '--breaks', '1,2', '--out', join(dir, 'x.svg')).stderr).toContain('--breaks needs --classification fixed');
    expect(run('map', sample, '--classification', 'fixed', '--out', join(dir, 'x.svg')).stderr).toContain('needs --breaks');
  });
});

describe('buurtbalans --help', () => {
  it('lists the commands', () => {
    const { code, stdout } = run('--help');
    expect(code).toBe(0);
    for (const command of ['analyse', 'inspect', 'samples']) expect(stdout).toContain(command);
  });
});
