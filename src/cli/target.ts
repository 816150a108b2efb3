import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { MapInput } from '../render/map/compose.js';
import { toolInfo } from './tool-info.js';

/**
 * What `map` and `report` draw from: an analysis folder (analysis.json and blocks.geojson, nothing
 * recomputed) or a project, which is analysed first. Also the output folder that belongs to it.
 * `note` prints to the user (a new project secret is announced).
 */
export async function loadTarget(target: string, internal: boolean, note: (text: string) => void): Promise<{ mapInput: MapInput; outDir: string; internal: boolean }> {
  const { mapInputFromFiles, mapInputFromProject } = await import('../render/map/input.js');
  if (existsSync(join(target, 'analysis.json')) && statSync(target).isDirectory()) {
    const readJson = (name: string) => JSON.parse(readFileSync(join(target, name), 'utf8'));
    const { resultFromJson } = await import('../analysis/result.js');
    const result = resultFromJson(readJson('analysis.json'));
    // A folder written with --internal stays internal: every map and report made from it says VERTROUWELIJK.
    return { mapInput: mapInputFromFiles(result, readJson('blocks.geojson')), outDir: resolve(target), internal: internal || result.internal === true || !result.disclosure };
  }
  const { loadProject, resolveProjectPath } = await import('../ingest/load.js');
  const { analyse } = await import('../analysis/analyse.js');
  const projectFile = resolveProjectPath(target);
  const { projectSecret } = await import('./secret.js');
  const input = loadProject(projectFile, toolInfo());
  input.secret = projectSecret(projectFile, input, note);
  const result = internal ? analyse(input).result : analyse(input, { highs: await (await import('../privacy/solver.js')).loadSolver() }).result;
  return { mapInput: mapInputFromProject(input, result), outDir: join(dirname(projectFile), 'buurtbalans-output'), internal };
}
