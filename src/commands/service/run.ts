/** `svc service run|create` (and `svc run`): record the service, create its containers, start them. */
import type { Context } from '../../context.js';
import { DEFAULT_SERVICE_POLICY_WORDS, servicePolicyFromWords, type ServicePolicyWords } from '../../core/dialects/dockercloud.js';
import { launchWorkload, recordWorkload } from '../../engine/create.js';
import { waitUntilRunning } from '../../engine/wait.js';
import { startSpinner } from '../../render/spinner.js';
import { ensureSupervisor } from '../../supervisor/control.js';
import { checkServiceName, defaultServiceName, specFromFlags, type SpecFlags } from './options.js';
import type { Workload } from '../../core/workload.js';

export interface RunServiceFlags extends SpecFlags, Partial<ServicePolicyWords> {
  name?: string;
  targetNumContainers: number;
  sync?: boolean;
}

const SYNC_TIMEOUT_MS = 120_000;

export const runService = async (
  ctx: Context,
  image: string,
  command: string[],
  flags: RunServiceFlags,
  start: boolean,
): Promise<Workload> => {
  const policy = servicePolicyFromWords({
    autorestart: flags.autorestart ?? DEFAULT_SERVICE_POLICY_WORDS.autorestart,
    autoreplace: flags.autoreplace ?? DEFAULT_SERVICE_POLICY_WORDS.autoreplace,
    autodestroy: flags.autodestroy ?? DEFAULT_SERVICE_POLICY_WORDS.autodestroy,
  });
  const spec = specFromFlags(image, command, flags);
  const input = {
    dialect: 'service' as const,
    name: checkServiceName(flags.name ?? defaultServiceName(image)),
    app: null,
    processGroup: null,
    spec,
    policy,
    targetInstances: flags.targetNumContainers,
  };
  // DC: a created service is Not running and has no containers yet.
  const workload = start ? await launchWorkload(ctx, input) : await recordWorkload(ctx, input);
  await ensureSupervisor(ctx);
  if (!start) return workload;
  if (flags.sync) {
    const spinner = startSpinner(ctx.io.stderr, ctx.color && ctx.io.stderrIsTTY, `Waiting for ${workload.name} to run`);
    try {
      await waitUntilRunning(ctx, workload, SYNC_TIMEOUT_MS, (o) => spinner.update(`${workload.name}: ${o.state}`));
    } finally {
      spinner.stop();
    }
  }
  return workload;
};
