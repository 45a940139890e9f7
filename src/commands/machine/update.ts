/**
 * `m update ID --restart P [-y]`: show the config diff, confirm, apply. A policy change reaches the running machine at once.
 * The diff is shown only when it will be applied or asked about.
 */
import type { Context } from '../../context.js';
import type { FlyApiPolicyWord } from '../../core/dialects/fly.js';
import { diffLines } from '../../core/lineDiff.js';
import { describeMachinePolicy, formatMachineConfig, machineConfigFor, policyWithRestart } from '../../core/machineConfig.js';
import { conflictsAlwaysWithDestroy } from '../../core/policy.js';
import { policyConflictError } from '../../engine/create.js';
import { updatePolicy } from '../../engine/policy-update.js';
import { paint } from '../../render/colors.js';
import { ensureSupervisor } from '../../supervisor/control.js';
import { resolveWorkload } from '../resolve.js';
import { confirmChanges, refuseUnlessConfirmable } from './confirm.js';
import { refuseDestroyed } from './observe.js';
import { renderDiff } from './present.js';

export interface UpdateMachineFlags {
  restart?: FlyApiPolicyWord;
  yes?: boolean;
}

export const updateMachine = async (ctx: Context, identifier: string, flags: UpdateMachineFlags) => {
  const workload = resolveWorkload(ctx, 'machine', identifier);
  refuseDestroyed(workload);
  const next = policyWithRestart(workload.policy, flags.restart);
  if (conflictsAlwaysWithDestroy(next)) throw policyConflictError('machine');
  const before = formatMachineConfig(machineConfigFor(workload));
  const after = formatMachineConfig(machineConfigFor({ ...workload, policy: next }));
  const diff = diffLines(before, after);
  if (diff.length === 0) return void ctx.io.stderr.write('no config changes found\n');
  refuseUnlessConfirmable(ctx, Boolean(flags.yes));

  const chalk = paint(ctx.color);
  ctx.io.stdout.write(
    `Configuration changes to be applied to machine: ${chalk.bold(workload.id)} (${chalk.bold(workload.name)})\n\n${renderDiff(chalk, diff)}\n`,
  );
  if (!(await confirmChanges(ctx, 'Apply changes?', Boolean(flags.yes)))) {
    return void ctx.io.stderr.write(`Machine ${workload.id} was not updated\n`);
  }
  // Recomputed from the stored policy, so a change made meanwhile by another command is not undone.
  await updatePolicy(ctx, workload.id, (current) => policyWithRestart(current, flags.restart), describeMachinePolicy);
  await ensureSupervisor(ctx);
  ctx.io.stderr.write(`Machine ${workload.id} has been updated\n`);
};
