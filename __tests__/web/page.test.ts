/**
 * The web page in a real browser (Debian's Chromium), against `svc serve` and the real engine with
 * its supervisor: signing in with the printed one-time link, the launch wizard with Crash recovery,
 * the live feed, the Crash Recovery button, the Edit form's rule, a machine's policy through the
 * diff dialog, the refusals (a used or made-up link, a cross-origin request, a cookie from another
 * port), sign-out and a new token closing the session and its live feed, and a session the server
 * forgot when it restarted. Each page is screenshotted into test-results/screenshots/.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cleanupContainers, requireDocker, svc, TEST_IMAGE, uniqueName } from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';
import { request, serve, shutDown, type Served } from '../e2e/api-helpers.js';
import { ok } from '../e2e/supervisor-helpers.js';
import { launchBrowser, screenshot } from './browser.js';

let served: Served;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const made: string[] = [];

const signInLink = async () => ok(await svc(['serve', '--print-url'], { home: served.home }));

/** The session the page keeps in this tab; null on another page or without one. */
const keptSession = async (on: Page = page): Promise<string | null> =>
  on.url().startsWith(served.url) ? on.evaluate(() => sessionStorage.getItem('svc.session')) : null;

/** Tests run in order and the first signs in; one run alone signs in here. */
const signedIn = async () => {
  if ((await keptSession()) === null) await page.goto(await signInLink());
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
};

beforeAll(async () => {
  await requireDocker();
  browser = await launchBrowser();
  served = await serve({ supervisor: true, env: { SVC_RECONCILE_MS: '2000' } });
  context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shutDown(served);
  await cleanupContainers(made);
});

/** The page's own view of a service, through the API. */
const serviceByName = async (name: string) => {
  const { body } = await request(served, 'GET', `/api/app/v1/service/?name=${name}`);
  return body.objects[0];
};

test('the printed link signs in with a one-time code: no cookie, the session kept in the tab, the code gone from the address bar', async () => {
  const link = await signInLink();
  expect(link).toMatch(new RegExp(`^${served.url.replace(/\./g, '\\.')}/#code=[0-9a-f]{64}$`));
  expect(link).not.toContain(served.token);
  await page.goto(link);
  await page.getByRole('heading', { name: 'Services' }).waitFor();
  expect(page.url()).toBe(`${served.url}/#/services`);
  expect(await context.cookies(served.url)).toEqual([]);
  const session = await keptSession();
  expect(session).toMatch(/^[0-9a-f]{64}$/);
  expect(session).not.toContain(served.token);
  await screenshot(page, '01-services-empty');
  // A reload keeps the session: it is this tab's.
  await page.reload();
  await page.getByRole('heading', { name: 'Services' }).waitFor();
  expect(await keptSession()).toBe(session);
});

test('a sign-in link works once: opened a second time it is refused, with how to get another', async () => {
  const link = await signInLink();
  const first = await browser.newContext();
  const second = await browser.newContext();
  try {
    const one = await first.newPage();
    await one.goto(link);
    await one.getByRole('heading', { name: 'Services' }).waitFor();
    const two = await second.newPage();
    await two.goto(link);
    await two.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await two.getByRole('alert').textContent()).toMatch(
      /used already, or is more than 5 minutes old: run `svc serve --print-url`/,
    );
    expect(two.url()).toBe(`${served.url}/#/services`);
    expect(await keptSession(two)).toBeNull();
    await screenshot(two, '11-sign-in-link-used');
  } finally {
    await first.close();
    await second.close();
  }
});

describe('a page on another port of 127.0.0.1', () => {
  let other: http.Server;
  let otherUrl = '';
  const seen: http.IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    // What any local listener could be: it records what browsers send it, and sets (and clears) svc's old cookie name.
    other = http.createServer((request, response) => {
      seen.push(request.headers);
      response.setHeader('Set-Cookie', ['svc_session=forged; Path=/', 'svc_session_x=1; Path=/']);
      response.setHeader('Content-Type', 'text/html');
      response.end(
        '<!doctype html><title>other</title><script>document.cookie = "svc_session=forged2; path=/"</script><p>other</p>',
      );
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => other.close(() => resolve())));

  test('receives nothing of the session, and its cookies neither end nor replace it', async () => {
    await signedIn();
    const session = (await keptSession())!;
    const visit = await context.newPage();
    await visit.goto(otherUrl);
    await visit.getByText('other').waitFor();
    await visit.close();
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen) expect(JSON.stringify(headers)).not.toContain(session);
    // The browser now has that port's cookies for 127.0.0.1, which it sends to svc too: they change nothing.
    expect((await context.cookies(served.url)).map((cookie) => cookie.name)).toContain('svc_session');
    await page.goto('about:blank');
    await page.goto(`${served.url}/#/services`);
    await page.getByRole('heading', { name: 'Services' }).waitFor();
    expect(await keptSession()).toBe(session);
  });
});

