/** The restart tracer's lines and memory, and the limit on the supervisor's parallel `docker start`. */
import type { ContainerRuntime } from '../../src/engine/runtime.js';
import { createRestartTracer } from '../../src/supervisor/trace.js';
import { limitStarts, StartLeftToNextSupervisor } from '../../src/supervisor/start-limit.js';

describe('createRestartTracer', () => {
  it('writes one line per restart with the first moment of each stage', () => {
    let clock = 100;
    const lines: string[] = [];
    const tracer = createRestartTracer((line) => lines.push(line), () => clock);
    tracer.mark('c1', 'seen');
    clock = 110;
    tracer.mark('c1', 'seen'); // a replayed die event: the first sighting stays
    tracer.mark('c1', 'decided');
    clock = 130;
    tracer.mark('c1', 'charged');
    tracer.done('c1', { dieAt: 90, action: 'restart' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toEqual({ containerId: 'c1', dieAt: 90, action: 'restart', seen: 100, decided: 110, charged: 130 });
  });

  it('drops the marks of an exit no restart follows, so a later restart of the same container starts afresh', () => {
    let clock = 1;
    const lines: string[] = [];
    const tracer = createRestartTracer((line) => lines.push(line), () => clock);
    tracer.mark('c1', 'seen');
    tracer.forget('c1');
    clock = 50;
    tracer.mark('c1', 'seen');
    tracer.done('c1', { dieAt: 49, action: 'restart' });
    expect(JSON.parse(lines[0]!).seen).toBe(50);
  });
});

describe('limitStarts', () => {
  const gatedRuntime = () => {
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    const runtime = {
      start: (ids: string[]) =>
        new Promise<void>((resolve) => {
          started.push(ids[0]!);
          gates.set(ids[0]!, resolve);
        }),
    } as unknown as ContainerRuntime;
    return { runtime, started, release: (id: string) => gates.get(id)!() };
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('runs at most the limit at once and lets the others in, in order, as each returns', async () => {
    const { runtime, started, release } = gatedRuntime();
    const limited = limitStarts(runtime, 2);
    const all = ['a', 'b', 'c', 'd'].map((id) => limited.start([id]));
    await settle();
    expect(started).toEqual(['a', 'b']);
    release('b');
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    release('a');
    release('c');
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    release('d');
    await Promise.all(all);
  });

  it('when the supervisor stops, the waiting starts are left to the next one; those under way finish', async () => {
    const { runtime, started, release } = gatedRuntime();
    const limited = limitStarts(runtime, 1);
    const underWay = limited.start(['a']);
    const waiting = limited.start(['b']);
    await settle();
    limited.refuseWaiting();
    await expect(waiting).rejects.toBeInstanceOf(StartLeftToNextSupervisor);
    await expect(limited.start(['c'])).rejects.toBeInstanceOf(StartLeftToNextSupervisor);
    release('a');
    await expect(underWay).resolves.toBeUndefined();
    expect(started).toEqual(['a']);
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
