/**
 * Where a restart's time goes, for the benchmark (SVC_SUPERVISOR_TRACE=FILE): for each restart the
 * supervisor carries out, the moments it saw the die event, wrote its decision, asked for `docker
 * start` (`asked`: the start may then wait its turn, start-limit.ts), saw the start return, and
 * charged it; one JSON line each. Off, it costs one check per stage.
 */
export type TraceStage = 'seen' | 'decided' | 'asked' | 'returned' | 'charged';

export interface RestartTracer {
  mark(containerId: string, stage: TraceStage): void;
  /** The restart of this container is done: its line is written. */
  done(containerId: string, facts: { dieAt: number; action: string }): void;
  /** No restart follows (left stopped, replaced, gone): its marks are dropped, not kept for ever. */
  forget(containerId: string): void;
}

export const NO_TRACE: RestartTracer = { mark: () => {}, done: () => {}, forget: () => {} };

export const createRestartTracer = (write: (line: string) => void, now: () => number = Date.now): RestartTracer => {
  const marks = new Map<string, Partial<Record<TraceStage, number>>>();
  return {
    mark: (containerId, stage) => {
      const entry = marks.get(containerId) ?? {};
      // The first sighting counts: a replayed die event seen again changes nothing.
      if (entry[stage] === undefined) entry[stage] = now();
      marks.set(containerId, entry);
    },
    done: (containerId, facts) => {
      const entry = marks.get(containerId) ?? {};
      marks.delete(containerId);
      write(`${JSON.stringify({ containerId, ...facts, ...entry })}\n`);
    },
    forget: (containerId) => void marks.delete(containerId),
  };
};
