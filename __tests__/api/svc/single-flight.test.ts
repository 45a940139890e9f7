/** singleFlight: concurrent callers share one run; its result is reused for a while, then checked again. */
import { singleFlight } from '../../../src/api/svc/single-flight.js';

test('callers at the same time share one run, and its result is reused until it is older than reuseMs', async () => {
  let clock = 0;
  let runs = 0;
  let finish: (value: string) => void = () => {};
  const check = singleFlight(
    () => {
      runs += 1;
      return new Promise<string>((resolve) => (finish = resolve));
    },
    2_000,
    () => clock,
  );
  const waiting = [check(), check(), check()];
  expect(runs).toBe(1);
  finish('first');
  expect(await Promise.all(waiting)).toEqual(['first', 'first', 'first']);
  clock = 1_999;
  expect(await check()).toBe('first');
  expect(runs).toBe(1);
  clock = 2_000;
  const again = check();
  expect(runs).toBe(2);
  finish('second');
  expect(await again).toBe('second');
});

test('a failed run is shared and reused like a success, then run again', async () => {
  let clock = 0;
  let runs = 0;
  const check = singleFlight(
    async () => {
      runs += 1;
      throw new Error(`down ${runs}`);
    },
    1_000,
    () => clock,
  );
  await expect(check()).rejects.toThrow('down 1');
  await expect(check()).rejects.toThrow('down 1');
  clock = 1_000;
  await expect(check()).rejects.toThrow('down 2');
});

test('a clock stepped back makes the result expire, not reused until the clock catches up', async () => {
  let clock = 10_000;
  let runs = 0;
  const check = singleFlight(
    async () => {
      runs += 1;
      return `run ${runs}`;
    },
    2_000,
    () => clock,
  );
  expect(await check()).toBe('run 1');
  clock = 5_000;
  expect(await check()).toBe('run 2');
  // The age counts from the new clock: within reuseMs of that run, it is reused as before.
  clock = 5_500;
  expect(await check()).toBe('run 2');
});
