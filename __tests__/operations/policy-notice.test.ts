/** After a policy change, a swarm workload's user hears that the swarm rolls its tasks; a local one's hears nothing more. */
import type { Workload } from '../../src/core/workload.js';
import { policyChangeNotice } from '../../src/operations/policy-notice.js';

const workload = (backend: Workload['backend']) => ({ name: 'web', backend }) as Workload;

test('a swarm workload: the swarm replaces its tasks to apply the policy', () => {
  expect(policyChangeNotice(workload('swarm'))).toBe(
    'web runs on a swarm: the swarm applies the new restart policy by replacing its tasks now, one at a time (its update config)',
  );
});

test('a local workload: nothing to add, the supervisor applies it at once', () => {
  expect(policyChangeNotice(workload('local'))).toBeNull();
});