describe('a crashing service launched through the wizard, with Crash recovery on', () => {
  const name = uniqueName('webcrash');
  beforeAll(signedIn);

  test('its restarts appear in the live feed within a second, without reloading', async () => {
    await page.goto(`${served.url}/#/launch`);
    await page.getByLabel('Image').fill(TEST_IMAGE);
    await page.getByLabel('Service name').fill(name);
    await page.getByLabel('Run command').fill("sh -c 'sleep 1; exit 1'");
    await screenshot(page, '02-launch-step-1');
    await page.getByRole('button', { name: 'Next: Service configuration' }).click();
    await page.getByRole('switch').check();
    expect(await page.getByLabel('Autorestart').inputValue()).toBe('ALWAYS');
    expect(await page.getByLabel('Autoreplace').inputValue()).toBe('ALWAYS');
    await screenshot(page, '03-launch-step-2-crash-recovery');
    await page.getByRole('button', { name: 'Create and deploy' }).click();
    await page.getByRole('heading', { name }).waitFor();
    made.push((await serviceByName(name)).uuid);
    expect(await page.getByRole('button', { name: 'Crash Recovery: ON' }).getAttribute('aria-pressed')).toBe('true');

    // The feed shows the supervisor's restart, with its reason, as soon as the event is written.
    const restart = page.locator('.feed li.event.supervisor', { has: page.locator('.action.restart') }).first();
    await restart.waitFor({ timeout: 20_000 });
    const lag = await restart.evaluate(
      (row) => Date.now() - Date.parse(row.querySelector('time')!.getAttribute('datetime')!),
    );
    expect(lag).toBeLessThan(1_000);
    expect(await restart.textContent()).toMatch(/exit 1 — exit code 1; restart policy always/);
    await screenshot(page, '04-service-crash-recovery-on');
  });

  test('Crash Recovery OFF: the next crash leaves the container Stopped', async () => {
    await page.getByRole('button', { name: 'Crash Recovery: ON' }).click();
    await page.getByRole('button', { name: 'Crash Recovery: OFF' }).waitFor();
    const service = await serviceByName(name);
    expect(service).toMatchObject({ autorestart: 'OFF', autoreplace: 'OFF' });
    // The supervisor leaves the next exit alone; the page shows the container Stopped.
    const left = page.locator('.feed li.event.supervisor', { has: page.locator('.action.leave-stopped') }).first();
    await left.waitFor({ timeout: 20_000 });
    await page
      .locator('tbody tr', { hasText: `${name}-1` })
      .getByText('Stopped')
      .waitFor();
    const restarts = (await serviceByName(name)).restarts;
    await waitFor('a reconcile pass after the exit', async () => (await serviceByName(name)).state === 'Stopped');
    expect((await serviceByName(name)).restarts).toBe(restarts);
    await screenshot(page, '05-service-crash-recovery-off');
  });

  test('Edit: autodestroy ALWAYS with autorestart ALWAYS shows the rule and saves nothing', async () => {
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Autorestart').selectOption('ALWAYS');
    await page.getByLabel('Autodestroy').selectOption('ALWAYS');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('alert')
      .getByText(/Autodestroy must be OFF when autorestart is ALWAYS/)
      .waitFor();
    await screenshot(page, '06-service-edit-refused');
    expect(await serviceByName(name)).toMatchObject({ autorestart: 'OFF', autoreplace: 'OFF', autodestroy: 'OFF' });
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  test('the events page shows the same decisions, newest first', async () => {
    await page.goto(`${served.url}/#/events`);
    await page.locator('.feed li', { hasText: name }).first().waitFor();
    expect(await page.locator('.feed li', { hasText: 'leave-stopped' }).count()).toBeGreaterThan(0);
    await screenshot(page, '07-events');
  });
});

test("a machine's restart policy changed through the diff dialog reaches the machine", async () => {
  await signedIn();
  const app = uniqueName('webapp');
  const id = ok(await svc(['m', 'run', '-a', app, '-n', 'worker', TEST_IMAGE, 'sleep', '3600'], { home: served.home }));
  made.push(id);
  await page.goto(`${served.url}/#/machines`);
  await page.getByRole('heading', { name: `App ${app}` }).waitFor();
  await screenshot(page, '08-machines');
  await page.getByRole('link', { name: id }).click();
  await page.getByRole('heading', { name: `worker (${id})` }).waitFor();
  await page.getByLabel('Restart policy').selectOption('on-failure');
  await page.getByLabel('Max retries').fill('3');
  await page.getByRole('button', { name: 'Review change' }).click();
  const dialog = page.getByRole('dialog', { name: 'Apply changes?' });
  await dialog.waitFor();
  const diff = await dialog.locator('pre.diff').textContent();
  expect(diff).toContain('-     "policy": "always"');
  expect(diff).toContain('+     "policy": "on-failure",');
  expect(diff).toContain('+     "max_retries": 3');
  await screenshot(page, '09-machine-diff');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await page.getByText('on-failure (max_retries 3)').first().waitFor();
  expect(ok(await svc(['m', 'status', '-d', id], { home: served.home }))).toMatch(
    /"policy": "on-failure",\s+"max_retries": 3/,
  );
  expect(JSON.parse(ok(await svc(['m', 'list', '--json', '-a', app], { home: served.home })))[0].state).toBe('started');
  await screenshot(page, '10-machine-changed');
});

test('a made-up code in the link, or a wrong token pasted, is refused with a way to sign in; the right token pasted signs in', async () => {
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.goto(`${served.url}/#code=${'0'.repeat(64)}`);
  await other.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await other.getByRole('alert').textContent()).toMatch(/used already, or is more than 5 minutes old/);
  expect(await other.locator('pre').textContent()).toBe('svc serve --print-url');
  expect(other.url()).not.toContain('0'.repeat(64));
  await other.getByLabel('API token').fill('svc_not-the-token');
  await other.getByRole('button', { name: 'Sign in' }).click();
  await other
    .getByRole('alert')
    .getByText(/not this server's token/)
    .waitFor();
  await screenshot(other, '11-sign-in-refused');
  await other.getByLabel('API token').fill(served.token);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await other.getByRole('heading', { name: 'Services' }).waitFor();
  expect(await stranger.cookies(served.url)).toEqual([]);
  await stranger.close();
});

test('a POST from a page of another origin changes nothing', async () => {
  await signedIn();
  const name = uniqueName('csrf');
  // localhost is another origin (and site) than 127.0.0.1: the session cookie is not sent, no CORS header lets it read.
  const attacker = await context.newPage();
  await attacker.goto(served.url.replace('127.0.0.1', 'localhost') + '/');
  const outcome = await attacker.evaluate(
    async ([target, body]) => {
      try {
        const response = await fetch(target, {
          method: 'POST',
          credentials: 'include',
          headers: { 'Content-Type': 'application/json' },
          body,
        });
        return `status ${response.status}`;
      } catch (error) {
        return `blocked: ${(error as Error).message}`;
      }
    },
    [`${served.url}/api/app/v1/service/`, JSON.stringify({ image: TEST_IMAGE, name })] as const,
  );
  expect(outcome).toMatch(/^blocked/);
  await attacker.close();
  expect(await serviceByName(name)).toBeUndefined();
});

test("with the page's session, a change needs the page origin; the session as a cookie is nothing", async () => {
  await signedIn();
  const session = (await keptSession())!;
  const post = (headers: Record<string, string>) =>
    fetch(`${served.url}/api/app/v1/service/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ image: TEST_IMAGE, name: uniqueName('origin') }),
    });
  expect((await post({ 'X-Svc-Session': session, Origin: 'http://evil.example' })).status).toBe(403);
  expect((await post({ 'X-Svc-Session': session })).status).toBe(403);
  expect((await post({ Cookie: `svc_session=${session}`, Origin: served.url })).status).toBe(401);
  const accepted = await post({ 'X-Svc-Session': session, Origin: served.url });
  expect(accepted.status).toBe(201);
  made.push(((await accepted.json()) as { uuid: string }).uuid);
  // Reading needs the session only.
  expect((await fetch(`${served.url}/api/app/v1/service/`, { headers: { 'X-Svc-Session': session } })).status).toBe(
    200,
  );
});

test('a mistyped address (broken percent-encoding) leads to the services list, not a blank page', async () => {
  await signedIn();
  await page.goto('about:blank');
  await page.goto(`${served.url}/#/service/%E0%A4%A`);
  await page.getByRole('heading', { name: 'Services' }).waitFor();
  expect(page.url()).toMatch(/#\/services$/);
});

test('on a phone-sized window the services page reads without sideways scrolling of the page', async () => {
  made.push(ok(await svc(['service', 'create', '--name', uniqueName('phone'), TEST_IMAGE], { home: served.home })));
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const small = await phone.newPage();
  await small.goto(await signInLink());
  await small.locator('table.services tbody a').first().waitFor();
  expect(await small.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await screenshot(small, '12-services-phone');
  await phone.close();
});

test('the page works from the keyboard: the wizard is reached and filled without a mouse', async () => {
  await signedIn();
  // A fresh load, so that the focus starts at the top of the page.
  await page.goto('about:blank');
  await page.goto(`${served.url}/#/services`);
  await page.getByRole('heading', { name: 'Services' }).waitFor();
  await page.keyboard.press('Tab'); // the brand link
  await page.keyboard.press('Tab'); // Services
  await page.keyboard.press('Tab'); // Launch service
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Launch service');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Launch new service' }).waitFor();
  // The image field has the focus; typing goes there.
  await page.keyboard.type(TEST_IMAGE);
  expect(await page.getByLabel('Image').inputValue()).toBe(TEST_IMAGE);
});

const STREAM_PATH = '/api/svc/v1/events/stream/';

/** The Events view, loaded afresh, once its live feed is open. */
const eventsWithLiveFeed = async () => {
  await signedIn();
  await page.goto('about:blank');
  const feed = page.waitForResponse((response) => response.url().endsWith(STREAM_PATH));
  await page.goto(`${served.url}/#/events`);
  await page.getByRole('heading', { name: 'Events' }).waitFor();
  await feed;
};

test('a session ended on the server (signed out in another place) closes the live feed, and the page asks to sign in', async () => {
  await eventsWithLiveFeed();
  const session = (await keptSession())!;
  // The server ends the session. The Events view asks nothing more of the server on its own: only
  // the end of its live feed can tell it, and then quickly (not at the next reconnect, or never).
  await request(served, 'DELETE', '/ui/session', { authorization: null, headers: { 'X-Svc-Session': session } });
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 5_000 });
  expect(await page.getByRole('alert').textContent()).toMatch(/Your session has ended/);
  expect(await keptSession()).toBeNull();
});

test('Sign out ends the session on the server and closes the live feed', async () => {
  await eventsWithLiveFeed();
  const session = (await keptSession())!;
  const streams: string[] = [];
  page.on('request', (sent) => sent.url().endsWith(STREAM_PATH) && streams.push(sent.url()));
  // The page's timers on a clock this test moves: a feed reopened after a delay would open below.
  await page.clock.install();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await page.getByRole('alert').textContent()).toBe('You have signed out.');
  await screenshot(page, '14-signed-out');
  expect(
    (await request(served, 'GET', '/ui/session', { authorization: null, headers: { 'X-Svc-Session': session } })).body,
  ).toEqual({ signed_in: false });
  expect(
    (
      await request(served, 'GET', '/api/svc/v1/events/', {
        authorization: null,
        headers: { 'X-Svc-Session': session },
      })
    ).status,
  ).toBe(401);
  // Signed out, the page opens no new feed, not even past the delay after which it reopens one (live.ts).
  await page.clock.runFor(10_000);
  expect(streams).toEqual([]);
  await page.clock.resume();
});

