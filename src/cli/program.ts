import { Command, CommanderError } from 'commander';
import { ExitCode, UserError } from '../errors.js';
import { processIo, type CliIo } from './io.js';
import { toolInfo } from './tool-info.js';
import * as analyse from './analyse.js';
import * as audit from './audit.js';
import * as check from './check.js';
import * as hotspots from './hotspots.js';
import * as init from './init.js';
import * as inspect from './inspect.js';
import * as key from './key.js';
import * as kit from './kit.js';
import * as map from './map.js';
import * as prepare from './prepare.js';
import * as request from './request.js';
import * as report from './report.js';
import * as samples from './samples.js';

/** Every command: a module with its name, options and action side by side. */
const commands = [init, analyse, audit, check, inspect, hotspots, map, report, samples, request, kit, key, prepare];

/**
 * Runs the CLI on argv (without `node` and the script) and returns the exit code:
 * 0 success, 1 a check failed, 2 bad usage or bad input.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const debug = argv.includes('--debug');
  const program = new Command('buurtbalans')
    .description('Buurtbalans: shared neighbourhood data placed in address blocks')
    .version(toolInfo().version)
    .option('--debug', 'show stack traces of errors')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const command of commands) {
    program.addCommand(command.create(io).exitOverride());
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof ExitCode) return error.code;
    if (error instanceof UserError) {
      io.stderr(`${error.describe()}\n`);
      if (debug) io.stderr(`${error.stack}\n`);
      return 2;
    }
    const err = error as Error;
    // V8's own limits (longest string, largest Map, buffer allocation) mean the data is too large for this run.
    if (err instanceof RangeError && /Invalid string length|Map maximum size|Array buffer allocation failed|Invalid typed array length/.test(err.message)) {
      const { memoryAdvice } = await import('./memory.js');
      io.stderr(`${new UserError(`the data is too large for one run (${err.message})`, { expected: 'an analysis that fits in memory', fix: memoryAdvice() }).describe()}\n`);
      if (debug) io.stderr(`${err.stack}\n`);
      return 2;
    }
    io.stderr(`internal error: ${err.message}\n`);
    io.stderr(debug ? `${err.stack}\n` : 'This is a bug in buurtbalans; run again with --debug and report the output.\n');
    return 1;
  }
}
