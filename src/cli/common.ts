/**
 * Shared pieces of the commander program. commander comes through @commander-js/extra-typings, so
 * each action's arguments and flags are typed from its declarations: renaming an option, or
 * changing its parser, is a compile error wherever the flags are used.
 */
import { Option, type Command, type CommandUnknownOpts, type OptionValues } from '@commander-js/extra-typings';
import type { Context } from '../context.js';
import type { LaunchOptions } from '../launch/options.js';
import { BACKENDS } from '../core/workload.js';

/** Options every command has; commander reads them per command because positional options are on. */
export const withCommonOptions = <Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(
  command: Command<Args, Opts, Globals>,
) => command.option('--no-color', 'disable colours (NO_COLOR does the same)');

export const jsonOption = () => new Option('--json', 'print one JSON document on stdout');

/** -q prints ids, --json one document: asking for both is a usage error rather than one silently winning. */
export const quietOption = (what: string) => new Option('-q, --quiet', `print only ${what}`).conflicts('json');

export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Where a new workload runs; without it, SVC_BACKEND decides (else local). */
export const backendOption = () =>
  new Option(
    '--backend <name>',
    "where it runs: local (this host, kept by svc's supervisor) or swarm (a Docker Swarm, kept by the swarm)",
  ).choices(BACKENDS);

const launchOptions = new WeakMap<CommandUnknownOpts, LaunchOptions>();

/** What the launcher handed the program (cli.ts), for the context its command builds. */
export const rememberLaunchOptions = (program: CommandUnknownOpts, options: LaunchOptions): void =>
  void launchOptions.set(program, options);

const programOf = (command: CommandUnknownOpts): CommandUnknownOpts =>
  command.parent ? programOf(command.parent) : command;

/** Imported once a command runs: Docker, the store and their dependencies are not even run for --help or --version. */
export const contextFor = async (command: CommandUnknownOpts): Promise<Context> => {
  const { buildContext } = await import('../main-context.js');
  return buildContext({
    color: command.optsWithGlobals().color !== false,
    earlyListing: launchOptions.get(programOf(command))?.earlyListing,
  });
};

/**
 * commander's flags with every declared flag as a key that may be undefined, which is what commander
 * gives at run time. Commands take Flags<T> (commands/flags.ts): a flag a command reads that the
 * program does not declare is then a compile error here.
 */
export const declared = <Given extends object>(flags: Given) =>
  flags as { [K in keyof Required<Given>]: Given[K] | undefined };
