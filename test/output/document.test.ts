import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resultFromJson, type AnalysisResult } from '../../src/analysis/result.js';
import { readBlockTable } from '../../src/ingest/block-table.js';
import { documentOf, resultFromDocument } from '../../src/output/document.js';
import { rdBlocks, temporaryDirectories } from '../helpers.js';

/**
 * Above 5,000 blocks analysis.json is a document and blocks.parquet holds the per-block tables:
 * the whole result must come back from the two, figure for figure, so map, report and audit
 * made from such a folder see what analyse saw.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/buurtbalans.js');
const sample = join(root, 'data-samples/rijnbuurt-west');
const dirs = temporaryDirectories('buurtbalans-document-');
afterAll(dirs.removeAll);

function analysed(project: string, ...args: string[]): { result: AnalysisResult; parquet: string } {
  const out = join(dirs.make(), 'out');
  const run = spawnSync(process.execPath, [bin, 'analyse', project, '--out', out, '--no-maps', '--no-report', '--quiet', '--tables', 'parquet', ...args], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return { result: resultFromJson(JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'))), parquet: join(out, 'blocks.parquet') };
}

const plain = (result: AnalysisResult) => JSON.parse(JSON.stringify(result)) as unknown;

async function roundTrip(result: AnalysisResult, parquet: string): Promise<AnalysisResult> {
  const document = JSON.parse(JSON.stringify(documentOf(result)));
  const { columns } = await readBlockTable(parquet, { geometry: false });
  return resultFromDocument(document, columns, parquet);
}

describe('analysis.json as a document with blocks.parquet beside it', () => {
  it('gives the whole shareable result back, the stapeling index and a period comparison included', async () => {
    const project = dirs.make();
    cpSync(sample, project, { recursive: true });
    writeFileSync(join(project, 'buurtbalans.yml'), `${readFileSync(join(project, 'buurtbalans.yml'), 'utf8')}\naccumulation: { index: true }\n`);
    const { result, parquet } = analysed(project, '--period', '2025-01-01..2025-12-31', '--compare-period', '2024-01-01..2024-12-31');
    expect(result.accumulation?.blocks.some((block) => block.index)).toBe(true);
    expect(result.disclosure?.suppressed.some((cell) => cell.block !== null)).toBe(true);
    // The sample has every part: the samenloop per block, heard themes and a resident survey.
    expect(result.accumulation?.samenloop?.blocks.length).toBe(16);
    expect(result.signals?.blocks.length).toBeGreaterThan(0);
    expect(result.surveys?.[0]?.blocks.some((block) => block.tevreden !== null)).toBe(true);
    const back = await roundTrip(result, parquet);
    // Every field of analysis.json itself (the moved ones come back after the others).
    expect(plain(back)).toStrictEqual(plain(result));
  }, 60_000);

  it('gives an internal result back too (no disclosure log, small counts in it)', async () => {
    const { result, parquet } = analysed(sample, '--internal');
    expect(result.disclosure).toBeUndefined();
    expect(plain(await roundTrip(result, parquet))).toStrictEqual(plain(result));
  }, 60_000);

  it('leaves the per-block tables out of the document and says where they are', () => {
    const { result } = analysed(sample);
    const document = documentOf(result);
    const text = JSON.stringify(document);
    expect(document.block_table).toMatchObject({ file: 'blocks.parquet', blocks: result.blocks.length, counts: Object.keys(result.blocks[0]!.counts) });
    expect('blocks' in document).toBe(false);
    expect(document.indicators.every((indicator) => !('blocks' in indicator))).toBe(true);
    expect(document.accumulation && 'blocks' in document.accumulation).toBe(false);
    expect(document.disclosure && 'suppressed' in document.disclosure).toBe(false);
    expect(document.accumulation?.samenloop && 'blocks' in document.accumulation.samenloop).toBe(false);
    expect(document.surveys?.length).toBeGreaterThan(0);
    expect(document.surveys!.every((survey) => !('blocks' in survey))).toBe(true);
    expect(document.signals && 'blocks' in document.signals).toBe(false);
    // Nothing in the document grows with the blocks but lists of the blocks that stand out.
    expect(text).not.toContain('"B07","label"');
    // Much smaller than the result: the per-block tables are most of it.
    expect(text.length).toBeLessThan(JSON.stringify(result).length / 2);
  }, 60_000);

  it('refuses a blocks.parquet that does not belong to the document', async () => {
    const { result, parquet } = analysed(sample);
    const document = JSON.parse(JSON.stringify(documentOf(result)));
    document.block_table.blocks += 1;
    const { columns } = await readBlockTable(parquet, { geometry: false });
    expect(() => resultFromDocument(document, columns, parquet)).toThrow(/column "id" has 16 values for 17 blocks/);
  }, 60_000);

  it('lets map and audit read a folder with blocks.parquet as its only block table', () => {
    const folder = (tables: string) => {
      const out = join(dirs.make(), 'out');
      const run = spawnSync(process.execPath, [bin, 'analyse', sample, '--out', out, '--no-maps', '--no-report', '--quiet', '--tables', tables], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return out;
    };
    const drawn = (dir: string) => {
      const svg = join(dir, 'kaart.svg');
      const run = spawnSync(process.execPath, [bin, 'map', dir, '--indicator', 'meldingen', '--out', svg, '--date', '2026-12-01'], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return [...readFileSync(svg, 'utf8').matchAll(/data-block="([^"]+)" data-value="([^"]*)"/g)].map((match) => `${match[1]}=${match[2]}`);
    };
    const fromParquet = drawn(folder('parquet'));
    expect(fromParquet).toHaveLength(16);
    // The same blocks with the same values as drawn from blocks.geojson (outlines differ by rounding only).
    expect(fromParquet).toEqual(drawn(folder('geojson')));
    const audit = spawnSync(process.execPath, [bin, 'audit', folder('parquet')], { encoding: 'utf8' });
    expect(audit.status, audit.stderr).toBe(0);
    const neither = spawnSync(process.execPath, [bin, 'map', folder('csv'), '--out', join(dirs.make(), 'k.svg')], { encoding: 'utf8' });
    expect(neither.status).toBe(2);
    expect(neither.stderr).toMatch(/no blocks\.geojson or blocks\.parquet in .*: the block outlines the maps are drawn from/);
  }, 90_000);

  it('is what analyse writes above 5,000 blocks, with blocks.parquet as the default table; audit reads the two', () => {
    const project = dirs.make();
    const side = 72; // 5,184 blocks of 100 m
    const blocks = Array.from({ length: side * side }, (_, i) => ({ id: `B${String(i).padStart(4, '0')}`, x: 120_000 + (i % side) * 100, y: 480_000 + Math.floor(i / side) * 100, half: 45 }));
    writeFileSync(join(project, 'blokken.geojson'), rdBlocks(blocks));
    // Twelve reports in every fifth block, so the table has shown as well as hidden counts.
    const points = blocks.flatMap((block, b) => (b % 5 === 0 ? Array.from({ length: b % 3 === 0 ? 12 : 2 }, (_, k) => `${block.x + k},${block.y}`) : []));
    writeFileSync(join(project, 'meldingen.csv'), `x,y\n${points.join('\n')}\n`);
    writeFileSync(join(project, 'buurtbalans.yml'), 'name: Raster\nblocks: { file: blokken.geojson, id: blok_id, label: naam }\nsources:\n  - { name: meldingen, file: meldingen.csv, place_by: point, columns: { x: x, y: y }, crs: EPSG:28992 }\nspatial: { permutations: 0 }\n');
    const out = join(project, 'uit');
    const run = spawnSync(process.execPath, [bin, 'analyse', project, '--out', out, '--no-maps', '--no-report', '--quiet'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(['blocks.parquet', 'blocks.csv', 'blocks.geojson'].map((name) => existsSync(join(out, name)))).toEqual([true, false, false]);
    const document = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
    expect(document.block_table).toMatchObject({ file: 'blocks.parquet', blocks: side * side, counts: ['meldingen'] });
    expect(document.blocks).toBeUndefined();
    const audit = spawnSync(process.execPath, [bin, 'audit', out, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(audit.status, audit.stderr).toBe(0);
    const verdict = JSON.parse(audit.stdout) as { tables: { hidden_cells: number }[] };
    // Every block with 2 reports is hidden (and, with it, cells that protect it).
    expect(verdict.tables[0]!.hidden_cells).toBeGreaterThanOrEqual(blocks.filter((_, b) => b % 5 === 0 && b % 3 !== 0).length);
  }, 120_000);
});
