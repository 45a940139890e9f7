/** An in-process Context on the real Docker engine, for tests that call the engine directly, and a service to drive with it. */
import { PassThrough } from 'node:stream';
import { createDocker } from '../../src/adapters/docker.js';
import type { ContainerRuntime } from '../../src/engine/ports/runtime.js';
import { openStore } from '../../src/adapters/store.js';
import { systemClock, type Context } from '../../src/context.js';
import { servicePolicyFromWords, type AutorestartWord } from '../../src/core/dialects/dockercloud.js';
import { launchWorkload } from '../../src/engine/create.js';
import { createLocalBackend } from '../../src/engine/local/local-backend.js';
import { readSettings } from '../../src/settings.js';
import { TEST_IMAGE, uniqueName } from './svc.js';

/**
 * A context whose backend never starts a supervisor: tests that want one start it themselves.
 * `ensureSupervisor` counts for tests that check an operation asked for its policy to be enforced.
 */
export const inProcessContext = (
  home: string,
  docker: ContainerRuntime = createDocker(),
  ensureSupervisor = async () => {},
): Context => {
  const engine = { docker, store: openStore(home), clock: systemClock };
  return {
    ...engine,
    backend: createLocalBackend(engine, ensureSupervisor),
    io: {
      stdin: new PassThrough(),
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdinIsTTY: false,
      stdoutIsTTY: false,
      stderrIsTTY: false,
    },
    settings: readSettings({ SVC_HOME: home, SVC_NO_AUTOSTART: '1' }),
    env: {},
    color: false,
    svcBinary: '',
  };
};

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
