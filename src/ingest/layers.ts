import { createRequire } from 'node:module';
import type { FeatureCollection, Geometry } from 'geojson';
import { UserError } from '../errors.js';
import type { CrsName } from '../project/schema.js';

/** Boundary files in the forms people have them: the CBS wijk- en buurtkaart and PDOK downloads. */
export function isPackagedLayer(file: string): boolean {
  return /\.(gpkg|zip|shp)$/i.test(file);
}

/**
 * Reads a GeoPackage (sql.js: SQLite compiled to WebAssembly, no native build) or a Shapefile,
 * zipped or with its .dbf, .prj and .cpg beside it (shpjs, its reprojection left out: an ESRI .prj
 * of RD New carries no datum shift, so the coordinates stay as they are and crs.ts converts them).
 * The CRS comes from the file; `layer` chooses where there are several.
 */
export async function readPackagedLayer(bytes: Uint8Array, file: string, layer: string | undefined, sibling: (extension: string) => Uint8Array | undefined): Promise<FeatureCollection & { crs: { type: 'name'; properties: { name: string } } }> {
  const read = /\.gpkg$/i.test(file) ? await readGeoPackage(bytes, file, layer) : await readShapefile(bytes, file, layer, sibling);
  return { type: 'FeatureCollection', features: read.features, crs: { type: 'name', properties: { name: `urn:ogc:def:crs:${read.crs.replace(':', '::')}` } } };
}

interface Read {
  features: FeatureCollection['features'];
  crs: CrsName;
}

const help = (file: string) => ({ file, expected: 'a GeoPackage (.gpkg) or a zipped Shapefile (.zip with .shp, .dbf and .prj) of polygons in RD New or WGS84' });

async function readGeoPackage(bytes: Uint8Array, file: string, layer: string | undefined): Promise<Read> {
  const initSqlJs = (await import('sql.js')).default;
  const require = createRequire(import.meta.url);
  const SQL = await initSqlJs({ locateFile: (name: string) => require.resolve(`sql.js/dist/${name}`) });
  let db;
  try {
    db = new SQL.Database(bytes);
  } catch (error) {
    throw new UserError(`not a GeoPackage (${(error as Error).message})`, { ...help(file), fix: 'export the blocks again as GeoPackage' });
  }
  try {
    const tables = rowsOf(db.exec(
      "SELECT c.table_name, g.column_name, s.organization, s.organization_coordsys_id FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE c.data_type = 'features'",
    ));
    const chosen = chooseLayer(tables.map((row) => String(row.table_name)), layer, file);
    const table = tables.find((row) => row.table_name === chosen)!;
    const crs = crsOf(`${table.organization}:${table.organization_coordsys_id}`, file);
    const geometryColumn = String(table.column_name);
    const features = rowsOf(db.exec(`SELECT * FROM "${chosen.replace(/"/g, '""')}"`)).map((row, index) => {
      const properties: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) if (key !== geometryColumn) properties[key] = value;
      return { type: 'Feature' as const, properties, geometry: geometryOf(row[geometryColumn], file, index) as Geometry };
    });
    return { features, crs };
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`the GeoPackage cannot be read (${(error as Error).message})`, { ...help(file), fix: 'export the blocks again as GeoPackage, or as GeoJSON' });
  } finally {
    db.close();
  }
}

function rowsOf(results: { columns: string[]; values: unknown[][] }[]): Record<string, unknown>[] {
  const result = results[0];
  return result ? result.values.map((values) => Object.fromEntries(result.columns.map((column, c) => [column, values[c]]))) : [];
}

