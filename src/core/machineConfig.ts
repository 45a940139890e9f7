/**
 * A machine's config as the Machines API shows it (`m status -d`, `m update`, `m list --json`),
 * with secret env values masked: a display, never what the container is made from. Pure.
 */
import {
  describeRestart,
  machinePolicyFromConfig,
  machinePolicyToConfig,
  type FlyApiPolicyWord,
  type FlyRestartConfig,
} from './dialects/fly.js';
import { maskSecretEnv } from './envVars.js';
import type { RestartPolicy } from './policy.js';
import type { Workload } from './workload.js';

export interface MachineConfig {
  init: { entrypoint?: string[]; cmd?: string[] };
  image: string;
  env?: Record<string, string>;
  restart: FlyRestartConfig;
  auto_destroy?: true;
  /** fly_platform_version marks a machine `fly deploy` manages; standalone machines have none. Other keys are the user's. */
  metadata: Record<string, string> & { fly_platform_version?: 'v2'; fly_process_group: string };
  guest?: { memory_mb: number };
}

export const DEFAULT_PROCESS_GROUP = 'app';

/** Keys are written in one fixed order, so two configs diff line by line and the output is stable. */
export const machineConfigFor = (
  workload: Pick<Workload, 'spec' | 'policy' | 'processGroup' | 'deployManaged' | 'metadata'>,
): MachineConfig => {
  const { spec, policy } = workload;
  const init: MachineConfig['init'] = {};
  if (spec.entrypoint !== null) init.entrypoint = [spec.entrypoint];
  if (spec.command.length > 0) init.cmd = [...spec.command];
  return {
    init,
    image: spec.image,
    // Every use of this config is for people to read, so values from --env-file are masked here.
    ...(spec.env.length > 0
      ? { env: Object.fromEntries(maskSecretEnv(spec.env).map(({ key, value }) => [key, value])) }
      : {}),
    restart: machinePolicyToConfig(policy),
    // Fly's auto_destroy is what --rm sets; svc's destroy 'always' keeps the same promise.
    ...(policy.destroy === 'always' ? { auto_destroy: true as const } : {}),
    metadata: {
      ...workload.metadata,
      ...(workload.deployManaged ? { fly_platform_version: 'v2' as const } : {}),
      fly_process_group: workload.processGroup ?? DEFAULT_PROCESS_GROUP,
    },
    ...(spec.memoryMb !== null ? { guest: { memory_mb: spec.memoryMb } } : {}),
  };
};

export const formatMachineConfig = (config: MachineConfig): string => JSON.stringify(config, null, 2);

/**
 * The policy after `m update --restart WORD`. Naming the policy the machine already has changes
 * nothing (an on-failure budget from fly.toml is kept); another word starts from Fly's defaults for it.
 */
export const policyWithRestart = (policy: RestartPolicy, word: FlyApiPolicyWord | undefined): RestartPolicy => {
  if (word === undefined || machinePolicyToConfig(policy).policy === word) return policy;
  return machinePolicyFromConfig({ policy: word }, policy.destroy === 'always');
};

export { describeRestart };

/** A canonical policy in the Machines API's words, for events and deploy output. */
export const describeMachinePolicy = (policy: RestartPolicy): string => describeRestart(machinePolicyToConfig(policy));
