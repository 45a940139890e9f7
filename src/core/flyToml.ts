/** fly.toml text -> what `svc deploy` creates (SPEC §2, §3). Pure: the command reads the file. */
import { parse as parseToml } from 'smol-toml';
import { UserError } from '../errors.js';
import { flyTomlPolicyToApiWord, type FlyRestartConfig } from './dialects/fly.js';
import { envVarProblem } from './envVars.js';
import { isObject } from './isObject.js';
import { IMAGE_REFERENCE_FORM, isImageReference } from './imageRef.js';
import { commandLength, isRetryBudget, MAX_COMMAND_LENGTH, MAX_RETRIES_LIMIT } from './limits.js';
import { isName, NAME_RULE, quotedName } from './names.js';
import { FLY_DEFAULT_MAX_RETRIES } from './policy.js';
import { splitShellWords } from './shellWords.js';

export interface FlyProcessGroup {
  name: string;
  /** Empty: the image's own CMD. */
  command: string[];
  restart: FlyRestartConfig;
}

export interface FlyAppConfig {
  app: string;
  image: string;
  env: Record<string, string>;
  groups: FlyProcessGroup[];
}

/** Every problem in the file at once, worded as flyctl words them, so one edit fixes them all. */
export class FlyConfigError extends UserError {
  constructor(readonly problems: string[]) {
    super([...problems, 'App configuration is not valid'].join('\n'));
    this.name = 'FlyConfigError';
  }
}

type Table = Record<string, unknown>;
/** `processes: null`: the rule applies to every group. */
interface RestartRule {
  processes: string[] | null;
  restart: FlyRestartConfig;
}

const DEFAULT_GROUP = 'app';

/** smol-toml gives a TOML date as a Date, which is an object but not a table. */
const isTable = (value: unknown): value is Table => isObject(value) && !(value instanceof Date);

/**
 * Fly splits a process command into words like a shell, but nothing runs a shell afterwards:
 * `$VAR`, globs and operators stay literal text (DC's run command refuses operators instead:
 * workloadSpec.ts splitRunCommand), and a `#` starting a word begins a comment.
 * What a shell could not split is a problem, not a guess.
 */
const splitProcessCommand = (group: string, command: string, problems: string[]): string[] => {
  const split = splitShellWords(command);
  // The bound every way in has (workloadSpec): the words must fit on docker's argv.
  if (split.ok && commandLength(split.words) > MAX_COMMAND_LENGTH) {
    problems.push(`processes.${group} is ${commandLength(split.words)} characters long, at most ${MAX_COMMAND_LENGTH}`);
    return [];
  }
  if (split.ok) return split.words;
  problems.push(`processes.${group} cannot be split into words: ${split.problem}`);
  return [];
};

const readString = (value: unknown, required: string, problems: string[]): string => {
  if (typeof value === 'string' && value.trim() !== '') return value;
  problems.push(required);
  return '';
};

/** Only an image reference may stand where docker expects an image: anything else could be a flag. */
const readImage = (value: unknown, problems: string[]): string => {
  const image = readString(value, 'build.image is required: svc deploys an existing image', problems);
  if (image !== '' && !isImageReference(image)) {
    problems.push(`build.image ${JSON.stringify(image)} is not an image reference: use ${IMAGE_REFERENCE_FORM}`);
  }
  return image;
};

const readEnv = (value: unknown, problems: string[]): Record<string, string> => {
  if (value === undefined) return {};
  if (!isTable(value)) {
    problems.push('env must be a table of NAME = "value"');
    return {};
  }
  const env: Record<string, string> = {};
  for (const [name, text] of Object.entries(value)) {
    if (typeof text !== 'string') {
      problems.push(`env.${name} must be a string`);
      continue;
    }
    const problem = envVarProblem(name, text);
    if (problem === null) env[name] = text;
    else problems.push(`env: ${problem}`);
  }
  return env;
};

const readProcesses = (value: unknown, problems: string[]): Map<string, string[]> => {
  // flyctl treats a missing or empty [processes] as the single group "app" running the image's CMD.
  if (value === undefined || (isTable(value) && Object.keys(value).length === 0)) return new Map([[DEFAULT_GROUP, []]]);
  if (!isTable(value)) {
    problems.push('processes must be a table of group = "command"');
    return new Map();
  }
  const groups = new Map<string, string[]>();
  for (const [name, command] of Object.entries(value)) {
    // A group becomes a machine's fly_process_group: the Machines API's rule, so that its config goes back as it is.
    if (!isName(name)) problems.push(`invalid process group name ${quotedName(name)}: ${NAME_RULE}`);
    if (typeof command === 'string') groups.set(name, splitProcessCommand(name, command, problems));
    else problems.push(`processes.${name} must be a command string`);
  }
  return groups;
};

