/**
 * Issue 20, case 4, in Chromium: the launch wizard is all or nothing, as `svc service run` is. A
 * service whose run command is a missing binary (Docker refuses the start with exit 127) is not
 * left half made: the page says why, nothing of it remains, and the same name launches at once
 * with a command that works.
 */
import type { Browser, Page } from 'playwright-core';
import { cleanupContainers, docker, requireDocker, svc, TEST_IMAGE, uniqueName } from '../helpers/svc.js';
import { request, serve, shutDown, type Served } from '../e2e/api-helpers.js';
import { ok } from '../e2e/supervisor-helpers.js';
import { launchBrowser, screenshot } from './browser.js';

let served: Served;
let browser: Browser;
let page: Page;
const name = uniqueName('webnobin');

beforeAll(async () => {
  await requireDocker();
  browser = await launchBrowser();
  served = await serve({ supervisor: true, env: { SVC_RECONCILE_MS: '2000' } });
  page = await (await browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
  await page.goto(ok(await svc(['serve', '--print-url'], { home: served.home })));
  await page.getByRole('heading', { name: 'Services' }).waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shutDown(served);
  await cleanupContainers([name]);
});

const launch = async (runCommand: string) => {
  await page.getByLabel('Image').fill(TEST_IMAGE);
  await page.getByLabel('Service name').fill(name);
  await page.getByLabel('Run command').fill(runCommand);
  await page.getByRole('button', { name: 'Next: Service configuration' }).click();
  await page.getByRole('button', { name: 'Create and deploy' }).click();
};

test('a launch Docker cannot start leaves nothing behind, says why, and the same name then launches', async () => {
  await page.goto(`${served.url}/#/launch`);
  await launch('/nonexistent');
  const problem = page.getByRole('alert');
  await problem.getByText(/Docker could not start/).waitFor({ timeout: 20_000 });
  expect(await problem.textContent()).toMatch(
    new RegExp(
      `^Docker could not start the container of ${name}: exit code 127, exec: "/nonexistent": stat /nonexistent: no such file or directory; nothing of it was kept$`,
    ),
  );
  await screenshot(page, 'launch-refused-start');
  expect((await request(served, 'GET', `/api/app/v1/service/?name=${name}`)).body.objects).toEqual([]);
  expect((await docker(['ps', '-aq', '--filter', `name=^/${name}-`])).stdout).toBe('');

  // The wizard keeps what was typed: back to the first step, a command that works, and again.
  await page.getByRole('button', { name: 'Back' }).click();
  await launch('sleep 1000');
  await page.getByRole('heading', { name }).waitFor({ timeout: 20_000 });
  const [service] = (await request(served, 'GET', `/api/app/v1/service/?name=${name}`)).body.objects;
  expect(service).toMatchObject({ name, state: 'Running' });
});
