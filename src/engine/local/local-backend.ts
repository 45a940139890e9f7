/**
 * The local backend: each instance is a container on the Docker host svc talks to, and svc's own
 * supervisor restarts, replaces and destroys them by their policy.
 */
import type { EngineContext } from '../ports/context.js';
import type { LogOptions } from '../ports/runtime.js';
import type { InstanceRecord, Workload } from '../../core/workload.js';
import { PartialFailure, UserError } from '../../errors.js';
import type { LogSink, LogStream, WorkloadBackend } from '../backend.js';
import { launchWorkload, recordWorkload } from '../create.js';
import { startWorkload, stopWorkloadsTogether, terminateWorkload } from '../lifecycle.js';
import { observeAll } from '../observe.js';
import { updatePolicy } from './policy-update.js';
import { redeployWorkload } from './redeploy.js';
import { replaceSpec } from './replace-spec.js';
import { scaleWorkload } from '../scale.js';
import { setMetadata, signalWorkload } from './signal.js';

type Shown = InstanceRecord & { containerId: string };

const vanished = (workload: Workload, instance: Shown) =>
  `Container ${instance.containerName} (${instance.containerId.slice(0, 12)}) of service ${workload.name} no longer exists in Docker; ` +
  `\`svc service redeploy ${workload.name}\` gives the service fresh containers`;

/** Every container's output, each line prefixed with its container name; a container that cannot be shown is named. */
const containerLogs = (ctx: EngineContext, workload: Workload, options: LogOptions, sink: LogSink): LogStream => {
  const instances = workload.instances.filter((i): i is Shown => i.containerId !== null);
  const streams: { stop(): void }[] = [];
  let stopped = false;
  const failures: UserError[] = [];
  const fail = (message: string) => {
    failures.push(new UserError(message));
    sink.problem(message);
  };
  const exists = async (instance: Shown) => (await ctx.docker.inspect([instance.containerId])).length > 0;
  const prefixWidth = Math.max(0, ...instances.map((i) => i.containerName.length));
  const show = async (instance: Shown) => {
    const prefix = `${instance.containerName.padEnd(prefixWidth)} | `;
    const stream = ctx.docker.logs(instance.containerId, options, (line, from = 'stdout') =>
      sink.line(`${prefix}${line}`, from),
    );
    streams.push(stream);
    const { exitCode, stderr } = await stream.done;
    if (exitCode === 0 || stopped) return;
    // Gone meanwhile, or docker refused: asking again tells which (and throws if Docker went away).
    if (!(await exists(instance))) return fail(vanished(workload, instance));
    fail(`docker logs failed for container ${instance.containerName}: ${stderr.trim() || `exit code ${exitCode}`}`);
  };
  const done = (async () => {
    // One inspect first: an unreachable engine fails before anything is shown, and a vanished
    // container is named by svc rather than shown as docker's error text.
    const present = new Set((await ctx.docker.inspect(instances.map((i) => i.containerId))).map((c) => c.id));
    for (const instance of instances) if (!present.has(instance.containerId)) fail(vanished(workload, instance));
    if (!stopped) await Promise.all(instances.filter((i) => present.has(i.containerId)).map(show));
    if (failures.length > 0) throw new PartialFailure(failures);
  })();
  return {
    done,
    stop: () => {
      stopped = true;
      for (const stream of streams) stream.stop();
    },
  };
};

/** `ensureSupervisor`: starts the supervisor if none runs; how is the caller's (a CLI starts `svc daemon run` detached). */
export const createLocalBackend = (ctx: EngineContext, ensureSupervisor: () => Promise<void>): WorkloadBackend => ({
  name: 'local',
  create: (input, { start }) => (start ? launchWorkload(ctx, input) : recordWorkload(ctx, input)),
  start: (id) => startWorkload(ctx, id),
  stopAll: (ids, options) => {
    const stopOne = stopWorkloadsTogether(ctx, ids, options);
    return ids.map(stopOne);
  },
  scale: (id, target) => scaleWorkload(ctx, id, target),
  redeploy: (id) => redeployWorkload(ctx, id),
  replaceSpec: (id, spec, reason) => replaceSpec(ctx, id, spec, reason),
  terminate: (id) => terminateWorkload(ctx, id),
  signal: (id, signal) => signalWorkload(ctx, id, signal),
  setMetadata: (id, metadata) => setMetadata(ctx, id, metadata),
  setPolicy: (id, change, describe) => updatePolicy(ctx, id, change, describe),
  enforcePolicies: () => ensureSupervisor(),
  observe: (dialect) => observeAll(ctx, dialect),
  list: async (dialect) =>
    Object.values(ctx.store.read().workloads).filter((w) => w.dialect === dialect && w.backend === 'local'),
  streamLogs: (workload, options, sink) => containerLogs(ctx, workload, options, sink),
  // Every event of a local workload is in svc's own log: the supervisor and the operations write it there.
  history: async () => [],
});