/** A GeoPackage geometry: the "GP" header with its envelope, then ordinary WKB (read by wkx). */
function geometryOf(blob: unknown, file: string, feature: number): Geometry | null {
  if (!(blob instanceof Uint8Array) || blob.length < 8) return null;
  if (blob[0] !== 0x47 || blob[1] !== 0x50) throw new UserError('a geometry without the GeoPackage header ("GP")', { ...help(file), feature, fix: 'export the blocks again as GeoPackage' });
  const envelope = [0, 32, 48, 48, 64][(blob[3]! >> 1) & 0x07] ?? 0;
  const require = createRequire(import.meta.url);
  const wkx = require('wkx') as { Geometry: { parse(buffer: Buffer): { toGeoJSON(): Geometry } } };
  return wkx.Geometry.parse(Buffer.from(blob.buffer, blob.byteOffset + 8 + envelope, blob.length - 8 - envelope)).toGeoJSON();
}

async function readShapefile(bytes: Uint8Array, file: string, layer: string | undefined, sibling: (extension: string) => Uint8Array | undefined): Promise<Read> {
  let parts: Record<string, Uint8Array>;
  if (/\.shp$/i.test(file)) {
    parts = { 'layer.shp': bytes };
    for (const extension of ['dbf', 'prj', 'cpg']) {
      const found = sibling(extension);
      if (found) parts[`layer.${extension}`] = found;
    }
  } else {
    const { unzipSync } = await import('fflate');
    try {
      parts = unzipSync(bytes);
    } catch (error) {
      throw new UserError(`the zip file cannot be opened (${(error as Error).message})`, { ...help(file), fix: 'download or zip the Shapefile again' });
    }
  }
  const names = Object.keys(parts).filter((name) => /\.shp$/i.test(name) && !name.includes('__MACOSX'));
  const chosen = chooseLayer(names.map((name) => name.replace(/^.*\//, '').replace(/\.shp$/i, '')), layer, file);
  const base = names.find((name) => name.replace(/^.*\//, '').replace(/\.shp$/i, '') === chosen)!.replace(/\.shp$/i, '');
  const part = (extension: string) => parts[`${base}.${extension}`] ?? parts[`${base}.${extension.toUpperCase()}`];
  const prj = part('prj');
  if (!prj) throw new UserError(`the Shapefile ${chosen} has no .prj, so its coordinate system is unknown`, { ...help(file), fix: 'include the .prj file (it comes with every Shapefile export)' });
  const crs = crsOf(new TextDecoder().decode(prj), file);
  const { combine, parseDbf, parseShp } = await import('shpjs');
  const dbf = part('dbf');
  const cpg = part('cpg');
  const shapes = parseShp(part('shp')!);
  const collection = combine([shapes, dbf ? parseDbf(dbf, cpg ? new TextDecoder().decode(cpg).trim() : undefined) : undefined]) as FeatureCollection;
  return { features: collection.features, crs };
}

function chooseLayer(names: readonly string[], layer: string | undefined, file: string): string {
  if (layer !== undefined) {
    const found = names.find((name) => name.toLowerCase() === layer.toLowerCase());
    if (!found) throw new UserError(`no layer "${layer}" in the file`, { ...help(file), expected: `layer: one of ${names.join(', ')}`, fix: 'correct blocks.layer in buurtbalans.yml' });
    return found;
  }
  if (names.length === 1) return names[0]!;
  throw new UserError(names.length === 0 ? 'the file holds no layer of features' : `the file holds ${names.length} layers: ${names.join(', ')}`, {
    ...help(file),
    expected: names.length === 0 ? 'a layer of block polygons' : 'blocks.layer naming the layer of block polygons',
    fix: names.length === 0 ? 'export the blocks again' : `add layer: ${names[0]} (or another) under blocks: in buurtbalans.yml`,
  });
}

/** The CRS an EPSG code or a .prj names: RD New or WGS84, nothing else. */
function crsOf(text: string, file: string): CrsName {
  if (/28992|Amersfoort|RD[_ ]New/i.test(text)) return 'EPSG:28992';
  if (/^EPSG:4326$|^(?!.*PROJCS).*(GCS_WGS_1984|WGS[ _]?84)/is.test(text)) return 'EPSG:4326';
  throw new UserError(`the coordinate system is neither RD New nor WGS84 (${text.slice(0, 60)})`, { ...help(file), fix: 'export the blocks in RD New (EPSG:28992) or WGS84 (EPSG:4326)' });
}
