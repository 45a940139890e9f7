/** parseContainerInspect: Docker's JSON checked at the edge. */
import { parseContainerInspect } from '../../src/adapters/docker-json.js';

const container = {
  Id: 'abc',
  Name: '/web-1',
  Config: { Labels: { 'io.svc.managed': 'true' } },
  State: { Status: 'exited', Running: false, ExitCode: 3, OOMKilled: false, StartedAt: 's', FinishedAt: 'f' },
};

test('a container document becomes ContainerDetails', () => {
  expect(parseContainerInspect(JSON.stringify([container]))).toEqual([
    {
      id: 'abc',
      name: 'web-1',
      labels: { 'io.svc.managed': 'true' },
      status: 'exited',
      running: false,
      exitCode: 3,
      oomKilled: false,
      startedAt: 's',
      finishedAt: 'f',
      error: '',
    },
  ]);
});

test('a container Docker could not start keeps State.Error: the reason svc shows', () => {
  const reason =
    'failed to create shim task: OCI runtime create failed: exec: "/nonexistent": stat /nonexistent: no such file or directory: unknown';
  const failed = { ...container, State: { ...container.State, Status: 'created', ExitCode: 127, Error: reason } };
  expect(parseContainerInspect(JSON.stringify([failed]))[0]).toMatchObject({
    status: 'created',
    exitCode: 127,
    error: reason,
  });
});

test('no output (every id missing) is no containers; null labels are none', () => {
  expect(parseContainerInspect('')).toEqual([]);
  expect(parseContainerInspect(JSON.stringify([{ ...container, Config: { Labels: null } }]))[0].labels).toEqual({});
});

test.each([
  ['not an array', '{}', /expected a JSON array/],
  ['no State', JSON.stringify([{ Id: 'a', Name: '/x' }]), /container.State/],
  [
    'ExitCode a string',
    JSON.stringify([{ ...container, State: { ...container.State, ExitCode: '3' } }]),
    /State.ExitCode/,
  ],
])('%s is an error naming the field', (_, stdout, message) => {
  expect(() => parseContainerInspect(stdout)).toThrow(message);
});
