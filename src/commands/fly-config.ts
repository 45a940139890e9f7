/** The fly.toml that `svc deploy` and `svc config validate` read: the file named by -c, checked whole. */
import fs from 'node:fs';
import path from 'node:path';
import { parseFlyToml, type FlyAppConfig } from '../core/flyToml.js';
import { UserError } from '../errors.js';

export interface LoadedFlyConfig {
  file: string;
  config: FlyAppConfig;
}

/** Reads and checks the whole file; throws before anything else happens, so an invalid file changes nothing. */
export const loadFlyConfig = (file: string | undefined, appOverride?: string): LoadedFlyConfig => {
  const resolved = path.resolve(file ?? 'fly.toml');
  let text: string;
  try {
    text = fs.readFileSync(resolved, 'utf8');
  } catch (error) {
    throw new UserError(
      `Cannot read ${resolved}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { hint: 'Pass the file with -c/--config, or run svc in the folder that holds fly.toml.', cause: error },
    );
  }
  return { file: resolved, config: parseFlyToml(text, { appOverride }) };
};
