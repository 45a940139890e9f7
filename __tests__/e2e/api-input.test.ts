/**
 * End to end, bad input to `svc serve` (API.md, "Common"): every refusal is the status the
 * platforms use with exactly one JSON object `{"error": "..."}` naming what was wrong, never a
 * stack trace, and leaves the state dir byte for byte as it was (state.json and events.jsonl), so
 * a refused request has changed nothing. Covers the token in each form the clients send (and the
 * forms that are not accepted), bodies that are not JSON or too large, unknown fields, wrong types,
 * values out of the CLI's range, bad policy words, unknown and ambiguous identifiers, wrong methods
 * and paths, an image that looks like a flag, and an unbalanced quote. The server sends no CORS
 * headers, whatever the request.
 *
 * One server, without a supervisor, serves the file from a state dir of its own; the services made
 * (by the CLI in the same state dir) are removed at the end.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  basicAuth,
  request,
  serve,
  shutDown,
  stateBytes,
  type ApiResponse,
  type RequestOptions,
  type Served,
} from './api-helpers.js';
import { cleanupContainers, docker, requireDocker, svc, TEST_IMAGE, uniqueName, UUID4 } from '../helpers/svc.js';

let served: Served;
/** Services made for the ambiguous-prefix case, all in the state dir before any case runs. */
const made: string[] = [];
/** The first hex digit two of them share. */
let sharedPrefix = '';

beforeAll(async () => {
  await requireDocker();
  served = await serve();
  // uuid4s begin with one of 16 hex digits: 17 services surely hold two that share it, and a few usually do.
  while (!sharedPrefix) {
    const result = await svc(['service', 'create', '-n', uniqueName('input'), TEST_IMAGE, 'sleep', '3600'], {
      home: served.home,
    });
    expect(result).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(UUID4) });
    const uuid = result.stdout.trim();
    if (made.some((other) => other[0] === uuid[0])) sharedPrefix = uuid[0];
    made.push(uuid);
    if (made.length > 17) throw new Error('17 uuid4s and no two share a first hex digit: that cannot be');
  }
});

afterAll(async () => {
  // Every workload the state dir knows, including any a request made that should have been refused.
  const events = await svc(['events', '--json'], { home: served.home });
  const known =
    events.exitCode === 0 ? (JSON.parse(events.stdout) as { workloadId: string }[]).map((e) => e.workloadId) : [];
  await shutDown(served);
  await cleanupContainers([...new Set([...made, ...known])]);
});

/** Every response, whatever the request: no CORS header lets another origin's page read it. */
const call = async (method: string, pathAndQuery: string, options: RequestOptions = {}): Promise<ApiResponse> => {
  const response = await request(served, method, pathAndQuery, options);
  const cors = [...response.headers.keys()].filter((name) => name.toLowerCase().startsWith('access-control-'));
  expect({ method, pathAndQuery, cors }).toEqual({ method, pathAndQuery, cors: [] });
  return response;
};

/**
 * Sends a request that must be refused with `status`: the body is exactly one JSON object whose one
 * field, `error`, is a message and no stack trace, and the state dir is byte for byte unchanged.
 */
const refused = async (
  status: number,
  method: string,
  pathAndQuery: string,
  options: RequestOptions = {},
): Promise<string> => {
  const before = stateBytes(served.home);
  const response = await call(method, pathAndQuery, options);
  expect({ method, pathAndQuery, status: response.status, text: response.text }).toEqual({
    method,
    pathAndQuery,
    status,
    text: response.text,
  });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  // JSON.parse of the whole text: one JSON document, and an object with the error alone.
  const body = JSON.parse(response.text);
  expect(body).toEqual({ error: expect.any(String) });
  expect(body.error).not.toBe('');
  expect(body.error).not.toContain('at /');
  expect(body.error).not.toMatch(/\.[tj]s:\d/);
  expect(body.error).not.toMatch(/\n\s+at /);
  expect(stateBytes(served.home)).toEqual(before);
  return body.error;
};

