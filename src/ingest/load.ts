import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { AnalysisInput, DoorTable } from '../analysis/analyse.js';
import { parseProject } from '../project/load.js';
import type { ProjectConfig } from '../project/schema.js';
import { parseCsv, type CsvTable } from './csv.js';
import { exportLabel, parseExport, type ExportConfig } from './export.js';
import { readExportsInWorkers, workerReadingFrom, type ExportJob } from './csv-workers.js';
import { readInputFile } from './read-file.js';
import { isWorkbook, readWorkbook, type Workbook } from './xlsx.js';
import { excelCheckedColumns, refuseExcelDamage } from './excel-damage.js';
import { isPackagedLayer, readPackagedLayer } from './layers.js';
import { parseBlockLayer, type BlockLayer } from './geojson.js';
import { placeNamesOf, scanOnArrival, type ScannedOnArrival, type SourcePlace } from '../privacy/protect.js';
import { parsePeriod } from '../filter/period.js';
import type { Progress } from '../progress.js';
import type { PreparedShare } from '../analysis/result.js';
import { doorsFileName, manifestPath, shareFileName, verifyShare } from '../share/manifest.js';
import { samenloopPlan } from '../analysis/samenloop.js';
import { doorsConfig, projectId, requestId, samenloopSources, shareLayout } from '../share/layout.js';

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
  /** CSV and feature exports worker threads read, by absolute path (see csv-workers.ts), checked for Excel damage. */
  tables?: ReadonlyMap<string, CsvTable> | undefined;
  /** The blocks (a GeoJSON), parsed while the workers read the exports. */
  blockLayer?: BlockLayer | undefined;
  /** The identifier scan of the tables the workers read, made as each came (see scanOnArrival). */
  scanned?: ReadonlyMap<CsvTable, ScannedOnArrival> | undefined;
}

/** How readAhead may read: worker threads for the CSV exports (`threads` above 1), and a progress bar; `scan: false` for a command that scans the exports its own way (check). */
export interface ReadAheadOptions {
  threads?: number | undefined;
  progress?: Progress | undefined;
  scan?: boolean | undefined;
}

/**
 * Reads the project file and every file it names. Paths are relative to the project file. An .xlsx
 * export comes from `workbooks`; without it the CSV reader says it is a workbook.
 */
export function loadProject(projectPath: string, tool: { name: string; version: string }, progress?: Progress, ahead: ReadAhead = { workbooks: new Map() }): AnalysisInput {
  const file = resolveProjectPath(projectPath);
  const project = ahead.project ?? parseProject(readText(file, basename(file)), basename(file));
  return loadInputs(project, dirname(file), basename(file), tool, progress, ahead);
}

