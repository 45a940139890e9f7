/**
 * A policy changed over the Docker Cloud API reaches a container that is crashing right now: PATCH
 * on a service is `svc service set`, and the state dir's supervisor (started by the server's
 * operations, as a user's command would start it) applies the new words to the next exit. Real
 * containers, a real supervisor reconciling every 2 s, short crash commands.
 *
 * A check that something did not happen (no restart after autorestart OFF) first waits for the
 * positive sign that the supervisor had its chance: its `leave-stopped` judgement of an exit after
 * the PATCH, then a reconcile pass.
 */
import {
  cleanupContainers,
  inspectContainer,
  makeStateDir,
  requireDocker,
  svc,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';
import { basicAuth, request, serve, shutDown, workloadWritten, type ApiResponse, type Served } from './api-helpers.js';
import { reconciled } from './supervisor-helpers.js';

/** Runs a second, then fails: the supervisor sees an exit 1 about once a second. */
const CRASHING = `sh -c 'sleep 1; exit 1'`;
const CONTAINER_URI = /^\/api\/app\/v1\/container\/([0-9a-f]{64})\/$/;

interface SvcEvent {
  time: string;
  action: string;
  reason: string;
  source: 'user' | 'supervisor';
  exitCode: number | null;
  containerId: string | null;
}

let served: Served;
let auth: string;
const made: string[] = [];

beforeAll(async () => {
  await requireDocker();
  served = await serve({ home: makeStateDir(), supervisor: true, env: { SVC_RECONCILE_MS: '2000' } });
  auth = basicAuth('dockercloud-ci-user', served.token);
});

afterAll(async () => {
  // The supervisor first (shutDown stops it), so no crash loop outlives the file.
  await shutDown(served);
  await cleanupContainers(made);
});

/** As python-dockercloud sends it: Basic auth, the JSON content type on every request. */
const dc = <T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> =>
  request<T>(served, method, path, {
    authorization: auth,
    headers: { 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body } : {}),
  });

const expectStatus = (response: ApiResponse, status: number) =>
  expect({ status: response.status, body: response.body }).toMatchObject({ status });

const createService = async (fields: Record<string, unknown>) => {
  const response = await dc('POST', '/api/app/v1/service/', {
    image: TEST_IMAGE,
    name: uniqueName('dcpolicy'),
    run_command: CRASHING,
    ...fields,
  });
  expectStatus(response, 201);
  made.push(response.body.uuid);
  return response.body;
};

const startService = async (service: { resource_uri: string }) => {
  const response = await dc('POST', `${service.resource_uri}start/`);
  expectStatus(response, 202);
  return response.body;
};

const getService = async (service: { resource_uri: string }) => {
  const response = await dc('GET', service.resource_uri);
  expectStatus(response, 200);
  return response.body;
};

const containerIdOf = (uri: string): string => {
  const match = CONTAINER_URI.exec(uri);
  if (!match) throw new Error(`not a container resource URI: ${uri}`);
  return match[1];
};

/** The supervisor's decisions about a service, as `svc events ID --json` lists them. */
const supervisorEvents = async (uuid: string): Promise<SvcEvent[]> => {
  const result = await svc(['events', uuid, '--json'], { home: served.home });
  expect(result).toMatchObject({ exitCode: 0 });
  return (JSON.parse(result.stdout) as SvcEvent[]).filter((e) => e.source === 'supervisor');
};

const at = (event: SvcEvent) => Date.parse(event.time);

test('PATCH autorestart OFF on a service the supervisor keeps restarting: the next crash leaves it Stopped', async () => {
  const service = await createService({ autorestart: 'ON_FAILURE' });
  await startService(service);
  // The server's create started the state dir's supervisor, as `svc service run` would.
  const status = JSON.parse((await svc(['daemon', 'status', '--json'], { home: served.home })).stdout);
  expect(status).toMatchObject({ running: true, pid: expect.any(Number) });
  // The count is charged once a restart is done: it says the container really was started again.
  await waitFor('two restarts by the supervisor', async () => (await getService(service)).restarts >= 2, 15_000);
  const restarts = (await supervisorEvents(service.uuid)).filter((e) => e.action === 'restart');
  expect(restarts.length).toBeGreaterThanOrEqual(2);
  expect(restarts[0].reason).toContain('exit code 1');

  const patchedAt = Date.now();
  const patched = await dc('PATCH', service.resource_uri, { autorestart: 'off' });
  expectStatus(patched, 200);
  expect(patched.body).toMatchObject({ autorestart: 'OFF', autoreplace: 'OFF', autodestroy: 'OFF' });
  const inspected = JSON.parse((await svc(['service', 'inspect', service.uuid], { home: served.home })).stdout);
  expect(inspected).toMatchObject({ autorestart: 'OFF' });

  // Under ON_FAILURE every exit 1 is restarted: a leave-stopped is the new policy at work.
  const left = await waitFor(
    'the supervisor to leave an exit after the PATCH stopped',
    async () => (await supervisorEvents(service.uuid)).find((e) => e.action === 'leave-stopped' && at(e) >= patchedAt),
    15_000,
  );
  expect(left.exitCode).toBe(1);

  const afterExit = await getService(service);
  expect(afterExit).toMatchObject({
    state: 'Stopped',
    autorestart: 'OFF',
    running_num_containers: 0,
    stopped_num_containers: 1,
  });
  const containerId = containerIdOf(afterExit.containers[0]);
  const container = await dc('GET', afterExit.containers[0]);
  expect(container.body).toMatchObject({ state: 'Stopped', exit_code: 1 });

  // A reconcile pass later, still nothing: no restart after the judgement, the count unchanged.
  await reconciled(served.home, service.uuid);
  const later = await getService(service);
  expect(later).toMatchObject({ state: 'Stopped', restarts: afterExit.restarts, containers: afterExit.containers });
  expect((await supervisorEvents(service.uuid)).filter((e) => e.action === 'restart' && at(e) >= at(left))).toEqual([]);
  expect((await inspectContainer(containerId)).State.Running).toBe(false);
});

