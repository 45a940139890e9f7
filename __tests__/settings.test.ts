/** SVC_* settings are read once, typed; a bad value fails by name instead of silently meaning the default. */
import path from 'node:path';
import { DEFAULT_RECONCILE_MS, readSettings, SUPERVISOR_LOG_MAX_BYTES } from '../src/settings.js';
import { UserError } from '../src/errors.js';
import { DEFAULT_DOCKER_DEADLINES } from '../src/adapters/docker-deadlines.js';

test('defaults: the config dir under home, autostart on, the default reconcile period and log size, the local backend', () => {
  expect(readSettings({}, '/home/ada')).toEqual({
    stateDir: path.join('/home/ada', '.config', 'svc'),
    lockStaleMs: undefined,
    autostartSupervisor: true,
    supervisorLogMaxBytes: SUPERVISOR_LOG_MAX_BYTES,
    reconcileEveryMs: DEFAULT_RECONCILE_MS,
    backend: 'local',
    supervisorTraceFile: null,
    dockerDeadlines: DEFAULT_DOCKER_DEADLINES,
  });
});

test.each<[string, NodeJS.ProcessEnv, Partial<ReturnType<typeof readSettings>>]>([
  ['SVC_HOME, made absolute', { SVC_HOME: 'state' }, { stateDir: path.resolve('state') }],
  ['SVC_NO_AUTOSTART', { SVC_NO_AUTOSTART: '1' }, { autostartSupervisor: false }],
  ['SVC_RECONCILE_MS', { SVC_RECONCILE_MS: '2000' }, { reconcileEveryMs: 2000 }],
  ['SVC_SUPERVISOR_LOG_MAX_BYTES', { SVC_SUPERVISOR_LOG_MAX_BYTES: '1' }, { supervisorLogMaxBytes: 1 }],
  ['SVC_LOCK_STALE_MS', { SVC_LOCK_STALE_MS: '5000' }, { lockStaleMs: 5000 }],
  ['an empty value, as unset', { SVC_RECONCILE_MS: '' }, { reconcileEveryMs: DEFAULT_RECONCILE_MS }],
  ['SVC_BACKEND', { SVC_BACKEND: 'swarm' }, { backend: 'swarm' }],
  ['SVC_BACKEND in any case', { SVC_BACKEND: 'Swarm' }, { backend: 'swarm' }],
  [
    'SVC_DOCKER_TIMEOUT_MS',
    { SVC_DOCKER_TIMEOUT_MS: '500' },
    { dockerDeadlines: { ...DEFAULT_DOCKER_DEADLINES, readMs: 500 } },
  ],
  [
    'SVC_DOCKER_CHANGE_TIMEOUT_MS',
    { SVC_DOCKER_CHANGE_TIMEOUT_MS: '2000' },
    { dockerDeadlines: { ...DEFAULT_DOCKER_DEADLINES, changeMs: 2000 } },
  ],
])('%s', (_name, env, expected) => {
  expect(readSettings(env, '/home/ada')).toMatchObject(expected);
});

test.each<[NodeJS.ProcessEnv, RegExp]>([
  [{ SVC_RECONCILE_MS: 'soon' }, /^SVC_RECONCILE_MS must be a whole number, at least 1; it is 'soon'$/],
  [{ SVC_RECONCILE_MS: '0' }, /^SVC_RECONCILE_MS must be/],
  [{ SVC_SUPERVISOR_LOG_MAX_BYTES: '5MB' }, /^SVC_SUPERVISOR_LOG_MAX_BYTES must be/],
  [{ SVC_LOCK_STALE_MS: '100' }, /^SVC_LOCK_STALE_MS must be a whole number, at least \d+; it is '100'$/],
  [{ SVC_BACKEND: 'kubernetes' }, /^SVC_BACKEND must be one of local, swarm; it is 'kubernetes'$/],
  [{ SVC_DOCKER_TIMEOUT_MS: '10s' }, /^SVC_DOCKER_TIMEOUT_MS must be a whole number, at least 1; it is '10s'$/],
  [{ SVC_DOCKER_CHANGE_TIMEOUT_MS: '0' }, /^SVC_DOCKER_CHANGE_TIMEOUT_MS must be/],
])('%o is a usage error naming the variable', (env, message) => {
  let error: unknown;
  try {
    readSettings(env, '/home/ada');
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(UserError);
  expect({ kind: (error as UserError).kind, message: (error as UserError).message }).toEqual({
    kind: 'usage',
    message: expect.stringMatching(message),
  });
});
