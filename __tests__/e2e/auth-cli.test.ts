/**
 * The token and the sign-in link from the command line, against the built `svc serve` and
 * `svc daemon start --listen` (issue 20, cases 6 and 7): `--print-url` prints a one-time link the
 * running server minted, never the token; `--rotate-token` makes the running servers refuse the old
 * token at once; a removed token file is a revoked one.
 */
import { execa } from 'execa';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { makeStateDir, removeStateDir, svc, SVC_BIN } from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';
import { request, serve, shutDown, type Served } from './api-helpers.js';
import { ok } from './supervisor-helpers.js';

const readToken = (home: string) => fs.readFileSync(path.join(home, 'api-token'), 'utf8').trim();
const codeOf = (link: string) => /#code=([0-9a-f]{64})$/.exec(link)?.[1];
const signInWith = (served: Served, code: string) =>
  request(served, 'POST', '/ui/session', { authorization: null, body: { code } });

describe('svc serve', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve();
  });
  afterAll(async () => shutDown(served));

  test('--print-url prints a link with a one-time code the server minted, never the token', async () => {
    const link = ok(await svc(['serve', '--print-url'], { home: served.home }));
    expect(link.startsWith(`${served.url}/#code=`)).toBe(true);
    expect(link).not.toContain(served.token);
    const code = codeOf(link)!;
    expect((await signInWith(served, code)).status).toBe(200);
    expect((await signInWith(served, code)).status).toBe(401);
    // Each call mints another.
    expect(codeOf(ok(await svc(['serve', '--print-url'], { home: served.home })))).not.toBe(code);
  });

  test('--rotate-token: a new private token, the old refused at once, and --print-url works afterwards', async () => {
    const old = served.token;
    const session = (await request(served, 'POST', '/ui/session', { authorization: null, body: { token: old } })).body
      .session as string;
    const rotated = await svc(['serve', '--rotate-token'], { home: served.home });
    expect(rotated).toMatchObject({ exitCode: 0, stdout: '' });
    expect(rotated.stderr).toMatch(/refuse the old one and have ended every web session/);
    served.token = readToken(served.home);
    expect(served.token).toMatch(/^svc_[0-9a-f]{64}$/);
    expect(served.token).not.toBe(old);
    expect(fs.statSync(path.join(served.home, 'api-token')).mode & 0o777).toBe(0o600);
    expect((await request(served, 'GET', '/api/svc/v1/events/', { authorization: `Bearer ${old}` })).status).toBe(401);
    expect(
      (
        await request(served, 'GET', '/api/svc/v1/events/', {
          authorization: null,
          headers: { 'X-Svc-Session': session },
        })
      ).status,
    ).toBe(401);
    expect((await request(served, 'GET', '/api/svc/v1/events/')).status).toBe(200);
    const code = codeOf(ok(await svc(['serve', '--print-url'], { home: served.home })))!;
    expect((await signInWith(served, code)).status).toBe(200);
  });

  test('a removed token file lets nothing in; --print-url then makes a new token, and its link signs in', async () => {
    const old = served.token;
    fs.rmSync(path.join(served.home, 'api-token'));
    const refused = await request(served, 'GET', '/api/svc/v1/events/', { authorization: `Bearer ${old}` });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatch(/it was removed/);
    const code = codeOf(ok(await svc(['serve', '--print-url'], { home: served.home })))!;
    served.token = readToken(served.home);
    expect(served.token).not.toBe(old);
    expect((await signInWith(served, code)).status).toBe(200);
    expect((await request(served, 'GET', '/api/svc/v1/events/', { authorization: `Bearer ${old}` })).status).toBe(401);
  });
});

