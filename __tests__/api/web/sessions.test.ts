/**
 * The web page's sign-in over real HTTP on 127.0.0.1 (issue 20, cases 5, 6 and 8): the session is a
 * header, never a cookie, which nothing on another port can send, end or replace; the sign-in link
 * carries a one-time code, never the token; an open event stream ends with its session.
 */
import { createSignInCodes, CODE_TTL_MS } from '../../../src/api/web/sign-in-codes.js';
import { createSessions, SESSION_IDLE_MS } from '../../../src/api/web/sessions.js';
import { bearer, listen, openStream, send, signIn, withSession, type Listening } from '../auth-helpers.js';

const TOKEN = 'svc_auth-sessions-token';
let server: Listening;

beforeEach(async () => {
  server = await listen(TOKEN);
});
afterEach(async () => server.app.close());

const mintCode = async () => {
  const answer = await send(server, 'POST', '/ui/sign-in-code', { headers: bearer(TOKEN) });
  expect(answer.status).toBe(200);
  return answer.body.code as string;
};

describe('case 5: the session is a header, not a cookie', () => {
  test('signing in sets no cookie, and the session id lets in only as the X-Svc-Session header', async () => {
    const answer = await send(server, 'POST', '/ui/session', {
      headers: { Origin: server.origin },
      body: { token: TOKEN },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toBeUndefined();
    const id = answer.body.session as string;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect((await send(server, 'GET', '/api/svc/v1/events/', { headers: withSession(id) })).status).toBe(200);
    // What a browser would send to every port of 127.0.0.1, had the id been a cookie: worthless.
    const asCookie = await send(server, 'GET', '/api/svc/v1/events/', { headers: { Cookie: `svc_session=${id}` } });
    expect(asCookie.status).toBe(401);
    expect((await send(server, 'GET', '/ui/session', { headers: { Cookie: `svc_session=${id}` } })).body).toEqual({
      signed_in: false,
    });
    expect((await send(server, 'GET', '/ui/session', { headers: withSession(id) })).body).toEqual({ signed_in: true });
  });

  test('a sign-out sent with the id as a cookie (what a page on another port can make happen) ends nothing', async () => {
    const id = await signIn(server, TOKEN);
    await send(server, 'DELETE', '/ui/session', { headers: { Cookie: `svc_session=${id}` } });
    expect((await send(server, 'GET', '/ui/session', { headers: withSession(id) })).body).toEqual({ signed_in: true });
    await send(server, 'DELETE', '/ui/session', { headers: withSession(id) });
    expect((await send(server, 'GET', '/ui/session', { headers: withSession(id) })).body).toEqual({ signed_in: false });
  });

  test("one server's session is nothing to another server on this host", async () => {
    const other = await listen(TOKEN);
    try {
      const id = await signIn(server, TOKEN);
      expect((await send(other, 'GET', '/api/svc/v1/events/', { headers: withSession(id) })).status).toBe(401);
      // Signing in to, and out of, the other leaves this one's session as it was.
      const otherId = await signIn(other, TOKEN);
      await send(other, 'DELETE', '/ui/session', { headers: withSession(otherId) });
      expect((await send(server, 'GET', '/api/svc/v1/events/', { headers: withSession(id) })).status).toBe(200);
    } finally {
      await other.app.close();
    }
  });

  test('with a session, a change needs the page origin; the header itself is what no other site can send', async () => {
    const id = await signIn(server, TOKEN);
    const post = (headers: Record<string, string>) =>
      send(server, 'POST', '/api/svc/v1/events/', { headers: { ...withSession(id), ...headers }, body: {} });
    expect((await post({ Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({})).status).toBe(403);
    // Past the origin check: the route answers (it allows only GET).
    expect((await post({ Origin: server.origin })).status).toBe(405);
  });
});

describe('case 6: the sign-in link carries a one-time code, never the token', () => {
  test('a code minted with the token signs in once; the second use is refused with what to do', async () => {
    const code = await mintCode();
    expect(code).not.toContain(TOKEN);
    const first = await send(server, 'POST', '/ui/session', { headers: { Origin: server.origin }, body: { code } });
    expect(first.status).toBe(200);
    expect(
      (await send(server, 'GET', '/api/svc/v1/events/', { headers: withSession(first.body.session) })).status,
    ).toBe(200);
    const again = await send(server, 'POST', '/ui/session', { headers: { Origin: server.origin }, body: { code } });
    expect(again.status).toBe(401);
    expect(again.body.error).toMatch(/used already, or is more than 5 minutes old: run `svc serve --print-url`/);
  });

  test('a code is minted only for the token: not for a session, not for nobody', async () => {
    const id = await signIn(server, TOKEN);
    expect(
      (await send(server, 'POST', '/ui/sign-in-code', { headers: { ...withSession(id), Origin: server.origin } }))
        .status,
    ).toBe(403);
    expect((await send(server, 'POST', '/ui/sign-in-code')).status).toBe(401);
    expect((await send(server, 'POST', '/ui/sign-in-code', { headers: bearer('svc_wrong') })).status).toBe(401);
  });

  test('a made-up code, or a code and a token at once, is refused', async () => {
    expect((await send(server, 'POST', '/ui/session', { body: { code: 'f'.repeat(64) } })).status).toBe(401);
    expect((await send(server, 'POST', '/ui/session', { body: { code: await mintCode(), token: TOKEN } })).status).toBe(
      400,
    );
    expect((await send(server, 'POST', '/ui/session', { body: {} })).status).toBe(400);
  });

  test('a code dies CODE_TTL_MS after it was minted, used or not', () => {
    let now = 1_000_000;
    const codes = createSignInCodes(() => now);
    const late = codes.mint().code;
    const inTime = codes.mint().code;
    now += CODE_TTL_MS - 1;
    expect(codes.redeem(inTime)).toBe(true);
    now += 1;
    expect(codes.redeem(late)).toBe(false);
  });
});

describe('case 8: an open event stream ends with its session', () => {
  test('signing out ends the stream the session opened', async () => {
    const id = await signIn(server, TOKEN);
    const stream = await openStream(server, withSession(id));
    expect(stream.status).toBe(200);
    await send(server, 'DELETE', '/ui/session', { headers: withSession(id) });
    await expect(
      Promise.race([
        stream.ended.then(() => 'ended'),
        new Promise((resolve) => setTimeout(resolve, 2_000, 'still open')),
      ]),
    ).resolves.toBe('ended');
  });

  test("another session's sign-out leaves the stream open", async () => {
    const id = await signIn(server, TOKEN);
    const stream = await openStream(server, withSession(id));
    await send(server, 'DELETE', '/ui/session', { headers: withSession(await signIn(server, TOKEN)) });
    await expect(
      Promise.race([
        stream.ended.then(() => 'ended'),
        new Promise((resolve) => setTimeout(resolve, 500, 'still open')),
      ]),
    ).resolves.toBe('still open');
    stream.close();
  });

  test('a session idle past SESSION_IDLE_MS ends by itself, and says so to what it opened', () => {
    let now = 0;
    const sessions = createSessions(() => now);
    try {
      const idle = sessions.create();
      const used = sessions.create();
      now = SESSION_IDLE_MS;
      sessions.find(used.id);
      now += 1;
      sessions.sweep();
      expect(idle.ended.aborted).toBe(true);
      expect(used.ended.aborted).toBe(false);
    } finally {
      sessions.close();
    }
  });
});
