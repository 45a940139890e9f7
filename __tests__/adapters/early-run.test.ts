/** The launcher's early docker answer stands for exactly one identical call, and never hides a failure to run docker. */
import type { DockerRunner, RunResult } from '../../src/adapters/docker.js';
import { withEarlyRun, type EarlyDockerRun } from '../../src/adapters/early-run.js';
import { isReadOnlyListing } from '../../src/launch/early-listing.js';
import { LIST_MANAGED_ARGS } from '../../src/adapters/docker-listing.js';

const answer = (stdout: string): RunResult => ({ stdout, stderr: '', exitCode: 0 });

const recordingRunner = () => {
  const calls: string[][] = [];
  const run: DockerRunner = async (args) => {
    calls.push(args);
    return answer(`asked ${args.join(' ')}`);
  };
  return { calls, run };
};

const early = (outcome: RunResult | null): EarlyDockerRun => ({
  args: LIST_MANAGED_ARGS,
  outcome: Promise.resolve(outcome),
});

test('the first call with the early arguments takes the early answer; docker is not asked', async () => {
  const { calls, run } = recordingRunner();
  const runner = withEarlyRun(run, early(answer('early')));
  expect(await runner([...LIST_MANAGED_ARGS])).toEqual(answer('early'));
  expect(calls).toEqual([]);
});

test('a second identical call asks docker again: an early answer is used once', async () => {
  const { calls, run } = recordingRunner();
  const runner = withEarlyRun(run, early(answer('early')));
  await runner([...LIST_MANAGED_ARGS]);
  expect((await runner([...LIST_MANAGED_ARGS])).stdout).toBe(`asked ${LIST_MANAGED_ARGS.join(' ')}`);
  expect(calls).toEqual([[...LIST_MANAGED_ARGS]]);
});

test('other arguments run as usual and leave the early answer for its own call', async () => {
  const { calls, run } = recordingRunner();
  const runner = withEarlyRun(run, early(answer('early')));
  expect((await runner(['version'])).stdout).toBe('asked version');
  expect((await runner([...LIST_MANAGED_ARGS])).stdout).toBe('early');
  expect(calls).toEqual([['version']]);
});

test('an early run that could not give a plain answer (docker missing, killed) is asked again through the runner', async () => {
  const { calls, run } = recordingRunner();
  const runner = withEarlyRun(run, early(null));
  expect((await runner([...LIST_MANAGED_ARGS])).stdout).toBe(`asked ${LIST_MANAGED_ARGS.join(' ')}`);
  expect(calls).toEqual([[...LIST_MANAGED_ARGS]]);
});

test("docker's own failure (an unreachable engine) is the answer, as the runner would have given it", async () => {
  const failed = { stdout: '', stderr: 'Cannot connect to the Docker daemon at unix:///x.sock', exitCode: 1 };
  const { calls, run } = recordingRunner();
  expect(await withEarlyRun(run, early(failed))([...LIST_MANAGED_ARGS])).toEqual(failed);
  expect(calls).toEqual([]);
});

test('without an early run the runner is used as it is', async () => {
  const { calls, run } = recordingRunner();
  await withEarlyRun(run, undefined)([...LIST_MANAGED_ARGS]);
  expect(calls).toEqual([[...LIST_MANAGED_ARGS]]);
});

test.each([
  [['service', 'ps'], true],
  [['service', 'ps', '-q'], true],
  [['service', 'inspect', 'web'], true],
  [['container', 'ps', '--service', 'web'], true],
  [['m', 'list'], true],
  [['machine', 'status', 'abc'], true],
  [['service', 'run', 'img'], false],
  [['service', 'scale', 'web', '3'], false],
  [['m', 'update', 'abc', '--restart', 'no'], false],
  [['m', 'destroy', 'abc'], false],
  [['events'], false],
  [['ps'], false],
  [[], false],
])('svc %j asks for the container list early: %s', (words, expected) => {
  expect(isReadOnlyListing(words)).toBe(expected);
});
