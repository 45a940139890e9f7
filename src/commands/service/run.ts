/** `svc service run|create` (and `svc run`): maps the flags, creates the service, prints nothing itself (cli prints the uuid). */
import type { Flags } from '../flags.js';
import { windUpOnSignal } from '../../signals.js';
import type { Context } from '../../context.js';
import { givenServicePolicyWords, type ServicePolicyWords } from '../../core/dialects/dockercloud-table.js';
import type { BackendName, Workload } from '../../core/workload.js';
import { waitUntilRunning } from '../../engine/wait.js';
import { createService } from '../../operations/service.js';
import { startSpinner } from '../../render/spinner.js';
import { specRequestFromFlags, type SpecFlags } from './options.js';

export interface RunServiceFlags extends SpecFlags, Partial<ServicePolicyWords> {
  name?: string;
  targetNumContainers: number;
  sync?: boolean;
  backend?: BackendName;
}

const SYNC_TIMEOUT_MS = 120_000;

export const runService = async (
  ctx: Context,
  image: string,
  command: string[],
  flags: Flags<RunServiceFlags>,
  start: boolean,
): Promise<Workload> => {
  // All or nothing, Ctrl-C included: an interrupted run is undone unless every container had started.
  // A create alone is one write of the state, which a signal cannot cut halfway.
  const created = createService(
    ctx,
    {
      ...specRequestFromFlags(image, command, flags),
      name: flags.name,
      targetNumContainers: flags.targetNumContainers,
      ...givenServicePolicyWords(flags),
      backend: flags.backend,
    },
    { start },
  );
  const workload = await (start ? windUpOnSignal(created) : created);
  if (start && flags.sync) {
    const spinner = startSpinner(ctx.io.stderr, ctx.color && ctx.io.stderrIsTTY, `Waiting for ${workload.name} to run`);
    try {
      await waitUntilRunning(ctx, workload, SYNC_TIMEOUT_MS, (o) => spinner.update(`${workload.name}: ${o.state}`));
    } finally {
      spinner.stop();
    }
  }
  return workload;
};
