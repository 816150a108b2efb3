import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectories } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/buurtbalans.js');
const sample = join(root, 'data-samples/rijnbuurt-west');
const args = (out: string) => [bin, 'analyse', sample, '--out', out, '--quiet', '--date', '2026-11-30', '--no-report'];
const run = (out: string) => spawnSync(process.execPath, args(out), { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const temporaryDirs = temporaryDirectories('buurtbalans-folder-');
afterAll(temporaryDirs.removeAll);

describe('an output folder is written whole', () => {
  it('a killed run leaves the previous output as it was, and the next run clears what it left', async () => {
    const parent = temporaryDirs.make();
    const out = join(parent, 'uit');
    expect(run(out).status).toBe(0);
    const before = readFileSync(join(out, 'analysis.json'), 'utf8');
    writeFileSync(join(out, 'notities.txt'), 'eigen aantekeningen');
    const child = spawn(process.execPath, args(out), { stdio: 'ignore' });
    // Killed while it writes: its temporary folder exists, the output folder is not touched.
    for (let i = 0; i < 400 && !readdirSync(parent).some((entry) => entry.startsWith('.uit.tmp-')); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(readFileSync(join(out, 'analysis.json'), 'utf8')).toBe(before);
    expect(readdirSync(parent).filter((entry) => entry !== 'uit').length).toBeGreaterThan(0);
    expect(run(out).status).toBe(0);
    expect(readdirSync(parent)).toEqual(['uit']);
    expect(readFileSync(join(out, 'notities.txt'), 'utf8')).toBe('eigen aantekeningen');
    expect(readFileSync(join(out, 'analysis.json'), 'utf8')).toBe(before);
  }, 60_000);

  it('a second run into a folder another run is writing gets a clear message and exit 2', () => {
    const parent = temporaryDirs.make();
    const out = join(parent, 'uit');
    mkdirSync(out);
    // The test runner itself is alive: its process id holds the lock.
    writeFileSync(join(parent, '.uit.lock'), String(process.pid));
    const result = run(out);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`another buurtbalans run (process ${process.pid}) is writing to`);
    expect(result.stderr).toContain('--out');
    expect(existsSync(join(out, 'analysis.json'))).toBe(false);
  });

  it('a lock left by a dead run is stale: the run goes ahead and leaves no lock behind', () => {
    const parent = temporaryDirs.make();
    const out = join(parent, 'uit');
    writeFileSync(join(parent, '.uit.lock'), '999999');
    mkdirSync(join(parent, '.uit.tmp-999999'));
    expect(run(out).status).toBe(0);
    expect(readdirSync(parent)).toEqual(['uit']);
  });
});
