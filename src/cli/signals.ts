/**
 * Ctrl-C and SIGTERM end any command at once, with the status a shell gives them (130, 143).
 *
 * process.exit runs the process's 'exit' hooks, where proper-lockfile removes a state lock this
 * process holds and the docker adapter (docker-process.ts) kills the docker processes it started.
 * Left to itself, signal-exit (which proper-lockfile uses) does the same only while no one else
 * listens for the signal: one listener of a command's own (`logs -f`, `events -f` had one) turned
 * Ctrl-C into a normal exit 0, or into nothing at all.
 */
import type { CommandUnknownOpts } from '@commander-js/extra-typings';

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

/** For commander's preAction hook: from here on, the command about to run ends at the first SIGINT or SIGTERM. */
export const exitOnSignals = (_program: CommandUnknownOpts, command: CommandUnknownOpts): void => {
  if (STOPS_ITSELF.has(commandPath(command))) return;
  for (const [signal, status] of Object.entries(EXIT_STATUS)) process.on(signal, () => process.exit(status));
};