const readRestartRule = (entry: Table, groups: ReadonlyMap<string, unknown>, problems: string[]): RestartRule => {
  const word = entry.policy;
  const policy = typeof word === 'string' ? flyTomlPolicyToApiWord(word) : null;
  if (word === undefined) problems.push('restart entry needs a policy: never, always or on-failure');
  else if (policy === null) problems.push(`invalid restart policy: ${String(word)}`);

  const { retries } = entry;
  // The Machines API's bound (isRetryBudget): a deployed machine's config is one the API takes back.
  const retriesValid = isRetryBudget(retries);
  if (retries !== undefined && !retriesValid)
    problems.push(`restart retries must be a whole number from 0 to ${MAX_RETRIES_LIMIT}: ${String(retries)}`);

  let processes: string[] | null = null;
  if (Array.isArray(entry.processes) && entry.processes.every((name) => typeof name === 'string')) {
    // As in flyctl, an empty list means the same as no list: every group.
    processes = entry.processes.length > 0 ? entry.processes : null;
    for (const name of entry.processes) {
      if (!groups.has(name)) problems.push(`restart entry names unknown process group: ${name}`);
    }
  } else if (entry.processes !== undefined) {
    problems.push('restart processes must be an array of process group names');
  }

  // Retries only bound on-failure; the Machines API ignores max_retries for the other policies.
  const restart: FlyRestartConfig =
    policy === 'on-failure'
      ? { policy, max_retries: retriesValid ? retries : FLY_DEFAULT_MAX_RETRIES }
      : { policy: policy ?? 'no' }; // an invalid word was reported; parseFlyToml throws before using this
  return { processes, restart };
};

const readRestartRules = (value: unknown, groups: ReadonlyMap<string, unknown>, problems: string[]): RestartRule[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isTable)) {
    problems.push('restart must be written as [[restart]] entries');
    return [];
  }
  return value.map((entry) => readRestartRule(entry, groups, problems));
};

/**
 * The app fly.toml names, or null when it names none; only that field is read, so a file that is
 * otherwise invalid still names its app. Throws smol-toml's error (naming the line) when the text
 * is not TOML.
 */
export const appOfFlyToml = (text: string): string | null => {
  const { app } = parseToml(text);
  return typeof app === 'string' && app.trim() ? app.trim() : null;
};

export function parseFlyToml(text: string, opts: { appOverride?: string } = {}): FlyAppConfig {
  let doc: Table;
  try {
    doc = parseToml(text);
  } catch (error) {
    throw new FlyConfigError([`fly.toml: ${(error as Error).message.trimEnd()}`]);
  }

  const problems: string[] = [];
  const app =
    opts.appOverride ?? readString(doc.app, 'app is required: set app in fly.toml or pass -a/--app', problems);
  // The app becomes part of container names (`<app>-<machine name>`): the one name rule, as for -a/--app.
  if (app !== '' && !isName(app)) problems.push(`invalid app name ${quotedName(app)}: ${NAME_RULE}`);
  // A [build] with only a dockerfile or builder would need an image build, which svc does not do.
  const build = isTable(doc.build) ? doc.build : {};
  const image = readImage(build.image, problems);
  const env = readEnv(doc.env, problems);
  const commands = readProcesses(doc.processes, problems);
  const rules = readRestartRules(doc.restart, commands, problems);
  if (problems.length > 0) throw new FlyConfigError(problems);

  // Fly: machines created by deploy restart on failure unless [[restart]] says otherwise.
  const restartFor = (group: string): FlyRestartConfig =>
    rules.filter((rule) => rule.processes === null || rule.processes.includes(group)).at(-1)?.restart ?? {
      policy: 'on-failure',
      max_retries: FLY_DEFAULT_MAX_RETRIES,
    };
  const groups = [...commands].map(([name, command]) => ({ name, command, restart: { ...restartFor(name) } }));
  return { app, image, env, groups };
}
