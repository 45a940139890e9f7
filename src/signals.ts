/**
 * Ctrl-C and SIGTERM end any command at once, with the status a shell gives them (130, 143).
 *
 * process.exit runs the process's 'exit' hooks, where proper-lockfile removes a state lock this
 * process holds and the docker adapter (docker-process.ts) kills the docker processes it started.
 * Left to itself, signal-exit (which proper-lockfile uses) does the same only while no one else
 * listens for the signal: one listener of a command's own (`logs -f`, `events -f` had one) turned
 * Ctrl-C into a normal exit 0, or into nothing at all.
 * Work that must not be cut halfway winds up first (windUpOnSignal).
 */
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { UserError } from './errors.js';

const EXIT_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * These stop themselves on these signals: the foreground supervisor finishes the decision it is
 * carrying out, the API server the requests under way.
 */
const STOPS_ITSELF = new Set(['svc daemon run', 'svc serve']);

const commandPath = (command: CommandUnknownOpts): string => {
  const names: string[] = [];
  for (let c: CommandUnknownOpts | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
};

/**
 * For the commands that stop themselves: resolves at the first SIGINT or SIGTERM; a second one ends
 * the process at once. The listeners stay: signal-exit (in proper-lockfile) re-raises a
 * signal that no one else listens for, which ended the supervisor with 143 before it had stopped.
 */
export const firstStopSignal = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) process.exit(EXIT_STATUS[signal as keyof typeof EXIT_STATUS]);
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

/**
 * How long work that winds up (windUpOnSignal) gets before the process exits anyway: Docker
 * finishing the creates already asked of it and removing what they made. The 'exit' hooks still
 * run then (env files, the state lock, docker children).
 */
export const WIND_UP_MS = 15_000;

/** The work the first signal waits for, and the signal once one came. */
let windingUp: Promise<unknown> | null = null;
let received: NodeJS.Signals | null = null;

/**
 * For work a signal must not cut halfway: `service run` is all or nothing. At the first signal the
 * docker runner (refusingOnceStopped) refuses to create or start any more containers, so the
 * operation fails and is undone the way a run Docker refuses is undone, and the process exits with
 * the signal's status once the work has settled. Work that was done by then (every container
 * started) is kept, running, not left Starting. A second signal exits at once.
 */
export const windUpOnSignal = async <T>(work: Promise<T>): Promise<T> => {
  windingUp = work;
  try {
    return await work;
  } catch (error) {
    // The failure is the interruption's: the signal handler, not the error, ends the command.
    if (received !== null) await new Promise<never>(() => {});
    throw error;
  } finally {
    if (received === null) windingUp = null;
  }
};

/** A docker runner that, once a signal asked the command to stop, makes and starts no container. */
export const refusingOnceStopped =
  <Rest extends unknown[], R>(runner: (args: string[], ...rest: Rest) => Promise<R>) =>
  (args: string[], ...rest: Rest): Promise<R> => {
    if (received !== null && ['create', 'run', 'start', 'restart'].includes(args[0])) {
      return Promise.reject(new UserError(`interrupted by ${received}: no container is created or started any more`));
    }
    return runner(args, ...rest);
  };

let exitingOnSignals = false;

/** For commander's preAction hook: from here on, the command about to run ends at the first SIGINT or SIGTERM. */
export const exitOnSignals = (_program: CommandUnknownOpts, command: CommandUnknownOpts): void => {
  if (STOPS_ITSELF.has(commandPath(command))) return;
  // Once per process: the build's training run (scripts/bundle.mjs) runs many commands in one.
  if (exitingOnSignals) return;
  exitingOnSignals = true;
  for (const [signal, status] of Object.entries(EXIT_STATUS)) {
    process.on(signal, () => {
      const work = windingUp;
      if (received !== null || work === null) process.exit(status);
      received = signal as NodeJS.Signals;
      setTimeout(() => process.exit(status), WIND_UP_MS);
      const exit = () => process.exit(status);
      work.then(exit, exit);
    });
  }
};
