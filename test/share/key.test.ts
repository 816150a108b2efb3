import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addressPseudonym, keyFingerprint, newKeyText, readKey } from '../../src/share/key.js';
import { samenloopPlan } from '../../src/analysis/samenloop.js';
import { doorMarkers, doorsConfig, projectId, requestId, shareLayout } from '../../src/share/layout.js';
import { verifyShare } from '../../src/share/manifest.js';
import { projectSchema } from '../../src/project/schema.js';
import { userError, utf8 } from '../helpers.js';

const project = projectSchema.parse({
  name: 'Proef',
  period: '2025-01-01..2025-12-31',
  blocks: { file: 'blokken.geojson', id: 'blok_id' },
  addresses: { file: 'adressen.csv', postcode: 'postcode', huisnummer: 'huisnummer', x: 'x', y: 'y' },
  sources: [
    { name: 'corporatie', organisation: 'Woonstichting', file: 'c.csv', place_by: 'address', columns: { postcode: 'PC', huisnummer: 'Nr' }, flags: { omklapwoning: 'Label == "Omklapwoning"' } },
    { name: 'meldingen', file: 'm.csv', place_by: 'point', columns: { x: 'X', y: 'Y' }, date: 'Datum', category: 'Soort' },
    { name: 'zorg', file: 'z.csv', place_by: 'pc6', columns: { pc6: 'PC6' }, counts: ['clienten'], share_suppression: { min: 1, max: 7 } },
  ],
  measures: { omklapwoningen: 'corporatie[omklapwoning]', meldingen: 'meldingen' },
  samenloop: { markers: [{ name: 'omklap', rows: 'omklapwoningen' }, { name: 'meldingen', rows: 'meldingen', at_least: 3 }] },
});