test('svc serve on a terminal prints a one-time link, and says so', async () => {
  const home = makeStateDir();
  // script(1) gives it a terminal; its own process group, so that the test ends what it started.
  const child = execa('script', ['-qfec', '"$SVC_BIN" serve --listen 127.0.0.1:0', '/dev/null'], {
    env: { SVC_BIN, SVC_HOME: home, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' },
    detached: true,
    reject: false,
    buffer: false,
    stdin: 'pipe',
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  try {
    const line = await waitFor('the sign-in link', async () => /^Web page .*$/m.exec(output)?.[0]);
    expect(line).toMatch(
      /^Web page \(this link signs in once, within 5 minutes; svc serve --print-url prints another\): http:\/\/127\.0\.0\.1:\d+\/#code=[0-9a-f]{64}\s*$/,
    );
    const token = readToken(home);
    expect(output).not.toContain(token);
    const served = { url: /(http:\/\/127\.0\.0\.1:\d+)\/#code=/.exec(line)![1], token } as Served;
    const code = codeOf(line.trim())!;
    expect((await signInWith(served, code)).status).toBe(200);
    expect((await signInWith(served, code)).status).toBe(401);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await child;
    removeStateDir(home);
  }
});

test('the daemon started with --listen takes a rotated token at once too', async () => {
  const home = makeStateDir();
  try {
    const url = ok(await svc(['daemon', 'start', '--listen', '127.0.0.1:0'], { home }));
    const old = ok(await svc(['serve', '--print-token'], { home }));
    ok(await svc(['serve', '--rotate-token'], { home }));
    const served = { url, token: readToken(home) } as Served;
    expect((await request(served, 'GET', '/api/svc/v1/events/', { authorization: `Bearer ${old}` })).status).toBe(401);
    expect((await request(served, 'GET', '/api/svc/v1/events/')).status).toBe(200);
    expect(codeOf(ok(await svc(['serve', '--print-url'], { home })))).toBeDefined();
  } finally {
    await svc(['daemon', 'stop'], { home });
    removeStateDir(home);
  }
});

test.each([
  [['--rotate-token', '--print-token']],
  [['--rotate-token', '--print-url']],
  [['--print-url', '--print-token']],
])('svc serve %j is a usage error, and changes nothing', async (args) => {
  const home = makeStateDir();
  try {
    const before = ok(await svc(['serve', '--print-token'], { home }));
    const result = await svc(['serve', ...args], { home });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/cannot be used with option/);
    expect(readToken(home)).toBe(before);
  } finally {
    removeStateDir(home);
  }
});

test('--print-url with no server running is exit 1, saying how to start one', async () => {
  const home = makeStateDir();
  try {
    const result = await svc(['serve', '--print-url'], { home });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/No svc server runs for/);
  } finally {
    removeStateDir(home);
  }
});

test('the daemon passes --public-url to its server: a proxy under that name is answered, another name is a 421', async () => {
  const home = makeStateDir();
  try {
    const url = ok(
      await svc(['daemon', 'start', '--listen', '127.0.0.1:0', '--public-url', 'https://svc.example.org'], { home }),
    );
    // node:http, not fetch: fetch leaves a Host header out.
    const health = (host: string) =>
      new Promise<number | undefined>((resolve, reject) => {
        http
          .get(`${url}/api/svc/v1/health`, { headers: { Host: host } }, (answer) => resolve(answer.resume().statusCode))
          .on('error', reject);
      });
    expect(await health('svc.example.org')).toBe(200);
    expect(await health('other.example.org')).toBe(421);
  } finally {
    await svc(['daemon', 'stop'], { home });
    removeStateDir(home);
  }
});

test.each([
  'ftp://svc.example.org',
  'https://svc.example.org/ui/',
  'https://me:secret@svc.example.org',
  'svc.example.org',
])('svc serve --public-url %s is a usage error naming it', async (publicUrl) => {
  const home = makeStateDir();
  try {
    const result = await svc(['serve', '--listen', '127.0.0.1:0', '--public-url', publicUrl], { home });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`Invalid --public-url '${publicUrl}'`);
  } finally {
    removeStateDir(home);
  }
});

test.each([[['--public-url', 'https://svc.example.org']], [['--allow-remote']]])(
  'svc daemon start %j without --listen is a usage error, and starts nothing',
  async (args) => {
    const home = makeStateDir();
    try {
      const result = await svc(['daemon', 'start', ...args], { home });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('--public-url and --allow-remote need --listen HOST:PORT');
      expect(ok(await svc(['daemon', 'status'], { home }))).toMatch(/^stopped/);
    } finally {
      removeStateDir(home);
    }
  },
);
