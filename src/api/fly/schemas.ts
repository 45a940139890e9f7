/**
 * The Machines API's bodies (API.md; the fields fly-admin and flyctl send). The config fields svc
 * acts on are checked; those of Fly's platform that a single Docker host has no use for (services,
 * checks, mounts ...) are accepted and not acted on, so a config read from Fly can be sent as it is.
 */
import { FLY_API_ACCEPTED_POLICY_WORDS } from '../../core/dialects/fly-table.js';
import { MAX_MEMORY_MB, MAX_RETRIES_LIMIT, MIN_MEMORY_MB } from '../../core/limits.js';
import { nameSchema } from '../../core/names.js';
import { BACKENDS } from '../../core/workload.js';
import type { Validated } from '../endpoint.js';

/** config.restart.policy's words, from core's Fly table (the API's words, then the CLI's on-fail). */
export const RESTART_POLICIES = FLY_API_ACCEPTED_POLICY_WORDS;

/** What fly-admin's stop and signal may send; svc's docker stops with SIGTERM or SIGKILL only. */
export const SIGNALS = [
  'SIGABRT',
  'SIGALRM',
  'SIGFPE',
  'SIGHUP',
  'SIGILL',
  'SIGINT',
  'SIGKILL',
  'SIGPIPE',
  'SIGQUIT',
  'SIGSEGV',
  'SIGTERM',
  'SIGTRAP',
  'SIGUSR1',
  'SIGUSR2',
] as const;

const IGNORED_CONFIG_FIELDS = [
  'services',
  'checks',
  'mounts',
  'files',
  'dns',
  'processes',
  'schedule',
  'size',
  'standbys',
  'statics',
  'stop_config',
  'metrics',
  'disable_machine_autostart',
] as const;

const words = { type: 'array', items: { type: 'string' } } as const;

export const machineConfigSchema = {
  type: 'object',
  required: ['image'],
  properties: {
    image: { type: 'string' },
    init: {
      type: 'object',
      properties: {
        cmd: words,
        entrypoint: words,
        exec: words,
        tty: { type: 'boolean' },
        swap_size_mb: {},
        kernel_args: {},
      },
      additionalProperties: false,
    },
    env: { type: 'object', additionalProperties: { type: 'string' } },
    guest: {
      type: 'object',
      properties: {
        memory_mb: { type: 'integer', minimum: MIN_MEMORY_MB, maximum: MAX_MEMORY_MB },
        cpus: {},
        cpu_kind: {},
        gpu_kind: {},
        gpus: {},
        kernel_args: {},
        host_dedication_id: {},
      },
      additionalProperties: false,
    },
    restart: {
      type: 'object',
      properties: {
        policy: { type: 'string', enum: RESTART_POLICIES },
        max_retries: { type: 'integer', minimum: 0, maximum: MAX_RETRIES_LIMIT },
      },
      additionalProperties: false,
    },
    auto_destroy: { type: 'boolean' },
    // The process group becomes part of deploy's bookkeeping and every listing: a name, as in fly.toml.
    metadata: {
      type: 'object',
      properties: { fly_process_group: nameSchema },
      additionalProperties: { type: 'string' },
    },
    ...Object.fromEntries(IGNORED_CONFIG_FIELDS.map((field) => [field, {}])),
  },
  additionalProperties: false,
} as const;

export type MachineConfigBody = Validated<typeof machineConfigSchema>;

/** Fields of Fly's requests with no meaning on one host (leases, service registration, volumes). */
const IGNORED_REQUEST_FIELDS = { skip_service_registration: {}, lease_ttl: {}, lsvd: {}, current_version: {} };

export const createMachineSchema = {
  type: 'object',
  required: ['config'],
  properties: {
    name: nameSchema,
    region: { type: 'string' },
    config: machineConfigSchema,
    skip_launch: { type: 'boolean' },
    // svc's own: where the machine runs (default SVC_BACKEND, else local).
    backend: { type: 'string', enum: BACKENDS },
    ...IGNORED_REQUEST_FIELDS,
  },
  additionalProperties: false,
} as const;

export const updateMachineSchema = {
  type: 'object',
  required: ['config'],
  properties: {
    name: nameSchema,
    region: { type: 'string' },
    config: machineConfigSchema,
    skip_launch: { type: 'boolean' },
    ...IGNORED_REQUEST_FIELDS,
  },
  additionalProperties: false,
} as const;

/** Fly's durations: seconds as a number, or Go's duration text ("10s", "1m30s", "500ms"). */
const duration = { type: ['integer', 'string'] } as const;

export const stopMachineSchema = {
  type: 'object',
  properties: { signal: { type: 'string', enum: SIGNALS }, timeout: duration },
  additionalProperties: false,
} as const;

export const restartBodySchema = {
  type: 'object',
  properties: { timeout: duration, signal: { type: 'string', enum: SIGNALS } },
  additionalProperties: false,
} as const;

export const restartQuerySchema = {
  type: 'object',
  properties: { timeout: { type: 'string' }, signal: { type: 'string' } },
  additionalProperties: false,
} as const;

export const signalMachineSchema = {
  type: 'object',
  required: ['signal'],
  properties: { signal: { type: 'string', enum: SIGNALS } },
  additionalProperties: false,
} as const;

export const deleteQuerySchema = {
  type: 'object',
  properties: { force: { type: 'boolean' }, kill: { type: 'boolean' } },
  additionalProperties: false,
} as const;

export const WAIT_STATES = ['started', 'stopped', 'destroyed'] as const;
export const MAX_WAIT_SECONDS = 300;

export const waitQuerySchema = {
  type: 'object',
  properties: {
    state: { type: 'string', enum: WAIT_STATES, default: 'started' },
    timeout: { type: 'integer', minimum: 1, maximum: MAX_WAIT_SECONDS, default: 60 },
    instance_id: { type: 'string' },
  },
  additionalProperties: false,
} as const;

/** `metadata.KEY=VALUE` filters, besides these. */
export const listQuerySchema = {
  type: 'object',
  properties: { include_deleted: { type: 'string' }, region: { type: 'string' }, summary: { type: 'string' } },
  patternProperties: { '^metadata\\.': { type: 'string' } },
  additionalProperties: false,
} as const;

/** org_slug changes nothing: every app is this host's. */
export const appListQuerySchema = {
  type: 'object',
  properties: { org_slug: { type: 'string' } },
  additionalProperties: false,
} as const;

export const appParamsSchema = {
  type: 'object',
  required: ['app'],
  properties: { app: { type: 'string' } },
} as const;

export const machineParamsSchema = {
  type: 'object',
  required: ['app', 'id'],
  properties: { app: { type: 'string' }, id: { type: 'string' } },
} as const;
