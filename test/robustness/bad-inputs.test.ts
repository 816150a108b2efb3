import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const corpus = join(root, 'test/fixtures/bad');
const cases = readdirSync(corpus).filter((name) => name !== 'base' && statSync(join(corpus, name)).isDirectory()).sort();
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

interface Case {
  description: string;
  expect: { code: number; stderr: string[] };
  args?: string[];
  generate?: 'long-line' | 'named-pipe';
}

describe(`the bad-input corpus (${cases.length} inputs under test/fixtures/bad/)`, () => {
  it('has at least 40 inputs', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  it.each(cases)('%s', (name) => {
    const spec = JSON.parse(readFileSync(join(corpus, name, 'case.json'), 'utf8')) as Case;
    const project = join(mkdtempSync(join(tmpdir(), 'buurtbalans-bad-')), 'project');
    dirs.push(join(project, '..'));
    cpSync(join(corpus, 'base'), project, { recursive: true });
    for (const file of readdirSync(join(corpus, name))) if (file !== 'case.json') cpSync(join(corpus, name, file), join(project, file));
    if (spec.generate === 'long-line') writeFileSync(join(project, 'zorg.csv'), 'x'.repeat(10 * 1024 * 1024));
    if (spec.generate === 'named-pipe') {
      rmSync(join(project, 'zorg.csv'));
      expect(spawnSync('mkfifo', [join(project, 'zorg.csv')]).status).toBe(0);
    }
    // The corpus states its warnings in English (errors are English in both languages).
    const args = [...(spec.args ?? []).map((arg) => arg.replace('{project}', project)), ...(spec.args?.includes('--lang') ? [] : ['--lang', 'en'])];
    const result = spawnSync(process.execPath, [join(root, 'bin/buurtbalans.js'), 'analyse', project, '--no-maps', '--no-report', ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status, `${spec.description}\n${result.stderr}`).toBe(spec.expect.code);
    for (const part of spec.expect.stderr) expect(result.stderr, spec.description).toContain(part);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    if (spec.expect.code === 2) {
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stderr).toMatch(/\n {2}(expected|fix): /);
    }
  });
});
