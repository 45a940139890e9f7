/** The DC/Tutum `service run` flags (also `m run -e`) as a request for the operation: what only a command line has. */
import fs from 'node:fs';
import { envVarProblem } from '../../core/envVars.js';
import type { EnvVar } from '../../core/workload.js';
import { splitRunCommand, type SpecRequest } from '../../core/workloadSpec.js';
import { usageError, UserError } from '../../errors.js';

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
    if (problem !== null)
      throw usageError(`Invalid environment variable in --env-file ${file}, line ${index + 1}: ${problem}`);
    vars.push({ key, value, secret: true });
  });
  return vars;
};

export interface SpecFlags {
  env?: string[];
  envFile?: string[];
  runCommand?: string;
  entrypoint?: string;
  memory?: number;
}

/** The spec part of `service run` / `m run` flags, for the operation to check and complete. */
export const specRequestFromFlags = (image: string, command: string[], flags: SpecFlags): SpecRequest => {
  if (command.length > 0 && flags.runCommand !== undefined) {
    throw usageError('Give the command either after IMAGE or with -r/--run-command, not both');
  }
  return {
    image,
    command: flags.runCommand !== undefined ? splitRunCommand(flags.runCommand, '-r/--run-command') : command,
    entrypoint: flags.entrypoint ?? null,
    env: [...(flags.envFile ?? []).flatMap(readEnvFile), ...(flags.env ?? []).map((pair) => parseEnvPair(pair))],
    memoryMb: flags.memory ?? null,
  };
};
