/**
 * The Host check against DNS rebinding (issue 20, case 9): a loopback server answers only to its
 * own address, or localhost / 127.0.0.1 / [::1], with its port, on every route, the public ones and
 * the page included; one listening for other hosts (--allow-remote) answers to any name.
 */
import { hostAllowed } from '../../src/api/host-check.js';
import { bearer, listen, send, type Listening } from './auth-helpers.js';

const TOKEN = 'svc_auth-host-token';
const LOOPBACK = { host: '127.0.0.1', port: 0 };

test.each([
  ['127.0.0.1:7420', LOOPBACK, true],
  ['localhost:7420', LOOPBACK, true],
  ['LOCALHOST:7420', LOOPBACK, true],
  ['[::1]:7420', LOOPBACK, true],
  ['attacker.example:7420', LOOPBACK, false],
  ['127.0.0.1:7421', LOOPBACK, false],
  ['127.0.0.1', LOOPBACK, false],
  ['localhost.:7420', LOOPBACK, false],
  ['127.0.0.1.nip.io:7420', LOOPBACK, false],
  ['127.0.0.1:7420@attacker.example', LOOPBACK, false],
  [undefined, LOOPBACK, false],
  ['', LOOPBACK, false],
  ['127.0.0.2:7420', { host: '127.0.0.2', port: 7420 }, true],
  ['[::1]:7420', { host: '::1', port: 7420 }, true],
  ['attacker.example:7420', { host: '0.0.0.0', port: 7420 }, true],
  ['svc.example.org', { host: '192.168.1.5', port: 7420 }, true],
])('Host %p on a server listening on %j: %p', (host, listen, expected) => {
  expect(hostAllowed(host, listen, 7420)).toBe(expected);
});

describe('a loopback server', () => {
  let server: Listening;
  beforeAll(async () => {
    server = await listen(TOKEN);
  });
  afterAll(async () => server.app.close());

  test.each([
    ['GET', '/'],
    ['GET', '/ui/app.js'],
    ['GET', '/api/svc/v1/health'],
    ['GET', '/ui/session'],
    ['POST', '/ui/session'],
    ['GET', '/api/app/v1/service/'],
    ['GET', '/no/such/path'],
  ])('refuses %s %s under a rebound name with 421 and why', async (method, path) => {
    const answer = await send(server, method, path, {
      headers: { Host: `attacker.example:${server.port}`, ...bearer(TOKEN) },
      ...(method === 'POST' ? { body: { token: TOKEN } } : {}),
    });
    expect(answer.status).toBe(421);
    expect(answer.body.error).toBe(
      `the Host 'attacker.example:${server.port}' is not this server: it answers only to its own address (127.0.0.1:${server.port}, localhost:${server.port}), against DNS rebinding`,
    );
  });

  test.each(['127.0.0.1', 'localhost', '[::1]'])('answers to %s with its port', async (name) => {
    expect((await send(server, 'GET', '/api/svc/v1/health', { headers: { Host: `${name}:${server.port}` } })).status).toBe(200);
  });
});

test('a server listening for other hosts (--allow-remote) answers to any name', async () => {
  const server = await listen(TOKEN, '0.0.0.0');
  try {
    expect((await send(server, 'GET', '/api/svc/v1/health', { headers: { Host: 'svc.example.org' } })).status).toBe(200);
  } finally {
    await server.app.close();
  }
});
