import { join } from 'node:path';
import type { MapInput } from '../render/map/compose.js';
import type { ReportOptions } from '../report/build.js';
import { vegaBundles } from './bundles.js';
import { creationDate } from './dates.js';
import { writeFileAtomic } from './io.js';
import { toolInfo } from './tool-info.js';

/** Builds the report files of an analysis and writes them into `dir`; returns the names written. */
export async function writeReport(mapInput: MapInput, dir: string, options: { formats: ('html' | 'pdf' | 'md')[]; lang: 'nl' | 'en'; internal: boolean; date: string | undefined; prepared?: ReportOptions['prepared']; figures?: ReportOptions['figures'] }): Promise<string[]> {
  const { buildReportFiles } = await import('../report/build.js');
  const files = await buildReportFiles(mapInput.result, mapInput, {
    formats: options.formats,
    lang: options.lang,
    date: creationDate(options.date),
    version: toolInfo().version,
    internal: options.internal,
    scripts: options.formats.includes('html') ? vegaBundles() : [],
    prepared: options.prepared,
    figures: options.figures,
  });
  for (const file of files) writeFileAtomic(join(dir, file.path), file.content);
  return files.filter((file) => !file.path.includes('/')).map((file) => file.path);
}
