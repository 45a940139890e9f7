/**
 * At most so many `docker start` at once from the supervisor. In a burst each restart is its own
 * docker process; two hundred of them at once only made the engine, the CPU and the supervisor's
 * memory (one child and its pipes each) the bottleneck. The rest wait their turn, in order.
 */
import type { ContainerRuntime } from '../engine/runtime.js';

export const MAX_PARALLEL_STARTS = 8;

export const limitStarts = (runtime: ContainerRuntime, limit = MAX_PARALLEL_STARTS): ContainerRuntime => {
  let running = 0;
  const waiting: (() => void)[] = [];
  const turn = () =>
    new Promise<void>((resolve) => {
      if (running < limit) {
        running += 1;
        resolve();
      } else waiting.push(resolve);
    });
  const done = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  return {
    ...runtime,
    start: async (ids) => {
      await turn();
      try {
        await runtime.start(ids);
      } finally {
        done();
      }
    },
  };
};
