/** Builds the real context: the only place that reads the environment and the process's streams. */
import path from 'node:path';
import { createDocker, dockerRunner, dockerStreamer } from './adapters/docker.js';
import { refusingOnceStopped } from './signals.js';
import { withEarlyRun, type EarlyDockerRun } from './adapters/early-run.js';
import { openStore } from './adapters/store.js';
import { systemClock, type Context, type EngineContext } from './context.js';
import { createLocalBackend } from './engine/local/local-backend.js';
import { readSettings } from './settings.js';
import { colorWanted } from './render/colors.js';
import { ensureSupervisor } from './supervisor/control.js';
import { createSwarmClient } from './adapters/swarm.js';
import { swarmInUse, swarmMarker } from './adapters/swarm-marker.js';
import { createRoutingBackend } from './engine/routing-backend.js';
import { createSwarmBackend } from './engine/swarm/swarm-backend.js';
import type { WorkloadBackend } from './engine/backend.js';
import type { Settings } from './settings.js';

/** The local backend with the swarm's beside it (see routing-backend.ts). */
export const withSwarm = (
  engine: EngineContext,
  local: WorkloadBackend,
  settings: Settings,
  warn: (message: string) => void,
): WorkloadBackend => {
  const marker = swarmMarker(engine.store.dir);
  const swarm = createSwarmBackend(
    engine,
    createSwarmClient(dockerRunner(settings.dockerDeadlines), dockerStreamer, settings.dockerDeadlines),
    { markInUse: marker.write },
  );
  return createRoutingBackend(local, swarm, {
    defaultBackend: settings.backend,
    swarmInUse: () => swarmInUse({ backend: settings.backend, stateDir: engine.store.dir }),
    localIds: () => new Set(Object.keys(engine.store.read().workloads)),
    warn,
  });
};

export const buildContext = (options: { color?: boolean; earlyListing?: EarlyDockerRun } = {}): Context => {
  const env = process.env;
  const settings = readSettings(env);
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  const engine: EngineContext = {
    // After Ctrl-C or SIGTERM no container is made or started: work under way winds up (signals.ts).
    docker: createDocker(
      refusingOnceStopped(withEarlyRun(dockerRunner(settings.dockerDeadlines), options.earlyListing)),
      dockerStreamer,
      settings.dockerDeadlines,
    ),
    store: openStore(settings.stateDir, { lockStaleMs: settings.lockStaleMs, now: systemClock.now }),
    clock: systemClock,
  };
  const commandLine = {
    io: {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      stdinIsTTY: Boolean(process.stdin.isTTY),
      stdoutIsTTY,
      stderrIsTTY: Boolean(process.stderr.isTTY),
    },
    color: colorWanted(options.color !== false, env, stdoutIsTTY),
    settings,
    env,
    // The script this process was started as (bin/svc, or the npm link to it): the supervisor is started the same way.
    svcBinary: path.resolve(process.argv[1]),
  };
  const local = createLocalBackend(engine, () => ensureSupervisor({ ...engine, ...commandLine }));
  const backend = withSwarm(engine, local, settings, (message) => process.stderr.write(`${message}\n`));
  return { ...engine, ...commandLine, backend };
};
