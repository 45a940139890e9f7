/**
 * The Docker Cloud and Tutum APIs of `svc serve` end to end, against the real Docker engine: every
 * request is shaped as the platforms' SDKs send it (API.md; python-dockercloud's send_request):
 * `Authorization: Basic base64(DOCKERCLOUD_USER:DOCKERCLOUD_APIKEY)` with a user svc has never heard
 * of, `Content-Type: application/json` on every request, bodies of POST and PATCH as JSON, paths that
 * end in `/`, filters and paging in the query, and links followed as the server gives them
 * (resource_uri, meta.next) rather than built. What the API makes is what the CLI shows, and the
 * reverse: both run the same operations on the same state dir.
 *
 * One server (and state dir) serves the whole file, so lists hold other tests' services too: each
 * test finds its own by name, uuid or filter. No supervisor runs here (api-policy.test.ts has one):
 * containers are only started, stopped and removed by the requests themselves.
 */
import {
  cleanupContainers,
  containersWithWorkloadLabel,
  docker,
  inspectContainer,
  makeStateDir,
  requireDocker,
  svc,
  TEST_IMAGE,
  uniqueName,
  UUID4,
  type RunResult,
} from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';
import { basicAuth, request, serve, shutDown, stateBytes, type ApiResponse, type Served } from './api-helpers.js';

/** A command line as one string (run_command): exits at once on SIGTERM, so stop/ does not wait Docker's 10 s. */
const LONG_RUNNING = `sh -c 'trap "exit 0" TERM; sleep 600 & wait'`;
const LONG_RUNNING_ARGV = ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'];

/** Docker Cloud's datetime: RFC 1123 with +0000, as the CLI's parser wants it. */
const DC_DATETIME = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/;
const SERVICE_URI = /^\/api\/app\/v1\/service\/[0-9a-f-]{36}\/$/;
const CONTAINER_URI = /^\/api\/app\/v1\/container\/([0-9a-f]{64})\/$/;

let served: Served;
/** What the SDKs build from DOCKERCLOUD_USER and DOCKERCLOUD_APIKEY: any user, the token as the key. */
let sdkAuth: string;
/** Workload ids whose containers are removed after the file. */
const made: string[] = [];

beforeAll(async () => {
  await requireDocker();
  served = await serve({ home: makeStateDir() });
  sdkAuth = basicAuth('dockercloud-ci-user', served.token);
});

afterAll(async () => {
  await shutDown(served);
  await cleanupContainers(made);
});

interface SdkOptions {
  /** The JSON body (the SDK's `data`). */
  data?: unknown;
  /** Query parameters (the SDK's `params`). */
  params?: Record<string, string | number>;
  /** Another Authorization header (Tutum's ApiKey). */
  authorization?: string;
}

/**
 * A request as python-dockercloud's send_request makes it: the path stripped of slashes and given
 * one trailing `/`, the JSON content type whether there is a body or not, Basic auth, the query
 * from params.
 */
const sdk = <T = any>(
  method: string,
  path: string,
  { data, params, authorization }: SdkOptions = {},
): Promise<ApiResponse<T>> => {
  const query = params ? `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}` : '';
  return request<T>(served, method, `/${path.replace(/^\/+|\/+$/g, '')}/${query}`, {
    authorization: authorization ?? sdkAuth,
    headers: { 'Content-Type': 'application/json', 'User-Agent': 'python-dockercloud/1.0.10' },
    ...(data !== undefined ? { body: data } : {}),
  });
};

/** A request for a link the server gave (resource_uri, meta.next), followed as it is. */
const follow = <T = any>(link: string, method = 'GET'): Promise<ApiResponse<T>> =>
  request<T>(served, method, link, { authorization: sdkAuth, headers: { 'Content-Type': 'application/json' } });

const expectStatus = (response: ApiResponse, status: number) => {
  // The body in the failure message says why.
  expect({ status: response.status, body: response.body }).toMatchObject({ status });
};

/** POST service/ as `dockercloud.Service.create(...).save()` does; returns the 201's service object. */
const createService = async (fields: Record<string, unknown>, base = '/api/app/v1') => {
  const name = uniqueName('dcapi');
  const response = await sdk('POST', `${base}/service/`, {
    data: { image: TEST_IMAGE, name, run_command: LONG_RUNNING, ...fields },
  });
  expectStatus(response, 201);
  made.push(response.body.uuid);
  return response.body;
};