/** Every file a project names, relative to `baseDir` (a project's folder, or a kit's). */
export function loadInputs(project: ProjectConfig, baseDir: string, projectFile: string, tool: { name: string; version: string }, progress?: Progress, ahead: ReadAhead = { workbooks: new Map() }): AnalysisInput {
  const read = (relativePath: string, key: string) => readBytes(baseDir, relativePath, key);
  if (isPackagedLayer(project.blocks.file) && !ahead.blocks) throw new Error('readAhead must read a GeoPackage or Shapefile before loadProject');
  const blockBytes = ahead.blocks || ahead.blockLayer ? undefined : read(project.blocks.file, 'blocks.file');
  const table = (config: ExportConfig, key: string, bytes?: Uint8Array) => {
    // A worker's table was checked for Excel damage as it came.
    const fromWorker = ahead.tables?.get(resolve(baseDir, config.file));
    if (fromWorker) return fromWorker;
    const workbook = ahead.workbooks.get(resolve(baseDir, config.file));
    const label = exportLabel(config);
    const parsed = workbook ? parseCsv(workbook.csv, label, { encoding: 'utf-8', delimiter: ',', headerLine: config.header_line }, progress) : parseExport(bytes ?? readBytes(baseDir, config.file, key, { shared: true }), config, label, progress);
    if (workbook) parsed.dialect.sheet = workbook.sheet;
    refuseExcelDamage(parsed, excelCheckedColumns(config), config.file);
    return parsed;
  };
  // The exports are read while the heap is still small: every 64 MB of new buffers sets off a
  // full garbage collection, and a country's parsed blocks layer makes each of those take 0.3 s.
  const addresses = project.addresses;
  // Read once: the register's bytes are also the project's identity when shares are checked.
  const registerBytes = addresses && !ahead.workbooks.has(resolve(baseDir, addresses.file)) && !ahead.tables?.has(resolve(baseDir, addresses.file)) ? read(addresses.file, 'addresses.file') : undefined;
  const register = addresses ? table(addresses, 'addresses.file', registerBytes) : undefined;
  const identity = () => ({ blocks: blockBytes ?? read(project.blocks.file, 'blocks.file'), register: addresses ? (registerBytes ?? read(addresses.file, 'addresses.file')) : undefined });
  const prepared = project.shares ? preparedShares(project, baseDir, projectFile, identity) : new Map<string, PreparedSource>();
  const sources = project.sources.map((config, index) => {
    const share = prepared.get(config.name);
    const shareCsv = (bytes: Uint8Array, file: string) => parseCsv(bytes, file, { encoding: 'utf-8', delimiter: ',', decimal: '.' }, progress);
    if (share) {
      const doors = share.doors && { config: share.doors.config, table: shareCsv(share.doors.bytes, share.doors.config.file), withoutDoor: share.doors.withoutDoor, spread: share.doors.spread };
      return { config: share.config, table: shareCsv(share.bytes, share.config.file), ...(doors ? { doors } : {}) };
    }
    return { config, table: table(config, `sources[${index}].file`) };
  });
  const blocks = ahead.blockLayer ?? parseBlockLayer(ahead.blocks ?? new TextDecoder().decode(blockBytes), project.blocks.file, project.blocks);
  const period = project.period ? parsePeriod(project.period, 'period') : undefined;
  // A share is read as the source its request describes: by block or PC6, its flags as ja/nee columns.
  const analysed = prepared.size > 0 ? { ...project, sources: sources.map((source) => source.config) } : project;
  const shares = prepared.size > 0 ? new Map([...prepared].map(([name, share]) => [name, share.prepared])) : undefined;
  return { project: analysed, projectFile, blocks, register, sources, tool, period, progress, ...(shares ? { shares } : {}), ...(ahead.scanned ? { scanned: ahead.scanned } : {}) };
}

interface PreparedSource {
  config: ProjectConfig['sources'][number];
  bytes: Uint8Array;
  prepared: PreparedShare;
  doors: ({ config: ProjectConfig['sources'][number]; bytes: Uint8Array } & Omit<DoorTable, 'config' | 'table'>) | undefined;
}

/**
 * The shares in the project's shares folder, checked: unchanged since they were made, for this
 * project and this request, and (where they carry address pseudonyms) all made with one key.
 */
