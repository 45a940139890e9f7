/**
 * A workload on a swarm lives in the swarm: its svc identity and wishes are labels of the swarm
 * service (dialect, name, app, policy, target, intent, times), its spec is the service's spec. Any
 * svc that talks to the manager reads the same workload from them; nothing of it is kept locally.
 * Pure: labels to a Workload and back.
 */
import { isObject } from './isObject.js';
import { LABEL_DIALECT, LABEL_MANAGED, LABEL_WORKLOAD } from './labels.js';
import type { RestartPolicy } from './policy.js';
import type { Dialect, EnvVar, Workload, WorkloadIntent } from './workload.js';

const LABEL = {
  name: 'io.svc.name',
  app: 'io.svc.app',
  group: 'io.svc.process-group',
  policy: 'io.svc.policy',
  target: 'io.svc.target',
  intent: 'io.svc.intent',
  createdAt: 'io.svc.created-at',
  deployedAt: 'io.svc.deployed-at',
  startedAt: 'io.svc.started-at',
  stoppedAt: 'io.svc.stopped-at',
  deployManaged: 'io.svc.deploy-managed',
  metadata: 'io.svc.metadata',
  secretEnv: 'io.svc.secret-env',
} as const;

export { LABEL as SWARM_LABEL };

/** The swarm service's name: a DC service's own name, a Fly machine `<app>-<name>` (as its container's). */
export const swarmServiceName = (workload: Pick<Workload, 'dialect' | 'name' | 'app'>): string =>
  workload.dialect === 'service' ? workload.name : `${workload.app}-${workload.name}`;

const time = (ms: number | null) => (ms === null ? '' : String(ms));

/** Every label svc keeps on the swarm service. */
export const swarmLabels = (w: Workload): Record<string, string> => ({
  [LABEL_MANAGED]: 'true',
  [LABEL_WORKLOAD]: w.id,
  [LABEL_DIALECT]: w.dialect,
  [LABEL.name]: w.name,
  ...(w.app !== null ? { [LABEL.app]: w.app } : {}),
  ...(w.processGroup !== null ? { [LABEL.group]: w.processGroup } : {}),
  [LABEL.policy]: JSON.stringify(w.policy),
  [LABEL.target]: String(w.targetInstances),
  [LABEL.intent]: w.intent,
  [LABEL.createdAt]: String(w.createdAt),
  [LABEL.deployedAt]: time(w.deployedAt),
  [LABEL.startedAt]: time(w.startedAt),
  [LABEL.stoppedAt]: time(w.stoppedAt),
  ...(w.deployManaged ? { [LABEL.deployManaged]: 'true' } : {}),
  ...(w.metadata && Object.keys(w.metadata).length > 0 ? { [LABEL.metadata]: JSON.stringify(w.metadata) } : {}),
  [LABEL.secretEnv]: w.spec.env
    .filter((v) => v.secret)
    .map((v) => v.key)
    .join(','),
});

/** The labels that change with the intent and its times, for `docker service update --label-add`. */
export const swarmIntentLabels = (
  w: Pick<Workload, 'intent' | 'targetInstances' | 'deployedAt' | 'startedAt' | 'stoppedAt'>,
) => ({
  [LABEL.intent]: w.intent,
  [LABEL.target]: String(w.targetInstances),
  [LABEL.deployedAt]: time(w.deployedAt),
  [LABEL.startedAt]: time(w.startedAt),
  [LABEL.stoppedAt]: time(w.stoppedAt),
});

export const swarmPolicyLabels = (policy: RestartPolicy) => ({ [LABEL.policy]: JSON.stringify(policy) });
export const swarmMetadataLabels = (metadata: Record<string, string>) => ({
  [LABEL.metadata]: JSON.stringify(metadata),
});

const INTENTS = new Set<WorkloadIntent>(['not-started', 'running', 'stopped', 'terminated']);
const DIALECTS = new Set<Dialect>(['service', 'machine']);

const number = (text: string | undefined): number | null =>
  text !== undefined && /^\d+$/.test(text) ? Number(text) : null;

const parseJson = <T>(text: string | undefined, check: (value: unknown) => value is T): T | null => {
  if (text === undefined) return null;
  try {
    const value: unknown = JSON.parse(text);
    return check(value) ? value : null;
  } catch {
    return null;
  }
};

const isPolicy = (value: unknown): value is RestartPolicy =>
  typeof value === 'object' &&
  value !== null &&
  ['never', 'on-failure', 'always'].includes((value as RestartPolicy).mode) &&
  'destroy' in value;

const isStringRecord = (value: unknown): value is Record<string, string> =>
  isObject(value) && Object.values(value).every((v) => typeof v === 'string');

export interface SwarmServiceFacts {
  labels: Record<string, string>;
  image: string;
  /** ContainerSpec.Command, the entrypoint when one was set. */
  command: string[];
  args: string[];
  env: string[];
  memoryBytes: number | null;
}

/** The workload a swarm service of svc's holds; null when its labels are not svc's (or not readable). */
export const workloadFromSwarmService = (service: SwarmServiceFacts): Workload | null => {
  const { labels } = service;
  const id = labels[LABEL_WORKLOAD];
  const dialect = labels[LABEL_DIALECT] as Dialect;
  const name = labels[LABEL.name];
  const policy = parseJson(labels[LABEL.policy], isPolicy);
  const intent = labels[LABEL.intent] as WorkloadIntent;
  const createdAt = number(labels[LABEL.createdAt]);
  if (
    labels[LABEL_MANAGED] !== 'true' ||
    !id ||
    !DIALECTS.has(dialect) ||
    !name ||
    !policy ||
    !INTENTS.has(intent) ||
    createdAt === null
  )
    return null;
  const secret = new Set((labels[LABEL.secretEnv] ?? '').split(',').filter(Boolean));
  const env: EnvVar[] = service.env.map((pair) => {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    return { key, value: eq < 0 ? '' : pair.slice(eq + 1), ...(secret.has(key) ? { secret: true as const } : {}) };
  });
  const metadata = parseJson(labels[LABEL.metadata], isStringRecord);
  return {
    id,
    dialect,
    backend: 'swarm',
    name,
    app: labels[LABEL.app] ?? null,
    processGroup: labels[LABEL.group] ?? null,
    ...(labels[LABEL.deployManaged] === 'true' ? { deployManaged: true as const } : {}),
    ...(metadata ? { metadata } : {}),
    spec: {
      image: service.image,
      command: service.args,
      entrypoint: service.command[0] ?? null,
      env,
      memoryMb: service.memoryBytes === null ? null : Math.round(service.memoryBytes / (1024 * 1024)),
    },
    policy,
    targetInstances: number(labels[LABEL.target]) ?? 1,
    intent,
    operation: null,
    instances: [],
    createdAt,
    deployedAt: number(labels[LABEL.deployedAt]),
    startedAt: number(labels[LABEL.startedAt]),
    stoppedAt: number(labels[LABEL.stoppedAt]),
    destroyedAt: null,
  };
};