describe('the partners\' key', () => {
  const key = readKey(newKeyText(), 'sleutel.txt');

  it('gives one address one pseudonym within a project, another in the next project and with another key', () => {
    const door = '1079AB|12|A|';
    expect(addressPseudonym(key, 'p1', door)).toBe(addressPseudonym(key, 'p1', door));
    expect(addressPseudonym(key, 'p2', door)).not.toBe(addressPseudonym(key, 'p1', door));
    expect(addressPseudonym(readKey(newKeyText(), 'x'), 'p1', door)).not.toBe(addressPseudonym(key, 'p1', door));
    expect(addressPseudonym(key, 'p1', '1079AB|12||')).not.toBe(addressPseudonym(key, 'p1', door));
  });

  it('is checked by a fingerprint that tells two keys apart and holds no part of the key', () => {
    const fingerprint = keyFingerprint(key, 'p1');
    expect(fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(key.includes(fingerprint)).toBe(false);
    expect(keyFingerprint(readKey(newKeyText(), 'x'), 'p1')).not.toBe(fingerprint);
  });

  it('refuses a file that holds no key, with what to do', () => {
    const error = userError(() => readKey('# leeg\nabc\n', 'sleutel.txt'));
    expect(error.message).toBe('sleutel.txt holds no buurtbalans key');
    expect(error.fix).toMatch(/buurtbalans key --out/);
  });
});

describe('a source\'s request', () => {
  const pseudonymised = (name: string) => name !== 'zorg';
  const id = (config: typeof project) => config.sources.map((source) => requestId(config, source, shareLayout(config, source, pseudonymised(source.name))));

  it('changes with what is asked (a flag, the period, the rule), not with who asks or how the export is written', () => {
    const base = id(project);
    const renamed = { ...project, sources: project.sources.map((s) => ({ ...s, organisation: 'Andere naam', delimiter: ';' as const })) };
    expect(id(renamed)).toEqual(base);
    const flag = { ...project, sources: project.sources.map((s, i) => (i === 0 ? { ...s, flags: { omklapwoning: 'Label == "Omklap"' } } : s)) };
    expect(id(flag)[0]).not.toBe(base[0]);
    expect(id({ ...project, period: '2024-01-01..2025-12-31' })[1]).not.toBe(base[1]);
    const rule = { ...project, sources: project.sources.map((s, i) => (i === 2 ? { ...s, share_suppression: { min: 1, max: 4 } } : s)) };
    expect(id(rule)[2]).not.toBe(base[2]);
  });

  it('lays out a samenloop source with its doors apart from its dates, and an aggregated one with the partner\'s rule', () => {
    const point = shareLayout(project, project.sources[1]!, true);
    expect(point.analysedAs.columns).toEqual({ block: 'blok' });
    expect(point.kept).toEqual(['Soort', 'Datum']);
    expect(doorsConfig(point).columns).toEqual({ block: 'adres_blok', pseudonym: 'adres_pseudoniem' });
    // The samenloop's markers per source: this one alone gives 3 or more reports; the other is shared.
    expect(doorMarkers(samenloopPlan(project, 'buurtbalans.yml'), 'meldingen')).toEqual({ markers: [{ name: 'meldingen', keys: ['meldingen'], at_least: 3, shared: false }], spread: ['meldingen'] });
    expect(doorMarkers(samenloopPlan(project, 'buurtbalans.yml'), 'corporatie').markers).toEqual([{ name: 'omklap', keys: ['corporatie[omklapwoning]'], at_least: 1, shared: false }]);
    const care = shareLayout(project, project.sources[2]!, false);
    expect(care.route).toBe('pc6');
    expect(care.suppress).toEqual({ min: 1, max: 7 });
    expect(care.analysedAs.columns).toEqual({ pc6: 'pc6' });
  });

  it('names the project by its name, blocks and register: other blocks are another project', () => {
    expect(projectId('Proef', utf8('a'), utf8('b'))).toBe(projectId('Proef', utf8('a'), utf8('b')));
    expect(projectId('Proef', utf8('a2'), utf8('b'))).not.toBe(projectId('Proef', utf8('a'), utf8('b')));
  });
});

describe('verifyShare', () => {
  const share = utf8('blok,adres_pseudoniem,omklapwoning\nB1,p_1,ja\n');
  const manifest = (changes: Record<string, unknown> = {}) =>
    JSON.stringify({
      format: 'buurtbalans-deel',
      version: 1,
      project: { name: 'Proef', id: 'abc' },
      source: 'corporatie',
      organisation: 'Woonstichting',
      request: 'r1',
      prepared_on: '2026-12-01',
      share: { sha256: '0'.repeat(64) },
      key: { fingerprint: 'f1' },
      ...changes,
    });
  const expected = { source: 'corporatie', projectName: 'Proef', projectId: 'abc', request: 'r1' };

  it('says what is wrong: changed bytes, another source, project or request', () => {
    const digest = createHash('sha256').update(share).digest('hex');
    const good = (changes: Record<string, unknown> = {}) => manifest({ share: { sha256: digest }, ...changes });
    expect(verifyShare(good(), 'm.json', share, 's.csv', expected).fingerprint).toBe('f1');
    expect(userError(() => verifyShare(manifest(), 'm.json', share, 's.csv', expected)).message).toMatch(/changed after it was made/);
    expect(userError(() => verifyShare(good({ source: 'zorg' }), 'm.json', share, 's.csv', expected)).message).toMatch(/a share of zorg, not of corporatie/);
    expect(userError(() => verifyShare(good({ project: { name: 'Ander', id: 'x' } }), 'm.json', share, 's.csv', expected)).message).toMatch(/another project \("Ander"\)/);
    expect(userError(() => verifyShare(good({ project: { name: 'Proef', id: 'x' } }), 'm.json', share, 's.csv', expected)).message).toMatch(/another version of this project/);
    expect(userError(() => verifyShare(good({ request: 'r0' }), 'm.json', share, 's.csv', expected)).message).toMatch(/older kit \(of 2026-12-01\)/);
    expect(userError(() => verifyShare('{}', 'm.json', share, 's.csv', expected)).message).toMatch(/no buurtbalans manifest/);
  });
});