function preparedShares(project: ProjectConfig, baseDir: string, projectFile: string, identity: () => { blocks: Uint8Array; register: Uint8Array | undefined }): Map<string, PreparedSource> {
  const folder = resolve(baseDir, project.shares!);
  if (!statOrUndefined(folder)?.isDirectory()) {
    throw new UserError(`the shares folder ${project.shares} does not exist`, { file: projectFile, expected: 'shares: a folder (relative to the project file) with the partners\' <source>.deel.csv files and their manifests', fix: 'create the folder and put the shares in it, or correct shares: (or --shares)' });
  }
  const found = project.sources.filter((config) => statOrUndefined(join(folder, shareFileName(config.name)))?.isFile());
  if (found.length === 0) return new Map();
  const { blocks, register } = identity();
  const id = projectId(project.name, blocks, register);
  const pseudonymised = samenloopSources(samenloopPlan(project, projectFile));
  const result = new Map<string, PreparedSource>();
  const fingerprints: [string, string][] = [];
  for (const config of found) {
    const path = join(folder, shareFileName(config.name));
    const label = relative(process.cwd(), path) || path;
    const bytes = readInputFile(path, label, { expected: 'a share made by buurtbalans prepare', fix: 'ask the partner for it again' });
    const manifestFile = manifestPath(path, 'json');
    const manifestText = readInputFile(manifestFile, relative(process.cwd(), manifestFile) || manifestFile, {
      expected: `the manifest prepare wrote beside ${shareFileName(config.name)}`,
      fix: 'ask the partner to send the share with its manifest (.manifest.json)',
    }).toString('utf8');
    const layout = shareLayout(project, config, pseudonymised.has(config.name));
    const { analysedAs, ...asked } = layout;
    const doorsFile = join(folder, doorsFileName(shareFileName(config.name)));
    const doorsBytes = layout.pseudonym
      ? readInputFile(doorsFile, relative(process.cwd(), doorsFile) || doorsFile, { expected: `the door table prepare wrote beside ${shareFileName(config.name)} (the samenloop counts from ${config.name})`, fix: 'ask the partner to send it with the share and its manifest' })
      : undefined;
    const { prepared, fingerprint, doors: doorsSaid } = verifyShare(manifestText, relative(baseDir, manifestFile), bytes, label, { source: config.name, projectName: project.name, projectId: id, request: requestId(project, config, asked) }, doorsBytes);
    if (fingerprint) fingerprints.push([config.name, fingerprint]);
    const doors = doorsBytes && doorsSaid ? { config: { ...doorsConfig(layout), file: relative(baseDir, doorsFile) }, bytes: doorsBytes, withoutDoor: doorsSaid.rows_without_door, spread: doorsSaid.spread } : undefined;
    result.set(config.name, { config: { ...analysedAs, file: relative(baseDir, path) }, bytes, prepared, doors });
  }
  const other = fingerprints.find(([, fingerprint]) => fingerprint !== fingerprints[0]![1]);
  if (other) {
    throw new UserError(`the shares of ${fingerprints[0]![0]} and ${other[0]} were made with different keys: their address pseudonyms never meet, and the samenloop would find nothing`, {
      file: join(project.shares!, shareFileName(other[0])),
      expected: 'every share with address pseudonyms made with the one key the partners agreed on',
      fix: `ask the partners to check that they used the same key file (the manifest's sleutelcontrole must be equal) and to prepare again`,
    });
  }
  return result;
}

/** Reads the .xlsx exports a project names (by extension, or by content when renamed to .csv) and packaged blocks, for loadProject. */
export async function readAhead(projectPath: string, options: ReadAheadOptions & { shares?: string | undefined } = {}): Promise<ReadAhead> {
  const file = resolveProjectPath(projectPath);
  const project = parseProject(readText(file, basename(file)), basename(file));
  if (options.shares !== undefined) project.shares = resolve(options.shares);
  return readAheadFor(project, dirname(file), options);
}

