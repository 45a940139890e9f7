import { parseFlyToml } from '../../src/core/flyToml.js';
import { desiredMachine, planDeploy } from '../../src/core/deployPlan.js';
import type { Workload } from '../../src/core/workload.js';

const TOML = `app = "demo"
[build]
image = "svc-busybox:latest"
[env]
MODE = "prod"
[processes]
app = "sleep 3600"
worker = "sh -c 'exit 1'"
[[restart]]
policy = "always"
processes = ["app"]
`;

const config = parseFlyToml(TOML);

/**
 * A machine as deploy would have made it for `group`, optionally changed by `change`. A group not in
 * the config (one removed from fly.toml) gets the worker's spec.
 */
const machine = (id: string, group: string, change: (w: Workload) => void = () => {}, createdAt = 1): Workload => {
  const desired = desiredMachine(config, config.groups.find((g) => g.name === group) ?? config.groups[1]);
  const workload: Workload = {
    id,
    dialect: 'machine',
    backend: 'local',
    name: `m-${id}`,
    app: 'demo',
    processGroup: group,
    deployManaged: true,
    spec: desired.spec,
    policy: desired.policy,
    targetInstances: 1,
    intent: 'running',
    operation: null,
    instances: [],
    createdAt,
    deployedAt: null,
    startedAt: null,
    stoppedAt: null,
    destroyedAt: null,
  };
  change(workload);
  return workload;
};

const summary = (workloads: Workload[]) =>
  planDeploy(config, workloads).map((step) => ({
    group: step.kind === 'destroy' ? step.machine.processGroup : step.desired.group,
    kind: step.kind,
    id: step.kind === 'create' ? null : step.machine.id,
    ...(step.kind === 'update' ? { policyChanged: step.policyChanged, specChanged: step.specChanged } : {}),
  }));

describe('desiredMachine', () => {
  it('takes image, env and the group command from fly.toml, and the group restart policy', () => {
    const worker = desiredMachine(config, config.groups[1]);
    expect(worker.spec).toEqual({
      image: 'svc-busybox:latest',
      command: ['sh', '-c', 'exit 1'],
      entrypoint: null,
      env: [{ key: 'MODE', value: 'prod' }],
      memoryMb: null,
    });
    expect(worker.policy).toMatchObject({ mode: 'on-failure', budget: { max: 10 }, destroy: 'off' });
    expect(desiredMachine(config, config.groups[0]).policy).toMatchObject({ mode: 'always', budget: null });
  });
});

describe('planDeploy', () => {
  it('creates one machine per process group when the app has none', () => {
    expect(summary([])).toEqual([
      { group: 'app', kind: 'create', id: null },
      { group: 'worker', kind: 'create', id: null },
    ]);
  });

  it('leaves matching machines alone: deploying twice changes nothing', () => {
    expect(summary([machine('a1', 'app'), machine('w1', 'worker')])).toEqual([
      { group: 'app', kind: 'unchanged', id: 'a1' },
      { group: 'worker', kind: 'unchanged', id: 'w1' },
    ]);
  });

  it('updates in place: a policy change, a spec change, or both', () => {
    const steps = summary([
      machine('a1', 'app', (w) => void (w.policy = { ...w.policy, mode: 'never' })),
      machine('w1', 'worker', (w) => void (w.spec = { ...w.spec, image: 'old:1' })),
    ]);
    expect(steps).toEqual([
      { group: 'app', kind: 'update', id: 'a1', policyChanged: true, specChanged: false },
      { group: 'worker', kind: 'update', id: 'w1', policyChanged: false, specChanged: true },
    ]);
  });

  it('does not count a different env order as a change', () => {
    const twoVars = parseFlyToml(TOML.replace('MODE = "prod"', 'MODE = "prod"\nLEVEL = "2"'));
    const desired = desiredMachine(twoVars, twoVars.groups[0]);
    const existing = machine(
      'a1',
      'app',
      (w) => void (w.spec = { ...desired.spec, env: [...desired.spec.env].reverse() }),
    );
    expect(planDeploy(twoVars, [existing])[0].kind).toBe('unchanged');
  });

  it('ignores destroyed machines, other apps and other groups', () => {
    const steps = summary([
      machine('gone', 'app', (w) => void (w.intent = 'terminated')),
      machine('other', 'app', (w) => void (w.app = 'other-app')),
      machine('svc', 'app', (w) => void (w.dialect = 'service')),
      machine('w1', 'worker'),
    ]);
    expect(steps).toEqual([
      { group: 'app', kind: 'create', id: null },
      { group: 'worker', kind: 'unchanged', id: 'w1' },
    ]);
  });

  it('leaves standalone machines (made by `m run`) alone, as fly deploy does', () => {
    const standalone = machine('s1', 'app', (w) => void delete w.deployManaged);
    expect(summary([standalone, machine('w1', 'worker')])).toEqual([
      { group: 'app', kind: 'create', id: null },
      { group: 'worker', kind: 'unchanged', id: 'w1' },
    ]);
  });

  it('destroys the managed machines of a process group no longer in fly.toml, and only those', () => {
    const steps = summary([
      machine('a1', 'app'),
      machine('w1', 'worker'),
      machine('c1', 'cron'),
      machine('c2', 'cron', (w) => void (w.intent = 'terminated')),
      machine('c3', 'cron', (w) => void delete w.deployManaged),
      machine('c4', 'cron', (w) => void (w.app = 'other-app')),
    ]);
    expect(steps).toEqual([
      { group: 'app', kind: 'unchanged', id: 'a1' },
      { group: 'worker', kind: 'unchanged', id: 'w1' },
      { group: 'cron', kind: 'destroy', id: 'c1' },
    ]);
  });

  it('updates every live machine of a group, oldest first', () => {
    const machines = [machine('a2', 'app', () => {}, 2), machine('a1', 'app', () => {}, 1), machine('w1', 'worker')];
    expect(summary(machines).map((step) => step.id)).toEqual(['a1', 'a2', 'w1']);
  });
});
