/**
 * The benchmark: `npm run bench` (add `-- --land` for the national scale, `-- --busy` to run each
 * analysis once more with a CPU-bound process beside it, as on a laptop during a meeting).
 * Generates the buurt and stad projects (and land) with the samples generator, runs `analyse` as a
 * whole process and per stage, checks every per-block count against the generator's truth, runs
 * mapshaper's point-in-polygon join on the same 1 M points and 10,000 blocks, times `--help` and
 * the spatial statistics, prints a table and writes bench/results.json.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { readBlockTable } from '../src/ingest/block-table.js';
import { parseCsv } from '../src/ingest/csv.js';
import { Random } from '../src/stats/random.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'bin/buurtbalans.js');
const cache = join(root, 'bench/.cache');
const withLand = process.argv.includes('--land');
const withBusy = process.argv.includes('--busy');
mkdirSync(cache, { recursive: true });

interface Row {
  case: string;
  target: string;
  wall_s: number;
  /** The same case with a CPU-bound process on one core beside it (`--busy`). */
  busy_wall_s?: number;
  peak_mb: number | null;
  /** Bytes the case wrote, and the time the disk needs to read its inputs and write its outputs at its measured speed. */
  written_mb?: number;
  io_floor_s?: number;
  throughput: string;
  stages?: Record<string, number>;
  check?: string;
  met: boolean | null;
}
const rows: Row[] = [];

