/** `svc config validate [-c fly.toml]`: the checks `svc deploy` makes first, and nothing else. */
import type { Flags } from './flags.js';
import type { Context } from '../context.js';
import { loadFlyConfig } from './fly-config.js';

export const validateConfig = (ctx: Context, flags: Flags<{ config: string }>) => {
  loadFlyConfig(flags.config);
  // A message, not data: stdout stays empty for scripts.
  ctx.io.stderr.write('✓ Configuration is valid\n');
};
