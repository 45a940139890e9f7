/**
 * The Fly Machines operations, for every way in (the CLI today, the Machines API next): each checks
 * its input, applies Fly's defaults, enforces flyctl's rules, asks the backend and returns data.
 * Identifiers are a full machine id, an id prefix or a name.
 */
import type { OperationContext } from '../context.js';
import { machinePolicyFromConfig, type FlyApiPolicyWord } from '../core/dialects/fly.js';
import { diffLines, type DiffLine } from '../core/lineDiff.js';
import { describeMachinePolicy, DEFAULT_PROCESS_GROUP, formatMachineConfig, machineConfigFor, policyWithRestart } from '../core/machineConfig.js';
import { checkFlyName, randomMachineName } from '../core/machineNames.js';
import { flyMachineState, type FlyMachineState } from '../core/machineState.js';
import { conflictsAlwaysWithDestroy, type RestartPolicy } from '../core/policy.js';
import type { Workload } from '../core/workload.js';
import { workloadSpec, type SpecRequest } from '../core/workloadSpec.js';
import { conflictError, UserError } from '../errors.js';
import { policyConflictError } from '../engine/create.js';
import type { ObservedWorkload } from '../engine/observe.js';
import { refuseGone, resolveWorkload } from '../engine/resolve.js';
import { enforcedAfter } from './enforce.js';
import { attempt, stopTogether } from './stop-together.js';

/** Fly's app when none is given and no fly.toml names one (SPEC §1). */
export const DEFAULT_APP = 'default';

export interface MachineRequest extends SpecRequest {
  /** Default: a random Fly-style name. */
  name?: string;
  /** Default: `default`. */
  app?: string;
  /** Default `always`, or `no` with autoDestroy (Fly's `m run` and `--rm`). */
  restart?: FlyApiPolicyWord;
  /** `--rm`, the config's auto_destroy: the machine is destroyed when it stops. */
  autoDestroy?: boolean;
}

const machine = (ctx: OperationContext, identifier: string): Workload => resolveWorkload(ctx.store.read(), 'machine', identifier);
const liveMachine = (ctx: OperationContext, identifier: string): Workload => refuseGone(machine(ctx, identifier));

export const runMachine = async (ctx: OperationContext, request: MachineRequest): Promise<Workload> => {
  const autoDestroy = Boolean(request.autoDestroy);
  const workload = await ctx.backend.create(
    {
      dialect: 'machine',
      name: request.name === undefined ? randomMachineName() : checkFlyName('machine name', '-n/--name', request.name),
      app: checkFlyName('app name', '-a/--app', request.app ?? DEFAULT_APP),
      processGroup: DEFAULT_PROCESS_GROUP,
      spec: workloadSpec(request),
      policy: machinePolicyFromConfig({ policy: request.restart ?? (autoDestroy ? 'no' : 'always') }, autoDestroy),
      targetInstances: 1,
    },
    { start: true },
  );
  await ctx.backend.enforcePolicies();
  return workload;
};

/** One machine joined with the runtime's view of it. */
export const observeMachine = async (ctx: OperationContext, identifier: string): Promise<ObservedWorkload> => observed(ctx, machine(ctx, identifier));

const observed = async (ctx: OperationContext, workload: Workload): Promise<ObservedWorkload> => {
  const found = (await ctx.backend.observe('machine')).find((o) => o.workload.id === workload.id);
  if (!found) throw new UserError(`machine ${workload.id} disappeared from the state file while svc was reading it`);
  return found;
};

export interface MachinePolicyChange {
  workload: Workload;
  next: RestartPolicy;
  /** The config diff, as flyctl shows it before it asks; empty when nothing changes. */
  diff: DiffLine[];
}

/** What `m update --restart WORD` would change, checked against the rules, changing nothing. */
export const planMachinePolicyChange = (ctx: OperationContext, identifier: string, restart: FlyApiPolicyWord | undefined): MachinePolicyChange => {
  const workload = liveMachine(ctx, identifier);
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
export const updateMachinePolicy = async (ctx: OperationContext, identifier: string, restart: FlyApiPolicyWord | undefined): Promise<Workload> =>
  enforcedAfter(ctx, ctx.backend.setPolicy(
    liveMachine(ctx, identifier).id,
    (current) => policyWithRestart(current, restart),
    describeMachinePolicy,
  ));

export const startMachine = async (ctx: OperationContext, identifier: string): Promise<Workload> =>
  enforcedAfter(ctx, ctx.backend.start(liveMachine(ctx, identifier).id));

/**
 * A Fly restart boots the machine afresh from its image, as a new container does. It also keeps the
 * supervisor out of it: the old container is forgotten before it stops, so an auto-destroy (--rm)
 * machine is not destroyed by its own restart.
 */
export const restartMachine = async (ctx: OperationContext, identifier: string): Promise<Workload> =>
  enforcedAfter(ctx, ctx.backend.redeploy(liveMachine(ctx, identifier).id));

/** One promise per identifier, in order (see stopTogether). */
export const stopMachines = (ctx: OperationContext, identifiers: readonly string[]): Promise<Workload>[] =>
  stopTogether(ctx, identifiers.map((identifier) => attempt(() => liveMachine(ctx, identifier))));

/** As flyctl: a stopped machine goes at once; one in any other state needs force. */
export const destroyMachine = async (ctx: OperationContext, identifier: string, { force = false } = {}): Promise<Workload> => {
  const workload = liveMachine(ctx, identifier);
  if (!force) {
    const state: FlyMachineState = flyMachineState((await observed(ctx, workload)).state);
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
