/**
 * The Fly Machines operations, for every way in (the CLI, the Machines API, the web page): each checks
 * its input, applies Fly's defaults, enforces flyctl's rules, asks the backend and returns data.
 * Identifiers are a full machine id, an id prefix or a name.
 */
import type { OperationContext } from '../context.js';
import { machinePolicyFromConfig, type FlyApiPolicyWord } from '../core/dialects/fly.js';
import { diffLines, type DiffLine } from '../core/lineDiff.js';
import {
  describeMachinePolicy,
  DEFAULT_PROCESS_GROUP,
  formatMachineConfig,
  machineConfigFor,
  policyWithRestart,
} from '../core/machineConfig.js';
import { isRetryBudget, MAX_RETRIES_LIMIT } from '../core/limits.js';
import { checkFlyName, randomMachineName } from '../core/machineNames.js';
import { flyMachineState, type FlyMachineState } from '../core/machineState.js';
import { conflictsAlwaysWithDestroy, type RestartPolicy } from '../core/policy.js';
import type { BackendName, Workload, WorkloadSpec } from '../core/workload.js';
import { workloadSpec, type SpecRequest } from '../core/workloadSpec.js';
import { conflictError, usageError } from '../errors.js';
import { policyConflictError } from '../engine/create.js';
import type { ObservedWorkload } from '../engine/observe.js';
import { refuseGone, resolveAmong } from '../engine/resolve.js';
import type { StopOptions } from '../engine/lifecycle.js';
import { SECRET_MASK } from '../core/envVars.js';
import { isDeepStrictEqual } from 'node:util';
import { enforcedAfter } from './enforce.js';
import { observedWorkload } from './observed.js';
import { stopTogether } from './stop-together.js';

/** Fly's app when none is given and no fly.toml names one (SPEC §1). */
export const DEFAULT_APP = 'default';

export interface MachineRequest extends SpecRequest {
  /** Default: a random Fly-style name. */
  name?: string;
  /** Default: `default`. */
  app?: string;
  /** Default `always`, or `no` with autoDestroy (Fly's `m run` and `--rm`). The Machines API gives its own default, on-failure. */
  restart?: FlyApiPolicyWord;
  /** on-failure's retry budget (in Fly's 5-minute window); default 10. */
  maxRetries?: number;
  /** `--rm`, the config's auto_destroy: the machine is destroyed when it stops. */
  autoDestroy?: boolean;
  /** Default `app`. */
  processGroup?: string;
  /** The user's own config.metadata. */
  metadata?: Record<string, string>;
  /** False: created and left stopped (the Machines API's skip_launch). Default true. */
  launch?: boolean;
  /** Where it runs; default the context's (SVC_BACKEND, else local). */
  backend?: BackendName;
}

const checkMaxRetries = (maxRetries: number | undefined): number | undefined => {
  if (maxRetries !== undefined && !isRetryBudget(maxRetries)) {
    throw usageError(`max_retries must be a whole number from 0 to ${MAX_RETRIES_LIMIT}, not ${maxRetries}`);
  }
  return maxRetries;
};

/** The restart policy a request asks for, with Fly's defaults filled in. */
const requestedPolicy = (request: Pick<MachineRequest, 'restart' | 'maxRetries' | 'autoDestroy'>): RestartPolicy => {
  const autoDestroy = Boolean(request.autoDestroy);
  return machinePolicyFromConfig(
    { policy: request.restart ?? (autoDestroy ? 'no' : 'always'), max_retries: checkMaxRetries(request.maxRetries) },
    autoDestroy,
  );
};

/** Among the workloads of every backend in use (the local state, a swarm). */
const machine = async (ctx: OperationContext, identifier: string): Promise<Workload> =>
  resolveAmong(await ctx.backend.list('machine'), 'machine', identifier);
const liveMachine = async (ctx: OperationContext, identifier: string): Promise<Workload> =>
  refuseGone(await machine(ctx, identifier));

export const runMachine = async (ctx: OperationContext, request: MachineRequest): Promise<Workload> => {
  const workload = await ctx.backend.create(
    {
      dialect: 'machine',
      name: request.name === undefined ? randomMachineName() : checkFlyName('machine name', '-n/--name', request.name),
      app: checkFlyName('app name', '-a/--app', request.app ?? DEFAULT_APP),
      processGroup:
        request.processGroup === undefined
          ? DEFAULT_PROCESS_GROUP
          : checkFlyName('process group', 'fly_process_group', request.processGroup),
      spec: workloadSpec(request),
      policy: requestedPolicy(request),
      targetInstances: 1,
      ...(request.metadata && Object.keys(request.metadata).length > 0 ? { metadata: { ...request.metadata } } : {}),
      ...(request.backend ? { backend: request.backend } : {}),
    },
    { start: request.launch ?? true },
  );
  await ctx.backend.enforcePolicies(workload);
  return workload;
};

/** One machine joined with the runtime's view of it. */
export const observeMachine = async (ctx: OperationContext, identifier: string): Promise<ObservedWorkload> =>
  observedWorkload(ctx, await machine(ctx, identifier));

export interface MachinePolicyChange {
  workload: Workload;
  next: RestartPolicy;
  /** The config diff, as flyctl shows it before it asks; empty when nothing changes. */
  diff: DiffLine[];
}

/** What `m update --restart WORD` would change, checked against the rules, changing nothing. */
export const planMachinePolicyChange = async (
  ctx: OperationContext,
  identifier: string,
  restart: FlyApiPolicyWord | undefined,
): Promise<MachinePolicyChange> => {
  const workload = await liveMachine(ctx, identifier);
  const next = policyWithRestart(workload.policy, restart);
  if (conflictsAlwaysWithDestroy(next)) throw policyConflictError('machine');
  const before = formatMachineConfig(machineConfigFor(workload));
  const after = formatMachineConfig(machineConfigFor({ ...workload, policy: next }));
  return { workload, next, diff: diffLines(before, after) };
};

