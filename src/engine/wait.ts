/** --sync: wait until every instance of a workload runs, or give up after a timeout. */
import type { Context } from '../context.js';
import { UserError } from '../errors.js';
import { observeAll, type ObservedWorkload } from './observe.js';

export const waitUntilRunning = async (
  ctx: Context,
  workloadId: string,
  timeoutMs: number,
  onProgress: (observed: ObservedWorkload) => void = () => {},
): Promise<ObservedWorkload> => {
  const deadline = ctx.clock.now() + timeoutMs;
  for (;;) {
    const observed = (await observeAll(ctx, ctx.store.read().workloads[workloadId]?.dialect ?? 'service')).find(
      (o) => o.workload.id === workloadId,
    );
    if (!observed) throw new UserError(`The workload ${workloadId} is gone`);
    onProgress(observed);
    if (observed.state === 'Running') return observed;
    if (ctx.clock.now() > deadline) {
      throw new UserError(`${observed.workload.name} did not reach Running within ${timeoutMs / 1000} s (it is ${observed.state})`, 1, 'See `svc service logs` for why.');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
