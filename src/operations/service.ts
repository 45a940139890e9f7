/**
 * The Docker Cloud / Tutum service operations, for every way in (the CLI, both APIs, the web page):
 * each checks its input, applies DC's defaults, enforces the rules, asks the backend and returns
 * data. Identifiers are a full uuid, a uuid prefix or a name.
 */
import type { OperationContext } from '../context.js';
import {
  DEFAULT_SERVICE_POLICY_WORDS,
  describeServicePolicyWords,
  givenServicePolicyWords,
  SERVICE_POLICY_FIELDS,
  SERVICE_POLICY_KEYS,
  servicePolicyFromWords,
  servicePolicyToWords,
  type ServicePolicyWords,
} from '../core/dialects/dockercloud.js';
import type { BackendName, Workload } from '../core/workload.js';
import { checkServiceName, defaultServiceName, workloadSpec, type SpecRequest } from '../core/workloadSpec.js';
import { usageError } from '../errors.js';
import type { ObservedWorkload } from '../engine/observe.js';
import { refuseGone, resolveAmong } from '../engine/resolve.js';
import { checkInstanceCount } from '../engine/scale.js';
import { enforcedAfter } from './enforce.js';
import { observedWorkload } from './observed.js';
import { stopTogether } from './stop-together.js';

export interface ServiceRequest extends SpecRequest, Partial<ServicePolicyWords> {
  /** Where it runs; default the context's (SVC_BACKEND, else local). */
  backend?: BackendName;
  /** Default: the image's name. */
  name?: string;
  /** Default 1. */
  targetNumContainers?: number;
}

/** Among the workloads of every backend in use (the local state, a swarm). */
const service = async (ctx: OperationContext, identifier: string): Promise<Workload> =>
  resolveAmong(await ctx.backend.list('service'), 'service', identifier);
const liveService = async (ctx: OperationContext, identifier: string): Promise<Workload> =>
  refuseGone(await service(ctx, identifier));

/** `service create` (start: false; DC: Not running, no containers yet) and `service run`. */
export const createService = async (
  ctx: OperationContext,
  request: ServiceRequest,
  { start }: { start: boolean },
): Promise<Workload> => {
  const spec = workloadSpec(request);
  const workload = await ctx.backend.create(
    {
      dialect: 'service',
      name: checkServiceName(request.name ?? defaultServiceName(spec.image)),
      app: null,
      processGroup: null,
      spec,
      policy: servicePolicyFromWords({ ...DEFAULT_SERVICE_POLICY_WORDS, ...givenServicePolicyWords(request) }),
      targetInstances: checkInstanceCount(request.targetNumContainers ?? 1, 1),
      ...(request.backend ? { backend: request.backend } : {}),
    },
    { start },
  );
  await ctx.backend.enforcePolicies(workload);
  return workload;
};

/** One service joined with the runtime's view of it. */
export const observeService = async (ctx: OperationContext, identifier: string): Promise<ObservedWorkload> =>
  observedWorkload(ctx, await service(ctx, identifier));

export const startService = async (ctx: OperationContext, identifier: string): Promise<Workload> =>
  enforcedAfter(ctx, ctx.backend.start((await liveService(ctx, identifier)).id));

export const redeployService = async (ctx: OperationContext, identifier: string): Promise<Workload> =>
  enforcedAfter(ctx, ctx.backend.redeploy((await liveService(ctx, identifier)).id));

/** Terminating a terminated service again removes any container it left: the wish is met. */
export const terminateService = async (ctx: OperationContext, identifier: string): Promise<Workload> =>
  ctx.backend.terminate((await service(ctx, identifier)).id);

/**
 * Stops several services together (none restarts while another is being stopped). One promise per
 * identifier, in order; an identifier that matches nothing rejects only its own. Two identifiers of
 * one service share its promise.
 */
export const stopServices = (ctx: OperationContext, identifiers: readonly string[]): Promise<Workload>[] =>
  stopTogether(ctx, 'service', identifiers);

/** New containers are started if the service runs, so their policy must be enforced too. */
export const scaleService = async (ctx: OperationContext, identifier: string, target: number): Promise<Workload> =>
  enforcedAfter(ctx, ctx.backend.scale((await liveService(ctx, identifier)).id, checkInstanceCount(target, 0)));

/** `service set` and PATCH: the words not given keep their value; the change applies to running containers at once. */
export const setServicePolicy = async (
  ctx: OperationContext,
  identifier: string,
  changes: Partial<ServicePolicyWords>,
): Promise<Workload> => {
  const given = requirePolicyChange(changes);
  const workload = await ctx.backend.setPolicy(
    (await liveService(ctx, identifier)).id,
    (current) => servicePolicyFromWords({ ...servicePolicyToWords(current), ...given }),
    (policy) => describeServicePolicyWords(servicePolicyToWords(policy)),
  );
  await ctx.backend.enforcePolicies(workload);
  return workload;
};

/** "--autorestart, --autoreplace or --autodestroy" */
const NAMED_FLAGS = ((flags: string[]) => `${flags.slice(0, -1).join(', ')} or ${flags[flags.length - 1]}`)(
  SERVICE_POLICY_KEYS.map((key) => SERVICE_POLICY_FIELDS[key].flag),
);

/** The words given; none at all is a usage error (checked before any service is looked at). */
export const requirePolicyChange = (changes: Partial<ServicePolicyWords>): Partial<ServicePolicyWords> => {
  const given = givenServicePolicyWords(changes);
  if (Object.keys(given).length === 0) throw usageError(`Nothing to set: give ${NAMED_FLAGS}`);
  return given;
};
