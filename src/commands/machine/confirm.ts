/** flyctl's `? Apply changes? (y/N)`: asked only on a terminal; elsewhere --yes must say it. */
import confirm from '@inquirer/confirm';
import type { Context } from '../../context.js';
import { UserError } from '../../errors.js';

export const NOT_INTERACTIVE = 'yes flag must be specified when not running interactively';

/**
 * Without --yes and without a terminal nothing can be asked: call this before showing what would
 * change, so a script gets the refusal alone, not a diff on stdout that looks like a done change.
 */
export const refuseUnlessConfirmable = (ctx: Context, yes: boolean): void => {
  if (!yes && !ctx.io.stdinIsTTY)
    throw new UserError(NOT_INTERACTIVE, { hint: 'Pass -y/--yes to apply the changes without a prompt.' });
};

/** True when the user agreed (or --yes was given). Without a terminal and without --yes, refuses. */
export const confirmChanges = async (ctx: Context, question: string, yes: boolean): Promise<boolean> => {
  if (yes) return true;
  refuseUnlessConfirmable(ctx, yes);
  try {
    return await confirm({ message: question, default: false }, { input: ctx.io.stdin, output: ctx.io.stderr });
  } catch (error) {
    // Ctrl-C or a closed terminal is a "no", never a half-applied change.
    if ((error as Error).name === 'ExitPromptError') return false;
    throw error;
  }
};
