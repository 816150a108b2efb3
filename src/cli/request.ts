import { Command, Option } from 'commander';
import type { CliIo } from './io.js';

/** `buurtbalans request [PROJECT] [--out DIR]`: per partner (source) the one-page data request. */
export function create(io: CliIo): Command {
  return new Command('request')
    .description("write per partner (source) a one-page data request (Markdown and PDF) their data officer can act on")
    .argument('[project]', 'buurtbalans.yml, or a folder that holds it', '.')
    .option('--out <dir>', 'folder for the requests (default: verzoeken/ beside the project file)')
    .addOption(new Option('--lang <lang>', 'language of the requests').choices(['nl', 'en']).default('nl'))
    .option('--date <yyyy-mm-dd>', 'the date on the requests (default: today, or SOURCE_DATE_EPOCH)')
    .action(async (projectPath: string, options: { out?: string; lang: 'nl' | 'en'; date?: string }) => {
      const { basename, join, relative, resolve } = await import('node:path');
      const { loadInputs, readAheadFor } = await import('../ingest/load.js');
      const { requestPage } = await import('../share/request.js');
      const { markdownPagePdf } = await import('../render/page-pdf.js');
      const { buildRegister, noDemand } = await import('../join/register.js');
      const { PolygonIndex } = await import('../geo/polygon-index.js');
      const { creationDate } = await import('./dates.js');
      const { toolInfo } = await import('./tool-info.js');
      const { writeFileAtomic } = await import('./io.js');
      const { projectKit } = await import('./kit.js');
      const date = creationDate(options.date);
      const { project, file, baseDir, kit } = await projectKit(projectPath);
      // The area as the request names it: the blocks, and the PC6s of the register's addresses in them.
      const bare = { ...project, sources: [] };
      const input = loadInputs(bare, baseDir, basename(file), toolInfo(), undefined, await readAheadFor(bare, baseDir));
      const blockById = new Map(input.blocks.ids.map((id, i) => [id, i]));
      const register = input.register && project.addresses ? buildRegister(input.register, project.addresses, input.blocks, new PolygonIndex(input.blocks.shapes), blockById, noDemand()) : undefined;
      const pc6s = register ? [...register.pc6Block].filter(([, block]) => block >= 0).map(([pc6]) => pc6).sort() : [];
      const out = resolve(options.out ?? join(baseDir, 'verzoeken'));
      const written: string[] = [];
      // A gevoelskaart is collected by the project itself: no partner prepares it.
      for (const request of kit.requests.filter((r) => project.sources.find((s) => s.name === r.source)!.place_by !== 'area')) {
        const page = requestPage(kit, request, { blocks: input.blocks.ids.length, pc6s }, toolInfo(), date, options.lang);
        const name = `${options.lang === 'nl' ? 'verzoek' : 'request'}-${request.source}`;
        writeFileAtomic(join(out, `${name}.md`), page);
        writeFileAtomic(join(out, `${name}.pdf`), await markdownPagePdf(page, `${options.lang === 'nl' ? 'Gegevensverzoek' : 'Data request'} ${request.organisation}`, date));
        written.push(name);
      }
      io.stderr(`${written.length} ${options.lang === 'nl' ? 'verzoeken geschreven in' : 'requests written to'} ${relative(process.cwd(), out) || '.'}/ (${options.lang === 'nl' ? 'Markdown en PDF' : 'Markdown and PDF'}): ${written.join(', ')}.\n`);
      const unsaid = (['contact', 'route', 'keep_until', 'basis'] as const).filter((key) => !project.request?.[key]);
      if (unsaid.length > 0) {
        io.stderr(options.lang === 'nl'
          ? `Nog niet in de verzoeken: ${unsaid.join(', ')}. Zet ze onder request: in buurtbalans.yml (contactpersoon, de beveiligde route, tot wanneer de bestanden bewaard worden, de grondslag).\n`
          : `Not yet in the requests: ${unsaid.join(', ')}. Put them under request: in buurtbalans.yml (contact, the secure route, until when the files are kept, the legal basis).\n`);
      }
    });
}