test('a new token (svc serve --rotate-token) signs the page out at once, and the next printed link signs in', async () => {
  await eventsWithLiveFeed();
  const old = served.token;
  const rotated = await svc(['serve', '--rotate-token'], { home: served.home });
  expect(rotated.exitCode).toBe(0);
  expect(rotated.stdout).toBe('');
  expect(rotated.stderr).toMatch(
    /A new API token is in .*api-token: the servers of this state dir refuse the old one and have ended every web session/,
  );
  served.token = fs.readFileSync(path.join(served.home, 'api-token'), 'utf8').trim();
  expect(served.token).not.toBe(old);
  // As above: only the end of the live feed can tell the Events view, within the server's poll of the token file.
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 5_000 });
  expect(await page.getByRole('alert').textContent()).toMatch(/Your session has ended/);
  expect((await request(served, 'GET', '/api/svc/v1/events/', { authorization: `Bearer ${old}` })).status).toBe(401);
  await page.goto(await signInLink());
  await page.getByRole('heading', { name: 'Services' }).waitFor();
});

test('the wizard takes a service name of at most 63 characters, as the CLI and the API do', async () => {
  await signedIn();
  await page.goto(`${served.url}/#/launch`);
  await page.getByRole('heading', { name: 'Launch new service' }).waitFor();
  const name = page.getByLabel('Service name');
  await name.pressSequentially('n'.repeat(70));
  expect(await name.inputValue()).toBe('n'.repeat(63));
});

// Last: it restarts the server, which forgets every session.
test('after the server restarted, the Events view asks to sign in again rather than stay blank', async () => {
  await signedIn();
  await page.goto(`${served.url}/#/events`);
  await page.getByRole('heading', { name: 'Events' }).waitFor();
  const { home, url } = served;
  expect(await served.stop()).toBe(0);
  // The same address and state dir: the page's live stream reconnects, and is refused its old session.
  served = await serve({
    home,
    supervisor: true,
    env: { SVC_RECONCILE_MS: '2000' },
    args: ['--listen', url.replace(/^http:\/\//, '')],
  });
  expect(served.url).toBe(url);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 20_000 });
  expect(await page.getByRole('alert').textContent()).toMatch(/Your session has ended/);
  await screenshot(page, '13-session-ended');
});
