/**
 * The supervisor: follows `docker events` for managed containers and judges every exit; reconciles
 * against `docker ps -a` on every (re)connect and on a timer, so exits missed while it or the stream
 * was down are judged once each. While idle it only waits on the event stream.
 */
import type { EngineContext } from '../context.js';
import type { ContainerEvent, LineStream } from '../engine/ports/runtime.js';
import { LABEL_INSTANCE, LABEL_WORKLOAD } from '../core/labels.js';
import { StateFileError, StateFromNewerSvcError, UserError } from '../errors.js';
import { operationInProgress } from '../adapters/operation-lock.js';
import { adoptContainer, carryOut, createMissing, startLeftCreated, stopLeftRunning } from './act.js';
import { findAbandoned, removeRedeployLeftovers, takeOverAbandoned } from './abandoned.js';
import type { UserOperation } from '../core/workload.js';
import { planReconcile } from './reconcile-plan.js';
import { dockerdStartedAt } from './host.js';
import { judgeExit, type DaemonHistory, type ExitObservation } from '../engine/judge.js';
import { NO_TRACE, type RestartTracer } from './trace.js';
import { limitStarts, StartLeftToNextSupervisor } from './start-limit.js';
import { withStateReadCache } from '../adapters/state-read-cache.js';
import { isHostLimit, retryAfterHostLimit } from './host-limit.js';
import { sleep } from '../sleep.js';

export interface SupervisorOptions {
  reconcileEveryMs: number;
  /** The supervisor cannot go on (the state is a newer svc's): it has stopped itself; its process should end. */
  onFatal?: (error: Error) => void;
  /** Reconnect back-off after the stream breaks: from 100 ms, doubling, to this cap. */
  reconnectCapMs: number;
  log: (message: string) => void;
  daemonStartedAt?: () => number | null;
  /** Where each restart's time goes (the benchmark's SVC_SUPERVISOR_TRACE). */
  tracer?: RestartTracer;
}

/** An event stream that ends sooner than this after it started is reconnected with back-off. */
const QUICK_END_MS = 1_000;

