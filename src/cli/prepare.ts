import { Command } from 'commander';
import type { CliIo } from './io.js';

/** `buurtbalans prepare EXPORT --for KIT --source NAME [--out FILE] [--key FILE]`: a partner's share, made on the partner's machine. */
export function create(io: CliIo): Command {
  return new Command('prepare')
    .description("prepare a partner's share from its raw export with the project kit: only what the project asks for leaves")
    .argument('<export>', 'the raw export (CSV or .xlsx, any dialect)')
    .requiredOption('--for <kit>', 'the kit folder the gebiedsmakelaar sent (or its kit.json)')
    .requiredOption('--source <name>', 'which source of the project this export is (the request names it)')
    .option('--out <file>', 'the share to write (default: <source>.deel.csv in the current folder); its manifest goes beside it')
    .option('--key <file>', "the partners' key file, where the project counts samenloop from this source")
    .option('--sheet <name>', 'the sheet of an .xlsx export (default: the first)')
    .option('--date <yyyy-mm-dd>', 'the date in the manifest (default: today, or SOURCE_DATE_EPOCH)')
    .action(async (exportPath: string, options: { for: string; source: string; out?: string; key?: string; sheet?: string; date?: string }) => {
      const { statSync } = await import('node:fs');
      const { basename, dirname, join, relative, resolve } = await import('node:path');
      const { UserError } = await import('../errors.js');
      const { readInputFile } = await import('../ingest/read-file.js');
      const { loadInputs, readAheadFor } = await import('../ingest/load.js');
      const { kitFileName, parseKit } = await import('../share/kit.js');
      const { projectId } = await import('../share/layout.js');
      const { readKey } = await import('../share/key.js');
      const { prepareShare } = await import('../share/prepare.js');
      const { doorsFileName, manifestPage, manifestPath, shareFileName } = await import('../share/manifest.js');
      const { suggestion } = await import('../text.js');
      const { creationDate } = await import('./dates.js');
      const { toolInfo } = await import('./tool-info.js');
      const { writeFileAtomic } = await import('./io.js');
      const { grouped } = await import('../indicators/sentences.js');
      const { markdownPagePdf } = await import('../render/page-pdf.js');

      const date = creationDate(options.date);
      const kitFile = statSync(options.for, { throwIfNoEntry: false })?.isDirectory() ? join(options.for, kitFileName) : options.for;
      const kitDir = dirname(resolve(kitFile));
      const kit = parseKit(readInputFile(kitFile, kitFile, { expected: 'the kit folder the gebiedsmakelaar sent (with kit.json)', fix: 'give the kit folder with --for' }).toString('utf8'), kitFile);
      const request = kit.requests.find((r) => r.source === options.source);
      const config = kit.settings.sources.find((source) => source.name === options.source);
      if (!request || !config) {
        throw new UserError(`the kit asks nothing of a source "${options.source}"`, { file: kitFile, expected: `one of ${kit.requests.map((r) => r.source).join(', ')}`, fix: `${suggestion(options.source, kit.requests.map((r) => r.source))} The request names your source.` });
      }
      // A kit whose blocks or register were changed would place records in other blocks than the project's.
      const copy = (file: string) => readInputFile(join(kitDir, file), file, { expected: `the kit's ${file}`, fix: 'use the kit folder as the gebiedsmakelaar sent it' });
      if (projectId(kit.project.name, copy(kit.settings.blocks.file), kit.settings.addresses ? copy(kit.settings.addresses.file) : undefined) !== kit.project.id) {
        throw new UserError(`the kit's blocks or address register were changed after the kit was made`, { file: kitFile, expected: `the kit of project ${kit.project.name} (${kit.project.id}) as it was sent`, fix: 'ask the gebiedsmakelaar to send the kit again' });
      }
      const project = { ...kit.settings, sources: [{ ...config, file: resolve(exportPath), ...(options.sheet ? { sheet: options.sheet } : {}) }] };
      const input = loadInputs(project, kitDir, kitFileName, toolInfo(), undefined, await readAheadFor(project, kitDir));
      const key = options.key === undefined ? undefined : readKey(readInputFile(options.key, options.key, { expected: "the partners' key file", fix: 'give the path of the key file' }).toString('utf8'), options.key);
      const out = options.out ?? shareFileName(config.name);
      const { csv, doors, manifest } = prepareShare(kit, request, input, request.layout.pseudonym ? key : undefined, basename(out), date);
      manifest.export.file = basename(exportPath);
      writeFileAtomic(out, csv);
      if (doors !== undefined) writeFileAtomic(join(dirname(out), doorsFileName(basename(out))), doors);
      writeFileAtomic(manifestPath(out, 'json'), `${JSON.stringify(manifest, null, 2)}\n`);
      const page = manifestPage(manifest);
      writeFileAtomic(manifestPath(out, 'md'), page);
      writeFileAtomic(manifestPath(out, 'pdf'), await markdownPagePdf(page, `Deelbestand ${config.name}: verantwoording`, date));
      const shown = (path: string) => relative(process.cwd(), resolve(path)) || path;
      // analyse looks for <source>.deel.csv in the shares folder: another name is said now, not found missing later.
      const expectedName = shareFileName(config.name);
      const personal = manifest.kept_out.identifiers.filter((f) => f.kind === 'direct').map((f) => f.column);
      io.stderr(
        [
          `Deelbestand ${shown(out)}: ${grouped(manifest.share.rows, 'nl')} van de ${grouped(manifest.export.rows, 'nl')} regels, kolommen ${manifest.share.columns.join(', ')}.`,
          manifest.kept_out.columns.length === 0 ? 'Alle kolommen van de export gaan mee.' : `Blijft hier: ${manifest.kept_out.columns.length} ${manifest.kept_out.columns.length === 1 ? 'kolom' : 'kolommen'}${personal.length > 0 ? `, waaronder persoonsgegevens in ${personal.join(', ')}` : ''}.`,
          ...(request.layout.pseudonym ? [`Voor de samenloop: ${doorsFileName(basename(out))}, met per regel alleen een pseudoniem van het adres en de ja/nee-kolommen (sleutelcontrole ${manifest.key!.fingerprint}).`] : []),
          ...(key !== undefined && !request.layout.pseudonym ? ['De sleutel is niet gebruikt: het project telt geen samenloop uit deze bron.'] : []),
          ...(basename(out) !== expectedName ? [`Let op: de analyse zoekt ${expectedName}; geef het bestand die naam (met ${doorsFileName(expectedName)} en ${manifestPath(expectedName, 'json')} ernaast) of maak het opnieuw met --out ${expectedName}.`] : []),
          `Lees en onderteken ${shown(manifestPath(out, 'pdf'))} (of .md); stuur daarna ${[basename(out), ...(doors !== undefined ? [doorsFileName(basename(out))] : []), basename(manifestPath(out, 'json'))].join(', ')} en de ondertekende pagina naar de gebiedsmakelaar.`,
          '',
        ].join('\n'),
      );
    });
}
