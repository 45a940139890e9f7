/** The clock port: the engine takes time from its context, so tests run it on a fake clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
