/** `svc deploy [-c fly.toml] [-a APP]`: one machine per process group, created or updated in place. */
import type { Context } from '../context.js';
import { machinePolicyToConfig, type FlyRestartConfig } from '../core/dialects/fly.js';
import { planDeploy, type DeployStep } from '../core/deployPlan.js';
import { DEFAULT_PROCESS_GROUP, describeMachinePolicy, describeRestart } from '../core/machineConfig.js';
import { randomMachineName } from '../core/machineNames.js';
import { launchWorkload } from '../engine/create.js';
import { terminateWorkload } from '../engine/lifecycle.js';
import { updatePolicy } from '../engine/policy-update.js';
import { replaceSpec } from '../engine/respec.js';
import { UserError } from '../errors.js';
import { renderTable } from '../render/table.js';
import { ensureSupervisor } from '../supervisor/control.js';
import { loadFlyConfig } from './config-validate.js';

export interface DeployFlags {
  config?: string;
  app?: string;
  json?: boolean;
  /** Print what deploy would do, change nothing. */
  dryRun?: boolean;
}

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
const planned = (step: DeployStep): DeployResult => {
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
  const changes = step.kind === 'update'
    ? [
        ...(step.policyChanged ? [`restart ${describeMachinePolicy(step.machine.policy)} -> ${describeMachinePolicy(step.desired.policy)}`] : []),
        ...(step.specChanged ? ['new container: image, command or env changed'] : []),
      ]
    : [];
  return { ...base, id: step.machine.id, name: step.machine.name, result: step.kind, changes };
};

const carryOut = async (ctx: Context, app: string, step: DeployStep): Promise<DeployResult> => {
  const plan = planned(step);
  if (step.kind === 'unchanged') return plan;
  if (step.kind === 'destroy') {
    await terminateWorkload(ctx, step.machine.id);
    return { ...plan, result: 'destroyed' };
  }
  const { group, spec, policy } = step.desired;
  if (step.kind === 'create') {
    const workload = await launchWorkload(ctx, {
      dialect: 'machine',
      name: randomMachineName(),
      app,
      processGroup: group,
      spec,
      policy,
      targetInstances: 1,
      deployManaged: true,
    });
    return { ...plan, id: workload.id, name: workload.name, result: 'created' };
  }
  if (step.policyChanged) await updatePolicy(ctx, step.machine.id, () => policy, describeMachinePolicy);
  if (step.specChanged) await replaceSpec(ctx, step.machine.id, spec, 'image, command or env changed by deploy');
  return { ...plan, result: 'updated' };
};

const machines = (count: number, group: string) => `${count} "${group}" machine${count === 1 ? '' : 's'}`;

/** As flyctl, before it acts: what a change to the process groups will do. Empty when none left fly.toml. */
const groupChangeNotice = (steps: DeployStep[]): string => {
  const destroyed = new Map<string, number>();
  for (const step of steps) {
    if (step.kind === 'destroy') {
      const group = step.machine.processGroup ?? DEFAULT_PROCESS_GROUP;
      destroyed.set(group, (destroyed.get(group) ?? 0) + 1);
    }
  }
  if (destroyed.size === 0) return '';
  const created = steps.flatMap((step) => (step.kind === 'create' ? [step.desired.group] : []));
  return [
    'Process groups have changed. This will:',
    ...[...destroyed].map(([group, count]) => ` * destroy ${machines(count, group)}`),
    ...created.map((group) => ` * create ${machines(1, group)}`),
    '',
  ].join('\n');
};

export const deploy = async (ctx: Context, flags: DeployFlags) => {
  const { file, config } = loadFlyConfig(flags.config, flags.app);
  if (flags.dryRun) {
    ctx.io.stderr.write(`==> Dry run of app ${config.app} from ${file}: nothing will be changed\n`);
    const steps = planDeploy(config, Object.values(ctx.store.read().workloads));
    ctx.io.stderr.write(groupChangeNotice(steps));
    return printResults(ctx, steps.map(planned), Boolean(flags.json));
  }
  await ctx.docker.serverVersion(); // exit 4 before anything is recorded
  if (!(await ctx.docker.imageExists(config.image))) {
    throw new UserError(`image ${config.image} is not on this Docker host`, {
      hint: 'svc deploys existing images: build or load it first, or fix [build] image in fly.toml.',
    });
  }
  ctx.io.stderr.write(`==> Deploying app ${config.app} from ${file}\n`);
  const steps = planDeploy(config, Object.values(ctx.store.read().workloads));
  ctx.io.stderr.write(groupChangeNotice(steps));
  const results: DeployResult[] = [];
  for (const step of steps) results.push(await carryOut(ctx, config.app, step));
  if (results.some((r) => r.result === 'created' || r.result === 'updated')) await ensureSupervisor(ctx);
  printResults(ctx, results, Boolean(flags.json));
};

const printResults = (ctx: Context, results: DeployResult[], json: boolean) => {
  if (json) return void ctx.io.stdout.write(JSON.stringify(results, null, 2) + '\n');
  ctx.io.stdout.write(
    renderTable(
      ['PROCESS GROUP', 'MACHINE', 'NAME', 'RESULT', 'RESTART', 'CHANGES'],
      results.map((r) => [r.process_group, r.id || '-', r.name || '-', r.result, describeRestart(r.restart), r.changes.join('; ')]),
    ),
  );
};
