/**
 * `deploy` from a fly.toml, for every way in: one machine per process group, created, updated in
 * place (a policy change applies at once, a new image or command gets a fresh container) or
 * destroyed when its group left the file. planDeploy (core) decides; this carries it out.
 */
import type { OperationContext } from '../context.js';
import { machinePolicyToConfig, type FlyRestartConfig } from '../core/dialects/fly.js';
import { planDeploy, type DeployStep } from '../core/deployPlan.js';
import type { FlyAppConfig } from '../core/flyToml.js';
import { DEFAULT_PROCESS_GROUP, describeMachinePolicy } from '../core/machineConfig.js';
import { randomMachineName } from '../core/machineNames.js';
import { UserError } from '../errors.js';
import type { BackendName, Workload } from '../core/workload.js';

export interface DeployResult {
  process_group: string;
  id: string;
  name: string;
  /** What was done; with --dry-run, what would be done (`create`, `update`, `destroy`). */
  result: 'created' | 'updated' | 'unchanged' | 'destroyed' | 'create' | 'update' | 'destroy';
  restart: FlyRestartConfig;
  changes: string[];
}

/** What a step does, as a result: the plan for --dry-run, and the base of what carryOut reports. */
export const planned = (step: DeployStep): DeployResult => {
  if (step.kind === 'destroy') {
    const { machine } = step;
    return {
      process_group: machine.processGroup ?? DEFAULT_PROCESS_GROUP,
      id: machine.id,
      name: machine.name,
      result: 'destroy',
      restart: machinePolicyToConfig(machine.policy),
      changes: ['process group removed from fly.toml'],
    };
  }
  const base = { process_group: step.desired.group, restart: machinePolicyToConfig(step.desired.policy) };
  if (step.kind === 'create') return { ...base, id: '', name: '', result: 'create', changes: [] };
  const changes =
    step.kind === 'update'
      ? [
          ...(step.policyChanged
            ? [`restart ${describeMachinePolicy(step.machine.policy)} -> ${describeMachinePolicy(step.desired.policy)}`]
            : []),
          ...(step.specChanged ? ['new container: image, command or env changed'] : []),
        ]
      : [];
  return { ...base, id: step.machine.id, name: step.machine.name, result: step.kind, changes };
};

/** Carries out one step; `kept` is told each machine left with a policy to keep (made or changed). */
const carryOut = async (
  ctx: OperationContext,
  app: string,
  step: DeployStep,
  backend: BackendName | undefined,
  kept: (w: Workload) => void,
): Promise<DeployResult> => {
  const plan = planned(step);
  if (step.kind === 'unchanged') return plan;
  if (step.kind === 'destroy') {
    await ctx.backend.terminate(step.machine.id);
    return { ...plan, result: 'destroyed' };
  }
  const { group, spec, policy } = step.desired;
  if (step.kind === 'create') {
    const workload = await ctx.backend.create(
      {
        dialect: 'machine',
        name: randomMachineName(),
        app,
        processGroup: group,
        spec,
        policy,
        targetInstances: 1,
        deployManaged: true,
        ...(backend ? { backend } : {}),
      },
      { start: true },
    );
    kept(workload);
    return { ...plan, id: workload.id, name: workload.name, result: 'created' };
  }
  if (step.policyChanged) await ctx.backend.setPolicy(step.machine.id, () => policy, describeMachinePolicy);
  if (step.specChanged) await ctx.backend.replaceSpec(step.machine.id, spec, 'image, command or env changed by deploy');
  kept(step.machine);
  return { ...plan, result: 'updated' };
};

export interface DeployOptions {
  /** Where new machines run; default the context's (SVC_BACKEND, else local). Machines already there stay where they are. */
  backend?: BackendName;
  /** Plan only: what would be done, nothing changed, Docker not asked. */
  dryRun?: boolean;
  /** Told the plan before anything is done (the CLI prints flyctl's process-group notice). */
  onPlan?: (steps: DeployStep[]) => void;
}

export const deployApp = async (
  ctx: OperationContext,
  config: FlyAppConfig,
  { dryRun = false, onPlan = () => {}, backend }: DeployOptions = {},
): Promise<DeployResult[]> => {
  if (!dryRun) {
    await ctx.docker.serverVersion(); // an unreachable engine is exit 4 before anything is recorded
    if (!(await ctx.docker.imageExists(config.image))) {
      throw new UserError(`image ${config.image} is not on this Docker host`, {
        hint: 'svc deploys existing images: build or load it first, or fix [build] image in fly.toml.',
      });
    }
  }
  const steps = planDeploy(config, await ctx.backend.list('machine'));
  onPlan(steps);
  if (dryRun) return steps.map(planned);
  const results: DeployResult[] = [];
  const kept = new Map<BackendName, Workload>();
  for (const step of steps) results.push(await carryOut(ctx, config.app, step, backend, (w) => kept.set(w.backend, w)));
  for (const workload of kept.values()) await ctx.backend.enforcePolicies(workload);
  return results;
};
