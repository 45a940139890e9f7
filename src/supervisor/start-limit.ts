/**
 * How the supervisor asks Docker to start containers in a burst. At most so many `docker start`
 * processes at once: two hundred of them only made the engine, the CPU and the supervisor's memory
 * (one child and its pipes each) the bottleneck. Starts that wait share a process: one
 * `docker start a b c` costs the supervisor one spawn (which holds its main thread, about 10 ms each
 * in a burst of 50 by its CPU profile) and the machine one docker CLI, not three. The waiting starts
 * are spread over all the processes, so none starts a long row on its own (the CLI starts its ids
 * one by one). A lone crash still gets its own process at once.
 */
import type { ContainerRuntime } from '../engine/ports/runtime.js';

/**
 * On the 2-core test machine 4 beat 8 for 8 crashes at once: per container median 0.84-0.96x
 * Docker's own restarts in three runs, against 1.01-1.14x with 8 in five (bench burst). The daemon's
 * side of a start is the same either way; more docker processes only compete with it for the CPU.
 */
export const MAX_PARALLEL_STARTS = 4;

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

interface WaitingStart {
  ids: string[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export const limitStarts = (runtime: ContainerRuntime, limit = MAX_PARALLEL_STARTS): LimitedStarts => {
  let running = 0;
  let refusing = false;
  let dispatchPlanned = false;
  const waiting: WaitingStart[] = [];

  /** One process for the batch; if it fails, each start alone, so each gets its own answer (a gone container, say). */
  const startBatch = async (batch: WaitingStart[]) => {
    try {
      await runtime.start(batch.flatMap((s) => s.ids));
      for (const s of batch) s.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // Those the batch started already are running: starting them again is a no-op that succeeds.
      await Promise.all(batch.map((s) => runtime.start(s.ids).then(s.resolve, s.reject)));
    }
  };

  const dispatch = () => {
    dispatchPlanned = false;
    // Shares as if every process were free, so a process that frees up alone takes its share, not the whole row.
    const share = Math.ceil(waiting.length / limit);
    while (running < limit && waiting.length > 0) {
      const batch = waiting.splice(0, share);
      running += 1;
      void startBatch(batch).finally(() => {
        running -= 1;
        dispatch();
      });
    }
  };

  return {
    ...runtime,
    start: (ids) =>
      new Promise<void>((resolve, reject) => {
        if (refusing) return reject(new StartLeftToNextSupervisor());
        waiting.push({ ids, resolve, reject });
        // The exits judged in one commit ask for their starts in the same turn of the event loop:
        // dispatching after it lets them share processes. A lone start waits only for the rest of this turn.
        if (!dispatchPlanned) {
          dispatchPlanned = true;
          setImmediate(dispatch);
        }
      }),
    refuseWaiting: () => {
      refusing = true;
      for (const { reject } of waiting.splice(0)) reject(new StartLeftToNextSupervisor());
    },
  };
};
