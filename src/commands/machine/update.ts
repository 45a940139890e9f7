/**
 * `m update ID --restart P [-y]`: show the config diff, confirm, apply. A policy change reaches the running machine at once.
 * The diff is shown only when it will be applied or asked about.
 */
import type { Flags } from '../flags.js';
import type { Context } from '../../context.js';
import type { FlyApiPolicyWord } from '../../core/dialects/fly.js';
import { planMachinePolicyChange, updateMachinePolicy } from '../../operations/machine.js';
import { policyChangeNotice } from '../../operations/policy-notice.js';
import { paint } from '../../render/colors.js';
import { confirmChanges, refuseUnlessConfirmable } from './confirm.js';
import { renderDiff } from './tables.js';

export interface UpdateMachineFlags {
  restart?: FlyApiPolicyWord;
  yes?: boolean;
}

export const updateMachine = async (ctx: Context, identifier: string, flags: Flags<UpdateMachineFlags>) => {
  const { workload, diff } = await planMachinePolicyChange(ctx, identifier, flags.restart);
  if (diff.length === 0) return void ctx.io.stderr.write('no config changes found\n');
  refuseUnlessConfirmable(ctx, Boolean(flags.yes));

  const chalk = await paint(ctx.color);
  ctx.io.stdout.write(
    `Configuration changes to be applied to machine: ${chalk.bold(workload.id)} (${chalk.bold(workload.name)})\n\n${renderDiff(chalk, diff)}\n`,
  );
  if (!(await confirmChanges(ctx, 'Apply changes?', Boolean(flags.yes)))) {
    return void ctx.io.stderr.write(`Machine ${workload.id} was not updated\n`);
  }
  await updateMachinePolicy(ctx, workload.id, flags.restart);
  ctx.io.stderr.write(`Machine ${workload.id} has been updated\n`);
  const notice = policyChangeNotice(workload);
  if (notice) ctx.io.stderr.write(`${notice}\n`);
};
