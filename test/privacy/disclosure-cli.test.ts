/**
 * The disclosure guarantee end to end, through the CLI as a gebiedsmakelaar runs it: variants of
 * the committed sample (stricter thresholds, rules, rounding, a period comparison, a flag present in
 * one block only), each analysed and then attacked with `buurtbalans audit` and by reading the files.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectories } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/buurtbalans.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const temporaryDirs = temporaryDirectories('buurtbalans-disclosure-');
afterAll(temporaryDirs.removeAll);

/** The committed sample with a privacy section (and other edits) of its own. */
function variant(privacy: string, edit: (yml: string) => string = (yml) => yml): string {
  const dir = join(temporaryDirs.make(), 'project');
  cpSync(join(root, 'data-samples/rijnbuurt-west'), dir, { recursive: true });
  const yml = join(dir, 'buurtbalans.yml');
  writeFileSync(yml, `${edit(readFileSync(yml, 'utf8'))}\nprivacy: ${privacy}\n`);
  return dir;
}

/** Sets one cell of the first data row of a ";"-separated export (the column found by its header). */
function setFirstRow(file: string, column: (name: string) => boolean, value: string) {
  const lines = readFileSync(file, 'latin1').split('\n');
  const fields = lines[1]!.split(';');
  fields[lines[0]!.split(';').findIndex(column)] = value;
  lines[1] = fields.join(';');
  writeFileSync(file, lines.join('\n'), 'latin1');
}

