/** The engine object both dialects share (SPEC §1): a spec, a restart policy and its instances. */
import type { RestartPolicy } from './policy.js';

export type Dialect = 'service' | 'machine';

/**
 * What runs a workload's containers: `local`, this host's Docker, kept to its policy by svc's
 * supervisor (workloads from before schema 2 are all local); or `swarm`, a Docker Swarm whose own
 * orchestrator keeps the policy, across its nodes (engine/swarm/swarm-backend.ts).
 */
export type BackendName = 'local' | 'swarm';
export const BACKENDS: readonly BackendName[] = ['local', 'swarm'];

export interface EnvVar {
  key: string;
  value: string;
  /** Came from --env-file: svc shows the key but never the value. Absent in older state files. */
  secret?: true;
}

export interface WorkloadSpec {
  image: string;
  /** argv passed after the image; [] keeps the image's default command. */
  command: string[];
  entrypoint: string | null;
  env: EnvVar[];
  memoryMb: number | null;
}

/** What the user last asked for. The supervisor never fights it. */
export type WorkloadIntent = 'not-started' | 'running' | 'stopped' | 'terminated';
export type InstanceIntent = 'running' | 'stopped' | 'removed';

/** A user operation in progress: exits it causes belong to the user, not to the supervisor. */
export type UserOperation = 'Starting' | 'Stopping' | 'Scaling' | 'Redeploying' | 'Terminating';

/** The process running a user operation (engine/operation-holder.ts); absent in older state files. */
export interface OperationHolder {
  pid: number;
  /** When the process started (/proc/PID/stat's starttime), so a reused pid is not taken for it; null: unknown. */
  startTicks: string | null;
  /** Its pid namespace (/proc/PID/ns/pid): a pid means something only in the same one; null: unknown. */
  pidNamespace: string | null;
}

/**
 * An automatic action written down before Docker is asked, so a supervisor killed mid-way neither
 * loses nor repeats it. Budgets and counters are charged when it is done, so an action cancelled
 * (the user stopped the instance, or the exit turned out to be a daemon restart) costs nothing.
 */
export interface PendingAction {
  action: 'restart' | 'replace' | 'destroy';
  /** The exit this action answers (see exitKey), and its facts. */
  exitKey: string;
  exitCode: number;
  oomKilled: boolean;
  /** When the container stopped (ms, daemon clock). */
  finishedAt: number;
  decidedAt: number;
  /** Back-off: the action runs at decidedAt + delayMs. */
  delayMs: number;
  dueAt: number;
  reason: string;
}

export interface InstanceRecord {
  index: number;
  containerName: string;
  containerId: string | null;
  intent: InstanceIntent;
  /** Timestamps (ms) of automatic restarts and replacements, for the sliding-window budgets. */
  restarts: number[];
  replaces: number[];
  backoffStep: number;
  lastStartedAt: number | null;
  /** All automatic restarts and replacements ever made, for RESTARTS columns. */
  restartCount: number;
  /** The last exit that was judged, and when: each exit is judged once. */
  judgedExitKey: string | null;
  judgedAt: number | null;
  pending: PendingAction | null;
  /** Why the instance was left stopped by the supervisor (budget spent, policy), if it was. */
  stoppedReason: string | null;
}

export interface Workload {
  id: string;
  dialect: Dialect;
  backend: BackendName;
  name: string;
  /** Fly only: app and process group. */
  app: string | null;
  processGroup: string | null;
  /**
   * Fly only: made by `svc deploy`, which updates it, or destroys it once its process group leaves
   * fly.toml. Machines from `m run` are standalone: deploy leaves them alone, as Fly's does.
   */
  deployManaged?: true;
  /** Fly only: the user's own metadata from the Machines API's config (svc's fly_* keys are derived, not stored). */
  metadata?: Record<string, string>;
  spec: WorkloadSpec;
  policy: RestartPolicy;
  targetInstances: number;
  intent: WorkloadIntent;
  operation: { kind: UserOperation; since: number; holder?: OperationHolder } | null;
  instances: InstanceRecord[];
  createdAt: number;
  deployedAt: number | null;
  startedAt: number | null;
  stoppedAt: number | null;
  destroyedAt: number | null;
}

/** 2: workloads name their backend. An older file is upgraded when read (core/migrate.ts). */
export const STATE_SCHEMA_VERSION = 2;

export interface StateDocument {
  schemaVersion: number;
  workloads: Record<string, Workload>;
}

/** Identifies one exit of one container, so the same exit is never judged twice. */
export const exitKey = (containerId: string, finishedAt: string): string => `${containerId}@${finishedAt}`;

export const newInstance = (index: number, containerName: string): InstanceRecord => ({
  index,
  containerName,
  containerId: null,
  intent: 'running',
  restarts: [],
  replaces: [],
  backoffStep: 0,
  lastStartedAt: null,
  restartCount: 0,
  judgedExitKey: null,
  judgedAt: null,
  pending: null,
  stoppedReason: null,
});

/** Docker container names: DC's `<service>-<n>`; a Fly machine is `<app>-<machine name>`. */
export const containerNameFor = (workload: Pick<Workload, 'dialect' | 'name' | 'app'>, index: number): string =>
  workload.dialect === 'service' ? `${workload.name}-${index}` : `${workload.app}-${workload.name}`;

/** Instances the user wants to exist: removed ones are kept only as a record. */
export const liveInstances = (workload: Workload): InstanceRecord[] =>
  workload.instances.filter((instance) => instance.intent !== 'removed');

/** The user wants this instance's container running: both the workload and the instance were last told to run. */
export const wantsRunning = (workload: Workload, instance: InstanceRecord): boolean =>
  workload.intent === 'running' && instance.intent === 'running';
