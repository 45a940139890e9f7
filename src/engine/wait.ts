/** --sync: wait until every instance of a workload runs, or give up after a timeout. */
import type { OperationContext } from './operation-context.js';
import type { Workload } from '../core/workload.js';
import { UserError } from '../errors.js';
import { sleep } from '../sleep.js';
import type { ObservedWorkload } from './observe.js';

const POLL_MS = 200;

export const waitUntilRunning = async (
  ctx: OperationContext,
  workload: Workload,
  timeoutMs: number,
  onProgress: (observed: ObservedWorkload) => void = () => {},
): Promise<ObservedWorkload> => {
  const deadline = ctx.clock.now() + timeoutMs;
  for (;;) {
    // Through the backend: a swarm service's tasks are not the local containers.
    const observed = (await ctx.backend.observe(workload.dialect)).find((o) => o.workload.id === workload.id);
    if (!observed) throw new UserError(`${workload.name} (${workload.id}) is gone from the state file`);
    onProgress(observed);
    if (observed.state === 'Running') return observed;
    if (ctx.clock.now() > deadline) {
      throw new UserError(
        `${workload.name} did not reach Running within ${timeoutMs / 1000} s (it is ${observed.state})`,
        {
          hint: `See \`svc service logs ${workload.name}\` for why.`,
        },
      );
    }
    await sleep(POLL_MS);
  }
};
