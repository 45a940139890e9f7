import { Command, Option } from 'commander';
import type { Context } from '../context.js';
import { buildContext } from '../main-context.js';

/** Options every command has; commander reads them per command because positional options are on. */
export const withCommonOptions = (command: Command): Command =>
  command.option('--no-color', 'disable colours (NO_COLOR does the same)');

export const jsonOption = () => new Option('--json', 'print one JSON document on stdout');

/** -q prints ids, --json one document: asking for both is a usage error rather than one silently winning. */
export const quietOption = (what: string) => new Option('-q, --quiet', `print only ${what}`).conflicts('json');

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export const contextFor = (command: Command): Context => buildContext({ color: command.optsWithGlobals().color });
