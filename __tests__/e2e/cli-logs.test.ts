/**
 * End to end: `service logs` says when it could not show the logs. Docker unreachable is exit 4, a
 * container that vanished is exit 1 naming it, and docker's own words never appear among the log
 * lines on stdout. The containers' stderr lines go to svc's stderr, prefixed like the stdout ones.
 */
import { docker, svc, TEST_IMAGE, UUID4 } from '../helpers/svc.js';
import { useMadeThings } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/wait.js';

/** Says one line on each stream, then waits to be stopped. */
const TALKER = ['sh', '-c', 'echo to-stdout; echo to-stderr >&2; trap "exit 0" TERM; sleep 600 & wait'];

const made = useMadeThings();

/** A running service of `count` talkers whose lines are already in their logs. */
const talkingService = async (count: number) => {
  const home = made.home();
  const name = made.name('cli');
  const run = await svc(['service', 'run', '-t', String(count), '-n', name, TEST_IMAGE, ...TALKER], { home });
  expect(run).toMatchObject({ exitCode: 0, stderr: '' });
  expect(run.stdout).toMatch(UUID4);
  for (let n = 1; n <= count; n++) {
    await waitFor(`${name}-${n} to talk`, async () =>
      (await docker(['logs', `${name}-${n}`])).stderr.includes('to-stderr'),
    );
  }
  return { home, name };
};

describe('service logs', () => {
  it('prints stdout lines on stdout and stderr lines on stderr, each with its container name', async () => {
    const { home, name } = await talkingService(1);
    const result = await svc(['service', 'logs', name], { home });
    expect(result).toEqual({ exitCode: 0, stdout: `${name}-1 | to-stdout`, stderr: `${name}-1 | to-stderr` });
  });

  it('is exit 4 when Docker cannot be reached, with nothing on stdout', async () => {
    const { home, name } = await talkingService(1);
    const result = await svc(['service', 'logs', name], {
      home,
      env: { DOCKER_HOST: 'unix:///nonexistent/cli-docker.sock' },
    });
    expect(result).toMatchObject({ exitCode: 4, stdout: '' });
    expect(result.stderr).toContain('Cannot connect to the Docker engine');
  });

  it("is exit 1 naming a container that vanished, after showing the others; docker's words stay off stdout", async () => {
    const { home, name } = await talkingService(2);
    expect(await docker(['rm', '-f', `${name}-2`])).toMatchObject({ exitCode: 0 });
    const result = await svc(['service', 'logs', name], { home });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`${name}-1 | to-stdout`);
    expect(result.stdout).not.toMatch(/No such container|Error response from daemon|-2 \|/);
    expect(result.stderr).toMatch(
      new RegExp(`Container ${name}-2 \\([0-9a-f]{12}\\) of service ${name} no longer exists`),
    );
  });
});
