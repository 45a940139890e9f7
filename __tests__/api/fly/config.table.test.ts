/** A Machines API config in svc's request words, and Fly's durations. */
import { configChange, durationSeconds } from '../../../src/api/fly/config.js';
import { UserError } from '../../../src/errors.js';

test.each([
  [undefined, undefined],
  [10, 10],
  [0, 0],
  ['10', 10],
  ['10s', 10],
  ['1m30s', 90],
  ['500ms', 1],
  ['1h', 3600],
  ['1.5s', 2],
])('duration %p is %p s', (value, seconds) => {
  expect(durationSeconds(value, 'timeout')).toBe(seconds);
});

test.each<string | number>(['soon', '10 s', 's', '10x', '-1s', '1m-', -1, -30])(
  'duration %p is refused, naming the field',
  (value) => {
    expect(() => durationSeconds(value, 'timeout')).toThrow(UserError);
    expect(() => durationSeconds(value, 'timeout')).toThrow(/^timeout /);
  },
);

test('no restart object means the API default, on-failure; no init keeps the image command', () => {
  expect(configChange({ image: 'img' })).toEqual({
    image: 'img',
    command: [],
    entrypoint: null,
    env: [],
    memoryMb: null,
    restart: 'on-failure',
    maxRetries: undefined,
    autoDestroy: false,
    metadata: {},
    processGroup: undefined,
  });
});

test.each([
  ['cmd only', { cmd: ['sleep', '5'] }, { entrypoint: null, command: ['sleep', '5'] }],
  [
    'entrypoint and cmd',
    { entrypoint: ['/bin/sh', '-c'], cmd: ['exit 3'] },
    { entrypoint: '/bin/sh', command: ['-c', 'exit 3'] },
  ],
  [
    'exec wins over both',
    { exec: ['sh', '-c', 'true'], cmd: ['ignored'] },
    { entrypoint: 'sh', command: ['-c', 'true'] },
  ],
])('init: %s', (_, init, expected) => {
  expect(configChange({ image: 'img', init })).toMatchObject(expected);
});

test("restart, env, memory, auto_destroy and the user metadata are read; svc-owned metadata keys are not the user's", () => {
  const change = configChange({
    image: 'img',
    restart: { policy: 'on-fail', max_retries: 3 },
    env: { A: '1', B: 'two words' },
    guest: { memory_mb: 256 },
    auto_destroy: true,
    metadata: { team: 'web', fly_process_group: 'worker', fly_platform_version: 'v2' },
  });
  expect(change).toMatchObject({
    restart: 'on-failure',
    maxRetries: 3,
    env: [
      { key: 'A', value: '1' },
      { key: 'B', value: 'two words' },
    ],
    memoryMb: 256,
    autoDestroy: true,
    metadata: { team: 'web' },
    processGroup: 'worker',
  });
});

test('an exec with no program is refused', () => {
  expect(() => configChange({ image: 'img', init: { exec: [] } })).toThrow(/must name a program/);
});
