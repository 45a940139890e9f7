/**
 * The bodies and queries the Docker Cloud and Tutum clients send (API.md). Policy words are plain
 * strings here: they are read case-insensitively by the operation, which names the valid ones.
 */
import { SERVICE_POLICY_BODY_PROPERTIES, type ServicePolicyBody } from '../../core/dialects/dockercloud-body.js';
import { MAX_CONTAINERS_PER_SERVICE, MAX_MEMORY_MB, MIN_MEMORY_MB } from '../../core/limits.js';
import { nameSchema } from '../../core/names.js';
import { BACKENDS } from '../../core/workload.js';
import type { Validated } from '../endpoint.js';

/** The ranges the CLI checks its flags against, so that the field is named in the 400. */
const containers = (minimum: number) => ({ type: 'integer', minimum, maximum: MAX_CONTAINERS_PER_SERVICE }) as const;
const memory = { type: ['integer', 'null'], minimum: MIN_MEMORY_MB, maximum: MAX_MEMORY_MB } as const;
const nullableText = { type: ['string', 'null'] } as const;

/** Fields of a create that svc accepts and does not act on: networking, volumes, scheduling. */
export const IGNORED_CREATE_FIELDS = [
  'privileged',
  'autoredeploy',
  'sequential_deployment',
  'tags',
  'linked_to_service',
  'bindings',
  'container_ports',
  'roles',
  'net',
  'pid',
  'cpu_shares',
  'deployment_strategy',
] as const;

/** The policy fields, from core's table (Tutum's `auto restart` among them). */
const policyProperties = SERVICE_POLICY_BODY_PROPERTIES;

/** The policy words of a create or a PATCH body. */
export type PolicyFields = ServicePolicyBody;

const envVar = {
  type: 'object',
  required: ['key', 'value'],
  properties: { key: { type: 'string' }, value: { type: 'string' }, origin: { type: 'string' } },
  additionalProperties: false,
} as const;

export const createServiceSchema = {
  type: 'object',
  required: ['image'],
  properties: {
    image: { type: 'string' },
    name: nameSchema,
    target_num_containers: containers(1),
    run_command: nullableText,
    entrypoint: nullableText,
    container_envvars: { type: 'array', items: envVar },
    memory,
    // svc's own: where the service runs (default SVC_BACKEND, else local).
    backend: { type: 'string', enum: BACKENDS },
    ...Object.fromEntries(IGNORED_CREATE_FIELDS.map((field) => [field, {}])),
    // Last: a field core's policy table declares is read, even one this list still ignores.
    ...policyProperties,
  },
  additionalProperties: false,
} as const;

export type CreateServiceBody = Validated<typeof createServiceSchema>;

/** What PATCH changes; the spec fields are known, so that asking to change them gets a clear answer. */
export const SPEC_FIELDS = ['image', 'name', 'run_command', 'entrypoint', 'container_envvars', 'memory'] as const;

export const patchServiceSchema = {
  type: 'object',
  properties: {
    target_num_containers: containers(0),
    ...policyProperties,
    ...Object.fromEntries(SPEC_FIELDS.map((field) => [field, {}])),
  },
  additionalProperties: false,
} as const;

export const scaleServiceSchema = {
  type: 'object',
  properties: { target_num_containers: containers(0) },
  additionalProperties: false,
} as const;

export const MAX_PAGE = 1000;

/** Filters the SDKs and CLIs send, and paging. Unknown filters are refused rather than ignored: a typo would list everything. */
const listQueryProperties = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 25 },
  offset: { type: 'integer', minimum: 0, default: 0 },
  uuid__startswith: { type: 'string', nullable: true },
  name: { type: 'string', nullable: true },
  state: { type: 'string', nullable: true },
  stack: { type: 'string', nullable: true },
  stack__name: { type: 'string', nullable: true },
} as const;

export const serviceListQuerySchema = {
  type: 'object',
  properties: listQueryProperties,
  additionalProperties: false,
} as const;

export const containerListQuerySchema = {
  type: 'object',
  properties: { ...listQueryProperties, service: { type: 'string', nullable: true } },
  additionalProperties: false,
} as const;

/** A list's query: the container list's filters include the service list's. */
export type ListQuery = Validated<typeof containerListQuerySchema>;

/** svc's own: `?start=true` creates and starts, all or nothing (the web page's launch, as `svc service run`). */
export const createServiceQuerySchema = {
  type: 'object',
  properties: { start: { type: 'string', enum: ['true', 'false'] } },
  additionalProperties: false,
} as const;

export const redeployQuerySchema = {
  type: 'object',
  properties: { reuse_volumes: { type: 'string', enum: ['True', 'False', 'true', 'false'] } },
  additionalProperties: false,
} as const;

/** The `:uuid` of a service, container or node path. */
export const uuidParamsSchema = {
  type: 'object',
  required: ['uuid'],
  properties: { uuid: { type: 'string' } },
} as const;
