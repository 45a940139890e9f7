/**
 * Revoking the token (issue 20, case 7) on a server in-process that watches a temp state dir's
 * token file, as `svc serve` does: a new token counts from the next request on, and the old one,
 * every session, every unused sign-in code and every open stream end; a removed file lets nothing in.
 */
import fs from 'node:fs';
import { jest } from '@jest/globals';
import { makeStateDir, removeStateDir } from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';
import { apiToken, rotateToken, tokenFile, watchedToken, type TokenSource } from '../../src/api/token.js';
import { bearer, listen, openStream, send, signIn, withSession, type Listening } from './auth-helpers.js';

let home: string;
let tokens: TokenSource;
let server: Listening;

beforeEach(async () => {
  home = makeStateDir();
  apiToken(home);
  tokens = watchedToken(home);
  server = await listen(tokens);
});
afterEach(async () => {
  await server.app.close();
  tokens.close();
  removeStateDir(home);
});

const events = (headers: Record<string, string>) => send(server, 'GET', '/api/svc/v1/events/', { headers });

test('after a rotation the new token is taken at once, and the old token, every session and every unused code are refused', async () => {
  const old = apiToken(home);
  const session = await signIn(server, old);
  const code = (await send(server, 'POST', '/ui/sign-in-code', { headers: bearer(old) })).body.code as string;
  rotateToken(home);
  const fresh = apiToken(home);
  expect(fresh).not.toBe(old);
  expect(fs.statSync(tokenFile(home)).mode & 0o777).toBe(0o600);
  expect((await events(bearer(fresh))).status).toBe(200);
  expect((await events(bearer(old))).status).toBe(401);
  expect((await events(withSession(session))).status).toBe(401);
  expect((await send(server, 'POST', '/ui/session', { body: { code } })).status).toBe(401);
  expect((await send(server, 'POST', '/ui/session', { body: { token: old } })).status).toBe(401);
  // A code minted with the new token signs in.
  const newCode = (await send(server, 'POST', '/ui/sign-in-code', { headers: bearer(fresh) })).body.code as string;
  expect((await send(server, 'POST', '/ui/session', { body: { code: newCode } })).status).toBe(200);
});

test('a rotation ends the open streams of the old token and of every session, with no request asking', async () => {
  const old = apiToken(home);
  const bySession = await openStream(server, withSession(await signIn(server, old)));
  const byToken = await openStream(server, bearer(old));
  expect([bySession.status, byToken.status]).toEqual([200, 200]);
  const ended = { session: false, token: false };
  void bySession.ended.then(() => (ended.session = true));
  void byToken.ended.then(() => (ended.token = true));
  rotateToken(home);
  await waitFor('both streams to end', async () => ended.session && ended.token, 3_000);
});

test('removing the token file lets nothing in until a new token is made, which is taken at once', async () => {
  const old = apiToken(home);
  const session = await signIn(server, old);
  fs.rmSync(tokenFile(home));
  const refused = await events(bearer(old));
  expect(refused.status).toBe(401);
  expect(refused.body.error).toMatch(/no API token now \(it was removed\): `svc serve --print-token` makes a new one/);
  expect((await events(withSession(session))).status).toBe(401);
  const made = apiToken(home);
  expect(made).not.toBe(old);
  expect((await events(bearer(made))).status).toBe(200);
  expect((await events(bearer(old))).status).toBe(401);
  expect((await events(withSession(session))).status).toBe(401);
});

describe('a token that changes between two looks (no watch: only a request makes the server look)', () => {
  /** As a server sees the file when its watch and poll have not fired yet. */
  const lazyToken = (first: string) => {
    let token = first;
    let seen = first;
    const listeners: (() => void)[] = [];
    const source: TokenSource = {
      current() {
        if (token !== seen) {
          seen = token;
          listeners.forEach((listener) => listener());
        }
        return seen;
      },
      onChange: (listener) => void listeners.push(listener),
      close: () => {},
    };
    return { source, replace: (next: string) => (token = next) };
  };

  test('the first request after the change, even to a public sign-in route, finds the old codes and sessions ended', async () => {
    const lazy = lazyToken('svc_first');
    const lazyServer = await listen(lazy.source);
    try {
      const code = (await send(lazyServer, 'POST', '/ui/sign-in-code', { headers: bearer('svc_first') })).body
        .code as string;
      const session = await signIn(lazyServer, 'svc_first');
      lazy.replace('svc_second');
      expect((await send(lazyServer, 'GET', '/ui/session', { headers: withSession(session) })).body).toEqual({
        signed_in: false,
      });
      lazy.replace('svc_third');
      expect((await send(lazyServer, 'POST', '/ui/session', { body: { code } })).status).toBe(401);
    } finally {
      await lazyServer.app.close();
    }
  });
});

test('a read of the token file that fails for a passing reason (no descriptor left) keeps the token it had, and the next request reads it again', async () => {
  const old = apiToken(home);
  expect(tokens.current()).toBe(old);
  rotateToken(home);
  const fresh = apiToken(home);
  const read = jest.spyOn(fs, 'readFileSync').mockImplementation(() => {
    throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
  });
  try {
    // Not "no token" (which would refuse everyone until the file changed again): what it had, for now.
    expect(tokens.current()).toBe(old);
  } finally {
    read.mockRestore();
  }
  expect(tokens.current()).toBe(fresh);
  expect((await events(bearer(fresh))).status).toBe(200);
});
