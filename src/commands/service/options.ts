/** Parsing of the DC/Tutum `service run` flags into a workload spec and policy words. */
import fs from 'node:fs';
import { parse as parseShellWords } from 'shell-quote';
import type { EnvVar, WorkloadSpec } from '../../core/workload.js';
import { usageError, UserError } from '../../errors.js';

export const parseEnvPair = (pair: string, source = '-e/--env'): EnvVar => {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw usageError(`Invalid environment variable '${pair}' in ${source}: expected KEY=VALUE`);
  return { key: pair.slice(0, eq), value: pair.slice(eq + 1) };
};

/** An env file: KEY=VALUE lines; blank lines and # comments are skipped. */
export const readEnvFile = (file: string): EnvVar[] => {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`Cannot read the env file ${file}: ${(error as Error).message}`, 2, 'Check the path given to --env-file.');
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => parseEnvPair(line, `--env-file ${file}`));
};

/** Later definitions of the same key win, as with docker run. */
export const mergeEnv = (vars: EnvVar[]): EnvVar[] => {
  const byKey = new Map<string, string>();
  for (const { key, value } of vars) byKey.set(key, value);
  return [...byKey].map(([key, value]) => ({ key, value }));
};

/** DC's run_command is one string; it is split into words the way a shell would, without expanding anything. */
export const splitCommand = (command: string, flag: string): string[] => {
  const words = parseShellWords(command);
  if (words.some((word) => typeof word !== 'string')) {
    throw usageError(`${flag} '${command}' uses shell operators; wrap it as: sh -c '...'`);
  }
  return words as string[];
};

export const parsePositiveInt = (flag: string, min: number) => (value: string): number => {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number < min) {
    throw usageError(`Invalid value '${value}' for ${flag}: expected a whole number of at least ${min}`);
  }
  return number;
};

/** DC's default service name: the image name without registry, path or tag. */
export const defaultServiceName = (image: string): string => {
  const withoutDigest = image.split('@')[0];
  const lastPart = withoutDigest.split('/').pop() ?? withoutDigest;
  return lastPart.split(':')[0];
};

export const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export const checkServiceName = (name: string): string => {
  if (!SERVICE_NAME.test(name)) {
    throw usageError(`Invalid service name '${name}': use letters, digits, '.', '_' and '-', starting with a letter or digit`);
  }
  return name;
};

export interface SpecFlags {
  env?: string[];
  envFile?: string[];
  runCommand?: string;
  entrypoint?: string;
  memory?: number;
}

export const specFromFlags = (image: string, command: string[], flags: SpecFlags): WorkloadSpec => {
  if (command.length > 0 && flags.runCommand !== undefined) {
    throw usageError('Give the command either after IMAGE or with -r/--run-command, not both');
  }
  const env = mergeEnv([
    ...(flags.envFile ?? []).flatMap(readEnvFile),
    ...(flags.env ?? []).map((pair) => parseEnvPair(pair)),
  ]);
  return {
    image,
    command: flags.runCommand !== undefined ? splitCommand(flags.runCommand, '-r/--run-command') : command,
    entrypoint: flags.entrypoint ?? null,
    env,
    memoryMb: flags.memory ?? null,
  };
};
