import { Command, InvalidArgumentError } from 'commander';
import type { CliIo } from './io.js';

/** `buurtbalans samples DIR [--scale buurt|dorp|stad|land] [--seed N]`: a complete synthetic project. */
export function create(io: CliIo): Command {
  return new Command('samples')
    .description('write a complete, entirely synthetic project (exports of ten organisations) with its truth.json')
    .argument('<dir>', 'folder to write the project into')
    .option('--scale <scale>', 'buurt (~1,500 addresses), dorp (~700, mostly single-family houses), stad (~500,000) or land (~9.5 million)', 'buurt')
    .option('--seed <n>', 'seed of the random generator: the same seed gives the same bytes', parseSeed, 1)
    .option('--force', 'write into a folder that already holds files')
    .option('--partners', "also the partners' raw exports in partners/ (with invented names, BSN and phone numbers), for buurtbalans prepare")
    .action(async (dir: string, options: { scale: string; seed: number; force?: boolean; partners?: boolean }) => {
      const { existsSync, readdirSync, statSync } = await import('node:fs');
      const { UserError } = await import('../errors.js');
      const { scaleNames } = await import('../samples/scales.js');
      type ScaleName = (typeof scaleNames)[number];
      const { generateSample } = await import('../samples/generate.js');
      const { fileSink } = await import('./file-sink.js');
      if (!(scaleNames as readonly string[]).includes(options.scale)) {
        throw new UserError(`unknown scale "${options.scale}"`, { expected: scaleNames.join(', '), fix: 'use --scale buurt, dorp, stad or land' });
      }
      if (existsSync(dir) && !statSync(dir).isDirectory()) {
        throw new UserError(`${dir} is a file, not a folder`, { file: dir, expected: 'a folder (new or empty) to write the sample project into', fix: 'give the name of a folder, for example samples/rijnbuurt' });
      }
      if (existsSync(dir) && readdirSync(dir).length > 0 && !options.force) {
        throw new UserError(`folder ${dir} is not empty`, { expected: 'an empty or new folder', fix: 'choose another folder, or add --force to overwrite the sample files in it' });
      }
      const started = performance.now();
      const truth = generateSample({ scale: options.scale as ScaleName, seed: options.seed, partners: options.partners === true }, fileSink(dir));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const rows = Object.values(truth.sources).reduce((sum, source) => sum + source.rows, 0);
      io.stderr(`wrote ${dir}: ${truth.blocks_count} blocks, ${truth.addresses_count} addresses, ${rows} rows in ${Object.keys(truth.sources).length} sources (${seconds} s)\n`);
    });
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0) throw new InvalidArgumentError('the seed is a whole number of 0 or more');
  return seed;
}
