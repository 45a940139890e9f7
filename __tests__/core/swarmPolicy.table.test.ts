/**
 * Each of svc's policies on a swarm: the DC and Tutum words, Fly's words, in the swarm's restart
 * policy; what the swarm keeps differently is said, what it cannot keep is refused.
 */
import { servicePolicyFromWords, type ServicePolicyWords } from '../../src/core/dialects/dockercloud.js';
import { machinePolicyFromConfig } from '../../src/core/dialects/fly.js';
import { goDuration, swarmRestartPolicy } from '../../src/core/swarmPolicy.js';

const words = (autorestart: string, autoreplace = 'OFF', autodestroy = 'OFF') =>
  servicePolicyFromWords({ autorestart, autoreplace, autodestroy } as ServicePolicyWords);

test.each([
  ['DC autorestart OFF', words('OFF'), { condition: 'none', maxAttempts: 0, windowMs: 0, delayMs: 0 }],
  [
    'DC autorestart ON_FAILURE (unlimited)',
    words('ON_FAILURE'),
    { condition: 'on-failure', maxAttempts: 0, windowMs: 0, delayMs: 100 },
  ],
  [
    'DC autorestart ALWAYS (unlimited)',
    words('ALWAYS'),
    { condition: 'any', maxAttempts: 0, windowMs: 0, delayMs: 100 },
  ],
  [
    'Tutum ON_FAILURE + autoreplace ON_FAILURE (3 in 60 s)',
    words('ON_FAILURE', 'ON_FAILURE'),
    { condition: 'on-failure', maxAttempts: 3, windowMs: 60_000, delayMs: 100 },
  ],
  [
    'Tutum crash recovery (ALWAYS, ALWAYS)',
    words('ALWAYS', 'ALWAYS'),
    { condition: 'any', maxAttempts: 3, windowMs: 60_000, delayMs: 100 },
  ],
  ['Fly no', machinePolicyFromConfig({ policy: 'no' }), { condition: 'none', maxAttempts: 0, windowMs: 0, delayMs: 0 }],
  [
    'Fly always',
    machinePolicyFromConfig({ policy: 'always' }),
    { condition: 'any', maxAttempts: 0, windowMs: 0, delayMs: 100 },
  ],
  [
    'Fly on-failure (10 in 5 min)',
    machinePolicyFromConfig({ policy: 'on-failure' }),
    { condition: 'on-failure', maxAttempts: 10, windowMs: 300_000, delayMs: 100 },
  ],
  [
    'Fly on-failure max_retries 3',
    machinePolicyFromConfig({ policy: 'on-failure', max_retries: 3 }),
    { condition: 'on-failure', maxAttempts: 3, windowMs: 300_000, delayMs: 100 },
  ],
  // The swarm's max attempts 0 is no limit: a budget of none is no restart at all.
  [
    'Fly on-failure max_retries 0',
    machinePolicyFromConfig({ policy: 'on-failure', max_retries: 0 }),
    { condition: 'none', maxAttempts: 0, windowMs: 0, delayMs: 0 },
  ],
])('%s', (_, policy, swarm) => {
  const plan = swarmRestartPolicy(policy, 'service');
  expect(plan).toMatchObject({ ok: true, swarm });
});

test('the back-off, Tutum replacements and the daemon-restart rule are said, never dropped', () => {
  const plain = swarmRestartPolicy(words('OFF'), 'service');
  expect(plain.ok && plain.enforcedAs).toEqual([
    expect.stringMatching(/^a drained or lost node: the swarm stops its task and starts none elsewhere/),
    expect.stringMatching(/engine restarting: the swarm's orchestrator/),
  ]);
  const onFailure = swarmRestartPolicy(words('ON_FAILURE'), 'service');
  expect(onFailure.ok && onFailure.enforcedAs).toEqual([
    expect.stringMatching(/^back-off: a fixed 100 ms before every restart/),
    expect.stringMatching(/engine restarting/),
  ]);
  const noRetries = swarmRestartPolicy(machinePolicyFromConfig({ policy: 'on-failure', max_retries: 0 }), 'machine');
  expect(noRetries.ok && noRetries.enforcedAs[0]).toMatch(/^max_retries 0: no restart at all/);
  const tutum = swarmRestartPolicy(words('ON_FAILURE', 'ON_FAILURE'), 'service');
  expect(tutum.ok && tutum.enforcedAs).toContainEqual(
    expect.stringMatching(
      /^autoreplace ON_FAILURE: every restart is already a fresh task .* \(3 in 60 s\) is the whole budget/,
    ),
  );
});

test.each([
  ['DC autodestroy ON_SUCCESS', words('ON_FAILURE', 'OFF', 'ON_SUCCESS'), 'service', '--autodestroy ON_SUCCESS'],
  ['DC autodestroy ALWAYS', words('OFF', 'OFF', 'ALWAYS'), 'service', '--autodestroy ALWAYS'],
  ['Fly --rm', machinePolicyFromConfig({ policy: 'no' }, true), 'machine', '--rm (auto_destroy)'],
] as const)('%s is refused, naming the option and why', (_, policy, dialect, option) => {
  expect(swarmRestartPolicy(policy, dialect)).toEqual({
    ok: false,
    option,
    why: expect.stringMatching(/has no rule to remove one when it stops/),
  });
});

test.each([
  [60_000, '60s'],
  [300_000, '300s'],
  [100, '100ms'],
  [1_500, '1500ms'],
])('%p ms is %s', (ms, text) => {
  expect(goDuration(ms)).toBe(text);
});
