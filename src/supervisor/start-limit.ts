/**
 * At most so many `docker start` at once from the supervisor. In a burst each restart is its own
 * docker process; two hundred of them at once only made the engine, the CPU and the supervisor's
 * memory (one child and its pipes each) the bottleneck. The rest wait their turn, in order.
 */
import type { ContainerRuntime } from '../engine/runtime.js';

export const MAX_PARALLEL_STARTS = 8;

/**
 * A start still waiting for its turn when the supervisor stops. Its decision is in the state file,
 * so the next supervisor carries it out; this one need not start them all before it may exit.
 */
export class StartLeftToNextSupervisor extends Error {
  constructor() {
    super('the supervisor is stopping: this start is left to the next one');
  }
}

export type LimitedStarts = ContainerRuntime & {
  /** Waiting starts fail with StartLeftToNextSupervisor, and so does any start asked for later. */
  refuseWaiting(): void;
};

export const limitStarts = (runtime: ContainerRuntime, limit = MAX_PARALLEL_STARTS): LimitedStarts => {
  let running = 0;
  let refusing = false;
  const waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const turn = () =>
    new Promise<void>((resolve, reject) => {
      if (refusing) reject(new StartLeftToNextSupervisor());
      else if (running < limit) {
        running += 1;
        resolve();
      } else waiting.push({ resolve, reject });
    });
  const done = () => {
    const next = waiting.shift();
    if (next) next.resolve();
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
    refuseWaiting: () => {
      refusing = true;
      for (const { reject } of waiting.splice(0)) reject(new StartLeftToNextSupervisor());
    },
  };
};
