import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolygonIndex } from '../../src/geo/polygon-index.js';
import { coveredShares } from '../../src/join/area.js';
import writeExcelFile from 'write-excel-file/node';
import { rdBlocks, temporaryDirectories } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/buurtbalans.js');
const sample = join(root, 'data-samples/rijnbuurt-west');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const temporaryDirs = temporaryDirectories('buurtbalans-signals-');
afterAll(temporaryDirs.removeAll);

interface Planted {
  theme: string;
  kind: string;
  mentions: number;
  figures_agree: boolean;
}

function analysed(dir: string, ...args: string[]) {
  const result = run('analyse', dir, '--json', '--quiet', '--no-maps', '--no-report', ...args);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

/** The committed sample analysed once for this file, internal and shareable. */
let sampleRuns: { internal: ReturnType<typeof analysed>; shareable: ReturnType<typeof analysed> } | undefined;
const sampleAnalysed = () => (sampleRuns ??= { internal: analysed(sample, '--internal'), shareable: analysed(sample) });
const truth = JSON.parse(readFileSync(join(sample, 'truth.json'), 'utf8'));

describe('soft signals in the sample: the planted themes are heard where they were planted', () => {
  const planted = truth.effects.signals.planted as Record<string, Planted[]>;
  let internal: ReturnType<typeof analysed>;
  let shareable: ReturnType<typeof analysed>;
  beforeAll(() => void ({ internal, shareable } = sampleAnalysed()), 60_000);

  it('plants every kind of story: agreeing with the figures, only heard, and what goes well', () => {
    const all = Object.values(planted).flat();
    expect(new Set(all.map((p) => p.theme))).toEqual(new Set(['eenzaamheid', 'overlast', 'burenhulp', 'onveilig']));
    expect(all.some((p) => p.figures_agree)).toBe(true);
    expect(all.some((p) => !p.figures_agree)).toBe(true);
  });

  it('counts each planted theme in its block exactly (interview notes by weight, polygons by covered share), and as the block’s most-named theme', () => {
    for (const [id, themes] of Object.entries(planted)) {
      const block = internal.blocks.find((b: { id: string }) => b.id === id);
      for (const { theme, mentions } of themes) {
        expect(block.counts[`geluiden[${theme}]`], `${id} ${theme}`).toBeCloseTo(mentions, 6);
        const heard = internal.signals.blocks.find((b: { id: string }) => b.id === id).heard;
        expect(heard[0].key, id).toBe(`geluiden[${theme}]`);
      }
    }
  });

  it('shows the planted themes in the shareable output, where they are named often enough, and says where figures and what is heard agree', () => {
    for (const [id, themes] of Object.entries(planted)) {
      const block = shareable.signals.blocks.find((b: { id: string }) => b.id === id);
      for (const { theme, mentions, figures_agree } of themes) {
        expect(block.heard.find((h: { key: string }) => h.key === `geluiden[${theme}]`)?.count, `${id} ${theme}`).toBeCloseTo(mentions, 6);
        const domain = shareable.signals.themes.find((t: { theme: string }) => t.theme === theme).domain;
        if (figures_agree) expect(block.agree, `${id} ${theme}`).toContain(domain);
        else expect(block.heard_only, `${id} ${theme}`).toContain(`geluiden[${theme}]`);
      }
    }
    // Nothing is shown below the threshold: every block figure of a theme is hidden, zero or at least 5.
    for (const block of shareable.blocks) {
      for (const [key, value] of Object.entries(block.counts)) if (key.startsWith('geluiden[')) expect(value === null || value === 0 || (value as number) >= 5, `${block.id} ${key} = ${value}`).toBe(true);
    }
  });

  it('hides the soft sources’ rows while a theme’s area total is hidden: rows less the shown totals would give it away', () => {
    const hiddenTheme = shareable.signals.themes.find((t: { total: number | null }) => t.total === null);
    expect(hiddenTheme).toBeDefined();
    for (const source of shareable.sources.filter((s: { kind: string }) => s.kind === 'signals')) expect([source.rows_read, source.rows_placed]).toEqual([null, null]);
    for (const kind of shareable.signals.kinds) expect(kind.rows).toBeNull();
    // The totals are those of the figures' sources, so the hidden rows are not their difference either.
    const figures = shareable.sources.filter((s: { kind: string }) => s.kind !== 'signals');
    expect(shareable.totals.rows_read).toBe(figures.reduce((sum: number, s: { rows_read: number }) => sum + s.rows_read, 0));
    expect(internal.signals.kinds.map((k: { rows: number }) => k.rows)).toEqual([truth.sources.gevoelskaart.placeable, truth.sources.gesprekken_huisartsen.placeable]);
  });
});

describe('the planted free texts of the sample', () => {
  it('are each found by check, per rule, in the soft sources’ text columns, never shown, and emptied on reading', () => {
    const texts = truth.effects.signals.planted_texts as string[];
    const rulesOf: Record<string, string[]> = {
      'mevrouw De Wit zit altijd alleen thuis': ['name_in_text'],
      'bel Jan Bakker even, 06-12345678': ['name_in_text', 'phone'],
      'mail naar p.jansen@example.nl voor de sleutel': ['email'],
      'bij meneer El Amrani staat de tv hard': ['name_in_text'],
      'Lekstraat 14 heeft elke avond ruzie': ['address_in_text'],
    };
    expect(texts.every((text) => text in rulesOf)).toBe(true);
    const expected: Record<string, number> = {};
    for (const text of texts) for (const rule of rulesOf[text]!) expected[rule] = (expected[rule] ?? 0) + 1;
    const result = run('check', sample, '--json');
    expect(result.status).toBe(0);
    const findings = (JSON.parse(result.stdout).findings as { column: string; rule: string; count: number; handled?: string }[]).filter((f) => ['toelichting', 'Notitie'].includes(f.column));
    const found: Record<string, number> = {};
    for (const finding of findings) found[finding.rule] = (found[finding.rule] ?? 0) + finding.count;
    expect(found).toEqual(expected);
    for (const finding of findings) expect(finding.handled).toContain('emptied on reading');
    for (const text of texts) expect(result.stdout).not.toContain(text);
  });
});

describe('a gevoelskaart polygon over two blocks', () => {
  it('counts in each block by the share of it that lies there', () => {
    const square = (x0: number, y0: number, size: number) => [[Float64Array.from([x0, y0, x0 + size, y0, x0 + size, y0 + size, x0, y0 + size, x0, y0])]];
    const index = new PolygonIndex([square(0, 0, 100), square(100, 0, 100)]);
    // A quarter of it in block 0, three quarters in block 1.
    const shares = coveredShares({ area: true, parts: [[[75, 20, 175, 20, 175, 60, 75, 60, 75, 20]]] }, index)!;
    expect([...shares.blocks]).toEqual([1, 0]);
    expect(shares.shares[0]).toBeCloseTo(0.75, 1);
    expect(shares.shares[1]).toBeCloseTo(0.25, 1);
    expect(shares.shares[0]! + shares.shares[1]!).toBeCloseTo(1, 9);
    // Half of it outside every block: the shares add up to a half.
    const half = coveredShares({ area: true, parts: [[[150, 20, 250, 20, 250, 60, 150, 60, 150, 20]]] }, index)!;
    expect([...half.blocks]).toEqual([1]);
    expect(half.shares[0]).toBeCloseTo(0.5, 1);
    // A line along a street between the two blocks' halves.
    const line = coveredShares({ area: false, parts: [[[50, 50, 150, 50]]] }, index)!;
    expect(line.shares[0]! + line.shares[1]!).toBeCloseTo(1, 9);
    expect(line.shares[0]).toBeCloseTo(0.5, 2);
    expect(coveredShares({ area: true, parts: [[[500, 500, 600, 500, 600, 600, 500, 500]]] }, index)).toBeUndefined();
  });
});

describe('a small project of soft signals', () => {
  const blocks = rdBlocks([
    { id: 'B1', x: 121050, y: 487050 },
    { id: 'B2', x: 121150, y: 487050 },
  ]);
  const themes = `themes:
  eenzaamheid: { label: { nl: Eenzaamheid, en: Loneliness }, aliases: [eenzaam], domain: ouderen, valence: negative }
  groen: { label: { nl: Groen, en: Green }, valence: positive }
`;
  /** Notes per block with theme, valence and weight, and a gevoelskaart with one polygon across both blocks. */
  function project(notes: string, extra = ''): string {
    const dir = join(temporaryDirs.make(), 'p');
    mkdirSync(dir);
    writeFileSync(join(dir, 'blokken.geojson'), blocks);
    writeFileSync(join(dir, 'notities.csv'), `Blok;Thema;Waardering;Aantal;Notitie\n${notes}`);
    const polygon = [[121075, 487020], [121175, 487020], [121175, 487060], [121075, 487060], [121075, 487020]];
    writeFileSync(join(dir, 'kaart.geojson'), JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } }, features: [{ type: 'Feature', properties: { thema: 'groen', toelichting: 'fijn plantsoen' }, geometry: { type: 'Polygon', coordinates: [polygon] } }] }));
    writeFileSync(join(dir, 'buurtbalans.yml'), `name: Klein
blocks: { file: blokken.geojson, id: blok_id, label: naam }
sources:
  - name: notities
    file: notities.csv
    place_by: block
    columns: { block: Blok }
    signals: { kind: professional, theme: Thema, valence: Waardering, weight: Aantal, text: Notitie }
  - name: kaart
    file: kaart.geojson
    place_by: area
    signals: { kind: gevoelskaart, theme: thema, text: toelichting }
${themes}${extra}`);
    return dir;
  }

  it('reads themes by id, label or alias, weights the mentions, keys a valence that differs from its theme’s, and counts an unknown theme as overig with a warning', () => {
    const dir = project('B1;Eenzaam;;6;\nB1;eenzaamheid;;;\nB2;groen;negatief;2;\nB2;spelen op straat;;1;mevrouw Jansen belt vaak\n');
    const internal = analysed(dir, '--internal');
    const b1 = internal.blocks.find((b: { id: string }) => b.id === 'B1').counts;
    const b2 = internal.blocks.find((b: { id: string }) => b.id === 'B2').counts;
    expect(b1['geluiden[eenzaamheid]']).toBe(7);
    expect(b2['geluiden[groen:negatief]']).toBe(2);
    expect(b2['geluiden[overig]']).toBe(1);
    // The polygon: a quarter in B1, three quarters in B2.
    expect(b1['geluiden[groen]']).toBeCloseTo(0.25, 1);
    expect(b2['geluiden[groen]']).toBeCloseTo(0.75, 1);
    expect(b1['geluiden[groen]'] + b2['geluiden[groen]']).toBeCloseTo(1, 9);
    expect(internal.warnings.map((w: { code: string }) => w.code)).toContain('unknown_themes');
    // A value one row has may be free text: it is counted, never named.
    expect(JSON.stringify(internal.warnings)).not.toContain('spelen op straat');
    const theme = internal.signals.themes.find((t: { key: string }) => t.key === 'geluiden[groen:negatief]');
    expect([theme.valence, theme.label.nl]).toEqual(['negative', 'Groen']);
    // Shareable: a fraction of a signal is as hidden as 1 to 4 of them, and so is 7 in a block beside them.
    const shared = analysed(dir);
    for (const block of shared.blocks) for (const [key, value] of Object.entries(block.counts)) if (key.startsWith('geluiden[')) expect(value === null || value === 0 || (value as number) >= 5, `${block.id} ${key} = ${value}`).toBe(true);
  });

  it('reads the same notes from a partner’s .xlsx workbook, the weight as a number cell', async () => {
    const dir = project('B1;eenzaam;;6;\n');
    const rows = [['Blok', 'Thema', 'Waardering', 'Aantal', 'Notitie'], ['B1', 'Eenzaam', null, 6, 'mevrouw De Vries belt vaak'], ['B2', 'groen', 'negatief', 2, null]].map((row) => row.map((value) => (value === null ? null : typeof value === 'number' ? { value, type: Number } : { value })));
    await writeExcelFile([{ data: rows, sheet: 'Notities' }] as never).toFile(join(dir, 'notities.xlsx'));
    const yml = join(dir, 'buurtbalans.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('file: notities.csv', 'file: notities.xlsx'));
    const internal = analysed(dir, '--internal');
    expect(internal.blocks.find((b: { id: string }) => b.id === 'B1').counts['geluiden[eenzaamheid]']).toBe(6);
    expect(internal.blocks.find((b: { id: string }) => b.id === 'B2').counts['geluiden[groen:negatief]']).toBe(2);
    expect(JSON.stringify(internal)).not.toContain('De Vries');
  });

  it('refuses a weight that is no number, with the line and the fix (exit 2)', () => {
    const result = run('analyse', project('B1;eenzaam;;veel;\n'), '--no-maps', '--no-report');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('notities.csv, line 2');
    expect(result.stderr).toContain('signals.weight');
    expect(result.stderr).not.toContain('    at ');
  });

  it('refuses place_by: area for a file that is no GeoJSON, and a source named geluiden', () => {
    const dir = project('B1;eenzaam;;1;\n');
    const yml = join(dir, 'buurtbalans.yml');
    const text = readFileSync(yml, 'utf8');
    writeFileSync(yml, text.replace('file: kaart.geojson', 'file: notities.csv'));
    let result = run('analyse', dir, '--no-maps', '--no-report');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is placed by area, but notities.csv is no GeoJSON file');
    writeFileSync(yml, text.replace('name: notities', 'name: geluiden'));
    result = run('analyse', dir, '--no-maps', '--no-report');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the count key of the soft signals');
  });

  it('check reports the name in a note as name_in_text, emptied on reading, and analyse lets it through without it reaching any output', () => {
    const dir = project('B1;eenzaam;;6;mevrouw De Vries belt vaak 06-98765432\nB1;eenzaam;;;\n');
    const check = run('check', dir, '--json');
    expect(check.status).toBe(0);
    const findings = JSON.parse(check.stdout).findings as { file: string; column: string; rule: string; count: number; handled?: string }[];
    expect(findings).toEqual(expect.arrayContaining([
      expect.objectContaining({ file: 'notities.csv', column: 'Notitie', rule: 'name_in_text', count: 1 }),
      expect.objectContaining({ file: 'notities.csv', column: 'Notitie', rule: 'phone', count: 1 }),
    ]));
    for (const finding of findings.filter((f) => f.column === 'Notitie')) expect(finding.handled).toContain('emptied on reading');
    expect(check.stdout).not.toContain('De Vries');
    const result = run('analyse', dir, '--internal', '--json', '--quiet');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('De Vries');
    expect(result.stdout).not.toContain('98765432');
  });
});

