import { Command } from 'commander';
import type { CliIo } from './io.js';

/** `buurtbalans key --out FILE`: the partners' key for address pseudonyms. */
export function create(io: CliIo): Command {
  return new Command('key')
    .description("make the partners' key for address pseudonyms (for the partners' data officers only, never the gebiedsmakelaar)")
    .requiredOption('--out <file>', 'where to write the key, for example sleutel.txt')
    .option('--force', 'replace an existing key file')
    .action(async (options: { out: string; force?: boolean }) => {
      const { chmodSync, existsSync } = await import('node:fs');
      const { UserError } = await import('../errors.js');
      const { newKeyText } = await import('../share/key.js');
      const { writeFileAtomic } = await import('./io.js');
      if (existsSync(options.out) && !options.force) {
        throw new UserError('a key file already exists here', { file: options.out, expected: 'a new file: a key is made once per project', fix: 'keep the existing key (the partners share it), or add --force to replace it; then every partner prepares again' });
      }
      writeFileAtomic(options.out, newKeyText());
      // Readable by its owner only.
      chmodSync(options.out, 0o600);
      io.stderr(
        [
          `Sleutel geschreven in ${options.out}.`,
          'Geef hem alleen aan de functionarissen gegevensbescherming van de partners die adressen delen, via een veilige weg;',
          'nooit aan de gebiedsmakelaar en nooit mee met een deelbestand. Maak per project een nieuwe sleutel.',
          '',
        ].join('\n'),
      );
    });
}
