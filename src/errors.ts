/** Exit codes from SPEC §3. Only cli.ts turns errors into a process exit. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  notFound: 3,
  dockerUnreachable: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A problem the user can fix: carries its exit code and, where one exists, a hint naming the fix. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.failed,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export const usageError = (message: string, hint?: string) => new UserError(message, ExitCode.usage, hint);
export const notFoundError = (message: string) => new UserError(message, ExitCode.notFound);

export class DockerUnreachableError extends UserError {
  constructor(detail: string) {
    super(
      `Cannot connect to the Docker engine: ${detail}`,
      ExitCode.dockerUnreachable,
      'Start Docker (for example `npm run setup`, or `dockerd --bridge=none --iptables=false --ip6tables=false &` as root) and try again.',
    );
  }
}

/** docker answered, but refused or failed the operation. */
export class DockerCommandError extends UserError {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`docker ${args[0]} failed: ${stderr.trim() || 'no message'}`, ExitCode.failed);
  }
}

/** The state file exists but cannot be read or parsed; it is never reset behind the user's back. */
export class StateFileError extends UserError {
  constructor(file: string, detail: string) {
    super(
      `The state file ${file} cannot be read: ${detail}`,
      ExitCode.failed,
      'Fix or move the file aside yourself; svc leaves it untouched.',
    );
  }
}
