/** planReconcile: every way the state and `docker ps -a` can disagree, and what the supervisor does about it. */
import type { ContainerSummary } from '../../src/engine/ports/runtime.js';
import { servicePolicyFromWords } from '../../src/core/dialects/dockercloud.js';
import { managedLabels } from '../../src/core/labels.js';
import { newInstance, type InstanceRecord, type Workload } from '../../src/core/workload.js';
import { planReconcile, type Busy } from '../../src/supervisor/reconcile-plan.js';

const W = 'w1';

const instance = (index: number, containerId: string | null, extra: Partial<InstanceRecord> = {}): InstanceRecord => ({
  ...newInstance(index, `web-${index}`),
  containerId,
  ...extra,
});

const workload = (instances: InstanceRecord[], extra: Partial<Workload> = {}): Workload => ({
  id: W,
  dialect: 'service',
  backend: 'local',
  name: 'web',
  app: null,
  processGroup: null,
  spec: { image: 'img', command: [], entrypoint: null, env: [], memoryMb: null },
  policy: servicePolicyFromWords({ autorestart: 'ALWAYS', autoreplace: 'OFF', autodestroy: 'OFF' }),
  targetInstances: instances.length,
  intent: 'running',
  operation: null,
  instances,
  createdAt: 0,
  deployedAt: 0,
  startedAt: 0,
  stoppedAt: null,
  destroyedAt: null,
  ...extra,
});

const container = (id: string, index: number, state = 'running', workloadId = W): ContainerSummary => ({
  id,
  name: `web-${index}`,
  image: 'img',
  command: '',
  state,
  status: '',
  exitCode: null,
  createdAt: '',
  labels: managedLabels(workloadId, index, 'service'),
});

const NOTHING = { resume: [], judge: [], vanished: [], adopt: [], remove: [], unstarted: [], missing: [], stop: [] };

const idle: Busy = { workload: () => false, instance: () => false };

const plan = (w: Workload | Workload[], containers: ContainerSummary[], busy: Busy = idle) =>
  planReconcile(Object.fromEntries([w].flat().map((x) => [x.id, x])), containers, busy);

