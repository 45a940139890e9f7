/**
 * The argv the Docker adapter builds, through an injected runner: user values can never be read as
 * options, and env values travel in a private file that is gone once `docker create` returns.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createDocker, type RunResult } from '../../src/adapters/docker.js';
import type { CreateOptions } from '../../src/engine/ports/runtime.js';
import { DockerCommandError, UserError } from '../../src/errors.js';

interface EnvFileSeen {
  path: string;
  text: string;
  fileMode: number;
  dirMode: number;
}

/** A runner that records every argv and, for create, what the env file held while docker ran. */
const recordingRunner = (result: RunResult = { stdout: 'c0ffee\n', stderr: '', exitCode: 0 }) => {
  const calls: string[][] = [];
  const envFiles: EnvFileSeen[] = [];
  const run = async (args: string[]) => {
    calls.push(args);
    const envArg = args.find((arg) => arg.startsWith('--env-file='));
    if (envArg) {
      const file = envArg.slice('--env-file='.length);
      envFiles.push({
        path: file,
        text: fs.readFileSync(file, 'utf8'),
        fileMode: fs.statSync(file).mode & 0o777,
        dirMode: fs.statSync(path.dirname(file)).mode & 0o777,
      });
    }
    return result;
  };
  return { run, calls, envFiles };
};

const SECRET = 'hunter2-secret';

const options = (overrides: Partial<CreateOptions> = {}): CreateOptions => ({
  name: 'web-1',
  image: 'svc-busybox:latest',
  command: ['--privileged', 'sh'],
  entrypoint: null,
  env: [],
  memoryMb: null,
  labels: { 'io.svc.managed': 'true', 'io.svc.workload': 'abc' },
  ...overrides,
});

describe('docker create argv', () => {
  it('puts valued options in --flag=value form and -- before the image', async () => {
    const runner = recordingRunner();
    await createDocker(runner.run).create(options({ entrypoint: '--privileged', memoryMb: 64 }));
    expect(runner.calls).toEqual([
      [
        'create',
        '--name=web-1',
        '--restart=no',
        '--label=io.svc.managed=true',
        '--label=io.svc.workload=abc',
        '--entrypoint=--privileged',
        '--memory=64m',
        '--',
        'svc-busybox:latest',
        '--privileged',
        'sh',
      ],
    ]);
  });

  it('passes an empty entrypoint as one option that resets it', async () => {
    const runner = recordingRunner();
    await createDocker(runner.run).create(options({ entrypoint: '' }));
    expect(runner.calls[0]).toContain('--entrypoint=');
  });

  it('passes env through a 0600 file in a private dir, never in argv, and removes it after', async () => {
    const runner = recordingRunner();
    const env = [
      { key: 'A', value: '1' },
      { key: 'TOKEN', value: SECRET, secret: true as const },
      { key: 'EQ', value: ' a=#b ' },
    ];
    await createDocker(runner.run).create(options({ env }));

    expect(runner.calls[0].join(' ')).not.toContain(SECRET);
    expect(runner.calls[0].some((arg) => arg === '--env' || arg.startsWith('--env='))).toBe(false);
    expect(runner.envFiles).toHaveLength(1);
    const [seen] = runner.envFiles;
    expect(seen.text).toBe(`A=1\nTOKEN=${SECRET}\nEQ= a=#b \n`);
    expect(seen.fileMode).toBe(0o600);
    expect(seen.dirMode).toBe(0o700);
    expect(fs.existsSync(path.dirname(seen.path))).toBe(false);
  });

  it('writes no env file when there is no env', async () => {
    const runner = recordingRunner();
    await createDocker(runner.run).create(options());
    expect(runner.envFiles).toEqual([]);
  });

  it('removes the env file when docker create fails', async () => {
    const runner = recordingRunner({ stdout: '', stderr: 'Error: No such image', exitCode: 1 });
    await expect(
      createDocker(runner.run).create(options({ env: [{ key: 'TOKEN', value: SECRET, secret: true }] })),
    ).rejects.toBeInstanceOf(DockerCommandError);
    expect(fs.existsSync(path.dirname(runner.envFiles[0].path))).toBe(false);
  });

  it('refuses a value docker would misread (an older state file may hold one) without running docker', async () => {
    const runner = recordingRunner();
    const create = createDocker(runner.run).create(options({ env: [{ key: 'A', value: `x\nPATH=${SECRET}` }] }));
    await expect(create).rejects.toBeInstanceOf(UserError);
    await expect(create).rejects.toThrow('the value of A contains a line break');
    await expect(create).rejects.not.toThrow(SECRET);
    expect(runner.calls).toEqual([]);
  });
});

describe('argv of the commands that take container ids', () => {
  const IDS = ['--privileged', 'abc'];

  it.each([
    ['start', (d: ReturnType<typeof createDocker>) => d.start(IDS), ['start', '--', ...IDS]],
    ['stop', (d: ReturnType<typeof createDocker>) => d.stop(IDS, 3), ['stop', '--time=3', '--', ...IDS]],
    ['rm', (d: ReturnType<typeof createDocker>) => d.remove(IDS), ['rm', '--force', '--', ...IDS]],
    ['inspect', (d: ReturnType<typeof createDocker>) => d.inspect(IDS), ['inspect', '--type=container', '--', ...IDS]],
    [
      'image inspect',
      (d: ReturnType<typeof createDocker>) => d.imageExists('--privileged'),
      ['image', 'inspect', '--format={{.Id}}', '--', '--privileged'],
    ],
  ])('%s puts -- before the ids', async (_name, call, argv) => {
    const runner = recordingRunner({ stdout: '[]', stderr: '', exitCode: 0 });
    await call(createDocker(runner.run));
    expect(runner.calls).toEqual([argv]);
  });

  it('logs puts -- before the id', () => {
    const streamed: string[][] = [];
    const stream = (args: string[]) => {
      streamed.push(args);
      return { done: Promise.resolve({ exitCode: 0, stderr: '' }), stop: () => undefined };
    };
    createDocker(recordingRunner().run, stream).logs('--privileged', { follow: true, tail: 5 }, () => undefined);
    expect(streamed).toEqual([['logs', '--follow', '--tail=5', '--', '--privileged']]);
  });
});
