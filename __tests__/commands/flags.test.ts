/**
 * The flags a command reads must be flags the program declares. This file is type-checked with the
 * rest (npm run typecheck): the @ts-expect-error lines fail the check if the mistake they show
 * stops being a compile error.
 */
import { Command } from '@commander-js/extra-typings';
import { declared } from '../../src/cli/common.js';
import type { Flags } from '../../src/commands/flags.js';

const readsEntrypoint = (flags: Flags<{ entrypoint?: string; memory?: number }>) => flags;

test('declared options reach the command, absent ones as undefined', () => {
  const command = new Command('run').option('--entrypoint <e>').option('--memory <mb>', 'MB', Number).exitOverride();
  command.parse(['--memory', '64'], { from: 'user' });
  expect(readsEntrypoint(declared(command.opts()))).toEqual({ memory: 64 });
});

test('a renamed or retyped option is a compile error where the command is called', () => {
  const renamed = new Command('run').option('--entry <e>').option('--memory <mb>', 'MB', Number);
  // @ts-expect-error: the command reads --entrypoint, which the program no longer declares
  readsEntrypoint(declared(renamed.opts()));

  const retyped = new Command('run').option('--entrypoint <e>').option('--memory <mb>');
  // @ts-expect-error: --memory is a string here, not the number the command expects
  readsEntrypoint(declared(retyped.opts()));
  expect(renamed.opts()).toEqual({});
});