describe('the sample’s resident survey', () => {
  const survey = truth.effects.survey as { answers: Record<string, Record<string, number[]>>; low_tevredenheid_blocks: string[]; low_contact_blocks: string[]; high_contact_blocks: string[] };
  let internal: ReturnType<typeof analysed>;
  let shareable: ReturnType<typeof analysed>;
  beforeAll(() => void ({ internal, shareable } = sampleAnalysed()), 60_000);
  const resultOf = (result: ReturnType<typeof analysed>, question: string) => result.surveys.find((s: { question: string }) => s.question === question);

  it('counts every answer where its PC6 goes, numbers and Likert words alike, and gives the shares and mean of the truth', () => {
    for (const question of ['tevredenheid', 'contact']) {
      const result = resultOf(internal, question);
      for (const block of result.blocks) {
        const points = survey.answers[question]![block.id] ?? [0, 0, 0, 0, 0];
        const n = points.reduce((sum, x) => sum + x, 0);
        expect(block.respondents, `${question} ${block.id}`).toBe(n);
        if (n < 5) {
          expect(block.tevreden).toBeNull();
          continue;
        }
        expect(block.tevreden.value).toBeCloseTo((points[3]! + points[4]!) / n, 4);
        expect(block.ontevreden.value).toBeCloseTo((points[0]! + points[1]!) / n, 4);
        expect(block.mean.value).toBeCloseTo(points.reduce((sum, x, p) => sum + x * (p + 1), 0) / n, 4);
        expect(block.mean.lower).toBeLessThanOrEqual(block.mean.value);
        expect(block.mean.upper).toBeGreaterThanOrEqual(block.mean.value);
        expect(block.tevreden.lower).toBeLessThanOrEqual(block.tevreden.value);
      }
    }
  });

  it('finds what was planted: dissatisfied at the zorgmijder hotspots, little contact in the over-75 cluster, much where neighbours help each other', () => {
    const tevredenheid = resultOf(internal, 'tevredenheid');
    const contact = resultOf(internal, 'contact');
    const share = (result: typeof tevredenheid, ids: string[], group: 'tevreden' | 'ontevreden') => {
      const blocks = result.blocks.filter((b: { id: string }) => ids.includes(b.id));
      return blocks.reduce((sum: number, b: { respondents: number; [k: string]: unknown }) => sum + (b[group] as { value: number }).value * b.respondents, 0) / blocks.reduce((sum: number, b: { respondents: number }) => sum + b.respondents, 0);
    };
    expect(share(tevredenheid, survey.low_tevredenheid_blocks, 'ontevreden')).toBeGreaterThan(tevredenheid.area.ontevreden.upper);
    expect(share(contact, survey.low_contact_blocks, 'ontevreden')).toBeGreaterThan(contact.area.ontevreden.upper);
    expect(share(contact, survey.high_contact_blocks, 'tevreden')).toBeGreaterThan(contact.area.tevreden.upper);
  });

  it('shows a block’s share only from published counts of at least the threshold, and its mean only where no answer point is small', () => {
    for (const question of ['tevredenheid', 'contact']) {
      const result = resultOf(shareable, question);
      expect(result.area.tevreden).not.toBeNull();
      for (const block of result.blocks) {
        const counts = shareable.blocks.find((b: { id: string }) => b.id === block.id).counts;
        for (const group of ['tevreden', 'ontevreden'] as const) {
          if (block[group] === null) continue;
          const k = counts[`bewonersenquete.${question}[${group}]`];
          expect(k === 0 || k >= 5, `${block.id} ${group} ${k}`).toBe(true);
          expect(block.respondents).toBeGreaterThanOrEqual(5);
          expect(block[group].value).toBeCloseTo(k / block.respondents, 4);
        }
        if (block.mean !== null) for (const count of survey.answers[question]![block.id]!) expect(count === 0 || count >= 5, `${block.id} mean beside a point of ${count}`).toBe(true);
      }
    }
  });
});

