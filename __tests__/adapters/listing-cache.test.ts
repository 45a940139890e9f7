/**
 * The server's container listing: reused while Docker reports no change, shared by concurrent
 * callers, and never reused while Docker's event stream is down or after this process changed a
 * container. A fake runtime counts the listings asked of Docker.
 */
import { withListingCache } from '../../src/adapters/listing-cache.js';
import type { ContainerEvent, ContainerRuntime, ContainerSummary } from '../../src/engine/ports/runtime.js';

const summary = (id: string): ContainerSummary => ({
  id,
  name: id,
  image: 'img',
  command: '',
  state: 'running',
  status: 'Up',
  exitCode: null,
  createdAt: '',
  labels: {},
});

const fakeRuntime = () => {
  let listings = 0;
  let containers = [summary('a')];
  let emit: ((event: ContainerEvent) => void) | null = null;
  let endStream: (() => void) | null = null;
  const runtime = {
    listManaged: async () => {
      listings += 1;
      return [...containers];
    },
    events: (_since: number | null, onEvent: (event: ContainerEvent) => void) => {
      emit = onEvent;
      const done = new Promise<{ exitCode: number; stderr: string }>(
        (resolve) => (endStream = () => resolve({ exitCode: 1, stderr: 'gone' })),
      );
      return { done, stop: () => endStream?.() };
    },
    start: async () => {},
    stop: async () => {},
    create: async () => 'new',
    remove: async () => {},
    kill: async () => {},
  } as unknown as ContainerRuntime;
  return {
    runtime,
    listings: () => listings,
    setContainers: (ids: string[]) => (containers = ids.map(summary)),
    event: () => emit?.({ action: 'die', containerId: 'a', attributes: {}, exitCode: 1, time: 0 }),
    endStream: () => endStream?.(),
  };
};

const flush = () => new Promise((resolve) => setImmediate(resolve));

test('a second listing with no change in between is the first one; Docker is asked once', async () => {
  const fake = fakeRuntime();
  const cached = withListingCache(fake.runtime);
  expect(await cached.listManaged()).toEqual([summary('a')]);
  expect(await cached.listManaged()).toEqual([summary('a')]);
  expect(fake.listings()).toBe(1);
  cached.close();
});

test('concurrent callers share one listing in flight', async () => {
  const fake = fakeRuntime();
  const cached = withListingCache(fake.runtime);
  const all = await Promise.all(Array.from({ length: 20 }, () => cached.listManaged()));
  expect(all.every((listing) => listing.length === 1)).toBe(true);
  expect(fake.listings()).toBe(1);
  cached.close();
});

test("an event from Docker's stream makes the next listing ask Docker again", async () => {
  const fake = fakeRuntime();
  const cached = withListingCache(fake.runtime);
  await cached.listManaged();
  fake.setContainers(['a', 'b']);
  fake.event();
  expect((await cached.listManaged()).map((c) => c.id)).toEqual(['a', 'b']);
  expect(fake.listings()).toBe(2);
  cached.close();
});

test.each(['start', 'stop', 'create', 'remove'] as const)(
  'a %s by this process makes the next listing ask Docker again',
  async (verb) => {
    const fake = fakeRuntime();
    const cached = withListingCache(fake.runtime);
    await cached.listManaged();
    await (cached[verb] as (...args: unknown[]) => Promise<unknown>)(['a']);
    await cached.listManaged();
    expect(fake.listings()).toBe(2);
    cached.close();
  },
);

test('a listing older than the maximum age is asked again', async () => {
  const fake = fakeRuntime();
  let now = 1_000_000;
  const cached = withListingCache(fake.runtime, { maxAgeMs: 5_000, now: () => now });
  await cached.listManaged();
  now += 4_999;
  await cached.listManaged();
  expect(fake.listings()).toBe(1);
  now += 2;
  await cached.listManaged();
  expect(fake.listings()).toBe(2);
  cached.close();
});

test('while the event stream is down nothing is reused, and it is watched again after a pause', async () => {
  const fake = fakeRuntime();
  let now = 1_000_000;
  const cached = withListingCache(fake.runtime, { now: () => now });
  await cached.listManaged();
  fake.endStream();
  await flush();
  await cached.listManaged();
  await cached.listManaged();
  expect(fake.listings()).toBe(3);
  now += 1_001;
  await cached.listManaged(); // watches again; this listing is fresh
  await cached.listManaged(); // and this one reuses it
  expect(fake.listings()).toBe(4);
  cached.close();
});

test('a failed listing is not kept', async () => {
  const fake = fakeRuntime();
  let fail = true;
  const runtime = {
    ...fake.runtime,
    listManaged: async () => (fail ? Promise.reject(new Error('docker down')) : fake.runtime.listManaged()),
  };
  const cached = withListingCache(runtime);
  await expect(cached.listManaged()).rejects.toThrow('docker down');
  fail = false;
  expect(await cached.listManaged()).toEqual([summary('a')]);
  cached.close();
});
