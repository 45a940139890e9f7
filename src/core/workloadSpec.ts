/**
 * What a new workload is made from, checked the same way whichever way it came in (flags, fly.toml,
 * an API body): the image cannot be read as a Docker flag, env values can be carried, names are
 * names Docker accepts. Pure.
 */
import { usageError } from '../errors.js';
import { envVarProblem } from './envVars.js';
import { IMAGE_REFERENCE_FORM, imageReferenceParts, isImageReference } from './imageRef.js';
import { splitShellWords } from './shellWords.js';
import { commandLength, MAX_COMMAND_LENGTH, MAX_MEMORY_MB, MIN_MEMORY_MB } from './limits.js';
import { isName, NAME_RULE, quotedName } from './names.js';
import type { EnvVar, WorkloadSpec } from './workload.js';

/** The image goes where docker expects an image; anything else there could be taken for a flag. */
export const checkImageReference = (image: string): string => {
  if (!isImageReference(image)) {
    throw usageError(`Invalid image '${image}': not an image reference`, `Give the image as ${IMAGE_REFERENCE_FORM}.`);
  }
  return image;
};

/** Later definitions of the same key win, as with docker run, and so does their secrecy. */
export const mergeEnv = (vars: readonly EnvVar[]): EnvVar[] => {
  const byKey = new Map<string, EnvVar>();
  for (const envVar of vars) byKey.set(envVar.key, envVar);
  return [...byKey.values()];
};

/** A value is never shown in the message: it may be a secret. */
export const checkEnv = (vars: readonly EnvVar[]): readonly EnvVar[] => {
  for (const { key, value } of vars) {
    const problem = envVarProblem(key, value);
    if (problem !== null) throw usageError(`Invalid environment variable ${key}: ${problem}`);
  }
  return vars;
};

/**
 * DC's run_command is one string; it is split into words the way a shell would, without expanding
 * anything. No shell runs it, so shell operators would reach the program as plain words: refused.
 * (fly.toml's process commands keep them as text, as Fly does: flyToml.ts splitProcessCommand.)
 * `label` names where it came from (-r/--run-command, run_command).
 */
export const splitRunCommand = (command: string, label: string): string[] => {
  const split = splitShellWords(command);
  if (!split.ok) throw usageError(`${label} '${command}' cannot be split into words: ${split.problem}`);
  if (split.operators.length > 0) {
    throw usageError(`${label} '${command}' uses shell operators; wrap it as: sh -c '...'`);
  }
  return split.words;
};

/** DC's default service name: the image name without registry, path or tag. */
export const defaultServiceName = (image: string): string => imageReferenceParts(image).repository.split('/').at(-1)!;

export const checkServiceName = (name: string): string => {
  if (!isName(name)) throw usageError(`Invalid service name ${quotedName(name)}: ${NAME_RULE}`);
  return name;
};

export interface SpecRequest {
  image: string;
  command?: readonly string[];
  entrypoint?: string | null;
  env?: readonly EnvVar[];
  memoryMb?: number | null;
}

/** A memory limit Docker takes, whichever way in it came (the CLI's --memory checks it too, naming the flag). */
export const checkMemoryMb = (memoryMb: number | null): number | null => {
  if (memoryMb !== null && !(Number.isInteger(memoryMb) && memoryMb >= MIN_MEMORY_MB && memoryMb <= MAX_MEMORY_MB)) {
    throw usageError(
      `Invalid memory limit ${memoryMb} MB: expected a whole number from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB}`,
    );
  }
  return memoryMb;
};

/** The command and entrypoint fit on docker's argv (MAX_COMMAND_LENGTH), whichever way in they came. */
export const checkCommandLength = (words: readonly string[]): void => {
  const length = commandLength(words);
  if (length > MAX_COMMAND_LENGTH)
    throw usageError(`Invalid command: ${length} characters with its entrypoint, at most ${MAX_COMMAND_LENGTH}`);
};

/** The spec with svc's defaults: no command (the image's), no entrypoint override, no env, no memory limit. */
export const workloadSpec = (request: SpecRequest): WorkloadSpec => {
  const image = checkImageReference(request.image);
  const command = [...(request.command ?? [])];
  const entrypoint = request.entrypoint ?? null;
  checkCommandLength(entrypoint === null ? command : [entrypoint, ...command]);
  return {
    image,
    command,
    entrypoint,
    env: mergeEnv(checkEnv(request.env ?? [])),
    memoryMb: checkMemoryMb(request.memoryMb ?? null),
  };
};