describe('a small survey', () => {
  it('reads numbers, Likert words and "4 - eens", leaves "weet niet" out and warns about the unreadable', () => {
    const dir = join(temporaryDirs.make(), 'p');
    mkdirSync(dir);
    writeFileSync(join(dir, 'blokken.geojson'), rdBlocks([{ id: 'B1', x: 121050, y: 487050 }]));
    const answers = ['1', 'helemaal oneens', 'Oneens', '3', 'neutraal', 'eens', '4 - eens', 'Helemaal eens', '5', 'weet niet', '', 'misschien'];
    writeFileSync(join(dir, 'enquete.csv'), `blok;vraag\n${answers.map((a) => `B1;${a}`).join('\n')}\n`);
    writeFileSync(join(dir, 'buurtbalans.yml'), 'name: Enquête\nblocks: { file: blokken.geojson, id: blok_id }\nsources:\n  - name: enquete\n    file: enquete.csv\n    place_by: block\n    columns: { block: blok }\n    survey: { questions: [{ column: vraag, id: buurt }] }\n');
    const result = analysed(dir, '--internal');
    const counts = result.blocks[0].counts;
    expect([counts['enquete.buurt'], counts['enquete.buurt[ontevreden]'], counts['enquete.buurt[neutraal]'], counts['enquete.buurt[tevreden]']]).toEqual([9, 3, 2, 4]);
    expect(result.surveys[0].blocks[0].mean.value).toBeCloseTo((1 + 1 + 2 + 3 + 3 + 4 + 4 + 5 + 5) / 9, 4);
    const unreadable = result.warnings.find((w: { code: string }) => w.code === 'unreadable_answers');
    expect(unreadable.text.nl).toContain('regel 13');
  });
});

