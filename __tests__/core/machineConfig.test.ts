import { machinePolicyFromConfig } from '../../src/core/dialects/fly.js';
import {
  describeRestart,
  formatMachineConfig,
  machineConfigFor,
  policyWithRestart,
} from '../../src/core/machineConfig.js';
import type { RestartPolicy } from '../../src/core/policy.js';
import type { WorkloadSpec } from '../../src/core/workload.js';

const spec = (overrides: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  image: 'svc-busybox:latest',
  command: [],
  entrypoint: null,
  env: [],
  memoryMb: null,
  ...overrides,
});

const always = machinePolicyFromConfig({ policy: 'always' });
const onFailure = machinePolicyFromConfig({ policy: 'on-failure' });
const rm = machinePolicyFromConfig({ policy: 'no' }, true);

describe('machineConfigFor: the Machines API config', () => {
  it.each<[string, WorkloadSpec, RestartPolicy, string | null, object]>([
    [
      'image default command, always',
      spec(),
      always,
      'app',
      {
        init: {},
        image: 'svc-busybox:latest',
        restart: { policy: 'always' },
        metadata: { fly_process_group: 'app' },
      },
    ],
    [
      'command and env; on-failure gets the API word and 10 retries',
      spec({ command: ['sh', '-c', 'exit 1'], env: [{ key: 'A', value: '1' }] }),
      onFailure,
      'worker',
      {
        init: { cmd: ['sh', '-c', 'exit 1'] },
        image: 'svc-busybox:latest',
        env: { A: '1' },
        restart: { policy: 'on-failure', max_retries: 10 },
        metadata: { fly_process_group: 'worker' },
      },
    ],
    [
      '--rm: policy no and auto_destroy',
      spec(),
      rm,
      'app',
      {
        init: {},
        image: 'svc-busybox:latest',
        restart: { policy: 'no' },
        auto_destroy: true,
        metadata: { fly_process_group: 'app' },
      },
    ],
    [
      'entrypoint and memory; no group means app',
      spec({ entrypoint: '/bin/sh', memoryMb: 256 }),
      always,
      null,
      {
        init: { entrypoint: ['/bin/sh'] },
        image: 'svc-busybox:latest',
        restart: { policy: 'always' },
        metadata: { fly_process_group: 'app' },
        guest: { memory_mb: 256 },
      },
    ],
  ])('%s', (_name, workloadSpec, policy, processGroup, expected) => {
    expect(machineConfigFor({ spec: workloadSpec, policy, processGroup })).toStrictEqual(expected);
  });

  it('marks a machine deploy manages with fly_platform_version v2, as Fly does', () => {
    const config = machineConfigFor({ spec: spec(), policy: always, processGroup: 'web', deployManaged: true });
    expect(config.metadata).toStrictEqual({ fly_platform_version: 'v2', fly_process_group: 'web' });
  });

  it('writes keys in one stable order, whatever order the spec was built in', () => {
    const text = formatMachineConfig(
      machineConfigFor({
        spec: spec({ env: [{ key: 'B', value: '2' }], memoryMb: 64, command: ['true'] }),
        policy: rm,
        processGroup: 'app',
      }),
    );
    const keys = [...text.matchAll(/^ {2}"(\w+)"/gm)].map((m) => m[1]);
    expect(keys).toEqual(['init', 'image', 'env', 'restart', 'auto_destroy', 'metadata', 'guest']);
  });
});

describe('policyWithRestart: m update --restart', () => {
  const budget2 = machinePolicyFromConfig({ policy: 'on-failure', max_retries: 2 });
  it.each<[string, RestartPolicy, 'no' | 'always' | 'on-failure' | undefined, RestartPolicy]>([
    ['no flag: unchanged', always, undefined, always],
    ['same word: unchanged, the fly.toml budget is kept', budget2, 'on-failure', budget2],
    ['always -> on-failure gets 10 retries', always, 'on-failure', onFailure],
    ['on-failure -> always drops the budget', budget2, 'always', always],
    ['a --rm machine keeps auto-destroy', rm, 'on-failure', machinePolicyFromConfig({ policy: 'on-failure' }, true)],
  ])('%s', (_name, current, word, expected) => {
    expect(policyWithRestart(current, word)).toStrictEqual(expected);
  });
});

describe('describeRestart', () => {
  it.each([
    [{ policy: 'always' as const }, 'always'],
    [{ policy: 'on-failure' as const, max_retries: 3 }, 'on-failure (max_retries 3)'],
  ])('%j -> %s', (restart, text) => expect(describeRestart(restart)).toBe(text));
});
