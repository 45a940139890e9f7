/**
 * Debian's Chromium driven by playwright-core, which downloads no browser: the one the setup script
 * installs (`apt-get install chromium`). A test that needs it and cannot find it fails, in CI too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.SVC_CHROMIUM ?? '/usr/bin/chromium';

/** Where the tests leave their screenshots, to be looked at (not compared). */
export const SCREENSHOTS = path.resolve('test-results', 'screenshots');

export const launchBrowser = async (): Promise<Browser> => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `The web page's tests need Chromium at ${CHROMIUM}: \`npm run setup\` (as root) installs Debian's chromium.`,
    );
  }
  // As root and with no network: no sandbox, and none of Chromium's own background connections.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
};

export const screenshot = async (page: Page, name: string): Promise<void> => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
};
