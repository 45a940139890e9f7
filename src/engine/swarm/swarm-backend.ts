/**
 * The swarm backend: a workload is a Docker Swarm service, restarted and rescheduled across the
 * swarm's nodes by the swarm's own orchestrator, with the restart policy mapped onto the swarm's
 * (core/swarmPolicy.ts). Its truth lives in the swarm (core/swarmWorkload.ts), so every svc that
 * talks to the manager sees and changes the same services; svc's local supervisor leaves its tasks
 * alone (their containers carry none of svc's container labels). The user's actions are also
 * written to the local event log, for `svc events` and the live feeds of this host.
 */
import type { EngineContext } from '../ports/context.js';
import type { LogOptions } from '../ports/runtime.js';
import type { WorkloadEvent } from '../../core/events.js';
import type { RestartPolicy } from '../../core/policy.js';
import { swarmRestartPolicy, type SwarmRestartPolicy } from '../../core/swarmPolicy.js';
import {
  swarmIntentLabels,
  swarmLabels,
  swarmMetadataLabels,
  swarmPolicyLabels,
  swarmServiceName,
  workloadFromSwarmService,
} from '../../core/swarmWorkload.js';
import { LABEL_WORKLOAD } from '../../core/labels.js';
import type { Dialect, Workload, WorkloadSpec } from '../../core/workload.js';
import { DIALECT_MESSAGES } from '../../core/dialects/messages.js';
import { describeServicePolicyWords, servicePolicyToWords } from '../../core/dialects/dockercloud.js';
import { describeMachinePolicy } from '../../core/machineConfig.js';
import { quoteShellWords } from '../../core/shellWords.js';
import { usageError, UserError } from '../../errors.js';
import type { LogSink, LogStream, WorkloadBackend } from '../backend.js';
import { newWorkloadId, type NewWorkload } from '../create.js';
import type { ObservedWorkload } from '../observe.js';
import type { SwarmClient, SwarmService, SwarmServiceSpec } from '../ports/swarm-client.js';
import { nodeNames, observeSwarmWorkload, swarmEvents } from './swarm-observe.js';
import { userEvent } from '../store-helpers.js';

/** The swarm's form of a policy, or the refusal that names the option and why. */
export const swarmPolicyOrRefuse = (policy: RestartPolicy, dialect: Dialect): SwarmRestartPolicy => {
  const plan = swarmRestartPolicy(policy, dialect);
  if (!plan.ok) throw usageError(`${plan.option} cannot be kept on a swarm: ${plan.why}`);
  return plan.swarm;
};

const firstLine = (error: unknown) => (error as Error).message.split('\n')[0];

/** A workload's policy in its dialect's words. */
const policyWords = (workload: Workload): string => {
  if (workload.dialect === 'service') return describeServicePolicyWords(servicePolicyToWords(workload.policy));
  return `restart ${describeMachinePolicy(workload.policy)}${workload.policy.destroy === 'always' ? ', auto_destroy' : ''}`;
};

/**
 * All a user needs to make a lost workload again, but its env values (they may be secrets): their
 * keys only.
 */
const describeLost = (workload: Workload): string => {
  const { spec } = workload;
  return [
    `image ${spec.image}`,
    `command ${spec.command.length > 0 ? quoteShellWords(spec.command) : "the image's"}`,
    `entrypoint ${spec.entrypoint !== null ? quoteShellWords([spec.entrypoint]) : "the image's"}`,
    `target ${workload.targetInstances} ${workload.targetInstances === 1 ? 'instance' : 'instances'}${workload.intent === 'running' ? '' : ' (not running)'}`,
    ...(workload.app !== null ? [`app ${workload.app}`] : []),
    ...(workload.processGroup !== null ? [`process group ${workload.processGroup}`] : []),
    ...(spec.memoryMb !== null ? [`memory ${spec.memoryMb} MB`] : []),
    policyWords(workload),
    `env ${spec.env.length > 0 ? `keys ${spec.env.map((v) => v.key).join(', ')} (values not shown)` : 'none'}`,
  ].join('; ');
};

