/**
 * Judging one exit, without Docker: whether it was the daemon's restart, and whether it was judged
 * already (a replayed die event, or a reconcile finding the same stop). `alreadyJudged` is private to
 * judge.ts, so it is read through judgeExit on a real store in a temp dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDocker } from '../../src/adapters/docker.js';
import type { Context } from '../../src/context.js';
import { servicePolicyFromWords } from '../../src/core/dialects/dockercloud.js';
import { newInstance } from '../../src/core/workload.js';
import { exitWasDaemonRestart, judgeExit, type DaemonHistory, type ExitObservation } from '../../src/engine/judge.js';
import { inProcessContext } from '../helpers/context.js';
import { workloadRecord } from '../helpers/store-fixtures.js';

const GRACE = 20_000;

describe('exitWasDaemonRestart', () => {
  const daemon = (
    startedAt: number | null,
    lostAt: number | null = null,
    regainedAt: number | null = null,
  ): DaemonHistory => ({
    startedAt,
    lostAt,
    regainedAt,
  });

  test.each<[string, number, DaemonHistory, boolean]>([
    ['nothing known about the daemon', 1_000, daemon(null), false],
    ['an exit before the running dockerd started', 999, daemon(1_000), true],
    ['an exit as the running dockerd started', 1_000, daemon(1_000), false],
    ['an exit after the running dockerd started', 1_001, daemon(1_000), false],
    ['an exit while the daemon was away', 150_000, daemon(null, 100_000, 200_000), true],
    ['an exit in the shutdown grace before the loss', 100_000 - GRACE, daemon(null, 100_000, 200_000), true],
    ['an exit just before the grace', 100_000 - GRACE - 1, daemon(null, 100_000, 200_000), false],
    ['an exit as the daemon came back', 200_000, daemon(null, 100_000, 200_000), true],
    ['an exit after the daemon came back', 200_001, daemon(null, 100_000, 200_000), false],
    ['the daemon lost and not back yet', 150_000, daemon(null, 100_000, null), false],
    ['after the start time, but inside the loss window', 150_000, daemon(120_000, 100_000, 200_000), true],
  ])('%s -> %p', (_what, finishedAt, history, expected) => {
    expect(exitWasDaemonRestart(finishedAt, history)).toBe(expected);
  });
});

describe('judgeExit judges each exit once (alreadyJudged)', () => {
  const NOW = 1_000_000;
  const NO_DAEMON_RESTART: DaemonHistory = { startedAt: null, lostAt: null, regainedAt: null };
  let home: string;
  let ctx: Context;

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-judge-'));
    const noDocker = createDocker(async (args) => {
      throw new Error(`judging an exit must not ask Docker anything (asked: docker ${args.join(' ')})`);
    });
    ctx = { ...inProcessContext(home, noDocker), clock: { now: () => NOW } };
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  /** An ALWAYS service whose instance runs `containerId` and last judged `judgedExitKey` at `judgedAt`. */
  const record = (containerId: string, judgedExitKey: string | null, judgedAt: number | null) =>
    ctx.store.update((tx) => {
      tx.state.workloads.w1 = workloadRecord('w1', {
        intent: 'running',
        policy: servicePolicyFromWords({ autorestart: 'ALWAYS', autoreplace: 'OFF', autodestroy: 'OFF' }),
        instances: [{ ...newInstance(1, 'st-w1-1'), intent: 'running', containerId, judgedExitKey, judgedAt }],
      });
    });

  const exit = (containerId: string, finishedAt: number): ExitObservation => ({
    containerId,
    exitCode: 1,
    oomKilled: false,
    finishedAt,
  });

  test.each<[string, string, string | null, number | null, ExitObservation, boolean]>([
    ['the first exit of a container', 'c1', null, null, exit('c1', 5_000), true],
    ['the very exit judged before (a replayed die event)', 'c1', 'c1@5000', 9_000, exit('c1', 5_000), false],
    ['an exit of the container older than its last judgement', 'c1', 'c1@5000', 9_000, exit('c1', 4_000), false],
    ['an exit finished as the last judgement was made', 'c1', 'c1@5000', 9_000, exit('c1', 9_000), false],
    ['a later exit of the same container (it was restarted)', 'c1', 'c1@5000', 9_000, exit('c1', 9_001), true],
    ["a new container's exit, whatever the daemon's clock says", 'c2', 'c1@5000', 9_000, exit('c2', 4_000), true],
    ['a container id that is a prefix of the judged one', 'c1', 'c10@5000', 9_000, exit('c1', 4_000), true],
  ])('%s: judged again -> %p', async (_what, containerId, judgedExitKey, judgedAt, observed, judged) => {
    await record(containerId, judgedExitKey, judgedAt);
    const before = ctx.store.read().workloads.w1.instances[0];

    const ref = await judgeExit(ctx, observed, NO_DAEMON_RESTART);

    const after = ctx.store.read().workloads.w1.instances[0];
    const events = ctx.store.readEvents();
    if (judged) {
      expect(ref?.pending).toMatchObject({
        action: 'restart',
        exitKey: `${observed.containerId}@${observed.finishedAt}`,
      });
      expect(after).toMatchObject({ judgedExitKey: `${observed.containerId}@${observed.finishedAt}`, judgedAt: NOW });
      expect(events.map((e) => [e.action, e.containerId, e.source])).toEqual([
        ['restart', observed.containerId, 'supervisor'],
      ]);
    } else {
      expect(ref).toBeNull();
      expect(after).toEqual(before);
      expect(events).toEqual([]);
    }
  });

  test("an exit of a container no instance has is nobody's: nothing is recorded", async () => {
    await record('c1', null, null);
    expect(await judgeExit(ctx, exit('stranger', 5_000), NO_DAEMON_RESTART)).toBeNull();
    expect(ctx.store.read().workloads.w1.instances[0].judgedExitKey).toBeNull();
    expect(ctx.store.readEvents()).toEqual([]);
  });
});