describe('quotes: true', () => {
  it('quotes only texts without a name, number, @ or capitalised word, of a block and theme shown with at least the threshold, never a planted text', () => {
    const dir = join(temporaryDirs.make(), 'p');
    expect(run('samples', dir, '--seed', '20261123').status).toBe(0);
    const yml = join(dir, 'buurtbalans.yml');
    writeFileSync(yml, `${readFileSync(yml, 'utf8')}quotes: true\n`);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    const check = run('check', dir);
    expect(check.stdout).toContain('never quoted');
    const result = analysed(dir);
    const quotes = result.signals.quotes as { block: string; key: string; text: string }[];
    expect(quotes.length).toBeGreaterThan(3);
    for (const quote of quotes) {
      expect(quote.text).not.toMatch(/[0-9@]/);
      expect(truth.effects.signals.planted_texts).not.toContain(quote.text);
      const count = result.blocks.find((b: { id: string }) => b.id === quote.block).counts[quote.key];
      expect(count, `${quote.block} ${quote.key}`).toBeGreaterThanOrEqual(5);
    }
    // No block × theme gets more than two, and a hidden or small count none at all.
    const per = new Map<string, number>();
    for (const quote of quotes) per.set(`${quote.block} ${quote.key}`, (per.get(`${quote.block} ${quote.key}`) ?? 0) + 1);
    expect(Math.max(...per.values())).toBeLessThanOrEqual(2);
  });
});
