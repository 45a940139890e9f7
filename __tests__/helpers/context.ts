/** An in-process Context on the real Docker engine, for tests that call the engine directly, and a service to drive with it. */
import { PassThrough } from 'node:stream';
import { createDocker, type Docker } from '../../src/adapters/docker.js';
import { openStore } from '../../src/adapters/store.js';
import { systemClock, type Context } from '../../src/context.js';
import { servicePolicyFromWords, type AutorestartWord } from '../../src/core/dialects/dockercloud.js';
import { launchWorkload } from '../../src/engine/create.js';
import { TEST_IMAGE, uniqueName } from './svc.js';

export const inProcessContext = (home: string, docker: Docker = createDocker()): Context => ({
  docker,
  store: openStore(home),
  clock: systemClock,
  io: { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), stdinIsTTY: false, stdoutIsTTY: false, stderrIsTTY: false },
  env: {},
  color: false,
  svcBinary: '',
});

/** Launches a DC service in-process running `sh -c script`, with the given autorestart and no replace or destroy. */
export const launchShellService = (
  ctx: Context,
  options: { namePrefix: string; script: string; autorestart: AutorestartWord; instances: number },
) =>
  launchWorkload(ctx, {
    dialect: 'service',
    name: uniqueName(options.namePrefix),
    app: null,
    processGroup: null,
    spec: { image: TEST_IMAGE, command: ['sh', '-c', options.script], entrypoint: null, env: [], memoryMb: null },
    policy: servicePolicyFromWords({ autorestart: options.autorestart, autoreplace: 'OFF', autodestroy: 'OFF' }),
    targetInstances: options.instances,
  });
