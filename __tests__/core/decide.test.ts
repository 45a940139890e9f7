import {
  backoffDelayMs,
  type Decision,
  decideAfterExit,
  EMPTY_HISTORY,
  type ExitFacts,
  historyAfter,
  type InstanceHistory,
} from '../../src/core/decide.js';
import {
  conflictsAlwaysWithDestroy,
  type DestroyMode,
  MINUTE,
  type RestartMode,
  type RestartPolicy,
  SECOND,
} from '../../src/core/policy.js';

// Policies are built by hand so these tests do not depend on the dialect translators.
const policy = (over: Partial<RestartPolicy> = {}): RestartPolicy => ({
  mode: 'never',
  budget: null,
  replace: null,
  destroy: 'off',
  ...over,
});
const tutum = (mode: RestartMode = 'on-failure', replaceMode: RestartMode = 'on-failure'): RestartPolicy =>
  policy({
    mode,
    budget: { max: 3, windowMs: MINUTE },
    replace: { mode: replaceMode, budget: { max: 3, windowMs: 5 * MINUTE } },
  });
const fly = (maxRetries = 10): RestartPolicy =>
  policy({ mode: 'on-failure', budget: { max: maxRetries, windowMs: 5 * MINUTE } });

const exit = (exitCode: number, over: Partial<ExitFacts> = {}): ExitFacts => ({
  exitCode,
  oomKilled: false,
  requestedByUser: false,
  daemonRestarted: false,
  ...over,
});
const OK = exit(0);
const FAIL = exit(1);
const OOM = exit(137, { oomKilled: true });

const T0 = 1_700_000_000_000;
const history = (over: Partial<InstanceHistory> = {}): InstanceHistory => ({ ...EMPTY_HISTORY, ...over });
const actions = (decisions: Decision[]) => decisions.map((d) => d.action);
const delays = (decisions: Decision[]) => decisions.map((d) => ('delayMs' in d ? d.delayMs : null));

/**
 * The supervisor's loop on a fake clock: every container exits `upMs` after it starts, and each restart
 * or replace is carried out once its delay has passed. Stops at the first decision that leaves it down.
 */
const crashLoop = (p: RestartPolicy, facts: ExitFacts, maxExits: number, upMs = SECOND, start = T0) => {
  let h = history({ lastStartedAt: start });
  let now = start + upMs;
  const decisions: Decision[] = [];
  for (let i = 0; i < maxExits; i++) {
    const d = decideAfterExit(p, h, facts, now);
    decisions.push(d);
    if (d.action !== 'restart' && d.action !== 'replace') break;
    const startedAt = now + d.delayMs;
    h = historyAfter(p, h, d, startedAt);
    now = startedAt + upMs;
  }
  return { decisions, history: h, now };
};

describe('decideAfterExit: restart mode x exit', () => {
  test.each<[RestartMode, string, ExitFacts, Decision['action'], RegExp]>([
    ['never', 'exit 0', OK, 'leave-stopped', /^exit code 0; restart policy never$/],
    ['never', 'exit 1', FAIL, 'leave-stopped', /restart policy never/],
    ['never', 'OOM', OOM, 'leave-stopped', /^OOM killed \(exit code 137\); restart policy never$/],
    ['on-failure', 'exit 0', OK, 'leave-stopped', /exit code 0; restart policy on-failure restarts only failures/],
    ['on-failure', 'exit 1', FAIL, 'restart', /^exit code 1; restart policy on-failure$/],
    ['on-failure', 'OOM', OOM, 'restart', /OOM killed/],
    ['on-failure', 'OOM with exit code 0', exit(0, { oomKilled: true }), 'restart', /OOM killed/],
    ['always', 'exit 0', OK, 'restart', /restart policy always/],
    ['always', 'exit 1', FAIL, 'restart', /restart policy always/],
    ['always', 'OOM', OOM, 'restart', /restart policy always/],
  ])('%s, %s -> %s', (mode, _label, facts, action, reason) => {
    const d = decideAfterExit(policy({ mode }), EMPTY_HISTORY, facts, T0);
    expect(d.action).toBe(action);
    expect(d.reason).toMatch(reason);
    if (d.action === 'restart') expect(d.delayMs).toBe(0);
  });
});

