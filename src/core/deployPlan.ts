/** What `svc deploy` does to each process group, given fly.toml and the machines that exist. Pure. */
import { machinePolicyFromConfig } from './dialects/fly.js';
import type { FlyAppConfig, FlyProcessGroup } from './flyToml.js';
import type { RestartPolicy } from './policy.js';
import { sameData } from './sameData.js';
import type { Workload, WorkloadSpec } from './workload.js';

export interface DesiredMachine {
  group: string;
  spec: WorkloadSpec;
  policy: RestartPolicy;
}

export type DeployStep =
  | { kind: 'create'; desired: DesiredMachine }
  | { kind: 'update'; desired: DesiredMachine; machine: Workload; policyChanged: boolean; specChanged: boolean }
  | { kind: 'unchanged'; desired: DesiredMachine; machine: Workload }
  /** The machine's process group is no longer in fly.toml. */
  | { kind: 'destroy'; machine: Workload };

export const desiredMachine = (config: FlyAppConfig, group: FlyProcessGroup): DesiredMachine => ({
  group: group.name,
  spec: {
    image: config.image,
    command: group.command,
    entrypoint: null,
    env: Object.entries(config.env).map(([key, value]) => ({ key, value })),
    memoryMb: null,
  },
  policy: machinePolicyFromConfig(group.restart),
});

/** Env order does not matter to a container, so it does not count as a change. */
const specKey = (spec: WorkloadSpec) =>
  JSON.stringify([
    spec.image,
    spec.command,
    spec.entrypoint,
    spec.memoryMb,
    [...spec.env].sort((a, b) => a.key.localeCompare(b.key)),
  ]);

/** The whole policy, compared structurally: a field added to RestartPolicy is compared without a word here. */
export const samePolicy = (a: RestartPolicy, b: RestartPolicy): boolean => sameData(a, b);

/** The live machines deploy manages for this app, oldest first; standalone (`m run`) ones are not among them. */
const managedMachines = (app: string, workloads: readonly Workload[]) =>
  workloads
    .filter((w) => w.dialect === 'machine' && w.deployManaged && w.intent !== 'terminated' && w.app === app)
    .sort((a, b) => a.createdAt - b.createdAt);

/**
 * Every managed machine of a process group is deploy's to update (as `fly deploy` updates a whole
 * group); a group without one gets a new machine. fly.toml's [processes] is the complete list, so
 * managed machines of a group no longer in it are destroyed. Running it twice changes nothing.
 */
export const planDeploy = (config: FlyAppConfig, workloads: readonly Workload[]): DeployStep[] => {
  const managed = managedMachines(config.app, workloads);
  const groupSteps = config.groups.flatMap((group): DeployStep[] => {
    const desired = desiredMachine(config, group);
    const machines = managed.filter((w) => w.processGroup === group.name);
    if (machines.length === 0) return [{ kind: 'create', desired }];
    return machines.map((machine) => {
      const policyChanged = !samePolicy(machine.policy, desired.policy);
      const specChanged = specKey(machine.spec) !== specKey(desired.spec);
      return policyChanged || specChanged
        ? { kind: 'update', desired, machine, policyChanged, specChanged }
        : { kind: 'unchanged', desired, machine };
    });
  });
  const groups = new Set(config.groups.map((g) => g.name));
  const removed = managed.filter((w) => !groups.has(w.processGroup ?? ''));
  return [...groupSteps, ...removed.map((machine): DeployStep => ({ kind: 'destroy', machine }))];
};
