import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectories } from '../helpers.js';
import { parseCsv } from '../../src/ingest/csv.js';
import { addressPseudonym } from '../../src/share/key.js';
import { canonicalAddresses } from '../../src/share/prepare.js';

/**
 * The partners' side of sharing, end to end with the built CLI: kit → key → prepare per partner
 * (from raw exports holding names, BSN, phone numbers) → analyse on the shares. The shares must
 * give the same findings and samenloop as the raw exports, and no share, manifest or output may
 * hold a planted identifier, an address or the key.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/buurtbalans.js');
const dirs = temporaryDirectories('buurtbalans-share-');
afterAll(dirs.removeAll);

function run(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(cwd: string, ...args: string[]) {
  const result = run(cwd, ...args);
  expect(result.stderr + result.stdout, args.join(' ')).not.toMatch(/internal error/);
  expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

/** The record partners: their raw exports with personal columns, in partners/. */
const partners = [
  ['corporatie_a', 'corporatie-a.csv'],
  ['corporatie_b', 'corporatie-b.csv'],
  ['corporatie_c', 'corporatie-c.csv'],
  ['corporatie_d', 'corporatie-d.csv'],
  ['corporatie_e', 'corporatie-e.csv'],
  ['meldingen', 'meldingen.csv'],
] as const;

let project: string;
let partnersHome: string;
type Analysis = { findings: unknown[]; indicators: unknown[]; comparisons: unknown[]; blocks: { id: string; counts: Record<string, number | null> }[]; accumulation: { samenloop: Record<string, unknown> }; sources: { name: string; prepared?: { sha256: string } }[] };
const analysis = (dir: string) => JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8')) as Analysis;

function prepareAll(key: string) {
  for (const [source, file] of partners) ok(partnersHome, 'prepare', join(project, 'partners', file), '--for', join(project, 'kit'), '--source', source, '--key', key, '--out', join(project, 'delen', `${source}.deel.csv`), '--date', '2026-12-01');
  ok(partnersHome, 'prepare', join(project, 'zorg.csv'), '--for', join(project, 'kit'), '--source', 'zorg', '--out', join(project, 'delen', 'zorg.deel.csv'), '--date', '2026-12-01');
}

const withShares = (dir: string) => writeFileSync(join(dir, 'buurtbalans.yml'), readFileSync(join(dir, 'buurtbalans.yml'), 'utf8').replace(/^sources:/m, 'shares: delen\nsources:'));

beforeAll(() => {
  project = dirs.make();
  partnersHome = dirs.make();
  ok(project, 'samples', project, '--seed', '20261123', '--partners', '--force');
  ok(project, 'kit', project);
  ok(partnersHome, 'key', '--out', join(partnersHome, 'sleutel.txt'));
  prepareAll(join(partnersHome, 'sleutel.txt'));
  ok(project, 'analyse', project, '--out', join(project, 'raw'), '--internal', '--no-maps', '--no-report', '--quiet', '--date', '2026-12-01');
}, 120_000);

