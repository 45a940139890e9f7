/** Docker Cloud / Tutum policy words (seeds 000-002) <-> the canonical policy. */
import {
  type DestroyMode,
  type RestartMode,
  type RestartPolicy,
  TUTUM_REPLACE_BUDGET,
  TUTUM_RESTART_BUDGET,
} from '../policy.js';
import { parseWord } from '../words.js';

export const AUTORESTART_WORDS = ['OFF', 'ON_FAILURE', 'ALWAYS'] as const;
export const AUTOREPLACE_WORDS = ['OFF', 'ON_FAILURE', 'ALWAYS'] as const;
export const AUTODESTROY_WORDS = ['OFF', 'ON_SUCCESS', 'ALWAYS'] as const;

export type AutorestartWord = (typeof AUTORESTART_WORDS)[number];
export type AutoreplaceWord = (typeof AUTOREPLACE_WORDS)[number];
export type AutodestroyWord = (typeof AUTODESTROY_WORDS)[number];

export interface ServicePolicyWords {
  autorestart: AutorestartWord;
  autoreplace: AutoreplaceWord;
  autodestroy: AutodestroyWord;
}

export const DEFAULT_SERVICE_POLICY_WORDS: ServicePolicyWords = {
  autorestart: 'OFF',
  autoreplace: 'OFF',
  autodestroy: 'OFF',
};

const MODE_BY_WORD: Record<AutorestartWord, RestartMode> = { OFF: 'never', ON_FAILURE: 'on-failure', ALWAYS: 'always' };
const WORD_BY_MODE: Record<RestartMode, AutorestartWord> = {
  never: 'OFF',
  'on-failure': 'ON_FAILURE',
  always: 'ALWAYS',
};
const DESTROY_BY_WORD: Record<AutodestroyWord, DestroyMode> = {
  OFF: 'off',
  ON_SUCCESS: 'on-success',
  ALWAYS: 'always',
};
const WORD_BY_DESTROY: Record<DestroyMode, AutodestroyWord> = {
  off: 'OFF',
  'on-success': 'ON_SUCCESS',
  always: 'ALWAYS',
};

export const parseAutorestart = (value: string) => parseWord('--autorestart', value, AUTORESTART_WORDS);
export const parseAutoreplace = (value: string) => parseWord('--autoreplace', value, AUTOREPLACE_WORDS);
export const parseAutodestroy = (value: string) => parseWord('--autodestroy', value, AUTODESTROY_WORDS);

/**
 * DC autorestart alone retries without limit, with back-off. Tutum autoreplace turns crash recovery
 * on: restarts are limited to 3 a minute, then the container is replaced up to 3 times in 5 minutes.
 */
export const servicePolicyFromWords = (words: ServicePolicyWords): RestartPolicy => {
  const mode = MODE_BY_WORD[words.autorestart];
  const replaceMode = MODE_BY_WORD[words.autoreplace];
  const crashRecovery = replaceMode !== 'never';
  return {
    mode,
    budget: crashRecovery ? { ...TUTUM_RESTART_BUDGET } : null,
    replace: crashRecovery ? { mode: replaceMode, budget: { ...TUTUM_REPLACE_BUDGET } } : null,
    destroy: DESTROY_BY_WORD[words.autodestroy],
  };
};

export const servicePolicyToWords = (policy: RestartPolicy): ServicePolicyWords => ({
  autorestart: WORD_BY_MODE[policy.mode],
  autoreplace: policy.replace ? WORD_BY_MODE[policy.replace.mode] : 'OFF',
  autodestroy: WORD_BY_DESTROY[policy.destroy],
});