function analysed(dir: string, ...extra: string[]) {
  const out = join(dir, '..', 'out');
  const result = run('analyse', dir, '--out', out, '--no-maps', '--no-report', '--quiet', '--date', '2026-11-30', ...extra);
  expect(result.status, result.stderr).toBe(0);
  return { out, json: JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8')) };
}

function audited(out: string) {
  const result = run('audit', out, '--json');
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { protected: boolean; tables: { label: string; hidden_cells: number; unprotected: number; cells: { key: string; block: string | null; lower: number; upper: number | null; protection: number; floor: number }[] }[] };
}

/** Every count that reaches a shareable table: block counts, area totals, source tallies, indicator numerators, period counts. */
function publishedCounts(json: any): number[] {
  const counts: number[] = [];
  for (const block of json.blocks) counts.push(...Object.values(block.counts as Record<string, number | null>).filter((v): v is number => v !== null));
  counts.push(...Object.values(json.key_totals as Record<string, number | null>).filter((v): v is number => v !== null));
  for (const source of json.sources) if (source.kind === 'records' && source.rows_placed !== null) counts.push(source.rows_placed - (source.rows_outside_period ?? 0) - (source.rows_without_date ?? 0));
  for (const indicator of json.indicators) {
    for (const block of indicator.blocks) if (block.numerator !== null) counts.push(block.numerator);
    if (indicator.area.numerator !== null) counts.push(indicator.area.numerator);
    for (const part of indicator.by_source) if (part.numerator !== null) counts.push(part.numerator);
  }
  for (const change of json.period_comparison?.indicators ?? []) {
    for (const block of [...change.blocks, change.area]) for (const count of [block.before, block.after]) if (count !== null) counts.push(count);
  }
  return counts;
}

/**
 * An attacker's interval for a hidden cell protects it: provably at least its protection, or reaching
 * it and as wide as from the cell's floor (at least 1 for whole counts, as zeros are shown) to it.
 */
function wideEnough(cell: { lower: number; upper: number | null; protection: number; floor: number }): boolean {
  const upper = cell.upper ?? Infinity;
  return cell.lower >= cell.floor && (cell.lower >= cell.protection || (upper >= cell.protection && upper - cell.lower >= cell.protection - cell.floor));
}

describe('the audit on the sample and its variants', () => {
  it.each([
    ['the default', '{}'],
    ['threshold 10', '{ threshold: 10 }'],
    ['a rules block', '{ rules: { zorg: { min: 0, max: 7 }, huisartsen: { min: 3, max: 9 } } }'],
  ])('%s: every hidden cell could be anywhere from its floor (1 for whole counts: zeros are shown) to its protection', (_, privacy) => {
    const { out, json } = analysed(variant(privacy));
    const audit = audited(out);
    expect(audit.protected).toBe(true);
    expect(audit.tables[0]!.hidden_cells).toBeGreaterThan(100);
    for (const cell of audit.tables[0]!.cells) expect(wideEnough(cell), `${cell.key} ${cell.block}: ${cell.lower} to ${cell.upper}`).toBe(true);
    const threshold = json.disclosure.threshold as number;
    for (const count of publishedCounts(json)) expect(count === 0 || count >= threshold).toBe(true);
  });

  it('a rule adds to the default range: with zorg 0–7, no care count from 0 to 7 and no other count from 1 to 4 is shown', () => {
    const { json } = analysed(variant('{ rules: { zorg: { min: 0, max: 7 } } }'));
    for (const block of json.blocks) {
      for (const [key, count] of Object.entries(block.counts as Record<string, number | null>)) {
        if (count === null) continue;
        if (key.startsWith('zorg.')) expect(count).toBeGreaterThanOrEqual(8);
        else expect(count === 0 || count >= 5).toBe(true);
      }
    }
    // A narrower rule never switches the default off: 1 and 2 stay hidden under { min: 3, max: 4 }.
    const narrow = analysed(variant('{ rules: { zorg: { min: 3, max: 4 } } }')).json;
    for (const block of narrow.blocks) for (const key of ['zorg.clienten', 'zorg.zorgmijders']) expect([1, 2, 3, 4]).not.toContain(block.counts[key]);
  });

  it('--compare-period: no count from 1 to 4 in either period, and the earlier table passes the audit too', () => {
    const { out, json } = analysed(variant('{}'), '--period', '2025-01-01..2025-12-31', '--compare-period', '2024-01-01..2024-12-31');
    expect(json.period_comparison.indicators.length).toBeGreaterThan(0);
    for (const count of publishedCounts(json)) expect(count === 0 || count >= 5).toBe(true);
    const audit = audited(out);
    expect(audit.tables.map((t) => t.label)).toEqual(['block table', 'the earlier period 2024-01-01..2024-12-31']);
    expect(audit.tables[1]!.hidden_cells).toBeGreaterThan(10);
    expect(audit.protected).toBe(true);
  });

  it('rounding to 5: every count shown is a multiple of 5, and so is every numerator computed from them', () => {
    const { out, json } = analysed(variant('{ rounding: 5 }'));
    for (const count of publishedCounts(json)) expect(count % 5).toBe(0);
    expect(audited(out).protected).toBe(true);
  });

  it('a flag present in one block only is published nowhere: not per block, not as an area total, a source tally or by corporation', () => {
    // A flag true for the two homes at one address: one block, an area total of 2.
    const dir = variant('{}', (yml) => yml.replace("flags: { omklapwoning: Omklapwoning, kwetsbaar: 'Doelgroep == \"Kwetsbaar\"' }", "flags: { omklapwoning: Omklapwoning, kwetsbaar: 'Doelgroep == \"Kwetsbaar\"', eenling: 'HNR == \"1\" and PC == \"1079AB\"' }"));
    const { out, json } = analysed(dir);
    const key = 'corporatie_d[eenling]';
    expect(json.key_totals).toHaveProperty(key);
    const shown = json.blocks.map((block: any) => block.counts[key]).filter((count: number | null) => count !== null && count > 0);
    expect(shown).toEqual([]);
    expect(json.key_totals[key]).toBeNull();
    // Nor through the source: corporatie_d's own rows stay shown (its total is large), its flag does not.
    expect(json.sources.find((s: any) => s.name === 'corporatie_d').rows_placed).toBeGreaterThan(100);
    expect(JSON.stringify(json.indicators)).not.toContain(key);
    expect(audited(out).protected).toBe(true);
  });
});

describe('what a review as an attacker found, closed', () => {
  it('a period with one report: its warnings and tallies do not give the hidden total away', () => {
    const dir = variant('{}');
    const internal = JSON.parse(run('analyse', dir, '--out', join(dir, '..', 'int'), '--internal', '--no-maps', '--no-report', '--quiet', '--json', '--period', '2025-12-28..2025-12-31').stdout);
    expect(internal.key_totals.meldingen).toBeGreaterThan(0);
    expect(internal.key_totals.meldingen).toBeLessThan(5);
    const { json } = analysed(dir, '--period', '2025-12-28..2025-12-31');
    expect(json.key_totals.meldingen).toBeNull();
    const meldingen = json.sources.find((s: any) => s.name === 'meldingen');
    expect([meldingen.rows_read, meldingen.rows_placed, meldingen.rows_outside_period]).toEqual([null, null, null]);
    const internalSource = internal.sources.find((s: any) => s.name === 'meldingen');
    for (const warning of json.warnings.filter((w: any) => w.source === 'meldingen')) {
      for (const tally of [internalSource.rows_read, internalSource.rows_outside_period]) expect(warning.message).not.toContain(String(tally));
    }
  });

  it('a comparison period that with the period covers the whole file: no tally equals the earlier total, and the folder passes its audit', () => {
    const { out, json } = analysed(variant('{}'), '--period', '2024-01-01..2025-12-27', '--compare-period', '2025-12-28..2025-12-31');
    for (const source of json.sources) expect(source.rows_outside_period ?? null).toBeNull();
    expect(audited(out).protected).toBe(true);
  });

  it('a cell protected by being provably large is checked again when a later round hides more (seed 3: meldingen[vervuiling] in B09 could be narrowed to 2 to 12)', () => {
    for (const seed of [3, 4, 6]) {
      const dir = join(temporaryDirs.make(), 'project');
      expect(run('samples', dir, '--seed', String(seed)).status).toBe(0);
      const { out } = analysed(dir);
      const audit = audited(out);
      expect(audit.protected, `seed ${seed}`).toBe(true);
      for (const cell of audit.tables[0]!.cells) expect(wideEnough(cell), `seed ${seed}: ${cell.key} ${cell.block}: ${cell.lower} to ${cell.upper}`).toBe(true);
    }
  });

  it('known totals of unplaced rows stay on the machine: a null among them would say "small"', () => {
    const { json } = analysed(variant('{}'));
    for (const source of json.sources) expect(source).not.toHaveProperty('unplaced_totals');
  });
});

describe('line numbers in unplaced.csv', () => {
  it('are left out for a source whose row count is hidden: the last line would bound the hidden total', () => {
    // Four rows in B01 and B02 (a hidden total of 4), then a row for a block that does not exist on line 6.
    const dir = variant('{}', (yml) => yml.replace('\nmeasures:', '\n  - { name: klein, file: klein.csv, place_by: block, columns: { block: blok } }\nmeasures:'));
    writeFileSync(join(dir, 'klein.csv'), 'blok\nB01\nB01\nB02\nB02\nB99\n');
    const { out, json } = analysed(dir);
    const klein = json.sources.find((source: { name: string }) => source.name === 'klein');
    expect(klein.rows_read).toBeNull();
    expect(json.key_totals.klein).toBeNull();
    const lines = readFileSync(join(out, 'unplaced.csv'), 'utf8').split('\n').filter((line) => line.startsWith('klein,'));
    expect(lines).toEqual(['klein,,block_not_found']);
    expect(audited(out).protected).toBe(true);
  });
});

describe('personal data through the side door of a category', () => {
  it('a category value on fewer rows than the threshold ("burenoverlast fam. Jansen") is counted as overig and appears in no file', () => {
    const dir = variant('{}');
    const file = join(dir, 'meldingen.csv');
    setFirstRow(file, (name) => name.trim() === 'Categorie', 'burenoverlast fam. Jansen');
    const out = join(dir, '..', 'out-categories');
    const result = run('analyse', dir, '--out', out, '--quiet', '--date', '2026-11-30');
    expect(result.status, result.stderr).toBe(0);
    const listing = spawnSync('grep', ['-rlai', 'jansen', out], { encoding: 'utf8' });
    expect(listing.stdout).toBe('');
    expect(spawnSync('find', [out, '-iname', '*jansen*'], { encoding: 'utf8' }).stdout).toBe('');
    const json = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
    expect(json.key_totals).toHaveProperty(['meldingen[overig]']);
  });

  it('a pseudonymised column cannot be a category', () => {
    const dir = variant('{}', (yml) => yml.replace('    category: Categorie', '    category: Categorie\n    pseudonymise: [Categorie]'));
    const result = run('analyse', dir, '--out', join(dir, '..', 'out-p'), '--no-maps', '--no-report', '--quiet');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('a column this source pseudonymises');
  });
});

describe('identifiers in the register and in block labels', () => {
  /** The sample with a phone number column in its address register. */
  function withPhones(yml: (text: string) => string = (text) => text): string {
    const dir = variant('{}', yml);
    const file = join(dir, 'adressen.csv');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const delimiter = lines[0]!.includes(';') ? ';' : ',';
    writeFileSync(file, `${lines.map((line, i) => `${line}${delimiter}${i === 0 ? 'telefoon' : `020-${String(6000000 + i).padStart(7, '0')}`}`).join('\n')}\n`);
    return dir;
  }

  it('analyse refuses what check refuses in the register, with the same fix; addresses: drop: lets it through', () => {
    const dir = withPhones();
    const check = run('check', dir);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('column "telefoon": phone');
    const refused = run('analyse', dir, '--out', join(dir, '..', 'out-r'), '--no-maps', '--no-report', '--quiet');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('under addresses: drop: ["telefoon"]');
    const dropped = withPhones((yml) => yml.replace('  street: straatnaam', '  street: straatnaam\n  drop: [telefoon]'));
    expect(run('check', dropped).status).toBe(0);
    expect(run('analyse', dropped, '--out', join(dropped, '..', 'out-d'), '--no-maps', '--no-report', '--quiet').status).toBe(0);
  });

  it('a block label with a phone number stops the analysis, naming the feature', () => {
    const dir = variant('{}');
    const file = join(dir, 'blokken.geojson');
    const blocks = JSON.parse(readFileSync(file, 'utf8'));
    blocks.features[2].properties.naam = 'Lekstraat, bel Jan 06-12345678';
    writeFileSync(file, JSON.stringify(blocks));
    const result = run('analyse', dir, '--out', join(dir, '..', 'out-l'), '--no-maps', '--no-report', '--quiet');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('feature 3');
    expect(result.stderr).not.toContain('12345678');
  });
});

describe('a share above 100%', () => {
  it('has no value and is said on stderr with the blocks, never clamped to 100%', () => {
    const dir = variant('{}');
    const file = join(dir, 'bevolking.csv');
    setFirstRow(file, (name) => name.includes('Alleenstaande'), '999');
    const result = run('analyse', dir, '--out', join(dir, '..', 'out-s'), '--internal', '--no-maps', '--no-report', '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/waarschuwing: Alleenstaande 75-plussers: in 1 blok \(B\d+\) telt/);
    const indicator = JSON.parse(result.stdout).indicators.find((i: any) => i.id === 'alleenstaande_75plus');
    for (const block of indicator.blocks) if (block.value !== null) expect(block.value).toBeLessThanOrEqual(100);
    expect(indicator.blocks.filter((block: any) => block.numerator > block.denominator).every((block: any) => block.value === null)).toBe(true);
  });
});

describe('rules that would switch protection off are refused', () => {
  it.each([
    ['min above max', '{ rules: { zorg: { min: 7, max: 0 } } }', 'min 7 is above max 0'],
    ['a misspelt source', '{ rules: { zrog: { min: 0, max: 7 } } }', 'names no source or count key'],
  ])('%s: exit 2 with the fix', (_, privacy, message) => {
    const result = run('analyse', variant(privacy), '--out', join(temporaryDirs.make(), 'out'), '--no-maps', '--no-report', '--quiet');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/at \w+ \(/);
  });
});

describe('the internal marker travels', () => {
  it('analysis.json of --internal says so; map and report made from that folder say VERTROUWELIJK; audit refuses it', () => {
    const dir = variant('{}');
    const out = join(dir, '..', 'internal');
    expect(run('analyse', dir, '--out', out, '--internal', '--no-maps', '--no-report', '--quiet').status).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
    expect(json.internal).toBe(true);
    const map = run('map', out, '--out', join(out, 'kaart.svg'), '--date', '2026-11-30');
    expect(map.status, map.stderr).toBe(0);
    expect(readFileSync(join(out, 'kaart.svg'), 'utf8')).toContain('VERTROUWELIJK');
    const report = run('report', out, '--format', 'md', '--out', join(out, 'rapport'), '--date', '2026-11-30');
    expect(report.status, report.stderr).toBe(0);
    expect(readFileSync(join(out, 'rapport', 'rapport.md'), 'utf8')).toContain('VERTROUWELIJK');
    const audit = run('audit', out);
    expect(audit.status).toBe(2);
    expect(audit.stderr).toContain('--internal');
  });

  it('--shareable runs disclosure control again on the project beside an internal folder: the same map as from the project', () => {
    const dir = variant('{}');
    const out = join(dir, 'buurtbalans-output');
    expect(run('analyse', dir, '--internal', '--no-maps', '--no-report', '--quiet', '--period', '2025-01-01..2025-12-31').status).toBe(0);
    const fromFolder = run('map', out, '--shareable', '--indicator', 'zorgdruk', '--date', '2026-11-30');
    expect(fromFolder.status, fromFolder.stderr).toBe(0);
    expect(fromFolder.stderr).toContain('disclosure control runs again');
    const shared = readFileSync(join(dir, 'buurtbalans-output-deelbaar', 'maps', 'zorgdruk.svg'), 'utf8');
    expect(shared).not.toContain('VERTROUWELIJK');
    // The internal folder's period travels: the same map as a shareable run of that period.
    const sharedFolder = join(dir, '..', 'shared');
    expect(run('analyse', dir, '--out', sharedFolder, '--no-maps', '--no-report', '--quiet', '--period', '2025-01-01..2025-12-31').status).toBe(0);
    expect(run('map', sharedFolder, '--indicator', 'zorgdruk', '--date', '2026-11-30', '--out', join(sharedFolder, 'zorgdruk.svg')).status).toBe(0);
    // Same values per block (the outlines differ in the last digit: the folder's blocks are WGS84).
    const values = (svg: string) => [...svg.matchAll(/data-block="([^"]+)"( data-value="[^"]+")?/g)].map((m) => m[0]);
    expect(values(shared)).toEqual(values(readFileSync(join(sharedFolder, 'zorgdruk.svg'), 'utf8')));
    expect(values(shared).filter((v) => v.includes('data-value')).length).toBeGreaterThan(3);
    expect(readdirSync(out).some((name) => name === 'maps' || name === 'rapport')).toBe(false);
    // Without its project beside it the folder cannot be made shareable, and --internal contradicts --shareable.
    cpSync(out, join(dir, '..', 'moved'), { recursive: true });
    const moved = run('report', join(dir, '..', 'moved'), '--shareable');
    expect(moved.status).toBe(2);
    expect(moved.stderr).toContain('is not in the folder above it');
    expect(run('map', out, '--shareable', '--internal').stderr).toContain('contradict');
  });
});
