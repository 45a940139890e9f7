/**
 * The commander program: parse, normalise, call a command. The only place that turns errors into
 * exit codes (SPEC §3: 0 ok, 1 failed, 2 usage, 3 not found, 4 Docker unreachable).
 */
import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitCode, UserError } from './errors.js';
import { defineServiceCommands } from './cli/service.js';
import { defineSupervisorCommands } from './cli/supervisor.js';
import { defineFlyCommands } from './cli/machine.js';
import { exitOnSignals } from './cli/signals.js';

/** From package.json, one level above both src/cli.ts and the bundle dist/svc.mjs: one place to bump it. */
const packageVersion = (): string => {
  const { version } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return version;
};

export const buildProgram = (): Command => {
  const program = new Command('svc')
    .description('Docker Cloud, Tutum and Fly.io Machines crash recovery on any Docker host')
    .version(packageVersion())
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .hook('preAction', exitOnSignals);
  defineServiceCommands(program);
  defineSupervisorCommands(program);
  defineFlyCommands(program);
  return program;
};

export const exitCodeFor = (error: unknown, stderr: NodeJS.WritableStream): number => {
  if (error instanceof CommanderError) {
    // commander has already printed its message; help and --version are successes.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof UserError) {
    if (error.message) stderr.write(`Error: ${error.message}\n`);
    if (error.hint) stderr.write(`${error.hint}\n`);
    return error.exitCode;
  }
  stderr.write(`Internal error (a bug in svc, please report it): ${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.failed;
};

export const main = async (argv: string[]): Promise<void> => {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error, process.stderr);
  }
};