describe('planReconcile', () => {
  test('state and Docker agree on running containers: nothing to do', () => {
    expect(plan(workload([instance(1, 'c1')]), [container('c1', 1)])).toEqual(NOTHING);
  });

  test('an exited container whose exit was not judged is judged', () => {
    expect(plan(workload([instance(1, 'c1')]), [container('c1', 1, 'exited')]).judge).toEqual([
      { workloadId: W, index: 1, containerId: 'c1' },
    ]);
  });

  test('an exit judged already, and not started since, is not judged again', () => {
    const judged = instance(1, 'c1', { judgedExitKey: 'c1@100', judgedAt: 200, lastStartedAt: 50 });
    expect(plan(workload([judged]), [container('c1', 1, 'exited')]).judge).toEqual([]);
  });

  test('a pending action is resumed with its due time', () => {
    const pending = instance(1, 'c1', {
      pending: {
        action: 'restart',
        exitKey: 'c1@1',
        exitCode: 1,
        oomKilled: false,
        finishedAt: 1,
        decidedAt: 2,
        delayMs: 0,
        dueAt: 7,
        reason: 'r',
      },
    });
    expect(plan(workload([pending]), [container('c1', 1, 'exited')]).resume).toEqual([
      { workloadId: W, index: 1, dueAt: 7 },
    ]);
  });

  test("a container removed behind svc's back, of an instance that should run, is vanished", () => {
    expect(plan(workload([instance(1, 'gone')]), []).vanished).toEqual([
      { workloadId: W, index: 1, containerId: 'gone' },
    ]);
  });

  test('a vanished container of a stopped instance, or one already judged, is left alone', () => {
    expect(plan(workload([instance(1, 'gone', { intent: 'stopped' })]), []).vanished).toEqual([]);
    expect(plan(workload([instance(1, 'gone')], { intent: 'stopped' }), []).vanished).toEqual([]);
    const judged = instance(1, 'gone', { judgedExitKey: 'gone@5', judgedAt: 10, lastStartedAt: 1 });
    expect(plan(workload([judged]), []).vanished).toEqual([]);
  });

  test('an untracked container of a live instance without one is adopted, not the vanished path', () => {
    const result = plan(workload([instance(1, null), instance(2, 'gone')]), [
      container('o1', 1),
      container('o2', 2, 'exited'),
    ]);
    expect(result.adopt.map((a) => [a.index, a.container.id])).toEqual([
      [1, 'o1'],
      [2, 'o2'],
    ]);
    expect(result.vanished).toEqual([]);
    expect(result.remove).toEqual([]);
  });

  test('a second untracked container for the same instance, or one beside its live container, is removed', () => {
    const result = plan(workload([instance(1, 'c1'), instance(2, null)]), [
      container('c1', 1),
      container('dup', 1),
      container('a', 2),
      container('b', 2),
    ]);
    expect(result.adopt.map((a) => a.container.id)).toEqual(['a']);
    expect(result.remove.map((c) => c.id).sort()).toEqual(['b', 'dup']);
  });

  test('containers of scaled-down instances and of terminated workloads are removed', () => {
    const scaledDown = workload([instance(1, 'c1'), instance(2, 'c2', { intent: 'removed' })]);
    expect(
      plan(scaledDown, [container('c1', 1), container('c2', 2), container('c3', 3)]).remove.map((c) => c.id),
    ).toEqual(['c2', 'c3']);
    const terminated = workload([instance(1, 'c1', { intent: 'removed' })], { intent: 'terminated' });
    expect(plan(terminated, [container('c1', 1, 'exited')]).remove.map((c) => c.id)).toEqual(['c1']);
  });

  test('containers of a workload this state does not know are never touched (another state dir)', () => {
    expect(
      plan(workload([instance(1, 'c1')]), [container('c1', 1), container('x', 1, 'running', 'someone-else')]),
    ).toEqual({
      ...NOTHING,
    });
  });

  test('a workload under a user operation, and an instance the supervisor is acting on, are left alone', () => {
    const w = workload([instance(1, 'gone'), instance(2, null)]);
    const containers = [container('o2', 2), container('o3', 3)];
    expect(plan(w, containers, { workload: () => true, instance: () => false })).toEqual(NOTHING);
    const acting = plan(w, containers, { workload: () => false, instance: (_, index) => index <= 2 });
    expect(acting.vanished).toEqual([]);
    expect(acting.adopt).toEqual([]);
    expect(acting.remove.map((c) => c.id)).toEqual(['o3']);
  });

  test('a created container of an instance that should run is started (or its refused start judged); one the user stopped is not', () => {
    const w = workload([instance(1, 'c1'), instance(2, 'c2', { intent: 'stopped' })]);
    expect(plan(w, [container('c1', 1, 'created'), container('c2', 2, 'created')]).unstarted).toEqual([
      { workloadId: W, index: 1, containerId: 'c1' },
    ]);
    // A refused start already judged (its give-up written after the start) is not looked at again.
    const judged = workload([instance(1, 'c1', { judgedExitKey: 'c1@2000', judgedAt: 2000, lastStartedAt: 1000 })]);
    expect(plan(judged, [container('c1', 1, 'created')]).unstarted).toEqual([]);
  });

  test("with no operation on the workload, a container never made is made and a stop's leftover stopped, on every pass; under an operation, neither", () => {
    const starting = workload([instance(1, 'c1'), instance(2, null)]);
    const containers = [container('c1', 1)];
    expect(plan(starting, containers).missing).toEqual([{ workloadId: W, index: 2 }]);
    expect(plan(starting, containers, { workload: () => true, instance: () => false }).missing).toEqual([]);
    const stopping = workload([instance(1, 'c1', { intent: 'stopped' })], { intent: 'stopped' });
    expect(plan(stopping, containers).stop).toEqual([{ workloadId: W, index: 1, containerId: 'c1' }]);
    expect(plan(stopping, containers, { workload: () => true, instance: () => false }).stop).toEqual([]);
  });
});
