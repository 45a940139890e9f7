/** `docker ps`, `docker service ls`: a docker call's subcommand, named in messages without any user value (those come after `--`). */
export const commandName = (args: readonly string[]): string => {
  const words: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('-') || words.length === 2) break;
    words.push(arg);
  }
  return ['docker', ...words].join(' ');
};

/** Output a docker call may print before svc ends it, as execa's default: a listing of a thousand containers is a few MB at most. */
export const DOCKER_OUTPUT_LIMIT_BYTES = 100 * 1024 * 1024;
