/**
 * A `docker events` that could not even be started (no file descriptor left: EMFILE, or the binary
 * gone) is a stream that ended at once: said in the log and reconnected with back-off. It used to
 * be a rejected promise no one handled, which ends a Node process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDocker, type LineStreamer } from '../../src/adapters/docker.js';
import { createSupervisor } from '../../src/supervisor/loop.js';
import { inProcessContext } from '../helpers/context.js';
import { waitFor } from '../helpers/wait.js';
import { createFakeDocker } from './fake-docker.js';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-stream-start-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

test('an event stream whose docker process could not be started is logged and reconnected, not an unhandled rejection', async () => {
  const docker = createFakeDocker(() => Date.now());
  let attempts = 0;
  const failingOnce: LineStreamer = (args, onLine) => {
    attempts += 1;
    if (attempts > 1) return docker.stream(args, onLine);
    return { done: Promise.reject(new Error('spawn docker EMFILE')), stop: () => {} };
  };
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const logs: string[] = [];
  const supervisor = createSupervisor(inProcessContext(home, createDocker(docker.run, failingOnce)), {
    reconcileEveryMs: 30_000,
    reconnectCapMs: 800,
    log: (message) => logs.push(message),
    daemonStartedAt: () => null,
  });
  try {
    await supervisor.start();
    await waitFor('the stream to be started again', async () => docker.streamed.length === 1, 5_000);
    expect(logs).toContainEqual(
      expect.stringMatching(/^event stream ended: spawn docker EMFILE; reconnecting in 100 ms$/),
    );
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await supervisor.stop();
  }
});