test('Tutum crash recovery by PATCH autoreplace ON_FAILURE on a crashing service: after 3 restarts in 60 s the container is replaced', async () => {
  const service = await createService({ autorestart: 'ON_FAILURE' });
  const started = await startService(service);
  const firstId = containerIdOf(started.containers[0]);
  await waitFor('the crash loop to be under way', async () => (await getService(service)).restarts >= 1, 15_000);

  const patchedAt = Date.now();
  const patched = await dc('PATCH', service.resource_uri, { autoreplace: 'on_failure' });
  expectStatus(patched, 200);
  expect(patched.body).toMatchObject({ autorestart: 'ON_FAILURE', autoreplace: 'ON_FAILURE', autodestroy: 'OFF' });

  const replace = await waitFor(
    'a replace by the supervisor',
    async () => (await supervisorEvents(service.uuid)).find((e) => e.action === 'replace'),
    25_000,
  );
  expect(at(replace)).toBeGreaterThanOrEqual(patchedAt);

  // The budget applied to the running container at once: at most three more restarts, and three
  // restarts inside the minute before the replace.
  const restarts = (await supervisorEvents(service.uuid)).filter((e) => e.action === 'restart');
  expect(restarts.filter((e) => at(e) >= patchedAt && at(e) <= at(replace)).length).toBeLessThanOrEqual(3);
  expect(restarts.filter((e) => at(e) <= at(replace) && at(e) > at(replace) - 60_000).length).toBeGreaterThanOrEqual(3);

  // A new container, with the same name, in place of the first.
  await waitFor('the API to show the new container', async () => {
    const view = await getService(service);
    const id = view.containers.length === 1 ? containerIdOf(view.containers[0]) : null;
    return id !== null && id !== firstId && id;
  });
  expect(await inspectContainer(firstId)).toBeNull();
  // Looked up by its name: the new container crashes too, and on a busy machine it may have been
  // replaced again (Tutum replaces up to 3 times in 5 minutes) between the API's answer and here.
  const replaced = await waitFor("a container under the first container's name", async () => {
    const found = await inspectContainer(`${service.name}-1`);
    return found !== null && found.Id !== firstId && found;
  });
  expect(replaced.Name).toBe(`/${service.name}-1`);
  expect(replaced.Config.Labels).toMatchObject({ 'io.svc.workload': service.uuid, 'io.svc.instance': '1' });
});

test('PATCH to autorestart ALWAYS while autodestroy is ALWAYS is a 409, and the policy stays as it was', async () => {
  const destroying = await createService({ autodestroy: 'ALWAYS' });
  expect(destroying).toMatchObject({ autorestart: 'OFF', autodestroy: 'ALWAYS' });
  // The refused service's own record and events; the crash loop of the test before still writes its own.
  let before = workloadWritten(served.home, destroying.uuid);
  const refused = await dc('PATCH', destroying.resource_uri, { autorestart: 'ALWAYS' });
  expectStatus(refused, 409);
  expect(refused.body).toEqual({ error: expect.stringMatching(/ALWAYS/) });
  expect(refused.body.error).toMatch(/autodestroy/i);
  expect(workloadWritten(served.home, destroying.uuid)).toEqual(before);
  expect(await getService(destroying)).toMatchObject({ autorestart: 'OFF', autoreplace: 'OFF', autodestroy: 'ALWAYS' });

  // Both words in one PATCH: the same refusal.
  const plain = await createService({});
  before = workloadWritten(served.home, plain.uuid);
  const both = await dc('PATCH', plain.resource_uri, { autorestart: 'always', autodestroy: 'always' });
  expectStatus(both, 409);
  expect(workloadWritten(served.home, plain.uuid)).toEqual(before);
  expect(await getService(plain)).toMatchObject({ autorestart: 'OFF', autodestroy: 'OFF' });

  // And at create: nothing is made.
  const name = uniqueName('dcpolicy');
  const created = await dc('POST', '/api/app/v1/service/', {
    image: TEST_IMAGE,
    name,
    autorestart: 'ALWAYS',
    autodestroy: 'ALWAYS',
  });
  expectStatus(created, 409);
  expect((await dc('GET', `/api/app/v1/service/?name=${name}`)).body.meta.total_count).toBe(0);
});
