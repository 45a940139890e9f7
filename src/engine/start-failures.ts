/**
 * A container Docker cannot start (its command is a missing binary: exit 127) is left `created`
 * with the exit code and Docker's reason in its state, and Docker sends no die event for it. svc
 * reads such a failed start as an exit, so the restart policy judges it like any other.
 */
import type { EngineContext } from './ports/context.js';
import type { Transaction } from './ports/store.js';
import type { WorkloadEvent } from '../core/events.js';
import type { Workload } from '../core/workload.js';
import type { ContainerDetails } from './ports/runtime.js';
import { DockerCommandError, UserError } from '../errors.js';
import { failedStartExit, judgeExitIn } from './judge.js';

export interface StartFailure {
  containerId: string;
  exitCode: number;
  /** Docker's own words (State.Error). */
  reason: string;
}

/** Docker's reason, without the layers' prefixes: `exec: "/nonexistent": stat /nonexistent: no such file or directory`. */
export const shortReason = (error: string): string => {
  const text = error.trim().replace(/: unknown$/, '');
  const exec = text.indexOf('exec: ');
  return exec === -1 ? text : text.slice(exec);
};

/** Whether Docker tried to start the container and failed (it was never running since). */
export const failedStart = (container: ContainerDetails): StartFailure | null =>
  !container.running && container.status === 'created' && (container.error !== '' || container.exitCode !== 0)
    ? {
        containerId: container.id,
        exitCode: container.exitCode,
        reason: shortReason(container.error) || `exit code ${container.exitCode}`,
      }
    : null;

/**
 * Starts the containers; returns the ones Docker could not start (empty when all started). A failed
 * `docker start` that left no container failed in that way (no such container, Docker gone) is thrown.
 */
export const startReportingFailures = async (ctx: EngineContext, ids: readonly string[]): Promise<StartFailure[]> => {
  if (ids.length === 0) return [];
  try {
    await ctx.docker.start([...ids]);
    return [];
  } catch (error) {
    if (!(error instanceof DockerCommandError)) throw error;
    const failures = (await ctx.docker.inspect([...ids])).flatMap((c) => failedStart(c) ?? []);
    if (failures.length === 0) throw error;
    return failures;
  }
};

/**
 * Under the state lock, with a user operation's result: each refused start is judged by the policy
 * as the container's exit (an event, and a restart with back-off, a replacement or a give-up that
 * the supervisor carries out), so nothing is left Starting. Returns the judgements' events.
 */
export const judgeFailedStarts = (tx: Transaction, failures: readonly StartFailure[], now: number): WorkloadEvent[] => {
  const judged: WorkloadEvent[] = [];
  const seeing: Transaction = { state: tx.state, emit: (event) => (judged.push(event), tx.emit(event)) };
  for (const failure of failures)
    judgeExitIn(seeing, failedStartExit(failure, now), { startedAt: null, lostAt: null, regainedAt: null }, now);
  return judged;
};

/**
 * Docker refused to start some of an operation's containers. `workload` is what the operation
 * recorded (their judgements included; absent for a launch, which keeps nothing): its policy must
 * still be enforced, since a restart may be pending.
 */
export class StartRefusedError extends UserError {
  workload?: Workload;
}

/** The operation's answer when Docker refused some starts: svc's sentence, Docker's reason, what the policy does next. */
export const startFailedError = (
  workload: Pick<Workload, 'name'>,
  failures: readonly StartFailure[],
  tried: number,
  judged: readonly WorkloadEvent[] = [],
  { launch = false } = {},
) => {
  const [first] = failures;
  const outcome = [...new Set(judged.map((e) => e.action))].join(', ');
  return new StartRefusedError(
    `Docker could not start ${failures.length === tried ? (tried === 1 ? 'the container' : `any of the ${tried} containers`) : `${failures.length} of ${tried} containers`} of ${workload.name}: ` +
      `exit code ${first.exitCode}, ${first.reason}` +
      (outcome ? `; by its restart policy: ${outcome}` : '') +
      (launch ? '; nothing of it was kept' : ''),
    {
      hint: launch
        ? 'Check the image and the run command.'
        : `Check the image and the run command; \`svc events ${workload.name}\` shows each attempt.`,
    },
  );
};
