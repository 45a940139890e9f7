/** The app a machine command works in: -a/--app, else `app` from ./fly.toml, else `default` (SPEC §1; the default is the operation's). */
import fs from 'node:fs';
import path from 'node:path';
import { appOfFlyToml } from '../../core/flyToml.js';
import { UserError } from '../../errors.js';

/**
 * The `app` of ./fly.toml, or null when there is no such file or it names no app. A file that is
 * not valid TOML is an error: a machine silently made in app `default` would be the wrong app.
 */
export const appFromFlyToml = (dir: string = process.cwd()): string | null => {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'fly.toml'), 'utf8');
  } catch {
    return null;
  }
  try {
    return appOfFlyToml(text);
  } catch (error) {
    const file = path.join(dir, 'fly.toml');
    throw new UserError(`${file} is not valid TOML: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'Fix it (`svc config validate` shows every problem), or give the app with -a/--app.',
      cause: error,
    });
  }
};
