import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { AnalysisInput } from '../analysis/analyse.js';
import type { MapInput } from '../render/map/compose.js';
import { UserError } from '../errors.js';
import { toolInfo } from './tool-info.js';
import { threadsFor } from './threads.js';

/**
 * What `map` and `report` draw from: an analysis folder (analysis.json and blocks.geojson, nothing
 * recomputed) or a project, which is analysed first. Also the output folder that belongs to it.
 * `note` prints to the user (a new project secret is announced, a shareable rerun is said).
 */
export async function loadTarget(target: string, wanted: { internal: boolean; shareable: boolean }, note: (text: string) => void): Promise<{ mapInput: MapInput; outDir: string; internal: boolean }> {
  if (wanted.internal && wanted.shareable) throw new UserError('--internal and --shareable contradict each other', { expected: 'one of the two', fix: 'drop --internal to draw shareable outputs, or --shareable for internal ones' });
  if (existsSync(join(target, 'analysis.json')) && statSync(target).isDirectory()) {
    const { readAnalysisFolder } = await import('./analysis-folder.js');
    const { result, outlines } = await readAnalysisFolder(target, { outlines: true });
    const folderIsInternal = result.internal === true || !result.disclosure;
    if (wanted.shareable && folderIsInternal) return shareableFromProjectOf(target, result, note);
    const { mapInputFromFiles } = await import('../render/map/input.js');
    // A folder written with --internal stays internal: every map and report made from it says VERTROUWELIJK.
    return { mapInput: mapInputFromFiles(result, outlines!.geometries, outlines!.crs), outDir: resolve(target), internal: wanted.internal || folderIsInternal };
  }
  const { loadProject, readAhead, resolveProjectPath } = await import('../ingest/load.js');
  const projectFile = resolveProjectPath(target);
  const input = loadProject(projectFile, toolInfo(), undefined, await readAhead(projectFile, { threads: threadsFor(undefined) }));
  return { mapInput: await analysed(input, projectFile, wanted.internal, note), outDir: join(dirname(projectFile), 'buurtbalans-output'), internal: wanted.internal };
}

/**
 * An internal folder holds small counts, so disclosure control has to run again on the counts
 * themselves: the project beside the folder is analysed anew for the same period(s), shareable,
 * and the outputs go to a sibling folder so the internal one is never mixed with them.
 */
async function shareableFromProjectOf(folder: string, result: import('../analysis/result.js').AnalysisResult, note: (text: string) => void) {
  const { loadProject, readAhead } = await import('../ingest/load.js');
  const { parsePeriod } = await import('../filter/period.js');
  const projectFile = join(dirname(resolve(folder)), result.project.file);
  if (!existsSync(projectFile)) {
    throw new UserError(`${folder} was written with --internal, and its project ${result.project.file} is not in the folder above it`, {
      file: join(folder, 'analysis.json'),
      expected: 'an internal analysis folder beside its project file, so disclosure control can run again on the counts',
      fix: 'run `buurtbalans map PROJECT` or `buurtbalans report PROJECT` on the project itself (shareable by default)',
    });
  }
  const input = loadProject(projectFile, toolInfo(), undefined, await readAhead(projectFile, { threads: threadsFor(undefined) }));
  if (input.project.name !== result.project.name) {
    throw new UserError(`${folder} belongs to project "${result.project.name}", but ${projectFile} is "${input.project.name}"`, {
      file: join(folder, 'analysis.json'),
      expected: 'the project file that wrote this folder',
      fix: 'run map or report on the project itself',
    });
  }
  if (result.project.period) input.period = parsePeriod(result.project.period, 'period');
  if (result.period_comparison) input.comparePeriod = parsePeriod(result.period_comparison.before, 'compare period');
  const outDir = join(dirname(resolve(folder)), `${basename(resolve(folder))}-deelbaar`);
  note(`${folder} is internal: disclosure control runs again on ${result.project.file}, and the shareable outputs go to ${outDir}\n`);
  return { mapInput: await analysed(input, projectFile, false, note), outDir, internal: false };
}

async function analysed(input: AnalysisInput, projectFile: string, internal: boolean, note: (text: string) => void): Promise<MapInput> {
  const { analyse } = await import('../analysis/analyse.js');
  const { mapInputFromProject } = await import('../render/map/input.js');
  const { projectSecret } = await import('./secret.js');
  input.secret = projectSecret(projectFile, input, note, input.project.report.lang);
  const result = internal ? analyse(input).result : analyse(input, { highs: await (await import('../privacy/solver.js')).loadSolver() }).result;
  return mapInputFromProject(input, result);
}
