/**
 * Env values from --env-file are secrets: every place svc shows env shows their keys and the mask,
 * never the value. Values given with -e, and fly.toml's [env], stay visible.
 */
import { servicePolicyFromWords, DEFAULT_SERVICE_POLICY_WORDS } from '../../src/core/dialects/dockercloud.js';
import { machinePolicyFromConfig } from '../../src/core/dialects/fly.js';
import { SECRET_MASK } from '../../src/core/envVars.js';
import { formatMachineConfig, machineConfigFor } from '../../src/core/machineConfig.js';
import type { EnvVar, Workload } from '../../src/core/workload.js';
import type { ObservedWorkload } from '../../src/engine/observe.js';
import { machineObject } from '../../src/present/fly.js';
import { serviceObject } from '../../src/present/dockercloud.js';

const SECRET = 'hunter2-secret';
const ENV: EnvVar[] = [
  { key: 'A', value: '1' },
  { key: 'TOKEN', value: SECRET, secret: true },
];

const observed = (dialect: Workload['dialect'], env: EnvVar[]): ObservedWorkload => ({
  workload: {
    id: dialect === 'service' ? '0b5e8a8e-1a2b-4c3d-8e4f-5a6b7c8d9e0f' : '0123456789abcd',
    dialect,
    backend: 'local',
    name: 'web',
    app: dialect === 'machine' ? 'demo' : null,
    processGroup: dialect === 'machine' ? 'app' : null,
    spec: { image: 'svc-busybox:latest', command: [], entrypoint: null, env, memoryMb: null },
    policy:
      dialect === 'service'
        ? servicePolicyFromWords(DEFAULT_SERVICE_POLICY_WORDS)
        : machinePolicyFromConfig({ policy: 'always' }),
    targetInstances: 1,
    intent: 'running',
    operation: null,
    instances: [],
    createdAt: 0,
    deployedAt: null,
    startedAt: null,
    stoppedAt: null,
    destroyedAt: null,
  },
  instances: [],
  state: 'Running',
  restarts: 0,
});

describe('the DC service object (service inspect, service ps --json)', () => {
  it('shows the keys of --env-file values with the mask, -e values as they are', () => {
    const object = serviceObject(observed('service', ENV));
    expect(object.container_envvars).toEqual([
      { key: 'A', value: '1' },
      { key: 'TOKEN', value: SECRET_MASK },
    ]);
    expect(JSON.stringify(object)).not.toContain(SECRET);
  });

  it('reads an env recorded before secrets were marked as visible values', () => {
    expect(serviceObject(observed('service', [{ key: 'OLD', value: 'x' }])).container_envvars).toEqual([
      { key: 'OLD', value: 'x' },
    ]);
  });
});

describe('the machine config (m status -d, m list --json, the m update diff)', () => {
  it('masks secret values and keeps the keys', () => {
    const { workload } = observed('machine', ENV);
    expect(machineConfigFor(workload).env).toEqual({ A: '1', TOKEN: SECRET_MASK });
    expect(formatMachineConfig(machineConfigFor(workload))).not.toContain(SECRET);
  });

  it('masks them in the machine object too', () => {
    const object = machineObject(observed('machine', ENV));
    expect(object.config.env).toEqual({ A: '1', TOKEN: SECRET_MASK });
    expect(JSON.stringify(object)).not.toContain(SECRET);
  });
});