const SERVICES = '/api/app/v1/service/';
const machines = (app: string) => `/v1/apps/${app}/machines`;
const randomMachineId = () => randomBytes(7).toString('hex');
const serviceBody = (fields: Record<string, unknown> = {}) => ({
  image: TEST_IMAGE,
  name: uniqueName('input'),
  run_command: 'sleep 3600',
  ...fields,
});
const machineBody = (config: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) => ({
  config: { image: TEST_IMAGE, init: { cmd: ['sleep', '3600'] }, ...config },
  ...fields,
});

/** No container carries the name a refused create asked for. */
const noContainerNamed = async (name: string) => {
  const listed = await docker(['ps', '-aq', '--filter', `name=^/?${name}-[0-9]+$`]);
  expect(listed).toMatchObject({ exitCode: 0, stdout: '' });
};

describe('the token', () => {
  it('missing: 401 with a WWW-Authenticate challenge', async () => {
    const before = stateBytes(served.home);
    const response = await call('GET', SERVICES, { authorization: null });
    expect(response.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect(stateBytes(served.home)).toEqual(before);
    expect(await refused(401, 'GET', SERVICES, { authorization: null })).toMatch(/token/);
  });

  it.each([
    ['a wrong Bearer token', () => 'Bearer svc_wrong'],
    ['a wrong FlyV1 token', () => 'FlyV1 svc_wrong'],
    ['Basic with a wrong key', () => basicAuth('user', 'svc_wrong')],
    ['ApiKey with a wrong key', () => 'ApiKey user:svc_wrong'],
    ['the token with a wrong suffix', () => `Bearer ${served.token}x`],
    ['a prefix of the token', () => `Bearer ${served.token.slice(0, -1)}`],
  ])('%s: 401', async (_, authorization) => {
    await refused(401, 'GET', SERVICES, { authorization: authorization() });
    await refused(401, 'GET', machines('default'), { authorization: authorization() });
  });

  it.each([
    ['an unknown scheme (Token T)', () => `Token ${served.token}`],
    ['Basic of the token alone, without USER:', () => `Basic ${Buffer.from(served.token).toString('base64')}`],
    ['Basic that is not base64 of anything with a colon', () => 'Basic !!!!'],
    ['Bearer with no token', () => 'Bearer '],
    ['Bearer with a token that is not this one', () => `Bearer ${randomBytes(32).toString('hex')}`],
    ['ApiKey USER without a colon', () => 'ApiKey user'],
    ['ApiKey with the token but no USER:', () => `ApiKey ${served.token}`],
    ['the bare token, with no scheme', () => served.token],
  ])('in a form svc does not accept, %s: 401', async (_, authorization) => {
    await refused(401, 'GET', SERVICES, { authorization: authorization() });
  });

  it.each([
    ['Bearer T (Fly clients, curl)', () => `Bearer ${served.token}`],
    ['FlyV1 T (flyctl)', () => `FlyV1 ${served.token}`],
    ['Basic USER:T (the Docker Cloud and Tutum SDKs)', () => basicAuth('anyuser', served.token)],
    ['ApiKey USER:T (old Tutum)', () => `ApiKey anyuser:${served.token}`],
  ])('accepted as %s', async (_, authorization) => {
    const services = await call('GET', SERVICES, { authorization: authorization() });
    expect(services.status).toBe(200);
    expect((services.body.objects as { uuid: string }[]).map((o) => o.uuid)).toEqual(expect.arrayContaining(made));
    const flyApps = await call('GET', machines(uniqueName('noapp')), { authorization: authorization() });
    expect(flyApps.status).toBe(404);
  });

  it('health needs no token: 200, and it says the Docker engine is reachable, and nothing more (not its version)', async () => {
    const health = await call('GET', '/api/svc/v1/health', { authorization: null });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', docker: { reachable: true } });
  });
});

describe('bodies', () => {
  it('malformed JSON: 400', async () => {
    expect(await refused(400, 'POST', SERVICES, { body: '{"image":' })).toMatch(/JSON/);
    expect(
      await refused(400, 'POST', machines('default'), { body: `{"config": {"image": "${TEST_IMAGE}",}}` }),
    ).toMatch(/JSON/);
  });

  it('a body over 256 KiB: 413', async () => {
    const big = JSON.stringify(serviceBody({ run_command: `echo ${'x'.repeat(300 * 1024)}` }));
    await refused(413, 'POST', SERVICES, { body: big });
    await refused(413, 'POST', machines('default'), {
      body: JSON.stringify(machineBody({ env: { BIG: 'x'.repeat(300 * 1024) } })),
    });
  });

  it("unknown fields: 400 naming the field (DC create's 'privilegd', a Fly config key)", async () => {
    expect(await refused(400, 'POST', SERVICES, { body: serviceBody({ privilegd: true }) })).toContain('privilegd');
    expect(
      await refused(400, 'POST', machines('default'), { body: machineBody({ restart_policy: 'always' }) }),
    ).toContain('restart_policy');
    expect(await refused(400, 'POST', machines('default'), { body: machineBody({}, { skip_lunch: true }) })).toContain(
      'skip_lunch',
    );
  });

  it.each([
    ['target_num_containers as "3"', SERVICES, serviceBody({ target_num_containers: '3' }), 'target_num_containers'],
    ['memory as a string', SERVICES, serviceBody({ memory: '64' }), 'memory'],
    [
      'a container_envvars value as a number',
      SERVICES,
      serviceBody({ container_envvars: [{ key: 'A', value: 1 }] }),
      'container_envvars',
    ],
    [
      'restart.max_retries as a string',
      machines('default'),
      machineBody({ restart: { policy: 'on-failure', max_retries: '3' } }),
      'max_retries',
    ],
    ['a config.env value as a number', machines('default'), machineBody({ env: { PORT: 8080 } }), 'env'],
    ['config.init.cmd as one string', machines('default'), machineBody({ init: { cmd: 'sleep 3600' } }), 'cmd'],
  ])('a wrong type, %s: 400 naming the field', async (_, path, body, field) => {
    expect(await refused(400, 'POST', path, { body })).toContain(field);
  });

  // The CLI refuses these (`--memory`: a whole number from 6 to 16777216, exit 2); a service or machine
  // made with one could never start, as Docker refuses the size.
  it.each([
    ['DC memory -5', SERVICES, serviceBody({ memory: -5 }), 'memory'],
    ['DC memory 0', SERVICES, serviceBody({ memory: 0 }), 'memory'],
    ['DC memory above 16777216', SERVICES, serviceBody({ memory: 16777217 }), 'memory'],
    [
      'Fly config.guest.memory_mb -1',
      machines(uniqueName('flymemory')),
      machineBody({ guest: { memory_mb: -1 } }, { skip_launch: true }),
      'memory_mb',
    ],
  ])('a value out of range, %s: 400 naming the field, and nothing is created', async (_, path, body, field) => {
    expect(await refused(400, 'POST', path, { body })).toContain(field);
  });

  // The CLI's one name rule (core/names.ts): at most 63 characters, Docker's name characters. A
  // 140,000-character name once made a service whose start failed with E2BIG.
  it.each([
    ['a DC service name of 64 characters', SERVICES, serviceBody({ name: 'n'.repeat(64) }), "field 'name'"],
    ['a DC service name of 140,000 characters', SERVICES, serviceBody({ name: 'n'.repeat(140_000) }), "field 'name'"],
    [
      'a machine name of 64 characters',
      machines('default'),
      machineBody({}, { name: 'm'.repeat(64), skip_launch: true }),
      "field 'name'",
    ],
    ['an app name of 64 characters', machines('a'.repeat(64)), machineBody({}, { skip_launch: true }), 'app name'],
    [
      'a process group that reads as a flag',
      machines('default'),
      machineBody({ metadata: { fly_process_group: '--privileged' } }, { skip_launch: true }),
      'fly_process_group',
    ],
    [
      'a process group that is a path',
      machines('default'),
      machineBody({ metadata: { fly_process_group: '../../etc' } }, { skip_launch: true }),
      'fly_process_group',
    ],
  ])('%s: 400 naming the field, and nothing is created', async (_, path, body, field) => {
    expect(await refused(400, 'POST', path, { body })).toContain(field);
  });

  // Past the kernel's bound for one argument, docker could not even be run (E2BIG), reported as Docker unreachable.
  it.each([
    ['a DC run_command of 140,000 characters', SERVICES, serviceBody({ run_command: `sleep ${'1'.repeat(140_000)}` })],
    [
      'a Fly config.init.cmd of 140,000 characters',
      machines('default'),
      machineBody({ init: { cmd: ['sleep', '1'.repeat(140_000)] } }, { skip_launch: true }),
    ],
  ])('%s: 400 giving the bound, and nothing is created', async (_, path, body) => {
    expect(await refused(400, 'POST', path, { body })).toContain('at most 32000');
  });

  it('a bad policy word: 400 listing the valid ones', async () => {
    const message = await refused(400, 'POST', SERVICES, { body: serviceBody({ autorestart: 'sometimes' }) });
    expect(message).toContain('sometimes');
    expect(message).toContain('OFF, ON_FAILURE, ALWAYS');
    const fly = await refused(400, 'POST', machines('default'), {
      body: machineBody({ restart: { policy: 'sometimes' } }),
    });
    expect(fly).toMatch(/no, always, on-failure/);
  });

  it('autorestart ALWAYS with autodestroy ALWAYS: 409, and nothing is created', async () => {
    const body = serviceBody({ autorestart: 'ALWAYS', autodestroy: 'ALWAYS' });
    await refused(409, 'POST', SERVICES, { body });
    const listed = await call('GET', `${SERVICES}?name=${body.name}`);
    expect(listed.body).toMatchObject({ meta: { total_count: 0 }, objects: [] });
    await noContainerNamed(body.name);
  });

  it('an image that looks like a flag (--privileged): 400, and nothing is created', async () => {
    const body = serviceBody({ image: '--privileged' });
    expect(await refused(400, 'POST', SERVICES, { body })).toContain('--privileged');
    await noContainerNamed(body.name);
    const app = uniqueName('flyimage');
    expect(await refused(400, 'POST', machines(app), { body: machineBody({ image: '--privileged' }) })).toContain(
      '--privileged',
    );
    // Nothing was made in the app: it is still unknown.
    await refused(404, 'GET', machines(app));
  });

  it('run_command with an unbalanced quote: 400', async () => {
    expect(await refused(400, 'POST', SERVICES, { body: serviceBody({ run_command: "sh -c 'sleep 1" }) })).toMatch(
      /quote/,
    );
  });
});

describe('identifiers', () => {
  it.each([
    ['GET', ''],
    ['PATCH', ''],
    ['DELETE', ''],
    ['POST', 'start/'],
    ['POST', 'stop/'],
    ['POST', 'redeploy/'],
  ])('an unknown service uuid: %s %s is 404', async (method, action) => {
    const uuid = randomUUID();
    const message = await refused(
      404,
      method,
      `${SERVICES}${uuid}/${action}`,
      method === 'PATCH' ? { body: { autorestart: 'OFF' } } : {},
    );
    expect(message).toContain(uuid);
    // Tutum's path too.
    await refused(
      404,
      method,
      `/api/v1/service/${uuid}/${action}`,
      method === 'PATCH' ? { body: { autorestart: 'OFF' } } : {},
    );
  });

  it('an unknown machine id: 404', async () => {
    const id = randomMachineId();
    for (const [method, suffix] of [
      ['GET', ''],
      ['DELETE', '?force=true'],
      ['POST', '/start'],
      ['POST', '/stop'],
      ['GET', '/events'],
    ]) {
      expect(await refused(404, method, `${machines('default')}/${id}${suffix}`)).toContain(id);
    }
  });

  it('a prefix two services share: 404 saying more than one service has it', async () => {
    const twins = made.filter((uuid) => uuid.startsWith(sharedPrefix));
    expect(twins.length).toBeGreaterThanOrEqual(2);
    for (const [method, action] of [
      ['GET', ''],
      ['DELETE', ''],
      ['POST', 'start/'],
    ]) {
      expect(await refused(404, method, `${SERVICES}${sharedPrefix}/${action}`)).toContain(
        'More than one service has the same identifier',
      );
    }
    // The full uuid names one of them.
    const one = await call('GET', `${SERVICES}${twins[0]}/`);
    expect(one).toMatchObject({ status: 200, body: { uuid: twins[0] } });
  });
});

describe('methods and paths', () => {
  it.each([
    ['PUT', SERVICES, 'GET, POST'],
    ['POST', `${SERVICES}${randomUUID()}/`, 'GET, PATCH, DELETE'],
    ['GET', `${SERVICES}${randomUUID()}/start/`, 'POST'],
    ['DELETE', machines('default'), 'GET, POST'],
    ['PATCH', `${machines('default')}/${randomMachineId()}`, 'GET, POST, DELETE'],
    ['GET', `${machines('default')}/${randomMachineId()}/stop`, 'POST'],
    ['POST', `${machines('default')}/${randomMachineId()}/wait`, 'GET'],
  ])('a wrong method on a known path, %s %s: 405 with an Allow header', async (method, path, allowed) => {
    const before = stateBytes(served.home);
    const response = await call(method, path, { body: method === 'GET' ? undefined : {} });
    expect(response.headers.get('allow')?.split(/,\s*/).sort()).toEqual(allowed.split(', ').sort());
    expect(stateBytes(served.home)).toEqual(before);
    expect(await refused(405, method, path, { body: method === 'GET' ? undefined : {} })).toContain(method);
  });

  it.each([
    ['GET', '/nowhere'],
    ['GET', '/api/app/v1/servicez/'],
    ['POST', '/v1/apps/default/machinez'],
    ['GET', '/v2/apps/default/machines'],
  ])('an unknown path, %s %s: 404 JSON', async (method, path) => {
    await refused(404, method, path);
  });
});

describe('no CORS', () => {
  const EVIL = 'http://evil.example';

  it('a request from another origin gets no Access-Control-Allow-Origin, refused or answered', async () => {
    for (const authorization of [undefined, null]) {
      const response = await call('GET', SERVICES, { authorization, headers: { Origin: EVIL } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    const health = await call('GET', '/api/svc/v1/health', { authorization: null, headers: { Origin: EVIL } });
    expect(health.status).toBe(200);
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'Sec-Fetch-Site': 'same-site' }],
    ['an Origin of another site', { Origin: EVIL }],
    // What a sandboxed frame, a data: URL or a redirect sends: never this server's page.
    ['Origin: null', { Origin: 'null' }],
  ])(
    'a change sent by a browser for a page of another site (%s) is refused even with the token: 403',
    async (_, headers) => {
      const name = uniqueName('xsite');
      const error = await refused(403, 'POST', SERVICES, { headers, body: serviceBody({ name }) });
      expect(error).toMatch(/another origin/);
      await noContainerNamed(name);
    },
  );

  it('a text/plain body (what a form on another site can send unasked) is 415, not a request without a body', async () => {
    const name = uniqueName('plain');
    await refused(415, 'POST', SERVICES, {
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify(serviceBody({ name })),
    });
    await noContainerNamed(name);
  });

  it('the challenge names Bearer only: a Basic one would make a browser ask for and keep credentials', async () => {
    const response = await call('GET', SERVICES, { authorization: null });
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="svc"');
  });

  it.each([SERVICES, machines('default'), '/api/svc/v1/health', '/nowhere'])(
    'an OPTIONS preflight to %s is not granted',
    async (path) => {
      for (const authorization of [undefined, null]) {
        const response = await call('OPTIONS', path, {
          authorization,
          headers: {
            Origin: EVIL,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'authorization, content-type',
          },
        });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
        expect(response.headers.get('access-control-allow-methods')).toBeNull();
        expect(response.headers.get('access-control-allow-headers')).toBeNull();
      }
    },
  );
});