const startService = async (service: { resource_uri: string }) => {
  const response = await follow(`${service.resource_uri}start/`, 'POST');
  expectStatus(response, 202);
  return response.body;
};

const containerIdOf = (uri: string): string => {
  const match = CONTAINER_URI.exec(uri);
  if (!match) throw new Error(`not a container resource URI: ${uri}`);
  return match[1];
};

const ok = (result: RunResult): string => {
  expect(result).toMatchObject({ exitCode: 0 });
  return result.stdout;
};

const cli = async (args: string[]) => ok(await svc(args, { home: served.home }));

/** Every page of a list, from `first`, following meta.next until it is null (a bounded number of times). */
const allPages = async (first: string) => {
  const pages: any[] = [];
  let link: string | null = first;
  while (link !== null) {
    const response: ApiResponse = await follow(link);
    expectStatus(response, 200);
    pages.push(response.body);
    if (pages.length > response.body.meta.total_count + 1)
      throw new Error(`meta.next never became null: ${JSON.stringify(response.body.meta)}`);
    link = response.body.meta.next;
  }
  return pages;
};

const expectDcDatetimes = (object: Record<string, unknown>, fields: string[]) => {
  for (const field of fields) {
    const value = object[field];
    if (value !== null) expect({ field, value }).toEqual({ field, value: expect.stringMatching(DC_DATETIME) });
  }
};

