import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inputBytes } from '../../src/cli/memory.js';
import { temporaryDirectories } from '../helpers.js';

const temporaryDirs = temporaryDirectories('buurtbalans-memory-');
afterAll(temporaryDirs.removeAll);

describe('inputBytes: how large the input of a heavy command is', () => {
  it('counts the files a project names, block and flow style, wherever they lie, and nothing else; GeoJSON sixteen times', () => {
    const root = temporaryDirs.make();
    mkdirSync(join(root, 'project'));
    mkdirSync(join(root, 'exports'));
    writeFileSync(join(root, 'exports', 'meldingen.csv'), 'x'.repeat(1000));
    writeFileSync(join(root, 'exports', 'adressen.csv'), 'x'.repeat(300));
    writeFileSync(join(root, 'project', 'blokken.geojson'), 'x'.repeat(20));
    writeFileSync(join(root, 'project', 'truth.json'), 'x'.repeat(5000));
    writeFileSync(
      join(root, 'project', 'buurtbalans.yml'),
      [
        'name: Test',
        'blocks: { file: blokken.geojson, id: blok_id }',
        'addresses:',
        '  file: "../exports/adressen.csv"   # the register',
        'sources:',
        '  - name: meldingen',
        '    file: ../exports/meldingen.csv',
        '  - name: ontbreekt',
        '    file: ../exports/missing.csv',
        '',
      ].join('\n'),
    );
    expect(inputBytes(join(root, 'project'))).toBe(1000 + 300 + 16 * 20);
    expect(inputBytes(join(root, 'project', 'buurtbalans.yml'))).toBe(1620);
  });

  it('counts the folder of an analysis or GeoJSON, and 0 for a path that cannot be read', () => {
    const folder = temporaryDirs.make();
    writeFileSync(join(folder, 'analysis.json'), 'x'.repeat(70));
    writeFileSync(join(folder, 'blocks.geojson'), 'x'.repeat(30));
    expect(inputBytes(folder)).toBe(16 * 100);
    expect(inputBytes(join(folder, 'blocks.geojson'))).toBe(1600);
    expect(inputBytes(join(folder, 'nothing-here'))).toBe(0);
  });
});

describe('BUURTBALANS_MEMORY_MB', () => {
  it('a value that is no amount of memory is refused with exit 2, not ignored', async () => {
    const { spawnSync } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const bin = fileURLToPath(new URL('../../bin/buurtbalans.js', import.meta.url));
    for (const value of ['abc', '0', '-5']) {
      const result = spawnSync(process.execPath, [bin, 'hotspots', 'missing.geojson', '--value', 'x'], { encoding: 'utf8', env: { ...process.env, BUURTBALANS_MEMORY_MB: value } });
      expect(result.status, value).toBe(2);
      expect(result.stderr).toContain(`BUURTBALANS_MEMORY_MB is "${value}"`);
    }
  });
});
