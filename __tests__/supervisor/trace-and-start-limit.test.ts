/** The restart tracer's lines and memory, and the limit on the supervisor's parallel `docker start`. */
import type { ContainerRuntime } from '../../src/engine/ports/runtime.js';
import { createRestartTracer } from '../../src/supervisor/trace.js';
import { limitStarts, StartLeftToNextSupervisor } from '../../src/supervisor/start-limit.js';

describe('createRestartTracer', () => {
  it('writes one line per restart with the first moment of each stage', () => {
    let clock = 100;
    const lines: string[] = [];
    const tracer = createRestartTracer(
      (line) => lines.push(line),
      () => clock,
    );
    tracer.mark('c1', 'seen');
    clock = 110;
    tracer.mark('c1', 'seen'); // a replayed die event: the first sighting stays
    tracer.mark('c1', 'decided');
    clock = 130;
    tracer.mark('c1', 'charged');
    tracer.done('c1', { dieAt: 90, action: 'restart' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toEqual({
      containerId: 'c1',
      dieAt: 90,
      action: 'restart',
      seen: 100,
      decided: 110,
      charged: 130,
    });
  });

  it('drops the marks of an exit no restart follows, so a later restart of the same container starts afresh', () => {
    let clock = 1;
    const lines: string[] = [];
    const tracer = createRestartTracer(
      (line) => lines.push(line),
      () => clock,
    );
    tracer.mark('c1', 'seen');
    tracer.forget('c1');
    clock = 50;
    tracer.mark('c1', 'seen');
    tracer.done('c1', { dieAt: 49, action: 'restart' });
    expect(JSON.parse(lines[0]!).seen).toBe(50);
  });
});

describe('limitStarts', () => {
  /** A runtime whose each `docker start` (one call, perhaps of several ids) returns when released. */
  const gatedRuntime = () => {
    const calls: string[][] = [];
    const gates = new Map<string, () => void>();
    const runtime = {
      start: (ids: string[]) =>
        new Promise<void>((resolve) => {
          calls.push(ids);
          gates.set(ids.join(','), resolve);
        }),
    } as unknown as ContainerRuntime;
    return { runtime, calls, release: (ids: string) => gates.get(ids)!() };
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('gives a lone start its own docker start at once', async () => {
    const { runtime, calls, release } = gatedRuntime();
    const started = limitStarts(runtime, 8).start(['a']);
    await settle();
    expect(calls).toEqual([['a']]);
    release('a');
    await expect(started).resolves.toBeUndefined();
  });

  it('lets starts asked for together share processes, spread evenly over the limit', async () => {
    const { runtime, calls, release } = gatedRuntime();
    const limited = limitStarts(runtime, 2);
    const all = ['a', 'b', 'c', 'd', 'e'].map((id) => limited.start([id]));
    await settle();
    expect(calls).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    release('a,b,c');
    release('d,e');
    await Promise.all(all);
  });

  it('runs at most the limit at once; those asked for later go in order, a share at a time, as a process returns', async () => {
    const { runtime, calls, release } = gatedRuntime();
    const limited = limitStarts(runtime, 2);
    const first = ['a', 'b'].map((id) => limited.start([id]));
    await settle();
    const later = ['c', 'd', 'e', 'f'].map((id) => limited.start([id]));
    await settle();
    expect(calls).toEqual([['a'], ['b']]);
    release('b');
    await settle();
    // Four waiting and a limit of two: the freed process takes two, not all four.
    expect(calls).toEqual([['a'], ['b'], ['c', 'd']]);
    release('a');
    await settle();
    // Two waiting, a limit of two: a share is one.
    expect(calls).toEqual([['a'], ['b'], ['c', 'd'], ['e']]);
    release('c,d');
    await settle();
    expect(calls).toEqual([['a'], ['b'], ['c', 'd'], ['e'], ['f']]);
    release('e');
    release('f');
    await Promise.all([...first, ...later]);
  });

  it('when a shared start fails, starts each alone so each gets its own answer', async () => {
    const calls: string[][] = [];
    const runtime = {
      start: async (ids: string[]) => {
        calls.push(ids);
        if (ids.includes('gone')) throw new Error('No such container: gone');
      },
    } as unknown as ContainerRuntime;
    const limited = limitStarts(runtime, 1);
    const [a, gone, b] = ['a', 'gone', 'b'].map((id) => limited.start([id]));
    await expect(gone).rejects.toThrow('No such container: gone');
    await expect(Promise.all([a, b])).resolves.toEqual([undefined, undefined]);
    expect(calls).toEqual([['a', 'gone', 'b'], ['a'], ['gone'], ['b']]);
  });

  it('when the supervisor stops, the waiting starts are left to the next one; those under way finish', async () => {
    const { runtime, calls, release } = gatedRuntime();
    const limited = limitStarts(runtime, 1);
    const underWay = limited.start(['a']);
    await settle();
    const waiting = limited.start(['b']);
    await settle();
    limited.refuseWaiting();
    await expect(waiting).rejects.toBeInstanceOf(StartLeftToNextSupervisor);
    await expect(limited.start(['c'])).rejects.toBeInstanceOf(StartLeftToNextSupervisor);
    release('a');
    await expect(underWay).resolves.toBeUndefined();
    expect(calls).toEqual([['a']]);
  });

  it('frees the turn of a start that failed', async () => {
    let calls = 0;
    const runtime = {
      start: async () => {
        calls += 1;
        if (calls === 1) throw new Error('no such container');
      },
    } as unknown as ContainerRuntime;
    const limited = limitStarts(runtime, 1);
    await expect(limited.start(['gone'])).rejects.toThrow('no such container');
    await expect(limited.start(['next'])).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
