/**
 * The state store: one conf-backed JSON document (atomic writes) plus an append-only event log,
 * both under $SVC_HOME. Every read-modify-write holds a cross-process lock (proper-lockfile), so
 * concurrent svc processes never lose an update. A file that cannot be read is reported, never reset.
 */
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import lockfile from 'proper-lockfile';
import { StateFileError } from '../errors.js';
import { compactEvents, type WorkloadEvent } from '../core/events.js';
import { STATE_SCHEMA_VERSION, type StateDocument } from '../core/workload.js';

/** Past this size the event log is rewritten with a bounded history per instance. */
const EVENT_LOG_COMPACT_BYTES = 2 * 1024 * 1024;

const LOCK_OPTIONS = {
  realpath: false,
  stale: 10_000,
  retries: { retries: 400, factor: 1.3, minTimeout: 5, maxTimeout: 100, randomize: true },
};

export interface Transaction {
  state: StateDocument;
  emit(event: WorkloadEvent): void;
}

export interface Store {
  readonly dir: string;
  readonly stateFile: string;
  readonly eventsFile: string;
  read(): StateDocument;
  /** Locked read-modify-write; the state is written and the events appended before the lock is released. */
  update<T>(change: (tx: Transaction) => T): Promise<T>;
  readEvents(): WorkloadEvent[];
}

const emptyState = (): StateDocument => ({ schemaVersion: STATE_SCHEMA_VERSION, workloads: {} });

const checkShape = (file: string, raw: Record<string, unknown>): StateDocument => {
  if (Object.keys(raw).length === 0) return emptyState();
  if (typeof raw.schemaVersion !== 'number' || typeof raw.workloads !== 'object' || raw.workloads === null) {
    throw new StateFileError(file, 'it is not an svc state document (schemaVersion or workloads missing)');
  }
  if (raw.schemaVersion > STATE_SCHEMA_VERSION) {
    throw new StateFileError(file, `schema version ${raw.schemaVersion} was written by a newer svc`);
  }
  return raw as unknown as StateDocument;
};

/** Where state lives when SVC_HOME is not set: the user's config dir, as conf itself would pick. */
export const defaultStateDir = (env: NodeJS.ProcessEnv, homedir: string): string =>
  path.join(env.XDG_CONFIG_HOME || path.join(homedir, '.config'), 'svc');

export const openStore = (stateDir: string): Store => {
  const stateFile = path.join(stateDir, 'state.json');
  const eventsFile = path.join(stateDir, 'events.jsonl');
  const lockPath = path.join(stateDir, 'state.lock');
  // conf reads the file as it is constructed, so it is built on first use, where a bad file is reported.
  let conf: Conf<Record<string, unknown>> | undefined;
  const confStore = () =>
    (conf ??= new Conf<Record<string, unknown>>({
      cwd: stateDir,
      configName: 'state',
      clearInvalidConfig: false,
      serialize: (value) => JSON.stringify(value),
    }));

  const read = (): StateDocument => {
    let raw: Record<string, unknown>;
    try {
      raw = confStore().store;
    } catch (error) {
      throw new StateFileError(stateFile, (error as Error).message);
    }
    return checkShape(stateFile, raw);
  };

  const appendEvents = (events: WorkloadEvent[]) => {
    if (events.length === 0) return;
    fs.appendFileSync(eventsFile, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    if (fs.statSync(eventsFile).size > EVENT_LOG_COMPACT_BYTES) {
      const kept = compactEvents(readEvents());
      const tmp = `${eventsFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, kept.map((e) => JSON.stringify(e)).join('\n') + '\n');
      fs.renameSync(tmp, eventsFile);
    }
  };

  const readEvents = (): WorkloadEvent[] => {
    let text: string;
    try {
      text = fs.readFileSync(eventsFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StateFileError(eventsFile, (error as Error).message);
    }
    // A torn last line (a process killed mid-append) is skipped rather than failing every reader.
    return text.split('\n').flatMap((line) => {
      if (!line) return [];
      try {
        return [JSON.parse(line) as WorkloadEvent];
      } catch {
        return [];
      }
    });
  };

  // Updates from one process are committed in groups: those queued while a commit runs share the
  // next lock, read and write. The supervisor judging 50 simultaneous exits writes a few times, not 50.
  interface Job {
    change: (tx: Transaction) => unknown;
    settle: (outcome: { value?: unknown; error?: unknown }) => void;
  }
  let queued: Job[] = [];
  let draining = false;

  const update = <T>(change: (tx: Transaction) => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queued.push({ change, settle: ({ value, error }) => (error === undefined ? resolve(value as T) : reject(error)) });
      if (!draining) void drain();
    });

  const drain = async () => {
    draining = true;
    while (queued.length > 0) {
      const group = queued;
      queued = [];
      const outcomes = await commitGroup(group).catch((error: unknown) => group.map(() => ({ error })));
      group.forEach((job, i) => job.settle(outcomes[i]));
    }
    draining = false;
  };

  const commitGroup = async (group: Job[]): Promise<{ value?: unknown; error?: unknown }[]> => {
    fs.mkdirSync(stateDir, { recursive: true });
    const release = await lockfile.lock(stateDir, { ...LOCK_OPTIONS, lockfilePath: lockPath });
    try {
      let state = read();
      const events: WorkloadEvent[] = [];
      const outcomes = group.map((job) => {
        // A change that throws leaves nothing behind: the state goes back to before it.
        const before = JSON.stringify(state);
        const eventCount = events.length;
        try {
          return { value: job.change({ state, emit: (event) => events.push(event) }) };
        } catch (error) {
          state = JSON.parse(before) as StateDocument;
          events.length = eventCount;
          return { error: error ?? new Error('state change failed') };
        }
      });
      if (outcomes.some((o) => o.error === undefined)) {
        confStore().store = state as unknown as Record<string, unknown>;
        appendEvents(events);
      }
      return outcomes;
    } finally {
      await release();
    }
  };

  return { dir: stateDir, stateFile, eventsFile, read, update, readEvents };
};
