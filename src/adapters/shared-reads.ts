/**
 * Identical docker reads at the same time share one process (single flight, keyed by the argv):
 * against a hung engine a flood of API requests then costs one `docker ps`, ended at its deadline,
 * rather than one per request. Only reads: a change (create, start, rm ...) always runs on its own.
 *
 * A read never joins one that began before a change of this process ended: the caller who made
 * the change and then looks must see it. (Another process's change is no different from now: a
 * read begun a moment earlier may miss it, as an unshared one may miss a change a moment later.)
 */
import type { DockerRunner, RunOptions, RunResult } from './docker-process.js';
import type { DockerDeadlines } from './docker-deadlines.js';

interface InFlight {
  result: Promise<RunResult>;
  changesEndedBefore: number;
}

export const sharingReads = (run: DockerRunner) => {
  const inFlight = new Map<string, InFlight>();
  let changesEnded = 0;

  /** The first caller's deadline holds for those who join it. */
  const read = (args: string[], options?: RunOptions): Promise<RunResult> => {
    // NUL cannot occur in an argv word: no two argvs share a key.
    const key = args.join('\0');
    const current = inFlight.get(key);
    if (current && current.changesEndedBefore === changesEnded) return current.result;
    const entry: InFlight = { result: run(args, options), changesEndedBefore: changesEnded };
    inFlight.set(key, entry);
    const forget = () => void (inFlight.get(key) === entry && inFlight.delete(key));
    entry.result.then(forget, forget);
    return entry.result;
  };

  const change = async (args: string[], options?: RunOptions): Promise<RunResult> => {
    try {
      return await run(args, options);
    } finally {
      changesEnded += 1;
    }
  };

  return { read, change };
};

/**
 * The calls of an adapter (containers, swarm): reads with the read deadline, shared while under way;
 * changes with the change deadline (plus `extraMs` for one that waits on purpose), never shared.
 */
export const callsWithDeadlines = (run: DockerRunner, deadlines: DockerDeadlines) => {
  const calls = sharingReads(run);
  return {
    read: (args: string[]) => calls.read(args, { deadlineMs: deadlines.readMs }),
    change: (args: string[], extraMs = 0) => calls.change(args, { deadlineMs: deadlines.changeMs + extraMs }),
  };
};