export const createSupervisor = (engine: EngineContext, options: SupervisorOptions) => {
  // In a burst, reads parse state.json once per commit rather than once per restart, and docker
  // starts wait their turn (start-limit.ts). Reads are only looked at: the cached document is frozen.
  const starts = limitStarts(engine.docker);
  const ctx: EngineContext = { ...engine, store: withStateReadCache(engine.store), docker: starts };
  const daemon: DaemonHistory = { startedAt: null, lostAt: null, regainedAt: null };
  const tracer = options.tracer ?? NO_TRACE;
  const readDaemonStart = options.daemonStartedAt ?? dockerdStartedAt;
  /** Workloads whose abandoned operation this supervisor took over, while the dead holder's lock is still there. */
  const takenOver = new Set<string>();
  /** One chain of work per instance, so its exits and actions never overlap. */
  const queues = new Map<string, Promise<void>>();
  const timers = new Map<string, NodeJS.Timeout>();
  let stream: LineStream | null = null;
  let stopping = false;
  let reconcileTimer: NodeJS.Timeout | null = null;
  /** The wait before reconnecting after a stream that ended within QUICK_END_MS of starting; 0 after one that lasted. */
  let quickEndDelay = 0;

  const enqueue = (key: string, work: () => Promise<void>) => {
    const next = (queues.get(key) ?? Promise.resolve()).then(work).catch((error: Error) => reportFailure(key, error));
    queues.set(key, next);
    void next.finally(() => queues.get(key) === next && queues.delete(key));
  };

  const scheduleAction = (workloadId: string, index: number, dueAt: number, resumed: boolean) => {
    const key = `${workloadId}#${index}`;
    if (timers.has(key)) return;
    const run = () => {
      timers.delete(key);
      enqueue(key, async () =>
        judgeFailedStart(workloadId, index, await carryOut(ctx, { workloadId, index }, resumed, daemon, tracer)),
      );
    };
    const delay = dueAt - ctx.clock.now();
    if (delay <= 0) return run();
    timers.set(key, setTimeout(run, delay));
  };

  /** Judges one exit (from an event, or `exit` null: look it up) and schedules what it calls for. */
  const handleExit = (containerId: string, workloadId: string, index: number, known: ExitObservation | null) =>
    enqueue(`${workloadId}#${index}`, async () => {
      const exit = known ?? (await inspectExit(containerId));
      if (!exit) return;
      const judged = await judgeExit(ctx, exit, daemon).catch((error: unknown) => {
        tracer.forget(containerId);
        throw error;
      });
      tracer.mark(containerId, 'decided');
      if (judged?.pending.action !== 'restart') tracer.forget(containerId);
      if (judged) {
        options.log(`${judged.workloadName} #${judged.index}: ${judged.pending.action} (${judged.pending.reason})`);
        scheduleAction(judged.workloadId, judged.index, judged.pending.dueAt, false);
      }
    });

  /** A start Docker refused (a missing binary): judged as the container's exit, by its policy. */
  const judgeFailedStart = (workloadId: string, index: number, failed: ExitObservation | null) => {
    if (!failed) return;
    options.log(`${workloadId} #${index}: ${failed.note}`);
    handleExit(failed.containerId, workloadId, index, failed);
  };

  const inspectExit = async (containerId: string): Promise<ExitObservation | null> => {
    const [container] = await ctx.docker.inspect([containerId]);
    if (!container || container.running || container.status === 'created') return null;
    return {
      containerId,
      exitCode: container.exitCode,
      oomKilled: container.oomKilled,
      finishedAt: Date.parse(container.finishedAt),
    };
  };

  /** Docker reports an OOM kill as its own event just before the die. */
  const oomKilled = new Set<string>();

  const onEvent = (event: ContainerEvent) => {
    if (event.action === 'oom') return void oomKilled.add(event.containerId);
    if (event.action !== 'die') return;
    const workloadId = event.attributes[LABEL_WORKLOAD];
    const index = Number(event.attributes[LABEL_INSTANCE]);
    if (!workloadId || !index) return;
    tracer.mark(event.containerId, 'seen');
    // The die event carries all the judgement needs: no docker inspect on the restart path.
    handleExit(event.containerId, workloadId, index, {
      containerId: event.containerId,
      exitCode: event.exitCode ?? 0,
      oomKilled: oomKilled.delete(event.containerId),
      finishedAt: event.time,
    });
  };

  /**
   * Brings the state and Docker back together: pending actions resumed, unjudged exits judged,
   * containers the state lost adopted or removed, and instances whose container vanished repaired.
   * Workloads under a user operation are left to it.
   */
  const reconcile = async () => {
    let containers = await ctx.docker.listManaged();
    let { workloads } = ctx.store.read();
    stateReadable();
    hostLimit.passed();
    const lockHeld = (workloadId: string) => {
      if (operationInProgress(ctx.store.dir, workloadId)) return true;
      takenOver.delete(workloadId);
      return false;
    };
    // An operation whose process died is taken over, and its workload finished in this same pass.
    const abandoned = findAbandoned(workloads, lockHeld);
    const finishing = abandoned.length > 0 ? await takeOverAbandoned(ctx, abandoned) : new Map<string, UserOperation>();
    for (const workloadId of finishing.keys()) takenOver.add(workloadId);
    for (const { workloadId, operation, why } of abandoned) {
      if (finishing.has(workloadId))
        options.log(`${workloadId}: the user's ${operation.kind} was interrupted (${why}); finishing it`);
    }
    if (finishing.size > 0) {
      workloads = ctx.store.read().workloads;
      let removed = false;
      for (const [workloadId, kind] of finishing) {
        if (kind === 'Redeploying' && workloads[workloadId])
          removed = (await removeRedeployLeftovers(ctx, workloads[workloadId], containers)) || removed;
      }
      if (removed) {
        containers = await ctx.docker.listManaged();
        // The removals' die events are being judged (as nobody's); the instances are free again once they are.
        await Promise.allSettled(
          [...queues].filter(([key]) => finishing.has(key.slice(0, key.lastIndexOf('#')))).map(([, work]) => work),
        );
      }
    }
    const plan = planReconcile(workloads, containers, {
      // The dead holder's lock may not be stale yet: it no longer stands for a live operation, on this
      // pass or a later one (a create of the take-over that failed is tried again), until a new
      // operation is recorded on the workload.
      workload: (workloadId) =>
        lockHeld(workloadId) && !(takenOver.has(workloadId) && !workloads[workloadId]?.operation),
      instance: (workloadId, index) => queues.has(`${workloadId}#${index}`) || timers.has(`${workloadId}#${index}`),
    });
    for (const { workloadId, index, dueAt } of plan.resume) scheduleAction(workloadId, index, dueAt, true);
    for (const { workloadId, index, containerId } of plan.judge) handleExit(containerId, workloadId, index, null);
    for (const { workloadId, index, containerId } of plan.vanished) {
      options.log(`${workloadId} #${index}: container ${containerId.slice(0, 12)} was removed outside svc`);
      handleExit(containerId, workloadId, index, {
        containerId,
        // `docker rm -f` kills with SIGKILL; a vanished container is judged as that exit.
        exitCode: 137,
        oomKilled: false,
        finishedAt: ctx.clock.now(),
        note: 'container removed outside svc',
      });
    }
    for (const { workloadId, index, container } of plan.adopt) {
      enqueue(`${workloadId}#${index}`, async () => {
        const adopted = await adoptContainer(ctx, { workloadId, index }, container);
        if (!adopted) return;
        options.log(`${workloadId} #${index}: took back untracked container ${container.id.slice(0, 12)}`);
        if (adopted !== true) judgeFailedStart(workloadId, index, adopted);
        if (container.state === 'exited' || container.state === 'dead')
          handleExit(container.id, workloadId, index, null);
      });
    }
    for (const { workloadId, index, containerId } of plan.unstarted) {
      enqueue(`${workloadId}#${index}`, async () =>
        judgeFailedStart(workloadId, index, await startLeftCreated(ctx, { workloadId, index }, containerId)),
      );
    }
    for (const { workloadId, index } of plan.missing) {
      enqueue(`${workloadId}#${index}`, async () =>
        judgeFailedStart(workloadId, index, await createMissing(ctx, { workloadId, index })),
      );
    }
    for (const { workloadId, index, containerId } of plan.stop) {
      enqueue(`${workloadId}#${index}`, () => stopLeftRunning(ctx, { workloadId, index }, containerId));
    }
    if (plan.remove.length > 0) {
      options.log(
        `removing ${plan.remove.length} labelled container(s) no instance wants: ${plan.remove.map((c) => c.name).join(', ')}`,
      );
      await ctx.docker.remove(plan.remove.map((c) => c.id));
    }
  };

  /** A host limit (no descriptor left to run docker or read the state) is retried soon, said once per outage. */
  const hostLimit = retryAfterHostLimit(
    () => {
      if (!stopping && stream) void reconcile().catch((error: Error) => reportFailure('reconcile failed', error));
    },
    { log: options.log, firstDelayMs: 250, capMs: options.reconnectCapMs },
  );

  /** A state file that cannot be read is said once in the log; the supervisor acts again once it can. */
  let stateProblem: string | null = null;
  const reportFailure = (what: string, error: Error) => {
    if (error instanceof StateFromNewerSvcError) {
      options.log(`${error.message}; stopping, so that the newer svc's supervisor can take over`);
      void stop().then(() => options.onFatal?.(error));
      return;
    }
    if (error instanceof StartLeftToNextSupervisor) return; // its decision stays pending in the state
    // Out of descriptors or processes: what failed is still pending in the state (a decision, an
    // unjudged exit), and a reconcile soon picks it up again.
    if (isHostLimit(error)) return hostLimit.failed(error);
    if (error instanceof StateFileError) {
      if (stateProblem !== error.message) options.log(`${error.message}; not acting until it can be read again`);
      stateProblem = error.message;
      return;
    }
    // A bug's stack says where it is; a user-level failure (Docker refused) needs only its message.
    options.log(`${what}: ${error instanceof UserError ? error.message : (error.stack ?? error.message)}`);
  };
  const stateReadable = () => {
    if (stateProblem !== null) options.log('the state file can be read again; acting on it');
    stateProblem = null;
  };

  /**
   * Follows events, then reconciles. The stream asks the daemon to replay from a second before the
   * old stream ended (or before this connection), so an exit between the reconcile's `docker ps` and
   * the new subscription is not missed; a replayed exit already judged is recognised as such.
   */
  const connect = async (streamEndedAt: number | null) => {
    let delay = 100;
    let lost = false;
    while (!stopping) {
      try {
        await ctx.docker.serverVersion();
        break;
      } catch (error) {
        // This process could not even run docker (no descriptor left): the daemon is not gone.
        if (isHostLimit(error)) {
          hostLimit.noted(error as Error);
          await sleep(delay);
          delay = Math.min(delay * 2, options.reconnectCapMs);
          continue;
        }
        // The daemon itself is gone (not just our stream): exits from now until it is back are its.
        if (!lost) {
          lost = true;
          daemon.lostAt = streamEndedAt ?? ctx.clock.now();
          daemon.regainedAt = null;
        }
        options.log(`Docker unreachable (${(error as Error).message.split('\n')[0]}); retrying in ${delay} ms`);
        await sleep(delay);
        delay = Math.min(delay * 2, options.reconnectCapMs);
      }
    }
    if (stopping) return;
    if (lost) daemon.regainedAt = ctx.clock.now();
    daemon.startedAt = readDaemonStart();
    const replayFrom = Math.floor((streamEndedAt ?? ctx.clock.now()) / 1000) - 1;
    stream = ctx.docker.events(replayFrom, onEvent);
    const current = stream;
    const connectedAt = ctx.clock.now();
    // A docker that could not be started at all (EMFILE: no descriptor left) is a stream that ended at once.
    const ended = current.done.catch((error: Error) => ({ exitCode: 1, stderr: error.message }));
    void ended.then(async ({ stderr }) => {
      if (stopping || stream !== current) return;
      const endedAt = ctx.clock.now();
      // A stream that ends as soon as it starts while the daemon still answers must not become a busy loop.
      quickEndDelay =
        endedAt - connectedAt < QUICK_END_MS ? Math.min(Math.max(quickEndDelay * 2, 100), options.reconnectCapMs) : 0;
      options.log(
        `event stream ended${stderr.trim() ? `: ${stderr.trim()}` : ''}; reconnecting${quickEndDelay ? ` in ${quickEndDelay} ms` : ''}`,
      );
      stream = null;
      if (quickEndDelay) await sleep(quickEndDelay);
      if (!stopping) void connect(endedAt);
    });
    options.log(
      `connected to Docker${daemon.startedAt ? ` (dockerd up since ${new Date(daemon.startedAt).toISOString()})` : ''}`,
    );
    await reconcile().catch((error: Error) => reportFailure('reconcile failed', error));
  };

  const start = async () => {
    await connect(null);
    if (stopping) return; // stopped while it waited for Docker: no timer to outlive stop()
    reconcileTimer = setInterval(() => {
      if (stream) void reconcile().catch((error: Error) => reportFailure('reconcile failed', error));
    }, options.reconcileEveryMs);
  };

  const stop = async () => {
    stopping = true;
    if (reconcileTimer) clearInterval(reconcileTimer);
    hostLimit.stop();
    for (const timer of timers.values()) clearTimeout(timer);
    stream?.stop();
    starts.refuseWaiting();
    await Promise.allSettled([...queues.values()]);
  };

  return { start, stop, reconcile };
};
