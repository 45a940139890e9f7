/** The app a machine command works in: -a/--app, else `app` from ./fly.toml, else `default` (SPEC §1). */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { checkFlyName } from '../../core/machineNames.js';

export const DEFAULT_APP = 'default';

/**
 * The `app` of ./fly.toml, or null when there is no such file or it names no app. A file that is
 * not valid TOML is left to `svc deploy` / `svc config validate` to report: here it only names a default.
 */
export const appFromFlyToml = (dir: string = process.cwd()): string | null => {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'fly.toml'), 'utf8');
  } catch {
    return null;
  }
  try {
    const { app } = parseToml(text);
    return typeof app === 'string' && app.trim() ? app.trim() : null;
  } catch {
    return null;
  }
};

export const appForNewMachine = (flag: string | undefined): string =>
  checkFlyName('app name', '-a/--app', flag ?? appFromFlyToml() ?? DEFAULT_APP);