/** The swarm service that holds a workload: its tasks run only while the workload is meant to. */
const serviceSpecOf = (workload: Workload, restart: SwarmRestartPolicy): SwarmServiceSpec => ({
  name: swarmServiceName(workload),
  ...workload.spec,
  replicas: workload.intent === 'running' ? workload.targetInstances : 0,
  labels: swarmLabels(workload),
  restart,
});

/** What a swarm service cannot be given, refused before anything is made. */
const checkSwarmSpec = (spec: WorkloadSpec): void => {
  if (spec.entrypoint === '') {
    throw usageError(
      "an empty --entrypoint (clearing the image's) cannot be kept on a swarm: a swarm service's entrypoint is the image's or a command; use the local backend (--backend local) for it",
    );
  }
};

export interface SwarmBackendOptions {
  /** Told once a swarm workload exists, so that this state dir lists swarm workloads from then on. */
  markInUse(): void;
}

export const createSwarmBackend = (
  ctx: EngineContext,
  swarm: SwarmClient,
  options: SwarmBackendOptions,
): WorkloadBackend => {
  const withWorkloads = async () => {
    const services = await swarm.services();
    return services.flatMap((service) => {
      const workload = workloadFromSwarmService(service);
      return workload ? [{ service, workload }] : [];
    });
  };

  /** The workloads chosen, with their tasks and the nodes' names, in one listing each; none asked for when none is chosen. */
  const withTasks = async (chosen: (found: { service: SwarmService; workload: Workload }) => boolean) => {
    const found = (await withWorkloads()).filter(chosen);
    if (found.length === 0) return { found, tasks: [], names: new Map<string, string>(), now: ctx.clock.now() };
    const [tasks, nodes] = await Promise.all([swarm.tasks(found.map(({ service }) => service.id)), swarm.nodes()]);
    // Taken once the tasks are read: the time their states are judged against.
    return { found, tasks, names: nodeNames(nodes), now: ctx.clock.now() };
  };

  const find = async (workloadId: string): Promise<{ service: SwarmService; workload: Workload }> => {
    const services = await swarm.services({ label: LABEL_WORKLOAD, value: workloadId });
    const workload = services[0] && workloadFromSwarmService(services[0]);
    if (!workload)
      throw new UserError(
        `The swarm has no service of svc's with the id ${workloadId} (another svc may have terminated it)`,
        { kind: 'not-found' },
      );
    return { service: services[0], workload };
  };

  /** User actions go to this host's event log too: the swarm keeps no record of who asked for what. */
  const record = (workload: Workload, action: WorkloadEvent['action'], reason: string) =>
    ctx.store.update((tx) => tx.emit(userEvent(ctx, workload, action, reason)));

  const changeIntent = async (
    workloadId: string,
    change: (w: Workload) => { replicas?: number; force?: boolean; event: [WorkloadEvent['action'], string] },
  ) => {
    await swarm.requireManager();
    const { service, workload } = await find(workloadId);
    if (workload.intent === 'terminated')
      throw new UserError(`${workload.name} (${workload.id}) is terminated`, { kind: 'conflict' });
    const next = structuredClone(workload);
    const { replicas, force, event } = change(next);
    await swarm.update(service.id, { replicas, force, labels: swarmIntentLabels(next) });
    await record(next, ...event);
    return next;
  };

  const backend = {
    name: 'swarm' as const,

    list: async (dialect: Dialect) =>
      (await withWorkloads()).map((w) => w.workload).filter((w) => w.dialect === dialect),

    create: async (input: NewWorkload, { start }: { start: boolean }) => {
      const restart = swarmPolicyOrRefuse(input.policy, input.dialect);
      checkSwarmSpec(input.spec);
      await swarm.requireManager();
      const clash = (await withWorkloads()).find(
        ({ workload: w }) =>
          w.dialect === input.dialect && w.name === input.name && w.app === input.app && w.intent !== 'terminated',
      );
      if (clash) {
        const { message, hint } = DIALECT_MESSAGES[input.dialect].nameTaken(input.name, clash.workload.id);
        throw new UserError(message, { kind: 'conflict', hint });
      }
      const now = ctx.clock.now();
      const workload: Workload = {
        ...input,
        id: newWorkloadId(input.dialect),
        backend: 'swarm',
        intent: start ? 'running' : 'not-started',
        operation: null,
        instances: [],
        createdAt: now,
        deployedAt: start ? now : null,
        startedAt: start ? now : null,
        stoppedAt: null,
        destroyedAt: null,
      };
      await swarm.create(serviceSpecOf(workload, restart));
      options.markInUse();
      await record(workload, 'create', `created from ${workload.spec.image} as a swarm service`);
      if (start) await record(workload, 'start', 'started by user');
      return workload;
    },

    start: (id: string) =>
      changeIntent(id, (w) => {
        w.intent = 'running';
        w.startedAt = ctx.clock.now();
        w.deployedAt ??= w.startedAt;
        return { replicas: w.targetInstances, event: ['start', 'started by user'] };
      }),

    // No replicas: the swarm stops every task and starts none, whatever the restart policy says.
    // A stop's signal and grace time are the service's (its image's stop signal, 10 s): the swarm
    // takes them only as a change of the service's spec, which would roll its tasks, so a stop's
    // own (Fly's stop --signal/--timeout) are not passed on.
    stopAll: (ids: readonly string[]) =>
      ids.map((id) =>
        changeIntent(id, (w) => {
          w.intent = w.intent === 'not-started' ? 'not-started' : 'stopped';
          w.stoppedAt = ctx.clock.now();
          return { replicas: 0, event: ['stop', 'stopped by user'] };
        }),
      ),

    scale: (id: string, target: number) =>
      changeIntent(id, (w) => {
        const from = w.targetInstances;
        w.targetInstances = target;
        return {
          ...(w.intent === 'running' ? { replicas: target } : {}),
          event: ['scale', `scaled from ${from} to ${target}`],
        };
      }),

    redeploy: (id: string) =>
      changeIntent(id, (w) => {
        w.intent = 'running';
        w.deployedAt = w.startedAt = ctx.clock.now();
        return {
          replicas: w.targetInstances,
          force: true,
          event: ['redeploy', 'redeployed by user: the swarm replaces every task'],
        };
      }),

    // A swarm service's command can only be changed as one shell string; it is made anew from the
    // spec instead, so that every word reaches the container as given. Its svc id stays. What svc
    // knows a swarm cannot keep is refused before the old service goes; the swarm may still refuse
    // the new one (an image reference it rejects, a manager lost meanwhile). Then the old one is made
    // again from its spec: a new swarm service, whose task history starts over. Should that fail too,
    // the workload is gone from the swarm, and the error says all it was but its env values.
    replaceSpec: async (id: string, spec: WorkloadSpec, reason: string) => {
      checkSwarmSpec(spec);
      await swarm.requireManager();
      const { service, workload } = await find(id);
      const next: Workload = { ...workload, spec: structuredClone(spec), deployedAt: ctx.clock.now() };
      const restart = swarmPolicyOrRefuse(next.policy, next.dialect);
      await swarm.remove(service.id);
      try {
        await swarm.create(serviceSpecOf(next, restart));
      } catch (error) {
        const why = firstLine(error);
        try {
          await swarm.create(serviceSpecOf(workload, restart));
        } catch (restoreError) {
          throw new UserError(
            `The swarm refused the new spec of ${workload.name} (${why}) and then its old one (${firstLine(restoreError)}): its swarm service is gone. It was: ${describeLost(workload)}`,
            {
              hint: `Make it again with \`svc ${workload.dialect === 'service' ? 'service' : 'm'} run --backend swarm\` and those settings once the swarm accepts services (it gets a new svc id).`,
              cause: restoreError,
            },
          );
        }
        await record(
          workload,
          'update',
          `the swarm refused the new spec (${why}); the service was made again as it was`,
        );
        throw new UserError(
          `The swarm refused the new spec of ${workload.name} (${why}); its old service was made again as it was, as a new swarm service (its task history starts over)`,
          { kind: error instanceof UserError ? error.kind : 'failed', cause: error },
        );
      }
      await record(next, 'update', reason);
      return next;
    },

    terminate: async (id: string) => {
      await swarm.requireManager();
      const { service, workload } = await find(id);
      await swarm.remove(service.id);
      const gone: Workload = { ...workload, intent: 'terminated', destroyedAt: ctx.clock.now() };
      await record(gone, 'terminate', 'terminated by user: the swarm service is removed');
      return gone;
    },

    setPolicy: async (
      id: string,
      change: (current: RestartPolicy) => RestartPolicy,
      describe: (policy: RestartPolicy) => string,
    ) => {
      await swarm.requireManager();
      const { service, workload } = await find(id);
      const policy = change(structuredClone(workload.policy));
      const restart = swarmPolicyOrRefuse(policy, workload.dialect);
      await swarm.update(service.id, { restart, labels: swarmPolicyLabels(policy) });
      const next = { ...workload, policy };
      await record(
        next,
        'update',
        `restart policy set to ${describe(policy)}; the swarm rolls the service's tasks to apply it`,
      );
      return next;
    },

    signal: async (id: string) => {
      const { workload } = await find(id);
      throw usageError(
        `${workload.name} runs on a swarm: svc cannot send a signal to its tasks, which run on the nodes' own engines`,
      );
    },

    setMetadata: async (id: string, metadata: Record<string, string>) => {
      await swarm.requireManager();
      const { service, workload } = await find(id);
      await swarm.update(service.id, { labels: swarmMetadataLabels(metadata) });
      const next = { ...workload, metadata: { ...metadata } };
      await record(next, 'update', `metadata set to ${JSON.stringify(metadata)}`);
      return next;
    },

    // The swarm's orchestrator keeps the policy: nothing of svc's needs to run.
    enforcePolicies: async () => {},

    observe: async (dialect: Dialect): Promise<ObservedWorkload[]> => {
      const { found, tasks, names, now } = await withTasks(({ workload }) => workload.dialect === dialect);
      return found
        .sort((a, b) => a.workload.createdAt - b.workload.createdAt)
        .map(({ service, workload }) => observeSwarmWorkload(workload, service, tasks, names, now));
    },

    // A swarm service's tasks run on other nodes: the swarm gives their output as one stream.
    streamLogs: (workload: Workload, logOptions: LogOptions, sink: LogSink): LogStream => {
      let stopped = false;
      let stopStream = () => {};
      const done = find(workload.id).then(async ({ service }) => {
        if (stopped) return;
        const stream = swarm.logs(service.id, logOptions, (line, from) => sink.line(line, from));
        stopStream = stream.stop;
        const { exitCode, stderr } = await stream.done;
        if (exitCode !== 0 && !stopped)
          throw new UserError(
            `docker service logs failed for ${workload.name}: ${stderr.trim() || `exit code ${exitCode}`}`,
          );
      });
      return { done, stop: () => ((stopped = true), stopStream()) };
    },

    /** The swarm's task history of these workloads, as events: one listing for them all. */
    history: async (workloadIds: readonly string[]): Promise<WorkloadEvent[]> => {
      const wanted = new Set(workloadIds);
      const { found, tasks, names, now } = await withTasks(({ workload }) => wanted.has(workload.id));
      return found.flatMap(({ service, workload }) => swarmEvents(workload, service, tasks, names, now));
    },
  };
  return backend;
};
