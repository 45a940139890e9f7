/** `docker ps`, `docker service ls`: a docker call's subcommand, named in messages without any user value (those come after `--`). */
export const commandName = (args: readonly string[]): string => {
  const words: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('-') || words.length === 2) break;
    words.push(arg);
  }
  return ['docker', ...words].join(' ');
};
