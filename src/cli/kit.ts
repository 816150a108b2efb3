import { Command } from 'commander';
import type { CliIo } from './io.js';

/** `buurtbalans kit [PROJECT] [--out DIR]`: what the partners need to prepare their shares. */
export function create(io: CliIo): Command {
  return new Command('kit')
    .description('write the project kit the partners prepare their shares with: blocks, address register, what is asked per source')
    .argument('[project]', 'buurtbalans.yml, or a folder that holds it', '.')
    .option('--out <dir>', 'folder for the kit (default: kit/ beside the project file)')
    .action(async (projectPath: string, options: { out?: string }) => {
      const { mkdirSync } = await import('node:fs');
      const { join, relative, resolve } = await import('node:path');
      const { kitFileName } = await import('../share/kit.js');
      const { writeFileAtomic } = await import('./io.js');
      const { baseDir, kit, files } = await projectKit(projectPath);
      const out = resolve(options.out ?? join(baseDir, 'kit'));
      mkdirSync(out, { recursive: true });
      for (const { name, bytes } of files) writeFileAtomic(join(out, name), bytes);
      writeFileAtomic(join(out, kitFileName), `${JSON.stringify(kit, null, 2)}\n`);
      const shown = relative(process.cwd(), out) || '.';
      const pseudonymised = kit.requests.filter((request) => request.layout.pseudonym).map((request) => request.organisation);
      io.stderr(
        [
          `Kit voor ${kit.project.name} (projectcode ${kit.project.id}) geschreven in ${shown}/: ${kitFileName} en ${files.map((f) => f.name).join(' en ')}.`,
          `Stuur de map aan de functionaris gegevensbescherming van elke partner, met diens verzoek (buurtbalans request).`,
          ...(pseudonymised.length > 0
            ? [`Adrespseudoniemen (voor de samenloop) van ${[...new Set(pseudonymised)].join(', ')}: die partners spreken samen een sleutel af (buurtbalans key); de gebiedsmakelaar krijgt die sleutel nooit.`]
            : []),
          '',
        ].join('\n'),
      );
    });
}

/** A project file read and validated, with its kit: what `kit` writes and `request` describes. */
export async function projectKit(projectPath: string) {
  const { basename, dirname, resolve } = await import('node:path');
  const { resolveProjectPath } = await import('../ingest/load.js');
  const { parseProject } = await import('../project/load.js');
  const { readInputFile } = await import('../ingest/read-file.js');
  const { buildKit } = await import('../share/kit.js');
  const file = resolveProjectPath(projectPath);
  const baseDir = dirname(file);
  const project = parseProject(readInputFile(file, basename(file), { expected: 'a buurtbalans.yml project file', fix: 'check the path' }).toString('utf8').replace(/^\ufeff/, ''), basename(file));
  const read = (path: string, key: string) => readInputFile(resolve(baseDir, path), path, { expected: `the file named in ${key} of ${basename(file)}`, fix: `check the name and folder of ${path}` });
  return { project, file, baseDir, ...buildKit(project, basename(file), read(project.blocks.file, 'blocks.file'), project.addresses ? read(project.addresses.file, 'addresses.file') : undefined) };
}
