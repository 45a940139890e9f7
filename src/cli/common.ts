import { Command, Option } from 'commander';
import type { Context } from '../context.js';
import { buildContext } from '../main-context.js';

/** Options every command has; commander reads them per command because positional options are on. */
export const withCommonOptions = (command: Command): Command =>
  command.option('--no-color', 'disable colours (NO_COLOR does the same)');

export const jsonOption = () => new Option('--json', 'print one JSON document on stdout');

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export const contextFor = (command: Command): Context => buildContext({ color: command.optsWithGlobals().color });