/**
 * Applies a restart policy; it reaches the running machine at once. Recomputed from the stored
 * policy, so a change another command made since the plan was shown is not undone.
 */
export const updateMachinePolicy = async (
  ctx: OperationContext,
  identifier: string,
  restart: FlyApiPolicyWord | undefined,
): Promise<Workload> =>
  enforcedAfter(
    ctx,
    ctx.backend.setPolicy(
      (await liveMachine(ctx, identifier)).id,
      (current) => policyWithRestart(current, restart),
      describeMachinePolicy,
    ),
  );

export const startMachine = async (ctx: OperationContext, identifier: string): Promise<Workload> =>
  enforcedAfter(ctx, ctx.backend.start((await liveMachine(ctx, identifier)).id));

/**
 * A Fly restart boots the machine afresh from its image, as a new container does. It also keeps the
 * supervisor out of it: the old container is forgotten before it stops, so an auto-destroy (--rm)
 * machine is not destroyed by its own restart.
 */
export const restartMachine = async (ctx: OperationContext, identifier: string): Promise<Workload> =>
  enforcedAfter(ctx, ctx.backend.redeploy((await liveMachine(ctx, identifier)).id));

/** One promise per identifier, in order (see stopTogether). */
export const stopMachines = (
  ctx: OperationContext,
  identifiers: readonly string[],
  options: StopOptions = {},
): Promise<Workload>[] => stopTogether(ctx, 'machine', identifiers, options);

/** The Machines API names a machine within its app: a name another app's machine also has is this app's; one only another app has is not found. */
export const machineInApp = async (ctx: OperationContext, app: string, identifier: string): Promise<Workload> =>
  resolveAmong(
    (await ctx.backend.list('machine')).filter((w) => w.app === app),
    'machine',
    identifier,
  );

/** Whether svc knows the app: it has, or had, a machine in it. */
export const appExists = async (ctx: OperationContext, app: string): Promise<boolean> =>
  (await ctx.backend.list('machine')).some((w) => w.app === app);

/** A signal to the machine's process; its exit, if it exits, is judged by the restart policy. */
export const signalMachine = async (ctx: OperationContext, identifier: string, signal: string): Promise<Workload> =>
  ctx.backend.signal((await liveMachine(ctx, identifier)).id, signal);

/** What the Machines API's update sends: the whole config, as a request. */
export type MachineConfigChange = { restart: FlyApiPolicyWord } & Pick<
  MachineRequest,
  'maxRetries' | 'autoDestroy' | 'metadata'
> &
  SpecRequest;

/**
 * The Machines API's update: the config given replaces the machine's. A new restart policy reaches
 * the running machine at once (as `m update`); a new image, command, entrypoint, env or memory needs
 * a fresh container, so the machine is redeployed from it (a new instance id, as on Fly). Env values
 * svc shows masked (from --env-file) may come back masked: the value kept is then the secret one.
 */
export const updateMachineConfig = async (
  ctx: OperationContext,
  identifier: string,
  change: MachineConfigChange,
): Promise<Workload> => {
  const current = await liveMachine(ctx, identifier);
  const policy = requestedPolicy(change);
  if (conflictsAlwaysWithDestroy(policy)) throw policyConflictError('machine');
  const secrets = new Map(current.spec.env.filter((v) => v.secret).map((v) => [v.key, v]));
  const spec = workloadSpec({
    ...change,
    env: (change.env ?? []).map((v) => (v.value === SECRET_MASK && secrets.has(v.key) ? secrets.get(v.key)! : v)),
  });
  let workload = current;
  if (!isDeepStrictEqual(policy, current.policy))
    workload = await ctx.backend.setPolicy(current.id, () => policy, describeMachinePolicy);
  const metadata = change.metadata ?? {};
  if (!isDeepStrictEqual(metadata, current.metadata ?? {}))
    workload = await ctx.backend.setMetadata(current.id, metadata);
  if (!sameSpec(spec, current.spec)) workload = await ctx.backend.replaceSpec(current.id, spec, 'config updated');
  await ctx.backend.enforcePolicies(workload);
  return workload;
};

const envKey = (env: WorkloadSpec['env']) =>
  JSON.stringify([...env].sort((a, b) => a.key.localeCompare(b.key)).map((v) => [v.key, v.value]));

const sameSpec = (a: WorkloadSpec, b: WorkloadSpec) =>
  a.image === b.image &&
  a.entrypoint === b.entrypoint &&
  a.memoryMb === b.memoryMb &&
  isDeepStrictEqual(a.command, b.command) &&
  envKey(a.env) === envKey(b.env);

/** As flyctl: a stopped machine goes at once; one in any other state needs force. */
export const destroyMachine = async (
  ctx: OperationContext,
  identifier: string,
  { force = false } = {},
): Promise<Workload> => {
  const workload = await liveMachine(ctx, identifier);
  if (!force) {
    const state: FlyMachineState = flyMachineState((await observedWorkload(ctx, workload)).state);
    if (state !== 'stopped' && state !== 'created') {
      throw conflictError(
        state === 'started'
          ? `machine ${workload.id} currently started, either stop first or use --force flag`
          : `machine ${workload.id} is in a ${state} state and cannot be destroyed since it is not stopped, either stop first or use --force flag`,
      );
    }
  }
  return ctx.backend.terminate(workload.id);
};
