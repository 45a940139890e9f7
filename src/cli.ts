/**
 * The commander program: parse, normalise, call a command. The only place that turns errors into
 * exit codes (SPEC §3: 0 ok, 1 failed, 2 usage, 3 not found, 4 Docker unreachable).
 */
import fs from 'node:fs';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { PartialFailure, UserError, type ErrorKind } from './errors.js';
import { escapeControlsInLines } from './render/escape.js';
import { defineServiceCommands } from './cli/service.js';
import { defineSupervisorCommands } from './cli/supervisor.js';
import { defineFlyCommands } from './cli/machine.js';
import { exitOnSignals } from './signals.js';
import { rememberLaunchOptions } from './cli/common.js';
import type { LaunchOptions } from './launch/options.js';

/** From package.json, one level above both src/cli.ts and the bundle in dist/: one place to bump it. */
const packageVersion = (): string => {
  const { version } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return version;
};

export const buildProgram = (launch: LaunchOptions = {}): Command => {
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
  rememberLaunchOptions(program, launch);
  return program;
};

/** SPEC §3. */
export const ExitCode = { ok: 0, failed: 1, usage: 2, notFound: 3, engineUnreachable: 4 } as const;

const EXIT_CODE_OF_KIND: Record<ErrorKind, number> = {
  usage: ExitCode.usage,
  'not-found': ExitCode.notFound,
  conflict: ExitCode.failed,
  failed: ExitCode.failed,
  'engine-unreachable': ExitCode.engineUnreachable,
  // Docker may have done part of what was asked: exit 4 promises that nothing changed.
  timeout: ExitCode.failed,
};

export const exitCodeFor = (error: unknown, stderr: NodeJS.WritableStream): number => {
  if (error instanceof CommanderError) {
    // commander has already printed its message; help and --version are successes.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof PartialFailure) {
    // Each failure was printed as it happened; the worst decides (3 when an identifier was not found).
    return Math.max(ExitCode.failed, ...error.failures.map((failure) => EXIT_CODE_OF_KIND[failure.kind]));
  }
  if (error instanceof UserError) {
    // Messages quote the user's values (a name, a command): their control characters are shown escaped.
    if (error.message) stderr.write(`Error: ${escapeControlsInLines(error.message)}\n`);
    if (error.hint) stderr.write(`${escapeControlsInLines(error.hint)}\n`);
    return EXIT_CODE_OF_KIND[error.kind];
  }
  stderr.write(`Internal error (a bug in svc, please report it): ${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.failed;
};

/** Called by the launcher (launch/main.ts), which may have started a docker call the command will make. */
export const main = async (argv: string[], launch: LaunchOptions = {}): Promise<void> => {
  try {
    await buildProgram(launch).parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error, process.stderr);
  }
};
