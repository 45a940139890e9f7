/** Parsing of the DC/Tutum `service run` flags into a workload spec and policy words. */
import fs from 'node:fs';
import { envVarProblem } from '../../core/envVars.js';
import { IMAGE_REFERENCE_FORM, isImageReference } from '../../core/imageRef.js';
import { splitShellWords } from '../../core/shellWords.js';
import type { EnvVar, WorkloadSpec } from '../../core/workload.js';
import { usageError, UserError } from '../../errors.js';

/** The image goes where docker expects an image; anything else there could be taken for a flag. */
export const checkImageReference = (image: string): string => {
  if (!isImageReference(image)) {
    throw usageError(`Invalid image '${image}': not an image reference`, `Give the image as ${IMAGE_REFERENCE_FORM}.`);
  }
  return image;
};

/** `-e KEY=VALUE`: what the user typed is shown back, except a value docker cannot carry. */
export const parseEnvPair = (pair: string): EnvVar => {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw usageError(`Invalid environment variable '${pair}' in -e/--env: expected KEY=VALUE`);
  const key = pair.slice(0, eq);
  const value = pair.slice(eq + 1);
  const problem = envVarProblem(key, value);
  if (problem !== null) {
    const shown = problem.startsWith('the value') ? key : `'${pair}'`;
    throw usageError(`Invalid environment variable ${shown} in -e/--env: ${problem}`);
  }
  return { key, value };
};

/**
 * An env file: KEY=VALUE lines; blank lines and # comments are skipped. Its values are secrets:
 * svc never shows them, not even in its own error messages, which name the line instead.
 */
export const readEnvFile = (file: string): EnvVar[] => {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`Cannot read the env file ${file}: ${(error as Error).message}`, {
      kind: 'usage',
      hint: 'Check the path given to --env-file.',
      cause: error,
    });
  }
  const vars: EnvVar[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    const problem = eq <= 0 ? 'expected KEY=VALUE' : envVarProblem(key, value);
    if (problem !== null) throw usageError(`Invalid environment variable in --env-file ${file}, line ${index + 1}: ${problem}`);
    vars.push({ key, value, secret: true });
  });
  return vars;
};

/** Later definitions of the same key win, as with docker run, and so does their secrecy. */
export const mergeEnv = (vars: EnvVar[]): EnvVar[] => {
  const byKey = new Map<string, EnvVar>();
  for (const envVar of vars) byKey.set(envVar.key, envVar);
  return [...byKey.values()];
};

/**
 * DC's run_command is one string; it is split into words the way a shell would, without expanding
 * anything. No shell runs it, so shell operators would reach the program as plain words: refused.
 */
export const splitCommand = (command: string, flag: string): string[] => {
  const split = splitShellWords(command);
  if (!split.ok) throw usageError(`${flag} '${command}' cannot be split into words: ${split.problem}`);
  if (split.operators.length > 0) {
    throw usageError(`${flag} '${command}' uses shell operators; wrap it as: sh -c '...'`);
  }
  return split.words;
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
  checkImageReference(image);
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