function run(args: string[], options: { env?: Record<string, string> } = {}) {
  const started = performance.now();
  // As a user runs it: bin/buurtbalans.js chooses the memory (the bench's own NODE_OPTIONS stay here).
  const { NODE_OPTIONS: _own, ...env } = process.env;
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...env, NO_COLOR: '1', ...options.env } });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr.slice(-2000)}`);
  return { wall, stdout: result.stdout, stderr: result.stderr };
}

/** `run` `times` times, alternating with `other` where given; the run with the median wall time (this machine moves by a fifth within the hour). */
function medianRuns(times: number, args: string[], other?: string[]): { ours: ReturnType<typeof run>; other: number | null } {
  const ours: ReturnType<typeof run>[] = [];
  const others: number[] = [];
  for (let i = 0; i < times; i++) {
    ours.push(run(args));
    if (other) others.push(run(other).wall);
  }
  ours.sort((a, b) => a.wall - b.wall);
  others.sort((a, b) => a - b);
  return { ours: ours[Math.floor(times / 2)]!, other: other ? others[Math.floor(times / 2)]! : null };
}

/** A CPU-bound process on one core while `action` runs: the busy machine of the benchmark's second column. */
function besideBusyProcess<T>(action: () => T): T {
  const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  try {
    return action();
  } finally {
    busy.kill('SIGKILL');
  }
}

/** Bytes of every file under `path`. */
function bytesUnder(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}

/** The disk's sequential write and read speed in MB/s: 256 MB written with fsync, then read back. */
function diskSpeed(): { write: number; read: number } {
  const file = join(cache, 'disk-speed.bin');
  const chunk = Buffer.alloc(16 << 20, 7);
  let started = performance.now();
  const fd = openSync(file, 'w');
  for (let i = 0; i < 16; i++) writeSync(fd, chunk);
  fsyncSync(fd);
  closeSync(fd);
  const write = 256 / ((performance.now() - started) / 1000);
  started = performance.now();
  readFileSync(file);
  const read = 256 / ((performance.now() - started) / 1000);
  rmSync(file);
  return { write: Math.round(write), read: Math.round(read) };
}
const disk = diskSpeed();

function project(scale: string): string {
  const dir = join(cache, `${scale}-seed1`);
  if (!existsSync(join(dir, 'truth.json'))) {
    rmSync(dir, { recursive: true, force: true });
    const { wall } = run([bin, 'samples', dir, '--scale', scale, '--seed', '1']);
    console.error(`generated ${scale} in ${wall.toFixed(1)} s`);
  }
  return dir;
}

/** Every per-block count of the analysis against truth.json, read from blocks.parquet (written at every scale). */
async function checkTruth(dir: string, out: string): Promise<string> {
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  const keys = new Set(Object.keys(Object.values(truth.blocks as Record<string, { counts: Record<string, number> }>)[0]!.counts));
  const { columns } = await readBlockTable(join(out, 'blocks.parquet'), { geometry: false, only: (name) => name === 'id' || keys.has(name) || keys.has(name.replace(/\.count$/, '')) });
  const column = (key: string) => columns.get(`${key}.count`) ?? columns.get(key);
  const ids = columns.get('id')!;
  let cells = 0;
  let wrong = 0;
  for (let row = 0; row < ids.length; row++) {
    const expected = truth.blocks[ids[row] as string];
    for (const [key, value] of Object.entries(expected.counts)) {
      cells++;
      const values = column(key);
      if (!values || Math.abs(Number(values[row]) - (value as number)) > 1e-6) wrong++;
    }
  }
  return `${wrong} of ${cells} per-block counts differ from truth.json`;
}

/** `runs` > 1: the run with the median wall time counts (a case of 2 s moves by a tenth between runs on this machine). */
async function analyseScale(scale: string, extra: string[], target: string, limits: { seconds: number; busySeconds?: number; mb: number; writtenMb?: number }, runs = 1) {
  const dir = project(scale);
  const out = join(cache, `${scale}-out`);
  const analyseOnce = () => run([bin, 'analyse', dir, '--out', out, '--internal', '--quiet', '--timings', '--date', '2026-11-23', ...extra]);
  const median = (list: { wall: number }[]) => list.sort((a, b) => a.wall - b.wall)[Math.floor(list.length / 2)]!.wall;
  const busyWall = withBusy ? besideBusyProcess(() => median(Array.from({ length: runs }, analyseOnce))) : undefined;
  const all = Array.from({ length: runs }, analyseOnce).sort((a, b) => a.wall - b.wall);
  const { wall, stderr } = all[Math.floor(runs / 2)]!;
  const written = bytesUnder(out);
  const read = readdirSync(dir).filter((name) => name !== 'truth.json').reduce((sum, name) => sum + bytesUnder(join(dir, name)), 0);
  const ioFloor = read / 1e6 / disk.read + written / 1e6 / disk.write;
  const spread = runs > 1 ? `median of ${runs} (${round(all[0]!.wall)}–${round(all[runs - 1]!.wall)} s); ` : '';
  const { worker_threads: workers, ...timings } = JSON.parse(/timings (\{.*\})/.exec(stderr)![1]!) as Record<string, number> & { worker_threads: { exports: number; placing: number; parquet: boolean; figures: boolean; neighbours: boolean } };
  const peak = Math.round(timings.max_rss_kb! / 1024);
  delete timings.max_rss_kb;
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  const rowsRead = Object.values(truth.sources as Record<string, { rows: number }>).reduce((sum, s) => sum + s.rows, 0) + truth.addresses_count;
  const check = await checkTruth(dir, out);
  rows.push({
    case: `analyse ${scale} (${truth.blocks_count} blocks, ${truth.addresses_count} addresses, ${rowsRead - truth.addresses_count} rows)${extra.length ? ` ${extra.join(' ')}` : ''}${runs > 1 ? `, median of ${runs}` : ''}`,
    target,
    wall_s: round(wall),
    peak_mb: peak,
    throughput: `${spread}${Math.round(rowsRead / wall / 1000)} k rows/s; placing ${Math.round(rowsRead / (timings.placing_and_counting! / 1000) / 1000)} k rows/s; worker threads read ${workers.exports} exports${workers.placing ? `, placed ${Math.round(workers.placing / 1000)} k rows` : ''}${workers.parquet ? ', encoded blocks.parquet' : ''}${workers.neighbours ? ', made the neighbour lists' : ''}${workers.figures ? ', drew the charts and PDFs' : ''}`,
    stages: timings,
    check,
    written_mb: Math.round(written / 1e6),
    io_floor_s: round(ioFloor),
    ...(busyWall !== undefined ? { busy_wall_s: round(busyWall) } : {}),
    met: wall <= limits.seconds && peak <= limits.mb && check.startsWith('0 of') && (limits.writtenMb === undefined || written / 1e6 <= limits.writtenMb) && (busyWall === undefined || limits.busySeconds === undefined || busyWall <= limits.busySeconds),
  });
}

/** The shareable run (disclosure control and its audit on the true table) and `audit` on its output, as an attacker's check. */
function shareableScale(scale: string) {
  const dir = project(scale);
  const out = join(cache, `${scale}-shareable`);
  const analysed = run([bin, 'analyse', dir, '--out', out, '--quiet', '--timings', '--no-maps', '--no-report', '--date', '2026-11-23']);
  const timings = JSON.parse(/timings (\{.*\})/.exec(analysed.stderr)![1]!) as Record<string, number>;
  const log = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8')).disclosure;
  // audit exits 1 when a cell is not decided: read its verdict either way.
  const started = performance.now();
  const audit = spawnSync(process.execPath, [bin, 'audit', out, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const audited = { wall: (performance.now() - started) / 1000 };
  const verdict = JSON.parse(audit.stdout) as { protected: boolean; tables: { hidden_cells: number; unprotected: number; solves: number; cells: { method: string; protected: boolean }[] }[] };
  const undecided = verdict.tables.reduce((sum, table) => sum + table.cells.filter((cell) => cell.method === 'none').length, 0);
  rows.push({
    case: `analyse ${scale}, shareable (disclosure control and its audit), then audit of the folder`,
    target: 'every hidden cell protected',
    wall_s: round(analysed.wall),
    peak_mb: Math.round(timings.max_rss_kb! / 1024),
    throughput: `disclosure ${round(timings.disclosure! / 1000)} s (${log.audit.hidden_cells} hidden cells, ${log.audit.rounds} rounds); audit of the folder ${round(audited.wall)} s: ${verdict.tables[0]!.unprotected - undecided} narrowed, ${undecided} of ${verdict.tables[0]!.hidden_cells} not decided there`,
    met: verdict.tables.every((table) => table.unprotected === table.cells.filter((cell) => cell.method === 'none').length),
  });
}

function help() {
  const times = Array.from({ length: 7 }, () => run([bin, '--help']).wall).sort((a, b) => a - b);
  const median = times[3]!;
  rows.push({ case: 'buurtbalans --help (median of 7)', target: '< 0.15 s', wall_s: round(median), peak_mb: null, throughput: '', met: median < 0.15 });
}

/** 1 M points and 10,000 square blocks: buurtbalans (project with one point source) against mapshaper -join. */
function placingPeer() {
  const dir = join(cache, 'points-1m');
  if (!existsSync(join(dir, 'buurtbalans.yml'))) {
    mkdirSync(dir, { recursive: true });
    const features: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const x = 100_000 + (i % 100) * 100;
      const y = 400_000 + Math.floor(i / 100) * 100;
      features.push(JSON.stringify({ type: 'Feature', properties: { blok_id: `B${i + 1}` }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 90, y], [x + 90, y + 90], [x, y + 90], [x, y]]] } }));
    }
    writeFileSync(join(dir, 'blocks.geojson'), `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[\n${features.join(',\n')}\n]}\n`);
    const random = new Random(99);
    const lines = ['x,y'];
    for (let i = 0; i < 1_000_000; i++) lines.push(`${(100_000 + random.next() * 10_000).toFixed(2)},${(400_000 + random.next() * 10_000).toFixed(2)}`);
    writeFileSync(join(dir, 'points.csv'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'buurtbalans.yml'), 'name: Punten\nblocks: { file: blocks.geojson, id: blok_id }\nsources:\n  - { name: punten, file: points.csv, place_by: point, columns: { x: x, y: y }, crs: EPSG:28992 }\nspatial: { permutations: 0 }\n');
  }
  const mapshaper = join(root, 'node_modules/mapshaper/bin/mapshaper');
  // Median of three, ours and mapshaper's alternating: a single pair moved the ratio by a fifth.
  const { ours, other: peer } = medianRuns(
    3,
    [bin, 'analyse', dir, '--out', join(cache, 'points-out'), '--internal', '--quiet', '--timings', '--no-maps', '--no-report'],
    existsSync(mapshaper) ? [mapshaper, '-i', join(dir, 'points.csv'), '-points', 'x=x', 'y=y', 'name=pts', '-i', join(dir, 'blocks.geojson'), 'name=blocks', '-join', 'pts', 'calc=n=count()', 'target=blocks', '-o', join(cache, 'mapshaper-out.geojson'), 'force'] : undefined,
  );
  const timings = JSON.parse(/timings (\{.*\})/.exec(ours.stderr)![1]!) as Record<string, number>;
  const placingRate = 1_000_000 / (timings.placing_and_counting! / 1000);
  rows.push({
    case: 'placing 1 M points in 10,000 blocks (stage)',
    target: '≥ 1.5 M points/s',
    wall_s: round(timings.placing_and_counting! / 1000),
    peak_mb: Math.round(timings.max_rss_kb! / 1024),
    throughput: `${(placingRate / 1e6).toFixed(2)} M points/s`,
    met: placingRate >= 1.5e6,
  });
  rows.push({
    case: 'whole process: buurtbalans analyse vs mapshaper -join (same points and blocks), medians of 3',
    target: '≥ 4× faster',
    wall_s: round(ours.wall),
    peak_mb: null,
    throughput: peer === null ? 'mapshaper not installed' : `mapshaper ${round(peer)} s: ratio ${(peer / ours.wall).toFixed(2)}×`,
    met: peer === null ? null : peer / ours.wall >= 4,
  });
}

/**
 * Why the CSV tokenizer is hand-written: the stad reports file read by csv-parse (decoded to one
 * string, as the tool did before) against parseCsv, in this process, best of three.
 */
function csvReading() {
  const file = join(project('stad'), 'meldingen.csv');
  const bytes = readFileSync(file);
  const best = (read: () => number) => {
    let fastest = Infinity;
    let rowCount = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      rowCount = read();
      fastest = Math.min(fastest, (performance.now() - started) / 1000);
    }
    return { seconds: fastest, rowCount };
  };
  const library = best(() => (parse(new TextDecoder().decode(bytes).replace(/\r\n?/g, '\n'), { delimiter: ';', relax_column_count: true, relax_quotes: true }) as string[][]).length - 1);
  const ours = best(() => parseCsv(bytes, 'meldingen.csv').rowCount);
  if (library.rowCount !== ours.rowCount) throw new Error(`csv-parse read ${library.rowCount} rows, parseCsv ${ours.rowCount}`);
  rows.push({
    case: `reading the stad reports CSV (${(bytes.length / 1e6).toFixed(0)} MB, ${ours.rowCount} rows): parseCsv vs csv-parse`,
    target: 'faster than the library',
    wall_s: round(ours.seconds),
    peak_mb: null,
    throughput: `csv-parse ${round(library.seconds)} s: ratio ${(library.seconds / ours.seconds).toFixed(1)}×`,
    met: ours.seconds < library.seconds,
  });
}

/**
 * `hotspots` on 100,000 squares (knn:8, 999 permutations) as a user runs it: the whole process,
 * reading the GeoJSON and writing the JSON included, with both cores (the permutation loop in
 * worker threads) and with --threads 1; the two outputs must be the same bytes.
 */
function spatial() {
  const file = join(cache, 'grid-100k.geojson');
  if (!existsSync(file)) {
    const random = new Random(42);
    const side = Math.ceil(Math.sqrt(100_000));
    const features = Array.from({ length: 100_000 }, (_, i) => {
      const x = (i % side) * 100;
      const y = Math.floor(i / side) * 100;
      // A smooth surface plus noise, so there is something to find.
      const v = Math.sin(x / 3000) + Math.cos(y / 2000) + random.next();
      return JSON.stringify({ type: 'Feature', properties: { id: i + 1, v }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 90, y], [x + 90, y + 90], [x, y + 90], [x, y]]] } });
    });
    writeFileSync(file, `{"type":"FeatureCollection","features":[\n${features.join(',\n')}\n]}\n`);
  }
  const once = (threads: string[]) => run([bin, 'hotspots', file, '--value', 'v', '--id', 'id', '--weights', 'knn:8', '--permutations', '999', '--crs', 'planar', '--json', ...threads]);
  const both = once([]);
  const one = once(['--threads', '1']);
  if (both.stdout !== one.stdout) throw new Error('hotspots gave other figures with one thread than with two');
  const busy = withBusy ? besideBusyProcess(() => once([]).wall) : undefined;
  rows.push({
    case: 'Gi* and local Moran, knn:8, 999 permutations, 100,000 polygons (whole hotspots process)',
    target: '< 8 s',
    wall_s: round(both.wall),
    peak_mb: null,
    throughput: `one thread ${round(one.wall)} s, same bytes`,
    ...(busy !== undefined ? { busy_wall_s: round(busy) } : {}),
    met: both.wall < 8,
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

help();
await analyseScale('buurt', [], '< 1 s quiet, < 2 s busy (maps and PDF report included)', { seconds: 1, busySeconds: 2, mb: 2048 }, 5);
await analyseScale('stad', ['--no-report', '--no-maps'], '< 8 s, < 1 GB', { seconds: 8, mb: 1024 }, 3);
// Issue 19's stad row says "without report": with the default maps too, as a city's analyst runs it.
await analyseScale('stad', ['--no-report'], '< 8 s, < 1 GB (with its 23 default maps)', { seconds: 8, mb: 1024 });
shareableScale('stad');
if (withLand) await analyseScale('land', ['--no-report', '--no-maps'], '< 120 s, < 6 GB peak, < 1.5 GB written', { seconds: 120, mb: 6144, writtenMb: 1500 });
placingPeer();
csvReading();
spatial();

const machine = `${process.version}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, disk ${disk.write} MB/s written, ${disk.read} MB/s read`;
writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify({ machine, rows }, null, 2)}\n`);
console.log(machine);
const table = [
  ['case', 'target', 'wall s', ...(withBusy ? ['busy s'] : []), 'peak MB', 'written MB', 'I/O floor s', 'throughput / check', 'met'],
  ...rows.map((r) => [r.case, r.target, String(r.wall_s), ...(withBusy ? [r.busy_wall_s === undefined ? '' : String(r.busy_wall_s)] : []), r.peak_mb === null ? '' : String(r.peak_mb), r.written_mb === undefined ? '' : String(r.written_mb), r.io_floor_s === undefined ? '' : String(r.io_floor_s), [r.throughput, r.check].filter(Boolean).join('; '), r.met === null ? '?' : r.met ? 'yes' : 'NO']),
];
const widths = table[0]!.map((_, c) => Math.min(70, Math.max(...table.map((row) => row[c]!.length))));
for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | '));
for (const r of rows.filter((row) => row.stages)) console.log(`stages of ${r.case.split(' (')[0]}: ${Object.entries(r.stages!).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
