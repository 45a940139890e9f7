/**
 * The Host check against DNS rebinding (issue 20, case 9): a loopback server answers only to its
 * own address, or localhost / 127.0.0.1 / [::1], with its port, on every route, the public ones and
 * the page included. One listening for other hosts (--allow-remote) answers to its address, and on
 * a wildcard address to any IP address: a name (what rebinding needs) only when --public-url names it.
 * --public-url is also how a TLS proxy's name and origin count as the server's own.
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
  ['attacker.example:7420', { host: '0.0.0.0', port: 7420 }, false],
  ['192.168.1.5:7420', { host: '0.0.0.0', port: 7420 }, true],
  ['[fe80::1]:7420', { host: '::', port: 7420 }, true],
  ['192.168.1.5:7421', { host: '0.0.0.0', port: 7420 }, false],
  ['192.168.1.5:7420', { host: '192.168.1.5', port: 7420 }, true],
  ['192.168.1.6:7420', { host: '192.168.1.5', port: 7420 }, false],
  ['svc.example.org', { host: '192.168.1.5', port: 7420 }, false],
  ['svc.example.org', { host: '127.0.0.1', port: 7420, publicOrigin: 'https://svc.example.org' }, true],
  ['svc.example.org:443', { host: '127.0.0.1', port: 7420, publicOrigin: 'https://svc.example.org' }, true],
  ['SVC.example.org', { host: '0.0.0.0', port: 7420, publicOrigin: 'https://svc.example.org' }, true],
  ['svc.example.org:8443', { host: '127.0.0.1', port: 7420, publicOrigin: 'https://svc.example.org' }, false],
  ['myhost:7420', { host: '0.0.0.0', port: 7420, publicOrigin: 'http://myhost:7420' }, true],
  ['other.example.org', { host: '127.0.0.1', port: 7420, publicOrigin: 'https://svc.example.org' }, false],
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
      `the Host 'attacker.example:${server.port}' is not this server: it answers only to its own address (127.0.0.1:${server.port}, localhost:${server.port}), ` +
        "against DNS rebinding; a name of your own (a proxy's, a DNS name) needs --public-url",
    );
  });

  test.each(['127.0.0.1', 'localhost', '[::1]'])('answers to %s with its port', async (name) => {
    expect(
      (await send(server, 'GET', '/api/svc/v1/health', { headers: { Host: `${name}:${server.port}` } })).status,
    ).toBe(200);
  });
});

test('a server listening for other hosts (--allow-remote, 0.0.0.0) answers to an IP address, and to a name only if --public-url names it', async () => {
  const server = await listen(TOKEN, '0.0.0.0');
  const named = await listen(TOKEN, '0.0.0.0', 'http://svc.example.org:8080');
  try {
    expect(
      (await send(server, 'GET', '/api/svc/v1/health', { headers: { Host: `10.1.2.3:${server.port}` } })).status,
    ).toBe(200);
    expect(
      (await send(server, 'GET', '/api/svc/v1/health', { headers: { Host: `svc.example.org:${server.port}` } })).status,
    ).toBe(421);
    expect((await send(named, 'GET', '/api/svc/v1/health', { headers: { Host: 'svc.example.org:8080' } })).status).toBe(
      200,
    );
  } finally {
    await server.app.close();
    await named.app.close();
  }
});

test('behind a TLS proxy named by --public-url, the page signs in and changes things, whether the proxy passes its own name or the listen address as the Host', async () => {
  const PUBLIC = 'https://svc.example.org';
  const server = await listen(TOKEN, '127.0.0.1', PUBLIC);
  try {
    for (const host of ['svc.example.org', `127.0.0.1:${server.port}`]) {
      const signedIn = await send(server, 'POST', '/ui/session', {
        headers: { Host: host, Origin: PUBLIC },
        body: { token: TOKEN },
      });
      expect(signedIn.status).toBe(200);
      const session = signedIn.body.session as string;
      const change = await send(server, 'DELETE', '/api/app/v1/service/nothing/', {
        headers: { Host: host, Origin: PUBLIC, 'X-Svc-Session': session },
      });
      // Past the origin check: the service is not found, rather than the change refused.
      expect(change.status).toBe(404);
    }
    // Another origin is still another site.
    const foreign = await send(server, 'POST', '/ui/session', {
      headers: { Host: 'svc.example.org', Origin: 'https://evil.example' },
      body: { token: TOKEN },
    });
    expect(foreign.status).toBe(403);
  } finally {
    await server.app.close();
  }
});
