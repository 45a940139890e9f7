/** A Machines API config to svc's request words, and Fly's durations to seconds. Pure. */
import { flyApiPolicyWord } from '../../core/dialects/fly-table.js';
import { usageError } from '../../errors.js';
import type { MachineConfigChange } from '../../operations/machine.js';
import type { MachineConfigBody } from './schemas.js';

/** fly_process_group and fly_platform_version are svc's to set; the rest is the user's. */
const SVC_METADATA = new Set(['fly_process_group', 'fly_platform_version']);

/** Fly's `exec` replaces both; otherwise the entrypoint's first word is docker's entrypoint and the rest leads the command. */
const commandOf = (init: MachineConfigBody['init'] = {}) => {
  const run = init.exec ?? [...(init.entrypoint ?? []), ...(init.cmd ?? [])];
  const overridesEntrypoint = init.exec !== undefined || (init.entrypoint?.length ?? 0) > 0;
  if (!overridesEntrypoint) return { entrypoint: null, command: init.cmd ?? [] };
  if (run.length === 0) throw usageError('config.init.exec must name a program');
  return { entrypoint: run[0], command: run.slice(1) };
};

export const configChange = (config: MachineConfigBody): MachineConfigChange & { processGroup?: string } => {
  const { entrypoint, command } = commandOf(config.init);
  // The schema lets only strings through; the type of an object with named and other properties cannot say so.
  const metadata = Object.fromEntries(
    Object.entries(config.metadata ?? {}).flatMap(([key, value]) =>
      typeof value === 'string' && !SVC_METADATA.has(key) ? [[key, value]] : [],
    ),
  );
  const policy = config.restart?.policy;
  return {
    image: config.image,
    command,
    entrypoint,
    env: Object.entries(config.env ?? {}).map(([key, value]) => ({ key, value })),
    memoryMb: config.guest?.memory_mb ?? null,
    // The API's default when no restart policy is given: on-failure, 10 retries in 5 minutes.
    restart: policy === undefined ? 'on-failure' : flyApiPolicyWord(policy),
    maxRetries: config.restart?.max_retries,
    autoDestroy: config.auto_destroy ?? false,
    metadata,
    processGroup: config.metadata?.fly_process_group,
  };
};

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** 10, "10", "10s", "1m30s", "500ms" -> whole seconds (rounded up). */
export const durationSeconds = (value: number | string | undefined, field: string): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0)
      throw usageError(`${field} ${value} is not a duration: give whole seconds, 0 or more`);
    return value;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw usageError(`${field} '${value}' is not a duration: give seconds, or a duration such as 10s or 1m30s`);
  }
  return Math.ceil(parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_SECONDS[unit], 0));
};
