/**
 * Docker Cloud's service, container and node objects, as `service inspect`, `service ps --json` and
 * the HTTP API show them (API.md): one place, so every way in gives the same fields.
 *
 * The API's objects link to each other by resource URI, under the base path the client came in by
 * (Docker Cloud's /api/app/v1, Tutum's /api/v1): the SDKs follow resource_uri rather than build
 * their own. The CLI's JSON shows a service's containers in full instead, with their restarts.
 */
import { servicePolicyApiWords, servicePolicyToWords } from '../core/dialects/dockercloud.js';
import { maskSecretEnv } from '../core/envVars.js';
import { quoteShellWords } from '../core/shellWords.js';
import { goDuration, swarmRestartPolicy } from '../core/swarmPolicy.js';
import type { WorkloadEvent } from '../core/events.js';
import type { Workload } from '../core/workload.js';
import type { ObservedInstance, ObservedWorkload } from '../engine/observe.js';
import { dcDatetime } from '../render/time.js';
import { eventObject } from './events.js';

/** Where a client reached the API: Docker Cloud's paths or Tutum's. */
export interface DcPaths {
  /** `/api/app/v1` (Docker Cloud) or `/api/v1` (Tutum). */
  app: string;
  /** `/api/infra/v1` (Docker Cloud) or `/api/v1` (Tutum). */
  infra: string;
}

export const DOCKER_CLOUD_PATHS: DcPaths = { app: '/api/app/v1', infra: '/api/infra/v1' };
export const TUTUM_PATHS: DcPaths = { app: '/api/v1', infra: '/api/v1' };

export const serviceUri = (paths: DcPaths, id: string) => `${paths.app}/service/${id}/`;
export const containerUri = (paths: DcPaths, id: string) => `${paths.app}/container/${id}/`;
export const nodeUri = (paths: DcPaths, id: string) => `${paths.infra}/node/${id}/`;

/**
 * A command as DC's run_command: one line that svc (and a shell) split back into the same words, so
 * it can be read from one service and sent to make another.
 */
export const commandText = (command: readonly string[]) => quoteShellWords(command);

/** The CLI's view of a container: with its restarts and why the supervisor left it stopped. */
export const containerObject = (instance: ObservedInstance, serviceUuid: string) => ({
  uuid: instance.container?.id ?? instance.record.containerId,
  name: instance.record.containerName,
  service: serviceUuid,
  state: instance.state,
  exit_code: instance.container?.exitCode ?? null,
  restarts: instance.record.restartCount,
  stopped_reason: instance.record.stoppedReason,
});

/**
 * A swarm workload's policy as the swarm keeps it, and what it keeps differently (never dropped
 * without a word): for `inspect`, `m status` and the API objects.
 */
export const swarmPolicyFields = (workload: Workload) => {
  if (workload.backend !== 'swarm') return {};
  const plan = swarmRestartPolicy(workload.policy, workload.dialect);
  if (!plan.ok) return { enforced_as: [`not kept: ${plan.option}: ${plan.why}`] };
  const { condition, maxAttempts, windowMs, delayMs } = plan.swarm;
  return {
    swarm_restart_policy: {
      condition,
      max_attempts: maxAttempts,
      window: goDuration(windowMs),
      delay: goDuration(delayMs),
    },
    enforced_as: plan.enforcedAs,
  };
};

/** Instances that have (or had) a container the user still wants. */
const liveContainers = (observed: ObservedWorkload) =>
  observed.instances.filter(
    (i): i is ObservedInstance & { record: { containerId: string } } =>
      i.record.intent !== 'removed' && i.record.containerId !== null,
  );

interface ServiceObjectOptions {
  paths?: DcPaths;
  /** svc's own addition: the service's recent decisions (`service inspect`). */
  events?: readonly WorkloadEvent[];
  /** 'uris' as the API links them, 'objects' as the CLI shows them (default). */
  containers?: 'uris' | 'objects';
}

export const serviceObject = (
  observed: ObservedWorkload,
  { paths = DOCKER_CLOUD_PATHS, events, containers = 'objects' }: ServiceObjectOptions = {},
) => {
  const { workload } = observed;
  const live = liveContainers(observed);
  return {
    uuid: workload.id,
    resource_uri: serviceUri(paths, workload.id),
    name: workload.name,
    image_name: workload.spec.image,
    state: observed.state,
    synchronized: workload.operation === null,
    ...servicePolicyApiWords(servicePolicyToWords(workload.policy)),
    target_num_containers: workload.targetInstances,
    current_num_containers: live.length,
    running_num_containers: live.filter((i) => i.state === 'Running').length,
    stopped_num_containers: live.filter((i) => i.state === 'Stopped').length,
    containers:
      containers === 'uris'
        ? live.map((i) => containerUri(paths, i.record.containerId))
        : observed.instances.map((i) => containerObject(i, workload.id)),
    run_command: workload.spec.command.length ? commandText(workload.spec.command) : null,
    entrypoint: workload.spec.entrypoint,
    container_envvars: maskSecretEnv(workload.spec.env),
    memory: workload.spec.memoryMb,
    public_dns: null,
    stack: null,
    deployed_datetime: dcDatetime(workload.deployedAt),
    started_datetime: dcDatetime(workload.startedAt),
    stopped_datetime: dcDatetime(workload.stoppedAt),
    destroyed_datetime: dcDatetime(workload.destroyedAt),
    restarts: observed.restarts,
    restart_policy: workload.policy,
    backend: workload.backend,
    ...swarmPolicyFields(workload),
    ...(events ? { events: events.map(eventObject) } : {}),
  };
};

/** The API's container object: what the Docker Cloud CLI's `container ps` reads. */
export const containerApiObject = (
  instance: ObservedInstance & { record: { containerId: string } },
  service: Workload,
  paths: DcPaths,
  nodeId: string,
) => ({
  uuid: instance.record.containerId,
  resource_uri: containerUri(paths, instance.record.containerId),
  name: instance.record.containerName,
  state: instance.state,
  image_name: service.spec.image,
  run_command: service.spec.command.length ? commandText(service.spec.command) : null,
  entrypoint: service.spec.entrypoint,
  exit_code: instance.container?.exitCode ?? null,
  deployed_datetime: dcDatetime(service.deployedAt),
  started_datetime: dcDatetime(instance.record.lastStartedAt),
  container_ports: [],
  public_dns: null,
  node: nodeUri(paths, nodeId),
  service: serviceUri(paths, service.id),
  autorestart: servicePolicyToWords(service.policy).autorestart,
  restarts: instance.record.restartCount,
  stopped_reason: instance.record.stoppedReason,
});

/** Every container of these services that exists or existed, in the API's form. */
export const containerApiObjects = (services: readonly ObservedWorkload[], paths: DcPaths, nodeId: string) =>
  services.flatMap((service) =>
    liveContainers(service).map((instance) => containerApiObject(instance, service.workload, paths, nodeId)),
  );

/** The one node: this Docker host. */
export const nodeApiObject = (
  paths: DcPaths,
  node: { id: string; hostname: string; dockerVersion: string | null; containers: number },
) => ({
  uuid: node.id,
  resource_uri: nodeUri(paths, node.id),
  external_fqdn: node.hostname,
  nickname: node.hostname,
  state: node.dockerVersion === null ? 'Unreachable' : 'Deployed',
  docker_version: node.dockerVersion,
  current_num_containers: node.containers,
  node_cluster: null,
  region: null,
  tags: [],
});
