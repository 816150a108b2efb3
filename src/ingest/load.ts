import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { AnalysisInput } from '../analysis/analyse.js';
import { parseProject } from '../project/load.js';
import type { ProjectConfig } from '../project/schema.js';
import { parseCsv, type DialectOverride } from './csv.js';
import { readInputFile } from './read-file.js';
import { isWorkbook, readWorkbook, type Workbook } from './xlsx.js';
import { refuseExcelDamage } from './excel-damage.js';
import { isPackagedLayer, readPackagedLayer } from './layers.js';
import { parseBlockLayer } from './geojson.js';
import { featuresAsCsv, isFeatureFile } from './features.js';
import { parsePeriod } from '../filter/period.js';
import type { Progress } from '../progress.js';

export const projectFileName = 'buurtbalans.yml';

/** A yml file, or a folder that holds `buurtbalans.yml`; resolved to the file's absolute path. */
export function resolveProjectPath(path: string): string {
  const absolute = resolve(path);
  const stats = statOrUndefined(absolute);
  if (!stats) {
    throw new UserError(`project not found: ${path}`, {
      expected: `a ${projectFileName} file, or a folder that holds one`,
      fix: 'give the path of the project folder, or create a project file (see the README)',
    });
  }
  if (stats.isDirectory()) {
    const file = join(absolute, projectFileName);
    if (!statOrUndefined(file)) {
      throw new UserError(`no ${projectFileName} in ${path}`, {
        expected: `${join(path, projectFileName)}`,
        fix: 'give the path of the project file, or create one (see the README)',
      });
    }
    return file;
  }
  return absolute;
}

/**
 * What `readAhead` read before loadProject (those readers are asynchronous): the .xlsx exports by
 * absolute path, and the blocks when they come as a GeoPackage or Shapefile.
 */
export interface ReadAhead {
  workbooks: ReadonlyMap<string, Workbook>;
  blocks?: object | undefined;
  /** The project file as readAhead parsed it: read once. */
  project?: ProjectConfig | undefined;
}

/**
 * Reads the project file and every file it names. Paths are relative to the project file. An .xlsx
 * export comes from `workbooks`; without it the CSV reader says it is a workbook.
 */
export function loadProject(projectPath: string, tool: { name: string; version: string }, progress?: Progress, ahead: ReadAhead = { workbooks: new Map() }): AnalysisInput {
  const file = resolveProjectPath(projectPath);
  const baseDir = dirname(file);
  const project = ahead.project ?? parseProject(readText(file, basename(file)), basename(file));
  const read = (relativePath: string, key: string) => readBytes(baseDir, relativePath, key);
  if (isPackagedLayer(project.blocks.file) && !ahead.blocks) throw new Error('readAhead must read a GeoPackage or Shapefile before loadProject');
  const blockBytes = ahead.blocks ? undefined : read(project.blocks.file, 'blocks.file');
  const table = (config: ProjectConfig['sources'][number] | NonNullable<ProjectConfig['addresses']>, key: string, locating: { address: (string | undefined)[]; bag: (string | undefined)[] }) => {
    const workbook = ahead.workbooks.get(resolve(baseDir, config.file));
    const features = !workbook && 'place_by' in config && isFeatureFile(config.file);
    const parsed = workbook
      ? parseCsv(workbook.csv, config.file, { encoding: 'utf-8', delimiter: ',', headerLine: config.header_line }, progress)
      : features
        ? parseCsv(new TextEncoder().encode(featuresAsCsv(new TextDecoder().decode(read(config.file, key)), config.file, config.crs)), config.file, { encoding: 'utf-8', delimiter: ',', decimal: '.' }, progress)
        : parseCsv(read(config.file, key), config.file, dialectOverride(config), progress);
    if (workbook) parsed.dialect.sheet = workbook.sheet;
    refuseExcelDamage(parsed, locating, config.file);
    return parsed;
  };
  // The exports are read while the heap is still small: every 64 MB of new buffers sets off a
  // full garbage collection, and a country's parsed blocks layer makes each of those take 0.3 s.
  const addresses = project.addresses;
  const register = addresses
    ? table(addresses, 'addresses.file', { address: [addresses.postcode, addresses.huisnummer, addresses.huisletter, addresses.toevoeging], bag: addresses.bag === undefined ? [] : [addresses.bag].flat() })
    : undefined;
  const sources = project.sources.map((config, index) => ({
    config,
    table: table(config, `sources[${index}].file`, {
      address: config.place_by === 'address' ? [config.columns.postcode, config.columns.huisnummer, config.columns.huisletter, config.columns.toevoeging] : [],
      bag: config.place_by === 'bag' ? [config.columns.bag] : [],
    }),
  }));
  const blocks = parseBlockLayer(ahead.blocks ?? new TextDecoder().decode(blockBytes), project.blocks.file, project.blocks);
  const period = project.period ? parsePeriod(project.period, 'period') : undefined;
  return { project, projectFile: basename(file), blocks, register, sources, tool, period, progress };
}

/** Reads the .xlsx exports a project names (by extension, or by content when renamed to .csv) and packaged blocks, for loadProject. */
export async function readAhead(projectPath: string): Promise<ReadAhead> {
  const file = resolveProjectPath(projectPath);
  const baseDir = dirname(file);
  const project = parseProject(readText(file, basename(file)), basename(file));
  const workbooks = new Map<string, Workbook>();
  for (const [index, config] of [...(project.addresses ? [project.addresses] : []), ...project.sources].entries()) {
    const path = resolve(baseDir, config.file);
    if (!isWorkbook(path, firstBytes(path))) continue;
    const key = project.addresses && index === 0 ? 'addresses.file' : `sources[${index - (project.addresses ? 1 : 0)}].file`;
    workbooks.set(path, await readWorkbook(readBytes(baseDir, config.file, key), config.file, config.sheet));
  }
  const blocksFile = project.blocks.file;
  const sibling = (extension: string) => {
    const path = resolve(baseDir, blocksFile.replace(/\.shp$/i, `.${extension}`));
    return statOrUndefined(path)?.isFile() ? readBytes(baseDir, blocksFile.replace(/\.shp$/i, `.${extension}`), 'blocks.file') : undefined;
  };
  const blocks = isPackagedLayer(blocksFile) ? await readPackagedLayer(readBytes(baseDir, blocksFile, 'blocks.file'), blocksFile, project.blocks.layer, sibling) : undefined;
  return { workbooks, blocks, project };
}

function firstBytes(path: string): Uint8Array {
  const bytes = new Uint8Array(4);
  try {
    if (!statSync(path).isFile()) return bytes;
    const fd = openSync(path, 'r');
    readSync(fd, bytes, 0, 4, 0);
    closeSync(fd);
  } catch {
    // Missing or unreadable: loadProject says so.
  }
  return bytes;
}

function dialectOverride(config: ProjectConfig['sources'][number] | NonNullable<ProjectConfig['addresses']>): DialectOverride {
  return { encoding: config.encoding, delimiter: config.delimiter, decimal: config.decimal, headerLine: config.header_line };
}

function readBytes(baseDir: string, relativePath: string, key: string): Uint8Array {
  const path = resolve(baseDir, relativePath);
  return readInputFile(path, relative(process.cwd(), path) || path, {
    expected: `the file named in ${key} of ${projectFileName}, relative to the project file`,
    fix: `check the name and folder of ${relativePath}`,
  });
}

function readText(path: string, label: string): string {
  return readInputFile(path, label, { expected: `a ${projectFileName} project file`, fix: 'check the path' }).toString('utf8').replace(/^\ufeff/, '');
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