describe('kit, prepare and analyse on the shares', () => {
  it('give the findings, indicators, comparisons and samenloop of the raw exports', () => {
    const dir = dirs.make();
    cpSync(project, dir, { recursive: true });
    withShares(dir);
    // The care provider's own rule hides more than its export did: read it from its export here.
    rmSync(join(dir, 'delen', 'zorg.deel.csv'));
    ok(dir, 'analyse', dir, '--out', join(dir, 'shared'), '--internal', '--no-maps', '--no-report', '--quiet', '--date', '2026-12-01');
    const raw = analysis(join(project, 'raw'));
    const shared = analysis(join(dir, 'shared'));
    expect(shared.findings).toEqual(raw.findings);
    expect(shared.indicators).toEqual(raw.indicators);
    expect(shared.comparisons).toEqual(raw.comparisons);
    expect(shared.blocks.map((b) => b.counts)).toEqual(raw.blocks.map((b) => b.counts));
    // The same addresses with 2 and 3+ markers, per block and combination, and the same spread of the reports.
    const { markers: _a, ...rawSamenloop } = raw.accumulation.samenloop;
    const { markers: _b, ...sharedSamenloop } = shared.accumulation.samenloop;
    expect(sharedSamenloop).toEqual(rawSamenloop);
    expect((rawSamenloop.area as { markers_2: number }).markers_2).toBeGreaterThan(0);
    // Each source read from a share says so, with its manifest.
    expect(shared.sources.filter((s) => s.prepared).map((s) => s.name)).toEqual(partners.map(([name]) => name));
  });

  it('keep every planted identifier, address and the key out of the shares, manifests and outputs', () => {
    const dir = dirs.make();
    cpSync(project, dir, { recursive: true });
    withShares(dir);
    ok(dir, 'analyse', dir, '--out', join(dir, 'out'), '--date', '2026-12-01');
    ok(dir, 'analyse', dir, '--out', join(dir, 'intern'), '--internal', '--no-maps', '--date', '2026-12-01');
    const planted = new Set<string>();
    const addresses = new Set<string>();
    for (const [, file] of partners) {
      const lines = readFileSync(join(project, 'partners', file), 'latin1').split(/\r?\n/).slice(1).filter(Boolean);
      const delimiter = file === 'corporatie-c.csv' ? '\t' : file === 'corporatie-b.csv' || file === 'corporatie-e.csv' ? ',' : ';';
      for (const line of lines.slice(0, 40)) {
        const [name, bsn, phone, email] = line.split(delimiter);
        for (const value of [bsn, phone, email]) planted.add(value!);
        planted.add(name!.split(' ').pop()!.length > 4 ? name! : `${name} `);
      }
    }
    const register = readFileSync(join(project, 'adressen.csv'), 'utf8').split('\n').slice(1, 200).filter(Boolean);
    for (const line of register) {
      const [street, number, , , postcode] = line.split(',');
      addresses.add(`${street} ${number}`);
      addresses.add(`${postcode} ${number}`);
    }
    const key = readFileSync(join(partnersHome, 'sleutel.txt'), 'utf8').split('\n').find((line) => /^[0-9a-f]{64}$/.test(line))!;
    const files = [...walk(join(dir, 'delen')), ...walk(join(dir, 'kit')), ...walk(join(dir, 'out')), ...walk(join(dir, 'intern'))].filter((file) => !file.endsWith('.pdf') && !file.endsWith('.png') && !file.endsWith('.xlsx'));
    expect(files.length).toBeGreaterThan(30);
    const pseudonyms = new Set(readFileSync(join(dir, 'delen', 'corporatie_a.deuren.csv'), 'utf8').split('\n').slice(1, 30).map((line) => line.split(',')[0]!).filter(Boolean));
    expect(pseudonyms.size).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text.includes(key), file).toBe(false);
      for (const value of planted) expect(text.includes(value), `${file} holds ${value}`).toBe(false);
      // The kit carries the register (public BAG data); nothing else carries an address.
      if (!file.includes(`${join(dir, 'kit')}`)) for (const address of addresses) expect(text.includes(address), `${file} holds ${address}`).toBe(false);
      // Pseudonyms stay in the shares: no output of the analysis carries one.
      if (!file.includes(join(dir, 'delen'))) for (const pseudonym of pseudonyms) expect(text.includes(pseudonym), `${file} holds a pseudonym`).toBe(false);
    }
    // A share's hash would be an oracle: hashing every share that fits the published cells finds the hidden ones.
    const hashes = [...partners.map(([source]) => source), 'zorg'].flatMap((source) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'delen', `${source}.manifest.json`), 'utf8')) as { share: { sha256: string }; doors: { sha256: string } | null };
      return [manifest.share.sha256, ...(manifest.doors ? [manifest.doors.sha256] : [])];
    });
    for (const file of walk(join(dir, 'out'))) {
      if (/\.(pdf|png|xlsx)$/.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      for (const hash of hashes) expect(text.includes(hash), `${file} holds a share's hash`).toBe(false);
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'delen', 'corporatie_a.manifest.json'), 'utf8')) as { kept_out: { identifiers: { column: string; kind: string }[] } };
    expect(manifest.kept_out.identifiers.filter((f) => f.kind === 'direct').map((f) => f.column)).toEqual(['Naam', 'BSN', 'Telefoon', 'E-mail', 'Geboortedatum']);
  });

  it('keeps the pseudonyms apart from the rows: a door table holds per address only its markers, never a date, category or row', () => {
    const markerColumns: Record<string, string[]> = { meldingen: ['herhaalde_meldingen'] };
    for (const [source] of partners) {
      const [share, doors] = ['deel', 'deuren'].map((kind) => readFileSync(join(project, 'delen', `${source}.${kind}.csv`), 'utf8').trim().split('\n'));
      expect(share![0]!.split(','), source).not.toContain('adres_pseudoniem');
      expect(doors![0]!.split(','), source).toEqual(['adres_pseudoniem', 'adres_blok', ...(markerColumns[source] ?? ['omklapwoning', 'kwetsbare_toewijzing'])]);
      // One row per address, and only addresses with a marker: fewer than the share's rows.
      const pseudonyms = doors!.slice(1).map((line) => line.split(',')[0]);
      expect(new Set(pseudonyms).size, source).toBe(pseudonyms.length);
      expect(doors!.slice(1).every((line) => line.split(',').slice(2).some((value) => value !== '0')), source).toBe(true);
      expect(pseudonyms.length, source).toBeLessThan(share!.length - 1);
    }
    // A marker of one source alone says only that the door reaches it (3 or more reports), not how many.
    expect(readFileSync(join(project, 'delen', 'meldingen.deuren.csv'), 'utf8').trim().split('\n').slice(1).every((line) => line.endsWith(',3'))).toBe(true);
  });

  it('puts the rows in an order of their own, not the export\'s (which follows the addresses the register lists)', () => {
    for (const file of [...partners.flatMap(([source]) => [`${source}.deel.csv`, `${source}.deuren.csv`]), 'zorg.deel.csv']) {
      const rows = readFileSync(join(project, 'delen', file), 'utf8').trim().split('\n').slice(1);
      if (file.endsWith('.deel.csv')) expect(rows.length, file).toBeGreaterThan(10);
      expect(rows, file).toEqual([...rows].sort());
    }
  });

  it('applies the care provider\'s own rule before its counts leave: no count from 1 to 4 in its share', () => {
    const rows = readFileSync(join(project, 'delen', 'zorg.deel.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    const cells = rows.flatMap((row) => row.slice(1));
    expect(cells.filter((cell) => cell === 'geheim').length).toBeGreaterThan(10);
    expect(cells.filter((cell) => /^\d+$/.test(cell) && Number(cell) >= 1 && Number(cell) <= 4)).toEqual([]);
  });
});

