import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectories } from '../helpers.js';

/**
 * blocks.parquet as a pipeline reads it: DuckDB (which validates GeoParquet metadata and reads the
 * WKB as GEOMETRY) gets the blocks, the CRS, and every value of blocks.csv back.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/buurtbalans.js');
const sample = join(root, 'data-samples/rijnbuurt-west');
const dirs = temporaryDirectories('buurtbalans-parquet-');
afterAll(dirs.removeAll);

let out: string;
const analyse = (dir: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, [bin, 'analyse', sample, '--out', dir, '--no-maps', '--no-report', '--quiet', '--date', '2026-12-01', ...args], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
};

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const reader = await connection.runAndReadAll(sql);
  const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
  connection.closeSync();
  return rows;
}

beforeAll(() => {
  out = join(dirs.make(), 'out');
  analyse(out);
}, 60_000);

describe('blocks.parquet', () => {
  it('is GeoParquet 1.1 in RD New that DuckDB reads as geometry, one row per block', async () => {
    const file = join(out, 'blocks.parquet');
    const [{ n }] = (await query(`select count(*)::integer n from '${file}'`)) as [{ n: number }];
    const csvRows = readFileSync(join(out, 'blocks.csv'), 'utf8').trim().split('\n').length - 1;
    expect(n).toBe(csvRows);
    const [meta] = (await query(`select decode(value) geo from parquet_kv_metadata('${file}') where decode(key) = 'geo'`)) as [{ geo: string }];
    const geo = JSON.parse(meta.geo) as { version: string; primary_column: string; columns: { geometry: { encoding: string; crs: { id: { authority: string; code: number } }; bbox: number[]; geometry_types: string[] } } };
    expect(geo.version).toBe('1.1.0');
    expect(geo.primary_column).toBe('geometry');
    expect(geo.columns.geometry.encoding).toBe('WKB');
    expect(geo.columns.geometry.crs.id).toEqual({ authority: 'EPSG', code: 28992 });
    // The sample lies in Amsterdam: RD New metres, not degrees.
    const [minX, minY, maxX, maxY] = geo.columns.geometry.bbox as [number, number, number, number];
    expect(minX).toBeGreaterThan(100_000);
    expect(maxY).toBeLessThan(500_000);
    expect(maxX - minX).toBeGreaterThan(100);
    expect(minY).toBeGreaterThan(400_000);
    // DuckDB reads the GeoParquet CRS into the column's type: GEOMETRY('<PROJJSON of RD New>').
    const [type] = (await query(`select column_type from (describe select * from '${file}') where column_name = 'geometry'`)) as [{ column_type: string }];
    expect(type.column_type).toMatch(/^GEOMETRY\('\{.*"name":"Amersfoort \/ RD New".*"code":28992\}+'\)$/);
    const shapes = (await query(`select ST_AsText(geometry) wkt from '${file}'`)) as { wkt: string }[];
    expect(shapes.every((shape) => /^(MULTI)?POLYGON \(\(\(?1\d{5}(\.\d+)? 4\d{5}/.test(shape.wkt))).toBe(true);
  });

  it('holds every value of blocks.csv, typed, with hidden counts null and flagged .geheim', async () => {
    const file = join(out, 'blocks.parquet');
    const lines = readFileSync(join(out, 'blocks.csv'), 'utf8').trim().split('\n');
    const header = parseCsvLine(lines[0]!);
    const rows = (await query(`select * exclude (geometry) from '${file}' order by id`)) as Record<string, unknown>[];
    const byId = new Map(rows.map((row) => [row.id as string, row]));
    let hidden = 0;
    for (const line of lines.slice(1)) {
      const cells = parseCsvLine(line);
      const row = byId.get(cells[0]!)!;
      header.forEach((name, c) => {
        const expected = cells[c] === '' ? null : cells[c];
        const actual = row[name];
        if (expected === null) expect(actual, `${cells[0]} ${name}`).toBeNull();
        else if (typeof actual === 'number') expect(actual, `${cells[0]} ${name}`).toBeCloseTo(Number(expected), 6);
        else expect(String(actual), `${cells[0]} ${name}`).toBe(expected);
      });
      for (const name of Object.keys(row).filter((key) => key.endsWith('.geheim'))) {
        const column = name.slice(0, -'.geheim'.length);
        const value = column in row ? row[column] : row[`${column}.count`];
        expect(row[name], `${cells[0]} ${name}`).toBe(value === null);
        if (row[name] === true) hidden++;
      }
    }
    // The shareable sample hides counts: the test sees some.
    expect(hidden).toBeGreaterThan(10);
    expect(typeof byId.get('B01')!.addresses).toBe('number');
  });

  it('is the same bytes on a second run, and --tables writes only what it names', () => {
    const again = join(dirs.make(), 'out');
    analyse(again);
    expect(readFileSync(join(again, 'blocks.parquet')).equals(readFileSync(join(out, 'blocks.parquet')))).toBe(true);
    const only = join(dirs.make(), 'out');
    analyse(only, '--tables', 'parquet');
    expect(['blocks.parquet', 'blocks.csv', 'blocks.geojson'].map((name) => existsSync(join(only, name)))).toEqual([true, false, false]);
    const wrong = spawnSync(process.execPath, [bin, 'analyse', sample, '--out', join(dirs.make(), 'x'), '--tables', 'xls'], { encoding: 'utf8' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/--tables xls: unknown table "xls"/);
  });
});

/** A line of blocks.csv (quotes only around labels with a comma). */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') cells.push(cell), (cell = '');
    else cell += char;
  }
  cells.push(cell);
  return cells;
}
