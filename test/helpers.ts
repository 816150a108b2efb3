import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../src/errors.js';
import type { CsvTable } from '../src/ingest/csv.js';

/** Runs an action that must throw a UserError, and returns it for assertions. */
export function userError(action: () => unknown): UserError {
  try {
    action();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}

export const utf8 = (text: string) => new TextEncoder().encode(text);

/** Every data row of a parsed CSV as strings. */
export const rowsOf = (table: CsvTable) => Array.from({ length: table.rowCount }, (_, r) => table.row(r));

/** A square block polygon ring in RD New around (x, y). */
export function square(x: number, y: number, half: number): number[][] {
  return [
    [x - half, y - half],
    [x + half, y - half],
    [x + half, y + half],
    [x - half, y + half],
    [x - half, y - half],
  ];
}

/** A FeatureCollection of square blocks in RD New. */
export function rdBlocks(blocks: { id: string; x: number; y: number; half?: number }[], idProperty = 'blok_id'): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } },
    features: blocks.map((b) => ({ type: 'Feature', properties: { [idProperty]: b.id, naam: `Blok ${b.id}` }, geometry: { type: 'Polygon', coordinates: [square(b.x, b.y, b.half ?? 50)] } })),
  });
}

/** Fresh temporary folders for a test file; pass `removeAll` to afterAll. */
export function temporaryDirectories(prefix: string): { make: () => string; removeAll: () => void } {
  const dirs: string[] = [];
  return {
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    removeAll: () => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })),
  };
}

/**
 * The real Zuid buurten (RD New) with CBS Kerncijfers as a minimal project in `dir`: blocks with
 * names, one aggregated source placed by block code (test/fixtures/geodata, CC BY 4.0, Bron: CBS).
 */
export function zuidProject(dir: string, counts = ['inwoners', 'inwoners65plus', 'huishoudens'], organisation = 'CBS'): string {
  const geodata = fileURLToPath(new URL('fixtures/geodata/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  cpSync(join(geodata, 'zuid_buurten_kwb2024_rd.geojson'), join(dir, 'buurten.geojson'));
  cpSync(join(geodata, 'zuid_kwb2024.csv'), join(dir, 'kwb.csv'));
  writeFileSync(
    join(dir, 'buurtbalans.yml'),
    ['name: Zuid', 'blocks: { file: buurten.geojson, id: buurtcode, label: buurtnaam }', 'sources:', `  - { name: kwb, ${organisation ? `organisation: ${organisation}, ` : ''}file: kwb.csv, place_by: block, columns: { block: code }, counts: [${counts.join(', ')}] }`, ''].join('\n'),
  );
  return dir;
}
