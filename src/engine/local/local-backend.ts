/**
 * The local backend: each instance is a container on the Docker host svc talks to, and svc's own
 * supervisor restarts, replaces and destroys them by their policy.
 */
import type { EngineContext } from '../ports/context.js';
import type { WorkloadBackend } from '../backend.js';
import { launchWorkload, recordWorkload } from '../create.js';
import { startWorkload, stopWorkloadsTogether, terminateWorkload } from '../lifecycle.js';
import { observeAll } from '../observe.js';
import { updatePolicy } from './policy-update.js';
import { redeployWorkload } from './redeploy.js';
import { replaceSpec } from './replace-spec.js';
import { scaleWorkload } from '../scale.js';
import { setMetadata, signalWorkload } from './signal.js';

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
});