describe('the gebiedsmakelaar cannot reverse the pseudonyms alone', () => {
  it('with the register, the kit, the shares and every secret in the project folder, no pseudonym is found; with the partners\' key, every one', () => {
    const kit = JSON.parse(readFileSync(join(project, 'kit', 'kit.json'), 'utf8')) as { project: { id: string }; settings: { addresses: NonNullable<Parameters<typeof canonicalAddresses>[1]> } };
    const register = parseCsv(readFileSync(join(project, 'kit', 'adressen.csv')), 'adressen.csv');
    const canonical = canonicalAddresses(register, kit.settings.addresses);
    const pseudonyms = new Set(partners.flatMap(([source]) => readFileSync(join(project, 'delen', `${source}.deuren.csv`), 'utf8').split('\n').slice(1).map((line) => line.split(',')[0]!).filter(Boolean)));
    expect(pseudonyms.size).toBeGreaterThan(50);
    // Every hex string and secret the gebiedsmakelaar holds, and the obvious guesses.
    const candidates = new Set(['', kit.project.id, 'buurtbalans']);
    for (const file of walk(project)) {
      if (file.includes(`${join(project, 'partners')}`) || /\.(pdf|png|xlsx)$/.test(file)) continue;
      for (const match of readFileSync(file, 'latin1').matchAll(/\b([0-9a-f]{64}|[0-9a-f]{16})\b/g)) candidates.add(match[0]);
    }
    const secret = join(project, '.buurtbalans-secret');
    if (existsSync(secret)) candidates.add(readFileSync(secret, 'utf8').trim());
    expect(candidates.size).toBeGreaterThan(10);
    const found = (key: string) => {
      let hits = 0;
      for (let row = 0; row < register.rowCount; row++) if (pseudonyms.has(addressPseudonym(key, kit.project.id, canonical(row)))) hits++;
      return hits;
    };
    for (const candidate of candidates) expect(found(candidate), candidate).toBe(0);
    const key = readFileSync(join(partnersHome, 'sleutel.txt'), 'utf8').split('\n').find((line) => /^[0-9a-f]{64}$/.test(line))!;
    expect(found(key)).toBe(pseudonyms.size);
  });
});

