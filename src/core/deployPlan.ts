/** What `svc deploy` does to each process group, given fly.toml and the machines that exist. Pure. */
import { machinePolicyFromConfig } from './dialects/fly.js';
import type { FlyAppConfig, FlyProcessGroup } from './flyToml.js';
import type { RestartPolicy } from './policy.js';
import type { Workload, WorkloadSpec } from './workload.js';

export interface DesiredMachine {
  group: string;
  spec: WorkloadSpec;
  policy: RestartPolicy;
}

export type DeployStep =
  | { kind: 'create'; desired: DesiredMachine }
  | { kind: 'update'; desired: DesiredMachine; machine: Workload; policyChanged: boolean; specChanged: boolean }
  | { kind: 'unchanged'; desired: DesiredMachine; machine: Workload };

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
  JSON.stringify([spec.image, spec.command, spec.entrypoint, spec.memoryMb, [...spec.env].sort((a, b) => a.key.localeCompare(b.key))]);

const policyKey = (policy: RestartPolicy) =>
  JSON.stringify([policy.mode, policy.budget?.max ?? null, policy.budget?.windowMs ?? null, policy.replace, policy.destroy]);

export const samePolicy = (a: RestartPolicy, b: RestartPolicy): boolean => policyKey(a) === policyKey(b);

/**
 * Every live machine of the app's process group is deploy's to update (as `fly deploy` updates a
 * whole group); a group without one gets a new machine. Running it twice changes nothing.
 */
export const planDeploy = (config: FlyAppConfig, workloads: readonly Workload[]): DeployStep[] =>
  config.groups.flatMap((group): DeployStep[] => {
    const desired = desiredMachine(config, group);
    const machines = workloads
      .filter((w) => w.dialect === 'machine' && w.intent !== 'terminated' && w.app === config.app && w.processGroup === group.name)
      .sort((a, b) => a.createdAt - b.createdAt);
    if (machines.length === 0) return [{ kind: 'create', desired }];
    return machines.map((machine) => {
      const policyChanged = !samePolicy(machine.policy, desired.policy);
      const specChanged = specKey(machine.spec) !== specKey(desired.spec);
      return policyChanged || specChanged
        ? { kind: 'update', desired, machine, policyChanged, specChanged }
        : { kind: 'unchanged', desired, machine };
    });
  });
