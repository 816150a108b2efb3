import { extname } from 'node:path';
import { UserError } from '../errors.js';
import { compileFilter, UnknownColumnError } from '../filter/expression.js';
import { projectSchema, type ProjectConfig, type SourceConfig } from '../project/schema.js';
import { samenloopPlan } from '../analysis/samenloop.js';
import { projectId, samenloopSources, requestId, shareLayout, whereFilters, type ShareLayout } from './layout.js';

/**
 * The project kit: what a partner's data officer needs to prepare a share on their own machine.
 * The blocks and the address register (public BAG data) as the project has them, the project's
 * settings, and per source what is asked. No partner's data, and no key: the key stays among the partners.
 */
export interface Kit {
  format: 'buurtbalans-kit';
  version: 1;
  project: { name: string; id: string; period: string | null };
  /** The project's settings, the blocks and register named as the kit's own copies. */
  settings: ProjectConfig;
  requests: KitRequest[];
}

export interface KitRequest {
  source: string;
  organisation: string;
  /** Changes whenever what is asked of this source changes: a share made for another request is refused. */
  request: string;
  /** The export's columns the project reads (placing, flags, filters, counts). */
  reads: string[];
  layout: Omit<ShareLayout, 'analysedAs'>;
}

export const kitFileName = 'kit.json';
export const kitBlocksName = 'blokken';
export const kitRegisterName = 'adressen';

/** The kit of a project: kit.json's content and the files copied beside it. */
export function buildKit(project: ProjectConfig, projectFile: string, blocksBytes: Uint8Array, registerBytes: Uint8Array | undefined): { kit: Kit; files: { name: string; bytes: Uint8Array }[] } {
  if (/\.shp$/i.test(project.blocks.file)) {
    throw new UserError(`the blocks are a loose Shapefile (${project.blocks.file}), which a kit cannot carry as one file`, {
      file: projectFile,
      expected: 'blocks as GeoJSON, GeoPackage or a zipped Shapefile',
      fix: 'zip the .shp with its .shx, .dbf and .prj and name the .zip under blocks: file:',
    });
  }
  const blocksFile = `${kitBlocksName}${extname(project.blocks.file).toLowerCase()}`;
  const registerFile = project.addresses ? `${kitRegisterName}${extname(project.addresses.file).toLowerCase() || '.csv'}` : undefined;
  const { shares: _shares, ...rest } = project;
  const settings: ProjectConfig = { ...rest, blocks: { ...project.blocks, file: blocksFile }, ...(project.addresses ? { addresses: { ...project.addresses, file: registerFile! } } : {}) };
  const id = projectId(project.name, blocksBytes, registerBytes);
  const pseudonymised = samenloopSources(samenloopPlan(project, projectFile));
  const requests = project.sources.map((source): KitRequest => {
    const { analysedAs: _analysedAs, ...layout } = shareLayout(project, source, pseudonymised.has(source.name));
    return { source: source.name, organisation: source.organisation ?? source.name, request: requestId(project, source, layout), reads: columnsRead(project, source), layout };
  });
  return {
    kit: { format: 'buurtbalans-kit', version: 1, project: { name: project.name, id, period: project.period ?? null }, settings, requests },
    files: [{ name: blocksFile, bytes: blocksBytes }, ...(registerFile && registerBytes ? [{ name: registerFile, bytes: registerBytes }] : [])],
  };
}

/** A kit.json read back: its settings validated as a project's. */
export function parseKit(text: string, file: string): Kit {
  const problem = (what: string) =>
    new UserError(`${file} is no buurtbalans kit (${what})`, {
      file,
      expected: 'kit.json as `buurtbalans kit` writes it, in the kit folder the gebiedsmakelaar sent',
      fix: 'give the kit folder (or its kit.json) with --for; ask the gebiedsmakelaar for a new kit when it was changed',
    });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw problem('not JSON');
  }
  const kit = raw as Partial<Kit>;
  if (kit.format !== 'buurtbalans-kit') throw problem('no "format": "buurtbalans-kit"');
  if (kit.version !== 1) throw problem(`version ${String(kit.version)}, this buurtbalans reads version 1`);
  const settings = projectSchema.safeParse(kit.settings);
  if (!settings.success || !kit.project || !Array.isArray(kit.requests)) throw problem('its settings are incomplete');
  return { ...(kit as Kit), settings: settings.data };
}

/** The export's columns a source's settings name: where to place it, what its flags and filters read, what it counts. */
export function columnsRead(project: ProjectConfig, source: SourceConfig): string[] {
  const named = [
    ...Object.values(source.columns).filter((name): name is string => name !== undefined),
    ...[...Object.values(source.flags ?? {}), ...whereFilters(project, source.name).map((filter) => filter.where)].flatMap(filterColumns),
    ...(source.category ? [source.category] : []),
    ...(source.date ? [source.date] : []),
    ...(source.counts ?? []),
    ...(source.signals ? [source.signals.theme, source.signals.valence, source.signals.weight].filter((name): name is string => name !== undefined) : []),
    ...(source.survey ? source.survey.questions.map((question) => question.column) : []),
  ];
  const seen = new Set<string>();
  return named.filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
}

/** The columns a filter reads, found by compiling it against a header that grows by each column it asks for. */
function filterColumns(text: string): string[] {
  const header: string[] = [];
  for (;;) {
    try {
      compileFilter(text, header, '.');
      return header;
    } catch (error) {
      if (!(error instanceof UnknownColumnError) || header.includes(error.column)) return header;
      header.push(error.column);
    }
  }
}