/** readAhead for a project already parsed, its paths relative to `baseDir`. */
export async function readAheadFor(project: ProjectConfig, baseDir: string, options: ReadAheadOptions = {}): Promise<ReadAhead> {
  const workbooks = new Map<string, Workbook>();
  const csvs: ExportJob[] = [];
  const sourcePlace = (config: ExportConfig): SourcePlace => ({ index: project.sources.indexOf(config as ProjectConfig['sources'][number]), quotes: project.quotes });
  for (const [index, config] of [...(project.addresses ? [project.addresses] : []), ...project.sources].entries()) {
    const path = resolve(baseDir, config.file);
    const size = statOrUndefined(path)?.size ?? 0;
    if (!isWorkbook(path, firstBytes(path))) {
      csvs.push({ path, config, bytes: size, ...(options.scan === false ? {} : { scan: sourcePlace(config) }) });
      continue;
    }
    const key = project.addresses && index === 0 ? 'addresses.file' : `sources[${index - (project.addresses ? 1 : 0)}].file`;
    workbooks.set(path, await readWorkbook(readBytes(baseDir, config.file, key), config.file, config.sheet));
  }
  // Prepared shares replace the sources' exports: those are read (small) when the shares are checked.
  // Two files or more: one file alone is read as fast here as in a worker, without starting one.
  const inWorkers = (options.threads ?? 1) > 1 && !project.shares && csvs.length > 1 && csvs.reduce((sum, job) => sum + job.bytes, 0) >= workerReadingFrom;
  const blocksFile = project.blocks.file;
  // While the workers read, this thread parses the blocks and checks each table as it comes.
  let blockLayer: BlockLayer | undefined;
  let register: CsvTable | undefined;
  let places: (() => ReadonlySet<string>) | undefined;
  const scanned = new Map<CsvTable, ScannedOnArrival>();
  let waiting: [ExportConfig, CsvTable][] = [];
  const tables = inWorkers
    ? await readExportsInWorkers(csvs, options.threads!, options.progress, {
        meanwhile: () => {
          // A broken layer is said where loadInputs parses it, after the exports, as without workers.
          if (!isPackagedLayer(blocksFile)) blockLayer = attempt(() => parseBlockLayer(new TextDecoder().decode(readBytes(baseDir, blocksFile, 'blocks.file')), blocksFile, project.blocks));
        },
        arrived: (job, table, checks) => {
          if (!checks?.undamaged && attempt(() => (refuseExcelDamage(table, excelCheckedColumns(job.config), job.config.file), true)) === undefined) return false;
          if (!('place_by' in job.config)) register = table;
          // The place names are the blocks' labels and the register's streets: a source that comes
          // before them, and that the worker could not scan without them, waits for them.
          places ??= blockLayer && (register || !project.addresses) ? placeNamesOf({ blocks: blockLayer, register, project }) : undefined;
          if (checks?.findings) scanned.set(table, { config: job.config, findings: checks.findings });
          else if (job.scan) waiting.push([job.config, table]);
          const now = waiting.filter(([config]) => places || !('place_by' in config));
          waiting = waiting.filter((entry) => !now.includes(entry));
          for (const [config, arrived] of now) {
            const findings = scanOnArrival(config, arrived, sourcePlace(config), places);
            if (findings) scanned.set(arrived, { config, findings });
          }
          return true;
        },
      })
    : undefined;
  const sibling = (extension: string) => {
    const path = resolve(baseDir, blocksFile.replace(/\.shp$/i, `.${extension}`));
    return statOrUndefined(path)?.isFile() ? readBytes(baseDir, blocksFile.replace(/\.shp$/i, `.${extension}`), 'blocks.file') : undefined;
  };
  const blocks = isPackagedLayer(blocksFile) ? await readPackagedLayer(readBytes(baseDir, blocksFile, 'blocks.file'), blocksFile, project.blocks.layer, sibling) : undefined;
  return { workbooks, blocks, project, ...(tables ? { tables, scanned } : {}), ...(blockLayer ? { blockLayer } : {}) };
}

/** What `make` gives, or undefined where it throws: the caller does it again and says what is wrong in its place. */
function attempt<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
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

/** `shared`: an export, which a placing worker may read too (see read-file.ts). */
function readBytes(baseDir: string, relativePath: string, key: string, options: { shared?: boolean } = {}): Uint8Array {
  const path = resolve(baseDir, relativePath);
  return readInputFile(path, relative(process.cwd(), path) || path, {
    expected: `the file named in ${key} of ${projectFileName}, relative to the project file`,
    fix: `check the name and folder of ${relativePath}`,
  }, options);
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