describe('create', () => {
  test('POST service/ as the SDK sends it: 201, Not running, policy words upper case, and `svc service ps` lists it', async () => {
    const name = uniqueName('dcapi-create');
    const response = await sdk('POST', '/api/app/v1/service/', {
      data: {
        image: TEST_IMAGE,
        name,
        target_num_containers: 2,
        run_command: LONG_RUNNING,
        container_envvars: [{ key: 'GREETING', value: 'hello world' }],
        autorestart: 'on_failure',
        autodestroy: 'off',
        // Accepted and ignored: svc has no image registry to watch.
        autoredeploy: true,
      },
    });
    expectStatus(response, 201);
    made.push(response.body.uuid);
    expect(response.body).toMatchObject({
      uuid: expect.stringMatching(UUID4),
      resource_uri: `/api/app/v1/service/${response.body.uuid}/`,
      name,
      image_name: TEST_IMAGE,
      state: 'Not running',
      autorestart: 'ON_FAILURE',
      autoreplace: 'OFF',
      autodestroy: 'OFF',
      target_num_containers: 2,
      current_num_containers: 0,
      running_num_containers: 0,
      stopped_num_containers: 0,
      containers: [],
      container_envvars: [{ key: 'GREETING', value: 'hello world' }],
      stack: null,
      public_dns: null,
      started_datetime: null,
    });
    expect(await containersWithWorkloadLabel(response.body.uuid)).toEqual([]);

    // The CLI reads the same state dir.
    const [header, ...rows] = (await cli(['service', 'ps'])).trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'NAME',
      'UUID',
      'STATUS',
      '#CONTAINERS',
      'IMAGE',
      'DEPLOYED',
      'AUTORESTART',
      'RESTARTS',
    ]);
    const row = rows.map((line) => line.trim().split(/\s{2,}/)).find((cells) => cells[0] === name);
    expect(row).toBeDefined();
    expect(row![1]).toBe(response.body.uuid.slice(0, 8));
    expect(row![2]).toContain('Not running');
    expect(row).toContain(TEST_IMAGE);
    expect(row).toContain('ON_FAILURE');

    const inspected = JSON.parse(await cli(['service', 'inspect', response.body.uuid]));
    expect(inspected).toMatchObject({
      uuid: response.body.uuid,
      state: 'Not running',
      autorestart: 'ON_FAILURE',
      target_num_containers: 2,
      container_envvars: [{ key: 'GREETING', value: 'hello world' }],
    });
  });

  test('a service made with `svc service create` is in the API list, and its item says the same', async () => {
    const name = uniqueName('dcapi-cli');
    const uuid = (
      await cli(['service', 'create', '--name', name, '--autorestart', 'ALWAYS', TEST_IMAGE, ...LONG_RUNNING_ARGV])
    ).trim();
    expect(uuid).toMatch(UUID4);
    made.push(uuid);

    const listed = await sdk('GET', '/api/app/v1/service/', { params: { name } });
    expectStatus(listed, 200);
    expect(listed.body.meta).toMatchObject({ total_count: 1, next: null, previous: null });
    expect(listed.body.objects).toEqual([
      expect.objectContaining({
        uuid,
        name,
        state: 'Not running',
        autorestart: 'ALWAYS',
        image_name: TEST_IMAGE,
        resource_uri: `/api/app/v1/service/${uuid}/`,
      }),
    ]);
    // The command the CLI took as words reads back as one line a shell splits into the same words.
    expect(listed.body.objects[0].run_command).toMatch(/^sh -c (["'])trap \\?"exit 0\\?" TERM; sleep 600 & wait\1$/);
    const item = await follow(listed.body.objects[0].resource_uri);
    expectStatus(item, 200);
    expect(item.body).toEqual(listed.body.objects[0]);
  });
});

/**
 * run_command is the one string Docker Cloud's clients read and write; svc splits what it is sent
 * as a shell would (README). So the line it gives for a command must split back into the same words:
 * a client that makes a service from what it read of another runs the same command.
 */
describe('run_command', () => {
  /** Commands (of the test image's few programs) whose words a plain `join(' ')` would not give back. */
  const TRICKY_COMMANDS: [string, string[]][] = [
    ['a script of two lines', ['sh', '-c', 'echo one\necho two']],
    ['a shell operator inside one word', ['echo', 'a|b']],
    ['a backslash', ['echo', 'a\\tb']],
    ['an empty word', ['echo', 'x', '']],
    ['a word starting with #', ['echo', '#1']],
  ];

  test.each(TRICKY_COMMANDS)('read from the API and POSTed back it runs the same words: %s', async (_what, argv) => {
    const name = uniqueName('dcapi-cmd');
    const uuid = (await cli(['service', 'create', '--name', name, TEST_IMAGE, ...argv])).trim();
    made.push(uuid);
    const original = await sdk('GET', `/api/app/v1/service/${uuid}/`);
    expectStatus(original, 200);

    // What a client does to make a copy of a service: its fields, sent back.
    const copy = await sdk('POST', '/api/app/v1/service/', {
      data: { image: original.body.image_name, name: `${name}-copy`, run_command: original.body.run_command },
    });
    expectStatus(copy, 201);
    made.push(copy.body.uuid);
    const started = await startService(copy.body);
    expect((await inspectContainer(containerIdOf(started.containers[0]))).Config.Cmd).toEqual(argv);
    expect(copy.body.run_command).toBe(original.body.run_command);
  });
});

describe('lists', () => {
  let services: any[];

  beforeAll(async () => {
    services = [await createService({}), await createService({}), await createService({})];
    services[1] = await startService(services[1]);
  });

  test('the envelope has meta {limit, offset, next, previous, total_count} and objects', async () => {
    const response = await sdk('GET', '/api/app/v1/service/');
    expectStatus(response, 200);
    expect(Object.keys(response.body).sort()).toEqual(['meta', 'objects']);
    expect(Object.keys(response.body.meta).sort()).toEqual(['limit', 'next', 'offset', 'previous', 'total_count']);
    expect(response.body.meta).toMatchObject({ offset: 0, previous: null, total_count: response.body.objects.length });
    expect(response.body.meta.total_count).toBeGreaterThanOrEqual(3);
    expect(response.body.objects.map((s: any) => s.uuid)).toEqual(expect.arrayContaining(services.map((s) => s.uuid)));
  });

  test('limit=1: following meta.next visits every service once and ends with next null; later pages link back with previous', async () => {
    const pages = await allPages('/api/app/v1/service/?limit=1');
    const total = pages[0].meta.total_count;
    expect(total).toBeGreaterThanOrEqual(3);
    expect(pages).toHaveLength(total);
    pages.forEach((page, index) => {
      expect(page.objects).toHaveLength(1);
      expect(page.meta).toMatchObject({ limit: 1, offset: index, total_count: total });
      if (index === 0) expect(page.meta.previous).toBeNull();
      else expect(page.meta.previous).toEqual(expect.stringMatching(/^\/api\/app\/v1\/service\/\?/));
      if (index === total - 1) expect(page.meta.next).toBeNull();
      else expect(page.meta.next).toEqual(expect.any(String));
    });
    const uuids = pages.map((page) => page.objects[0].uuid);
    expect(new Set(uuids).size).toBe(total);
    expect(uuids).toEqual(expect.arrayContaining(services.map((s) => s.uuid)));

    // previous of page 2 is page 1, exactly.
    const back = await follow(pages[1].meta.previous);
    expect(back.body.objects[0].uuid).toBe(uuids[0]);
  });

  test('paging keeps the filters: state=Not running, limit=1, followed to the end', async () => {
    const pages = await allPages(`/api/app/v1/service/?${new URLSearchParams({ state: 'Not running', limit: '1' })}`);
    const objects = pages.flatMap((page) => page.objects);
    expect(objects.length).toBe(pages[0].meta.total_count);
    expect(objects.every((s) => s.state === 'Not running')).toBe(true);
    expect(objects.map((s) => s.uuid)).toEqual(expect.arrayContaining([services[0].uuid, services[2].uuid]));
    expect(objects.map((s) => s.uuid)).not.toContain(services[1].uuid);
  });

  test('filters the SDK sends: uuid__startswith, name, state, stack and stack__name', async () => {
    const list = async (params: Record<string, string>) => {
      const response = await sdk('GET', '/api/app/v1/service/', { params });
      expectStatus(response, 200);
      return response.body;
    };
    const uuidsOf = (body: any) => body.objects.map((s: any) => s.uuid);
    const [first, running, third] = services;

    expect(uuidsOf(await list({ uuid__startswith: first.uuid.slice(0, 13) }))).toEqual([first.uuid]);
    expect(uuidsOf(await list({ name: third.name }))).toEqual([third.uuid]);

    const notRunning = uuidsOf(await list({ state: 'Not running' }));
    expect(notRunning).toEqual(expect.arrayContaining([first.uuid, third.uuid]));
    expect(notRunning).not.toContain(running.uuid);
    const runningOnes = await list({ state: 'Running' });
    expect(uuidsOf(runningOnes)).toContain(running.uuid);
    expect(runningOnes.objects.every((s: any) => s.state === 'Running')).toBe(true);
    expect(uuidsOf(await list({ name: running.name, state: 'Running' }))).toEqual([running.uuid]);
    expect(uuidsOf(await list({ name: running.name, state: 'Not running' }))).toEqual([]);

    // svc has no stacks: asking for one finds nothing, with an envelope the SDK can page.
    const stackFilters: Record<string, string>[] = [
      { stack: '/api/app/v1/stack/8e3e3b15-0b8b-4d4c-9f0a-1c2d3e4f5a6b/' },
      { stack__name: 'production' },
    ];
    for (const params of stackFilters) {
      expect(await list(params)).toEqual({
        meta: { limit: expect.any(Number), offset: 0, next: null, previous: null, total_count: 0 },
        objects: [],
      });
    }
  });

  test('GET item by uuid with and without the trailing slash; resource_uri is the item path and following it works', async () => {
    const running = services[1];
    const withSlash = await request(served, 'GET', `/api/app/v1/service/${running.uuid}/`, { authorization: sdkAuth });
    const withoutSlash = await request(served, 'GET', `/api/app/v1/service/${running.uuid}`, {
      authorization: sdkAuth,
    });
    expectStatus(withSlash, 200);
    expectStatus(withoutSlash, 200);
    expect(withoutSlash.body).toEqual(withSlash.body);
    expect(withSlash.body.resource_uri).toBe(`/api/app/v1/service/${running.uuid}/`);
    expect(withSlash.body.resource_uri).toMatch(SERVICE_URI);
    expect((await follow(withSlash.body.resource_uri)).body).toEqual(withSlash.body);
    const listedWithoutSlash = await request(served, 'GET', `/api/app/v1/service?name=${running.name}`, {
      authorization: sdkAuth,
    });
    expectStatus(listedWithoutSlash, 200);
    expect(listedWithoutSlash.body.objects).toEqual([withSlash.body]);

    // containers are links to the container objects.
    expect(withSlash.body.containers).toEqual([expect.stringMatching(CONTAINER_URI)]);
    const container = await follow(withSlash.body.containers[0]);
    expectStatus(container, 200);
    expect(container.body).toMatchObject({
      resource_uri: withSlash.body.containers[0],
      service: running.resource_uri,
      state: 'Running',
    });

    // Dates: RFC 1123 with +0000, or null.
    const dates = ['deployed_datetime', 'started_datetime', 'stopped_datetime', 'destroyed_datetime'];
    expectDcDatetimes(withSlash.body, dates);
    expect(withSlash.body.deployed_datetime).toMatch(DC_DATETIME);
    expect(withSlash.body.started_datetime).toMatch(DC_DATETIME);
    expectDcDatetimes(services[0], dates);
    expectDcDatetimes(container.body, ['deployed_datetime', 'started_datetime']);
  });

  test('an unknown uuid is a 404 with a JSON error', async () => {
    const response = await sdk('GET', '/api/app/v1/service/00000000-0000-4000-8000-000000000000/');
    expectStatus(response, 404);
    expect(response.body).toEqual({ error: expect.stringContaining('00000000-0000-4000-8000-000000000000') });
  });
});

describe('actions', () => {
  test('start/, stop/, redeploy/?reuse_volumes=False, PATCH target_num_containers then scale/, and DELETE drive the real containers', async () => {
    const service = await createService({ container_envvars: [{ key: 'GREETING', value: 'hello world' }] });
    const { uuid, name } = service;

    // start/: 202 and a Running container, made as svc makes them.
    const started = await startService(service);
    expect(started).toMatchObject({ uuid, state: 'Running', current_num_containers: 1, running_num_containers: 1 });
    expect(started.started_datetime).toMatch(DC_DATETIME);
    expect(started.containers).toEqual([expect.stringMatching(CONTAINER_URI)]);
    const firstId = containerIdOf(started.containers[0]);
    const first = await inspectContainer(firstId);
    expect(first.State.Running).toBe(true);
    expect(first.Name).toBe(`/${name}-1`);
    expect(first.Config.Labels).toMatchObject({
      'io.svc.managed': 'true',
      'io.svc.workload': uuid,
      'io.svc.instance': '1',
    });
    expect(first.HostConfig.RestartPolicy.Name).toBe('no');
    // run_command, one string, became the words a shell would make of it.
    expect(first.Config.Cmd).toEqual(LONG_RUNNING_ARGV);
    expect(first.Config.Env).toContain('GREETING=hello world');

    // stop/
    const stopped = await follow(`${service.resource_uri}stop/`, 'POST');
    expectStatus(stopped, 202);
    // svc stops before it answers: the 202's object is already Stopped, and so is the item.
    expect(stopped.body).toMatchObject({
      state: 'Stopped',
      running_num_containers: 0,
      stopped_num_containers: 1,
      containers: started.containers,
    });
    const stoppedView = (await follow(service.resource_uri)).body;
    expect(stoppedView).toMatchObject({ state: 'Stopped', containers: started.containers });
    expect(stoppedView.stopped_datetime).toMatch(DC_DATETIME);
    expect((await inspectContainer(firstId)).State.Running).toBe(false);

    // start/ again, then redeploy/: fresh containers from the same spec.
    await startService(service);
    const redeployed = await follow(`${service.resource_uri}redeploy/?reuse_volumes=False`, 'POST');
    expectStatus(redeployed, 202);
    expect(redeployed.body).toMatchObject({
      uuid,
      state: 'Running',
      containers: [expect.stringMatching(CONTAINER_URI)],
    });
    const secondId = containerIdOf(redeployed.body.containers[0]);
    expect(secondId).not.toBe(firstId);
    expect(await inspectContainer(firstId)).toBeNull();
    const second = await inspectContainer(secondId);
    expect(second.State.Running).toBe(true);
    expect(second.Name).toBe(`/${name}-1`);

    // PATCH target_num_containers, then scale/, as the SDK's save() and scale() do.
    const patched = await sdk('PATCH', service.resource_uri, { data: { target_num_containers: 2 } });
    expectStatus(patched, 200);
    expect(patched.body.target_num_containers).toBe(2);
    const scaled = await sdk('POST', `${service.resource_uri}scale/`);
    expectStatus(scaled, 202);
    expect(scaled.body).toMatchObject({
      target_num_containers: 2,
      current_num_containers: 2,
      running_num_containers: 2,
      state: 'Running',
    });
    expect(scaled.body.containers).toHaveLength(2);
    expect(scaled.body.containers).toContain(redeployed.body.containers[0]);
    const labelled = await containersWithWorkloadLabel(uuid);
    expect(labelled).toHaveLength(2);
    const names = (await Promise.all(labelled.map(inspectContainer)))
      .filter((c) => c.State.Running)
      .map((c) => c.Name)
      .sort();
    expect(names).toEqual([`/${name}-1`, `/${name}-2`]);

    // DELETE: 202, Terminated, the containers gone from Docker.
    const deleted = await sdk('DELETE', service.resource_uri);
    expectStatus(deleted, 202);
    expect(deleted.body).toMatchObject({ uuid, state: 'Terminated', containers: [] });
    expect(await containersWithWorkloadLabel(uuid)).toEqual([]);
    const afterwards = await follow(service.resource_uri);
    expectStatus(afterwards, 200);
    expect(afterwards.body.state).toBe('Terminated');
    expect(afterwards.body.destroyed_datetime).toMatch(DC_DATETIME);
    expect(JSON.parse(await cli(['service', 'inspect', uuid])).state).toBe('Terminated');
  });

  test('PATCH of policy words changes them as `service set` does; PATCH of image is a 400 naming what PATCH can change', async () => {
    const service = await createService({ autorestart: 'OFF' });
    const patched = await sdk('PATCH', service.resource_uri, {
      data: { autorestart: 'always', autoreplace: 'on_failure' },
    });
    expectStatus(patched, 200);
    expect(patched.body).toMatchObject({
      uuid: service.uuid,
      autorestart: 'ALWAYS',
      autoreplace: 'ON_FAILURE',
      autodestroy: 'OFF',
    });
    expect(JSON.parse(await cli(['service', 'inspect', service.uuid]))).toMatchObject({
      autorestart: 'ALWAYS',
      autoreplace: 'ON_FAILURE',
      autodestroy: 'OFF',
    });
    // Only the fields sent change.
    const again = await sdk('PATCH', service.resource_uri, { data: { autoreplace: 'OFF' } });
    expectStatus(again, 200);
    expect(again.body).toMatchObject({ autorestart: 'ALWAYS', autoreplace: 'OFF', autodestroy: 'OFF' });

    const before = stateBytes(served.home);
    const refused = await sdk('PATCH', service.resource_uri, { data: { image: 'svc-busybox:other' } });
    expectStatus(refused, 400);
    expect(refused.body.error).toContain('image');
    expect(refused.body.error).toMatch(/PATCH changes autorestart, autoreplace, autodestroy and target_num_containers/);
    expect(stateBytes(served.home)).toEqual(before);
    expect((await follow(service.resource_uri)).body).toMatchObject({ image_name: TEST_IMAGE, autorestart: 'ALWAYS' });
  });

  test('an unknown policy word is a 400 that lists the valid words, and nothing changes', async () => {
    const service = await createService({});
    const before = stateBytes(served.home);
    const refused = await sdk('PATCH', service.resource_uri, { data: { autorestart: 'SOMETIMES' } });
    expectStatus(refused, 400);
    expect(refused.body.error).toMatch(/autorestart/);
    expect(refused.body.error).toMatch(/OFF.*ON_FAILURE.*ALWAYS/);
    expect(stateBytes(served.home)).toEqual(before);
  });
});

describe('other ways in', () => {
  test('the namespace form /api/app/v1/<namespace>/service/ lists, creates and serves items', async () => {
    const service = await createService({}, '/api/app/v1/my-team');
    expect(service).toMatchObject({ state: 'Not running' });
    expect(service.resource_uri).toMatch(SERVICE_URI);
    const listed = await sdk('GET', '/api/app/v1/my-team/service/', { params: { name: service.name } });
    expectStatus(listed, 200);
    expect(listed.body.objects.map((s: any) => s.uuid)).toEqual([service.uuid]);
    const item = await sdk('GET', `/api/app/v1/my-team/service/${service.uuid}/`);
    expectStatus(item, 200);
    expect(item.body.uuid).toBe(service.uuid);
    // An action without the trailing slash (curl in a CI script) is the same action.
    const started = await request(served, 'POST', `/api/app/v1/my-team/service/${service.uuid}/start`, {
      authorization: sdkAuth,
    });
    expectStatus(started, 202);
    expect(started.body.state).toBe('Running');
  });

  test("Tutum: /api/v1/ paths and links, `autoreplace`, the field spelled 'auto restart', ApiKey auth, GET /api/v1/auth/", async () => {
    const tutumAuth = `ApiKey tutum-user:${served.token}`;
    const auth = await sdk('GET', '/api/v1/auth/', { authorization: tutumAuth });
    expectStatus(auth, 200);
    expect(auth.body).toEqual(expect.any(Object));
    expect(Array.isArray(auth.body)).toBe(false);
    // The Basic form works there too.
    expectStatus(await sdk('GET', '/api/v1/auth/'), 200);

    const name = uniqueName('tutum');
    const created = await sdk('POST', '/api/v1/service/', {
      authorization: tutumAuth,
      data: {
        image: TEST_IMAGE,
        name,
        run_command: LONG_RUNNING,
        'auto restart': 'on_failure',
        autoreplace: 'on_failure',
      },
    });
    expectStatus(created, 201);
    made.push(created.body.uuid);
    expect(created.body).toMatchObject({
      name,
      state: 'Not running',
      autorestart: 'ON_FAILURE',
      autoreplace: 'ON_FAILURE',
      resource_uri: `/api/v1/service/${created.body.uuid}/`,
    });

    const started = await request(served, 'POST', `${created.body.resource_uri}start/`, { authorization: tutumAuth });
    expectStatus(started, 202);
    expect(started.body.containers).toEqual([expect.stringMatching(/^\/api\/v1\/container\/[0-9a-f]{64}\/$/)]);
    const container = await request(served, 'GET', started.body.containers[0], { authorization: tutumAuth });
    expectStatus(container, 200);
    expect(container.body).toMatchObject({
      service: created.body.resource_uri,
      node: expect.stringMatching(/^\/api\/v1\/node\/[0-9a-f-]{36}\/$/),
    });
    const node = await request(served, 'GET', container.body.node, { authorization: tutumAuth });
    expectStatus(node, 200);

    const listed = await request(served, 'GET', `/api/v1/service/?name=${name}`, { authorization: tutumAuth });
    expect(listed.body.objects).toEqual([
      expect.objectContaining({ uuid: created.body.uuid, resource_uri: created.body.resource_uri }),
    ]);

    // 'auto restart' and autorestart that disagree: refused, naming both.
    const conflicting = await sdk('POST', '/api/v1/service/', {
      data: { image: TEST_IMAGE, name: uniqueName('tutum'), autorestart: 'ALWAYS', 'auto restart': 'OFF' },
    });
    expectStatus(conflicting, 400);
    expect(conflicting.body.error).toMatch(/auto restart/);
  });

  test('without the token, or with a wrong key, the API answers 401 with a JSON error', async () => {
    for (const authorization of [
      null,
      basicAuth('dockercloud-ci-user', 'not-the-key'),
      `ApiKey tutum-user:not-the-key`,
    ]) {
      const response = await request(served, 'GET', '/api/app/v1/service/', { authorization });
      expectStatus(response, 401);
      expect(response.body).toEqual({ error: expect.any(String) });
    }
  });
});

describe('containers, stacks and nodes', () => {
  test('container/ lists the containers with the fields `container ps` reads; ?service=<resource uri> filters; items by uuid', async () => {
    const service = await startService(await createService({ target_num_containers: 2 }));
    expect(service.containers).toHaveLength(2);
    const other = await startService(await createService({}));

    const listed = await sdk('GET', '/api/app/v1/container/', { params: { service: service.resource_uri } });
    expectStatus(listed, 200);
    expect(listed.body.meta).toMatchObject({ total_count: 2, next: null, previous: null, offset: 0 });
    const nodes = await sdk('GET', '/api/infra/v1/node/');
    const nodeUri = nodes.body.objects[0].resource_uri;
    const containers = [...listed.body.objects].sort((a: any, b: any) => a.name.localeCompare(b.name));
    containers.forEach((container: any, index: number) => {
      expect(container).toMatchObject({
        name: `${service.name}-${index + 1}`,
        uuid: expect.stringMatching(/^[0-9a-f]{64}$/),
        state: 'Running',
        image_name: TEST_IMAGE,
        run_command: expect.stringContaining('sleep 600'),
        exit_code: null,
        deployed_datetime: expect.stringMatching(DC_DATETIME),
        container_ports: [],
        public_dns: null,
        node: nodeUri,
        service: service.resource_uri,
        resource_uri: `/api/app/v1/container/${container.uuid}/`,
      });
    });
    expect(containers.map((c: any) => c.resource_uri).sort()).toEqual([...service.containers].sort());
    expect(listed.body.objects.map((c: any) => c.uuid)).not.toContain(containerIdOf(other.containers[0]));

    // The whole list has both services' containers.
    const all = await sdk('GET', '/api/app/v1/container/', { params: { limit: 1000 } });
    expect(all.body.objects.map((c: any) => c.resource_uri)).toEqual(
      expect.arrayContaining([...service.containers, ...other.containers]),
    );

    // An item, by its uuid with and without the slash.
    const [one] = containers;
    for (const path of [`/api/app/v1/container/${one.uuid}/`, `/api/app/v1/container/${one.uuid}`]) {
      const item = await request(served, 'GET', path, { authorization: sdkAuth });
      expectStatus(item, 200);
      expect(item.body).toEqual(one);
    }
    expect((await inspectContainer(one.uuid)).Name).toBe(`/${one.name}`);
  });

  test('stack/ is an empty list; /api/infra/v1/node/ is this host, with its Docker version', async () => {
    const stacks = await sdk('GET', '/api/app/v1/stack/');
    expectStatus(stacks, 200);
    expect(stacks.body).toEqual({
      meta: { limit: expect.any(Number), offset: 0, next: null, previous: null, total_count: 0 },
      objects: [],
    });

    const nodes = await sdk('GET', '/api/infra/v1/node/');
    expectStatus(nodes, 200);
    expect(nodes.body.meta).toMatchObject({ total_count: 1, next: null, previous: null });
    expect(nodes.body.objects).toHaveLength(1);
    const version = (await docker(['version', '--format', '{{.Server.Version}}'])).stdout.trim();
    const [node] = nodes.body.objects;
    expect(node).toMatchObject({
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      docker_version: version,
      resource_uri: `/api/infra/v1/node/${node.uuid}/`,
    });
    const item = await follow(node.resource_uri);
    expectStatus(item, 200);
    expect(item.body.uuid).toBe(node.uuid);
  });
});

/** Reads a server-sent events response as it arrives: its comment lines and its `data:` messages, parsed. */
const readEventStream = (response: Response) => {
  const comments: string[] = [];
  const messages: any[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body!.getReader();
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('data: ')) messages.push(JSON.parse(line.slice('data: '.length)));
          }
        }
      }
    } catch {
      // aborted by the test: the stream is closed
    }
  })();
  return { comments, messages, closed: pump };
};