describe('a share is refused', () => {
  const sharedCopy = () => {
    const dir = dirs.make();
    cpSync(project, dir, { recursive: true });
    withShares(dir);
    return dir;
  };
  const refused = (dir: string, pattern: RegExp) => {
    const result = run(dir, 'analyse', dir, '--out', join(dir, 'out'), '--internal', '--no-maps', '--no-report', '--quiet');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  };

  it('when it was altered after it was made', () => {
    const dir = sharedCopy();
    const file = join(dir, 'delen', 'corporatie_b.deel.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace(',nee,', ',ja,'));
    refused(dir, /corporatie_b\.deel\.csv: the share was changed after it was made/);
  });

  it('when its door table was altered (two pseudonyms made one, to fake a samenloop)', () => {
    const dir = sharedCopy();
    const file = join(dir, 'delen', 'corporatie_a.deuren.csv');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = `${lines[1]!.split(',')[0]},${lines[2]!.split(',').slice(1).join(',')}`;
    writeFileSync(file, lines.join('\n'));
    refused(dir, /its door table corporatie_a\.deuren\.csv was changed after it was made/);
  });

  it('when it was made for another project', () => {
    const dir = sharedCopy();
    writeFileSync(join(dir, 'buurtbalans.yml'), readFileSync(join(dir, 'buurtbalans.yml'), 'utf8').replace('name: Rijnbuurt West', 'name: Rivierenbuurt'));
    refused(dir, /made for another project \("Rijnbuurt West"\)/);
  });

  it('when it was made with an older kit (the project now asks another flag)', () => {
    const dir = sharedCopy();
    writeFileSync(join(dir, 'buurtbalans.yml'), readFileSync(join(dir, 'buurtbalans.yml'), 'utf8').replace(`kwetsbaar: 'Label == "Kwetsbare doelgroep"'`, `kwetsbaar: 'Label == "Kwetsbaar"'`));
    refused(dir, /corporatie_a\.deel\.csv: the share was made with an older kit/);
  });

  it('when shares with address pseudonyms were made with different keys', () => {
    const dir = sharedCopy();
    const other = join(dirs.make(), 'andere-sleutel.txt');
    ok(partnersHome, 'key', '--out', other);
    ok(partnersHome, 'prepare', join(dir, 'partners', 'corporatie-c.csv'), '--for', join(dir, 'kit'), '--source', 'corporatie_c', '--key', other, '--out', join(dir, 'delen', 'corporatie_c.deel.csv'));
    refused(dir, /were made with different keys/);
  });

  it('when the samenloop would meet a share\'s pseudonyms with a raw export\'s addresses', () => {
    const dir = sharedCopy();
    rmSync(join(dir, 'delen', 'meldingen.deel.csv'));
    refused(dir, /the samenloop counts corporatie_a from a prepared share .* together with meldingen from its export/);
  });
});

describe('prepare refuses', () => {
  it('a samenloop source without the partners\' key', () => {
    const result = run(partnersHome, 'prepare', join(project, 'partners', 'corporatie-a.csv'), '--for', join(project, 'kit'), '--source', 'corporatie_a', '--out', join(dirs.make(), 'a.deel.csv'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/need the partners' key/);
  });

  it('a column the share would carry that holds personal data', () => {
    const dir = dirs.make();
    const file = join(dir, 'meldingen.csv');
    // A reporting system that put the reporter's phone number where the category belongs.
    writeFileSync(file, readFileSync(join(project, 'meldingen.csv'), 'utf8').replace(/;(burenoverlast|vervuiling|schade);/g, () => `;06-${Math.floor(10_000_000 + Math.random() * 89_999_999)};`));
    const result = run(dir, 'prepare', file, '--for', join(project, 'kit'), '--source', 'meldingen', '--key', join(partnersHome, 'sleutel.txt'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/column "Categorie" of [^ ]*meldingen\.csv would go into the share, and it holds personal data \(phone/);
    expect(existsSync(join(dir, 'meldingen.deel.csv'))).toBe(false);
  });

  it('an export of another source, in the request\'s terms', () => {
    const result = run(partnersHome, 'prepare', join(project, 'partners', 'corporatie-a.csv'), '--for', join(project, 'kit'), '--source', 'corporatie_b', '--key', join(partnersHome, 'sleutel.txt'), '--out', join(dirs.make(), 'b.deel.csv'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has no column "huisnummer", "omklap", "doelgroep", which the request for corporatie_b reads/);
    expect(result.stderr).toMatch(/check that --source names your source/);
    expect(result.stderr).not.toMatch(/buurtbalans\.yml/);
  });

  it('a kit whose register was changed', () => {
    const dir = dirs.make();
    cpSync(join(project, 'kit'), dir, { recursive: true });
    writeFileSync(join(dir, 'adressen.csv'), readFileSync(join(dir, 'adressen.csv'), 'utf8').replace('\n', '\nExtra,1,,,1079XX,Amsterdam,0,0,,\n'));
    const result = run(partnersHome, 'prepare', join(project, 'partners', 'corporatie-a.csv'), '--for', dir, '--source', 'corporatie_a', '--key', join(partnersHome, 'sleutel.txt'), '--out', join(dirs.make(), 'a.deel.csv'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/blocks or address register were changed/);
  });
});

describe('request', () => {
  it('writes per partner a page in Dutch with the exact command, and none for the gevoelskaart', () => {
    const dir = dirs.make();
    ok(project, 'request', project, '--out', dir, '--date', '2026-12-01');
    const names = readdirSync(dir).sort();
    expect(names).toContain('verzoek-corporatie_a.md');
    expect(names).toContain('verzoek-zorg.pdf');
    expect(names.some((name) => name.includes('gevoelskaart'))).toBe(false);
    const corporation = readFileSync(join(dir, 'verzoek-corporatie_a.md'), 'utf8');
    expect(corporation).toContain('buurtbalans prepare corporatie-a.csv --for kit --source corporatie_a --key sleutel.txt');
    expect(corporation).toContain('`omklapwoning`: ja of nee, volgens de regel `Label == "Omklapwoning"`');
    expect(corporation).toMatch(/nooit aan de gebiedsmakelaar/);
    const care = readFileSync(join(dir, 'verzoek-zorg.md'), 'utf8');
    expect(care).toContain('Volgens uw eigen afschermingsregel gaan aantallen van 1 tot en met 4 niet als getal mee, maar als "geheim".');
    expect(care).not.toContain('--key');
    expect(care).toContain('via de beveiligde bestandsoverdracht van de gemeente naar de gebiedsmakelaar');
    expect(care).toContain('De gebiedsmakelaar bewaart de bestanden tot 31 december 2026 en verwijdert ze daarna.');
    // One page, as a handout, with the command as a data officer copies it (poppler, which .ci/run installs).
    for (const name of ['verzoek-corporatie_a.pdf', 'verzoek-zorg.pdf', 'verzoek-meldingen.pdf']) {
      const info = spawnSync('pdfinfo', [join(dir, name)], { encoding: 'utf8' });
      expect(info.stdout, name).toMatch(/Pages:\s+1\n/);
    }
    const text = spawnSync('pdftotext', ['-layout', join(dir, 'verzoek-corporatie_a.pdf'), '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('buurtbalans prepare corporatie-a.csv --for kit --source corporatie_a --key sleutel.txt');
    expect(text).toContain('Gegevensverzoek: Woonstichting Amstelhuis');
  });
});

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
