/** Fly.io Machines restart words (seed 003) <-> the canonical policy. */
import { FLY_DEFAULT_MAX_RETRIES, FLY_RETRY_WINDOW_MS, type RestartMode, type RestartPolicy } from '../policy.js';
import { parseWord } from '../words.js';
import { FLY_RESTART_FIELDS, flyApiPolicyWord, type FlyApiPolicyWord, type FlyRestartConfig } from './fly-table.js';

export * from './fly-table.js';

export const FLY_CLI_RESTART_WORDS = FLY_RESTART_FIELDS.policy.cliWords;
export const FLY_TOML_RESTART_WORDS = FLY_RESTART_FIELDS.policy.tomlWords;

const MODE_BY_API_WORD: Record<FlyApiPolicyWord, RestartMode> = {
  no: 'never',
  always: 'always',
  'on-failure': 'on-failure',
};
const API_WORD_BY_MODE: Record<RestartMode, FlyApiPolicyWord> = {
  never: 'no',
  always: 'always',
  'on-failure': 'on-failure',
};

export const parseFlyCliRestart = (value: string): FlyApiPolicyWord => {
  const word = parseWord(FLY_RESTART_FIELDS.policy.flag, value, FLY_CLI_RESTART_WORDS);
  return flyApiPolicyWord(word);
};

/** fly.toml says never where the API says no. Returns null for a word fly.toml does not know. */
export const flyTomlPolicyToApiWord = (value: string): FlyApiPolicyWord | null => {
  const word = FLY_TOML_RESTART_WORDS.find((w) => w === value.trim().toLowerCase());
  if (word === undefined) return null;
  return word === 'never' ? 'no' : word;
};

export const machinePolicyFromConfig = (restart: FlyRestartConfig, autoDestroy = false): RestartPolicy => {
  const mode = MODE_BY_API_WORD[restart.policy];
  return {
    mode,
    budget:
      mode === 'on-failure'
        ? { max: restart.max_retries ?? FLY_DEFAULT_MAX_RETRIES, windowMs: FLY_RETRY_WINDOW_MS }
        : null,
    replace: null,
    destroy: autoDestroy ? 'always' : 'off',
  };
};

export const machinePolicyToConfig = (policy: RestartPolicy): FlyRestartConfig => {
  const policyWord = API_WORD_BY_MODE[policy.mode];
  if (policyWord !== 'on-failure') return { policy: policyWord };
  return { policy: policyWord, max_retries: policy.budget?.max ?? FLY_DEFAULT_MAX_RETRIES };
};