describe('decideAfterExit: stop requested by the user is never fought', () => {
  const modes: RestartMode[] = ['never', 'on-failure', 'always'];
  const cases = modes.flatMap((mode) => [OK, FAIL, OOM].map((facts) => [mode, facts.exitCode, facts] as const));

  test.each(cases)('%s, exit %d -> leave-stopped', (mode, _code, facts) => {
    const p = mode === 'always' ? policy({ mode }) : tutum(mode);
    expect(decideAfterExit(p, EMPTY_HISTORY, { ...facts, requestedByUser: true }, T0)).toEqual({
      action: 'leave-stopped',
      reason: 'stopped by user',
    });
  });

  test.each<[DestroyMode, Decision['action']]>([
    ['off', 'leave-stopped'],
    ['on-success', 'leave-stopped'],
    ['always', 'destroy'],
  ])('destroy %s, exit 0 -> %s', (destroy, action) => {
    const d = decideAfterExit(
      policy({ mode: 'on-failure', destroy }),
      EMPTY_HISTORY,
      exit(0, { requestedByUser: true }),
      T0,
    );
    expect(d.action).toBe(action);
    expect(d.reason).toMatch(/^stopped by user/);
  });

  test('wins over a daemon restart', () => {
    const d = decideAfterExit(
      policy({ mode: 'always' }),
      EMPTY_HISTORY,
      exit(143, { requestedByUser: true, daemonRestarted: true }),
      T0,
    );
    expect(d.action).toBe('leave-stopped');
  });
});

describe('decideAfterExit: Docker daemon / host restarted', () => {
  const down = (facts: ExitFacts): ExitFacts => ({ ...facts, daemonRestarted: true });

  test.each<[string, RestartPolicy, ExitFacts, Decision['action']]>([
    ['never', policy(), down(exit(137)), 'leave-stopped'],
    ['on-failure, exit 137', policy({ mode: 'on-failure' }), down(exit(137)), 'leave-stopped'],
    ['on-failure, OOM', policy({ mode: 'on-failure' }), down(OOM), 'leave-stopped'],
    ['on-failure with autoreplace: no replace either', tutum('on-failure', 'always'), down(FAIL), 'leave-stopped'],
    ['always, exit 0', policy({ mode: 'always' }), down(OK), 'restart'],
    ['always, exit 137', policy({ mode: 'always' }), down(exit(137)), 'restart'],
    ['never, destroy always: destroy rules still apply', policy({ destroy: 'always' }), down(exit(137)), 'destroy'],
    [
      'on-failure, destroy on-success, exit 0',
      policy({ mode: 'on-failure', destroy: 'on-success' }),
      down(OK),
      'destroy',
    ],
  ])('%s -> %s', (_label, p, facts, action) => {
    const d = decideAfterExit(p, EMPTY_HISTORY, facts, T0);
    expect(d.action).toBe(action);
    expect(d.reason).toMatch(/^Docker daemon restarted/);
    if (action === 'leave-stopped') expect(d.reason).toMatch(/only always restarts after a daemon restart/);
  });
});

describe('back-off', () => {
  test.each([
    [0, 0],
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [10, 51_200],
    [11, 60_000],
    [12, 60_000],
    [5000, 60_000],
  ])('step %d -> %d ms', (step, delay) => {
    expect(backoffDelayMs(step)).toBe(delay);
  });

  test('unlimited restarts: 0, 100, 200, 400 ... capped at 60 s, never giving up', () => {
    const { decisions } = crashLoop(policy({ mode: 'always' }), FAIL, 200);
    expect(decisions).toHaveLength(200);
    expect(new Set(actions(decisions))).toEqual(new Set(['restart']));
    expect(delays(decisions).slice(0, 14)).toEqual([
      0, 100, 200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 51_200, 60_000, 60_000, 60_000,
    ]);
    expect(decisions[2]?.reason).toMatch(/back-off 200 ms$/);
    expect(decisions[11]?.reason).toMatch(/back-off 60 s$/);
  });

  test.each([
    ['ran 10 s: the sequence starts over', 10 * SECOND, [0, 100]],
    ['ran 9.999 s: the sequence goes on', 10 * SECOND - 1, [800, 1600]],
  ])('%s', (_label, upMs, expected) => {
    const p = policy({ mode: 'on-failure' });
    // Four quick crashes: delays 0, 100, 200, 400; the fourth restart happened at `startedAt`.
    const startedAt = T0 + 50 * SECOND;
    const h = history({ restarts: [T0, T0 + 1, T0 + 2, startedAt], backoffStep: 4, lastStartedAt: startedAt });
    const first = decideAfterExit(p, h, FAIL, startedAt + upMs);
    const afterFirst = historyAfter(p, h, first, startedAt + upMs + (first.action === 'restart' ? first.delayMs : 0));
    const second = decideAfterExit(p, afterFirst, FAIL, afterFirst.lastStartedAt! + SECOND);
    expect(delays([first, second])).toEqual(expected);
  });

  test('the step is the same whether history is stored when decided or when carried out', () => {
    const p = policy({ mode: 'always' });
    const h = history({ backoffStep: 3, lastStartedAt: T0 });
    const d = decideAfterExit(p, h, FAIL, T0 + SECOND);
    expect(d).toMatchObject({ action: 'restart', delayMs: 400 });
    // 400 ms later is still quick; a long back-off (60 s) must not look like a 10 s run either.
    expect(historyAfter(p, h, d, T0 + SECOND).backoffStep).toBe(4);
    expect(historyAfter(p, h, d, T0 + SECOND + 400).backoffStep).toBe(4);
    const capped = history({ backoffStep: 12, lastStartedAt: T0 });
    const long = decideAfterExit(p, capped, FAIL, T0 + SECOND);
    expect(long).toMatchObject({ action: 'restart', delayMs: 60_000 });
    expect(historyAfter(p, capped, long, T0 + SECOND + 60_000).backoffStep).toBe(13);
  });
});

