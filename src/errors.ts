/**
 * What went wrong, in words every way in understands: cli.ts maps a kind to an exit code (SPEC §3),
 * an HTTP API to a status. A user error never names its exit code itself.
 */
export type ErrorKind = 'usage' | 'not-found' | 'conflict' | 'failed' | 'engine-unreachable' | 'timeout';

export interface UserErrorOptions {
  /** Default 'failed'. */
  kind?: ErrorKind;
  /** The fix, naming the flag or command: printed on its own line after the message. */
  hint?: string;
  /** The error underneath, for logs and for a reader of the stack. */
  cause?: unknown;
}

/** A problem the user can fix (or at least understand); anything else thrown is a bug in svc. */
export class UserError extends Error {
  readonly kind: ErrorKind;
  readonly hint?: string;

  constructor(message: string, { kind = 'failed', hint, cause }: UserErrorOptions = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'UserError';
    this.kind = kind;
    this.hint = hint;
  }
}

export const usageError = (message: string, hint?: string) => new UserError(message, { kind: 'usage', hint });
export const notFoundError = (message: string, hint?: string) => new UserError(message, { kind: 'not-found', hint });
export const conflictError = (message: string, hint?: string) => new UserError(message, { kind: 'conflict', hint });

export class DockerUnreachableError extends UserError {
  constructor(detail: string, cause?: unknown) {
    super(`Cannot connect to the Docker engine: ${detail}`, {
      kind: 'engine-unreachable',
      hint: 'Start Docker (for example `npm run setup`, or `dockerd --bridge=none --iptables=false --ip6tables=false &` as root) and try again.',
      cause,
    });
  }
}

/** "10 s", "0.5 s". */
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Docker did not answer a call within its deadline, and svc ended the docker process. Exit 1 (a
 * call that changes something may have been done in part), HTTP 504. The preflight
 * `serverVersion` turns it into DockerUnreachableError instead: nothing had been asked yet.
 */
export class DockerTimeoutError extends UserError {
  constructor(
    /** `docker ps`: the subcommand's words only, no user value. */
    readonly command: string,
    readonly deadlineMs: number,
  ) {
    super(`Docker did not answer \`${command}\` within ${seconds(deadlineMs)}; svc ended that docker process`, {
      kind: 'timeout',
      hint: 'The Docker engine may be hung or overloaded (`docker info` tells); a change it was asked for may have been made in part. SVC_DOCKER_TIMEOUT_MS (reads) and SVC_DOCKER_CHANGE_TIMEOUT_MS (changes) set how long svc waits.',
    });
  }

  /** "did not answer `docker version` within 10 s": the words a reply may carry without docker's own. */
  get summary(): string {
    return `did not answer \`${this.command}\` within ${seconds(this.deadlineMs)}`;
  }
}

/** Node's spawn failures in words a user reads; any other code is named as it is. */
const SPAWN_FAILURE_WORDS: Record<string, string> = {
  E2BIG: 'its arguments are longer than the system allows',
  EMFILE: 'too many open files in this process',
  ENFILE: 'too many open files on this system',
  EAGAIN: 'the system cannot start another process now',
  ENOMEM: 'not enough memory to start it',
  EACCES: 'permission denied',
};

/**
 * docker could not be started at all. No docker on PATH is kind engine-unreachable (exit 4, nothing
 * was asked of Docker); a shortage here (EMFILE ...) or an argv too long is a failed command (exit 1).
 */
export class DockerSpawnError extends UserError {
  readonly code: string;

  constructor(
    /** `docker create`: the subcommand's words only, no user value. */
    command: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';
    if (code === 'ENOENT') {
      super(`Cannot connect to the Docker engine: the docker CLI is not installed (no \`docker\` on PATH)`, {
        kind: 'engine-unreachable',
        hint: 'Install the Docker CLI, or put the directory that holds it on PATH.',
        cause,
      });
    } else {
      const words = SPAWN_FAILURE_WORDS[code] ?? (cause instanceof Error ? cause.message : String(cause));
      super(`Cannot run \`${command}\`: ${words} (${code})`, { cause });
    }
    this.code = code;
  }
}

/**
 * Several identifiers were acted on and some failed: each failure was reported as it happened (the
 * rest still ran), so this carries no message of its own, only the failures for the exit status.
 */
export class PartialFailure extends UserError {
  constructor(readonly failures: readonly UserError[]) {
    super('', { kind: failures[0]?.kind ?? 'failed' });
  }
}

/** docker answered, but refused or failed the operation. */
export class DockerCommandError extends UserError {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`docker ${args[0]} failed: ${stderr.trim() || 'no message'}`);
  }
}

/** The state file exists but cannot be read or parsed; it is never reset behind the user's back. */
export class StateFileError extends UserError {
  constructor(
    file: string,
    detail: string,
    hint = 'Fix or move the file aside yourself; svc leaves it untouched.',
    cause?: unknown,
  ) {
    super(`The state file ${file} cannot be read: ${detail}`, { hint, cause });
  }
}

/**
 * state.json is gone from a state dir svc has written before (its marker file says so). Starting
 * afresh would forget every workload and orphan their containers, so svc stops and says so.
 */
export class StateFileMissingError extends StateFileError {
  constructor(file: string, marker: string) {
    super(
      file,
      `it has disappeared, yet svc wrote it before (${marker} records that)`,
      `Restore it from a backup, or remove ${marker} to start afresh with no workloads (their containers stay, untracked).`,
    );
  }
}

/**
 * The state was written by a newer svc. This one must not act on it; a supervisor that meets it
 * exits, so that the next command starts the newer svc's supervisor in its place.
 */
export class StateFromNewerSvcError extends StateFileError {
  constructor(file: string, problem: string) {
    super(file, problem, 'Use the newer svc (its `svc daemon start` starts its own supervisor).');
  }
}

/** Node's error codes in words a user reads: "no space left on device" rather than ENOSPC. */
const FS_ERROR_WORDS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
};

const describeFsError = (cause: unknown): string => {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code && FS_ERROR_WORDS[code]) return `${FS_ERROR_WORDS[code]} (${code})`;
  return cause instanceof Error ? cause.message : String(cause);
};

/** A file or dir in the state dir could not be written; what was there before is left as it was. */
export class StateWriteError extends UserError {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`Cannot write ${path}: ${describeFsError(cause)}; nothing was changed`, {
      hint: 'Free some space or make the state dir writable (SVC_HOME chooses another one), then try again.',
      cause,
    });
  }
}

/** A lock in the state dir (state.lock, supervisor.lock, an operation's) could not be taken: a read-only or foreign dir, or held too long. */
export class StateLockError extends UserError {
  constructor(
    readonly lockPath: string,
    cause: unknown,
  ) {
    super(`Cannot take the lock ${lockPath}: ${describeFsError(cause)}; nothing was changed`, {
      hint: 'Make the state dir writable (SVC_HOME chooses another one), then try again.',
      cause,
    });
  }
}

/**
 * This process held the state lock so long without refreshing it that another svc process took it
 * as stale. Writing now could overwrite what that process committed, so nothing is written.
 */
export class StateLockLostError extends UserError {
  constructor(lockPath: string) {
    super(`Another svc process took over the state lock ${lockPath} while this one was working; nothing was written`, {
      hint: 'Try again.',
    });
  }
}