describe("svc's events", () => {
  test("/api/svc/v1/events/ lists the events as JSON; ?workload=<uuid> gives only that service's", async () => {
    const first = await startService(await createService({}));
    const second = await createService({});

    const all = await sdk('GET', '/api/svc/v1/events/');
    expectStatus(all, 200);
    expect(Array.isArray(all.body)).toBe(true);
    expect(all.body.map((e: any) => e.workloadId)).toEqual(expect.arrayContaining([first.uuid, second.uuid]));

    const own = await sdk('GET', '/api/svc/v1/events/', { params: { workload: first.uuid } });
    expectStatus(own, 200);
    expect(own.body.length).toBeGreaterThanOrEqual(2);
    expect(own.body.every((e: any) => e.workloadId === first.uuid)).toBe(true);
    expect(own.body.map((e: any) => e.action)).toEqual(expect.arrayContaining(['create', 'start']));
    expect(own.body[0]).toMatchObject({
      workloadName: first.name,
      source: 'user',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  test('/api/svc/v1/events/stream/ sends a `data: {...}` line for an action as it happens, until the client closes it', async () => {
    const service = await createService({});
    const controller = new AbortController();
    const response = await fetch(`${served.url}/api/svc/v1/events/stream/?workload=${service.uuid}`, {
      headers: { Authorization: sdkAuth, Accept: 'text/event-stream' },
      signal: controller.signal,
    });
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const stream = readEventStream(response);
      // The opening comment is written once the server follows the log: what happens after it is sent.
      await waitFor('the stream to open', async () => stream.comments.length > 0);

      // Another service's action first: the filter leaves it out.
      const other = await createService({});
      await startService(service);
      const event = await waitFor('the start event on the stream', async () =>
        stream.messages.find((e) => e.action === 'start'),
      );
      expect(event).toMatchObject({
        workloadId: service.uuid,
        workloadName: service.name,
        action: 'start',
        source: 'user',
      });
      expect(stream.messages.map((e) => e.workloadId)).not.toContain(other.uuid);
      expect(stream.messages.every((e) => e.workloadId === service.uuid)).toBe(true);
    } finally {
      controller.abort();
    }
    // The server still answers once the stream is gone.
    expectStatus(await sdk('GET', '/api/svc/v1/events/'), 200);
  });
});