describe('Tutum crash recovery: 3 restarts in 60 s, then 3 replacements in 300 s, then Stopped', () => {
  test('restart before replace, through to give-up', () => {
    const { decisions, history: last } = crashLoop(tutum(), FAIL, 50);
    expect(actions(decisions)).toEqual([
      ...['restart', 'restart', 'restart', 'replace'],
      ...['restart', 'restart', 'restart', 'replace'],
      ...['restart', 'restart', 'restart', 'replace'],
      ...['restart', 'restart', 'restart', 'give-up'],
    ]);
    // A replacement is a new container: its back-off starts over.
    expect(delays(decisions).slice(0, 8)).toEqual([0, 100, 200, 0, 0, 100, 200, 0]);
    expect(decisions[2]?.reason).toBe(
      'exit code 1; restart policy on-failure; restart 3 of 3 in 60 s; back-off 200 ms',
    );
    expect(decisions[3]?.reason).toBe(
      'exit code 1; restart budget spent: 3 restarts in 60 s; replacing the container (1 of 3 in 5 min)',
    );
    expect(decisions.at(-1)?.reason).toBe(
      'exit code 1; restart budget spent: 3 restarts in 60 s; replace budget spent: 3 replacements in 5 min',
    );
    expect(last.replaces).toHaveLength(3);
    expect(last.restarts).toHaveLength(3);
  });

  test('a 4th failure inside a minute replaces; the same failure after the window restarts again', () => {
    const p = tutum();
    const h = history({ restarts: [T0, T0 + 1000, T0 + 2000], backoffStep: 3, lastStartedAt: T0 + 2000 });
    expect(decideAfterExit(p, h, FAIL, T0 + 3 * SECOND).action).toBe('replace');
    expect(decideAfterExit(p, h, FAIL, T0 + 59_999).action).toBe('replace');
    // The window is (now - 60 s, now]: at exactly 60 s the first restart has left it.
    expect(decideAfterExit(p, h, FAIL, T0 + 60_000).action).toBe('restart');
    const later = decideAfterExit(p, h, FAIL, T0 + 61 * SECOND);
    expect(later.action).toBe('restart');
    expect(later.reason).toMatch(/restart 2 of 3 in 60 s/);
  });

  test('replacements slide out of their 300 s window too', () => {
    const p = tutum();
    const h = history({
      restarts: [T0 + 280_000, T0 + 280_100, T0 + 280_200],
      replaces: [T0, T0 + 10_000, T0 + 20_000],
      lastStartedAt: T0 + 280_200,
    });
    expect(decideAfterExit(p, h, FAIL, T0 + 299_999).action).toBe('give-up');
    // At 300 s the first replacement has left the window (now - 300 s, now].
    expect(decideAfterExit(p, h, FAIL, T0 + 300_000)).toMatchObject({ action: 'replace', delayMs: 0 });
  });

  test('historyAfter a replace: new container, so restarts and back-off start from nothing', () => {
    const p = tutum();
    const h = history({
      restarts: [T0, T0 + 1, T0 + 2],
      replaces: [T0 - 6 * MINUTE, T0 - MINUTE],
      backoffStep: 3,
      lastStartedAt: T0 + 2,
    });
    const d = decideAfterExit(p, h, FAIL, T0 + 1000);
    expect(d.action).toBe('replace');
    expect(historyAfter(p, h, d, T0 + 1000)).toEqual({
      restarts: [],
      replaces: [T0 - MINUTE, T0 + 1000],
      backoffStep: 0,
      lastStartedAt: T0 + 1000,
    });
  });

  test.each<[string, RestartPolicy, ExitFacts, Decision['action'], RegExp]>([
    [
      'autorestart OFF, autoreplace ON_FAILURE, exit 1',
      tutum('never'),
      FAIL,
      'replace',
      /replacing the container \(1 of 3/,
    ],
    [
      'autorestart OFF, autoreplace ON_FAILURE, exit 0',
      tutum('never'),
      OK,
      'leave-stopped',
      /replace policy on-failure replaces only failures/,
    ],
    ['autorestart OFF, autoreplace ALWAYS, exit 0', tutum('never', 'always'), OK, 'replace', /^exit code 0; replacing/],
  ])('%s -> %s', (_label, p, facts, action, reason) => {
    const d = decideAfterExit(p, EMPTY_HISTORY, facts, T0);
    expect(d.action).toBe(action);
    expect(d.reason).toMatch(reason);
  });

  test('only the budgets that applied are named when giving up', () => {
    // ALWAYS restarts exit 0, ON_FAILURE replaces only failures: the replace budget is not why it stops.
    const p = tutum('always', 'on-failure');
    const spent = history({ restarts: [T0, T0 + 1, T0 + 2], lastStartedAt: T0 + 2 });
    expect(decideAfterExit(p, spent, OK, T0 + 100)).toEqual({
      action: 'give-up',
      reason: 'exit code 0; restart budget spent: 3 restarts in 60 s',
    });
    expect(decideAfterExit(p, spent, FAIL, T0 + 100).action).toBe('replace');
    const replacesSpent = history({ replaces: [T0, T0 + 1, T0 + 2] });
    expect(decideAfterExit(tutum('never'), replacesSpent, FAIL, T0 + 100)).toEqual({
      action: 'give-up',
      reason: 'exit code 1; replace budget spent: 3 replacements in 5 min',
    });
  });
});

describe('autodestroy: judged only after autorestart', () => {
  test.each<[RestartMode, DestroyMode, string, ExitFacts, Decision['action']]>([
    ['on-failure', 'on-success', 'exit 0', OK, 'destroy'],
    ['on-failure', 'on-success', 'exit 1', FAIL, 'restart'],
    ['on-failure', 'on-success', 'OOM with exit 0', exit(0, { oomKilled: true }), 'restart'],
    ['never', 'on-success', 'exit 0', OK, 'destroy'],
    ['never', 'on-success', 'exit 1', FAIL, 'leave-stopped'],
    ['never', 'on-success', 'OOM with exit 0', exit(0, { oomKilled: true }), 'leave-stopped'],
    ['never', 'always', 'exit 0', OK, 'destroy'],
    ['never', 'always', 'exit 1', FAIL, 'destroy'],
    ['on-failure', 'always', 'exit 1', FAIL, 'restart'],
    ['on-failure', 'always', 'exit 0', OK, 'destroy'],
    ['never', 'off', 'exit 0', OK, 'leave-stopped'],
  ])('%s, destroy %s, %s -> %s', (mode, destroy, _label, facts, action) => {
    const d = decideAfterExit(policy({ mode, destroy }), EMPTY_HISTORY, facts, T0);
    expect(d.action).toBe(action);
    if (action === 'destroy') expect(d.reason).toMatch(new RegExp(`; destroy policy ${destroy}$`));
  });

  test('a spent budget gives up and keeps the container, whatever autodestroy says', () => {
    const p = { ...fly(2), destroy: 'always' as const };
    const h = history({ restarts: [T0, T0 + 1] });
    expect(decideAfterExit(p, h, FAIL, T0 + 1000).action).toBe('give-up');
  });

  test('ALWAYS with autodestroy is refused by the policy model, and restart would win anyway', () => {
    expect(conflictsAlwaysWithDestroy({ mode: 'always', destroy: 'on-success' })).toBe(true);
    expect(conflictsAlwaysWithDestroy({ mode: 'always', destroy: 'always' })).toBe(true);
    expect(conflictsAlwaysWithDestroy({ mode: 'always', destroy: 'off' })).toBe(false);
    for (const facts of [OK, FAIL, OOM]) {
      expect(decideAfterExit(policy({ mode: 'always', destroy: 'always' }), EMPTY_HISTORY, facts, T0).action).toBe(
        'restart',
      );
    }
  });
});

describe('Fly on-failure: max_retries in a 5-minute window', () => {
  test('10 retries, then give-up; the machine stays stopped', () => {
    const { decisions, history: last } = crashLoop(fly(), FAIL, 50);
    expect(actions(decisions)).toEqual([...Array<string>(10).fill('restart'), 'give-up']);
    expect(decisions.at(-1)?.reason).toBe('exit code 1; restart budget spent: 10 restarts in 5 min');
    expect(historyAfter(fly(), last, decisions.at(-1)!, T0 + MINUTE)).toEqual(last);
  });

  test('exit 0 is not retried', () => {
    expect(decideAfterExit(fly(), EMPTY_HISTORY, OK, T0).action).toBe('leave-stopped');
  });

  test('custom max_retries 2: restart, restart, give-up, and retries again once the window slides', () => {
    const p = fly(2);
    const { decisions, history: h, now } = crashLoop(p, OOM, 10);
    expect(actions(decisions)).toEqual(['restart', 'restart', 'give-up']);
    expect(decisions[2]?.reason).toBe('OOM killed (exit code 137); restart budget spent: 2 restarts in 5 min');
    const firstRestart = h.restarts[0]!;
    expect(decideAfterExit(p, h, OOM, firstRestart + 5 * MINUTE - 1).action).toBe('give-up');
    expect(decideAfterExit(p, h, OOM, firstRestart + 5 * MINUTE).action).toBe('restart');
    expect(now).toBeLessThan(firstRestart + 5 * MINUTE);
  });

  test('--rm: restart no, destroy always', () => {
    const d = decideAfterExit(policy({ mode: 'never', destroy: 'always' }), EMPTY_HISTORY, OK, T0);
    expect(d).toEqual({ action: 'destroy', reason: 'exit code 0; restart policy never; destroy policy always' });
  });
});

describe('historyAfter', () => {
  test('a restart appends its time, advances the step and prunes what left the window', () => {
    const p = tutum();
    const h = history({
      restarts: [T0 - 2 * MINUTE, T0 - 30 * SECOND],
      backoffStep: 1,
      lastStartedAt: T0 - 2 * SECOND,
    });
    const d = decideAfterExit(p, h, FAIL, T0);
    expect(d).toMatchObject({ action: 'restart', delayMs: 100 });
    expect(historyAfter(p, h, d, T0 + 100)).toEqual({
      restarts: [T0 - 30 * SECOND, T0 + 100],
      replaces: [],
      backoffStep: 2,
      lastStartedAt: T0 + 100,
    });
  });

  test('unlimited restarts keep only the last 5 minutes of timestamps', () => {
    const p = policy({ mode: 'always' });
    const h = history({ restarts: [T0 - 10 * MINUTE, T0 - 4 * MINUTE], backoffStep: 2, lastStartedAt: T0 - SECOND });
    const after = historyAfter(p, h, decideAfterExit(p, h, FAIL, T0), T0);
    expect(after.restarts).toEqual([T0 - 4 * MINUTE, T0]);
  });

  test.each<Decision>([
    { action: 'leave-stopped', reason: 'x' },
    { action: 'give-up', reason: 'x' },
    { action: 'destroy', reason: 'x' },
  ])('$action keeps step and start time, only pruning', (d) => {
    const p = tutum();
    const h = history({
      restarts: [T0 - 2 * MINUTE, T0 - SECOND],
      replaces: [T0 - 10 * MINUTE],
      backoffStep: 5,
      lastStartedAt: T0 - SECOND,
    });
    expect(historyAfter(p, h, d, T0)).toEqual({
      restarts: [T0 - SECOND],
      replaces: [],
      backoffStep: 5,
      lastStartedAt: T0 - SECOND,
    });
  });

  test('never mutates its inputs', () => {
    const p = Object.freeze(tutum());
    const frozen = (xs: number[]) => Object.freeze(xs) as number[];
    const h = Object.freeze(history({ restarts: frozen([T0]), replaces: frozen([]) }));
    const d = decideAfterExit(p, h, FAIL, T0 + SECOND);
    expect(() => historyAfter(p, h, d, T0 + SECOND)).not.toThrow();
    expect(h.restarts).toEqual([T0]);
    expect(EMPTY_HISTORY).toEqual({ restarts: [], replaces: [], backoffStep: 0, lastStartedAt: null });
  });
});
