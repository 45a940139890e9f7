/**
 * Docker Cloud / Tutum policy words (seeds 000-002) <-> the canonical policy. The fields themselves
 * are rows of dockercloud-table.ts; each row's rule is here, in two Records over the table's keys.
 */
import {
  type DestroyMode,
  type RestartMode,
  type RestartPolicy,
  TUTUM_REPLACE_BUDGET,
  TUTUM_RESTART_BUDGET,
} from '../policy.js';
import { parseWord } from '../words.js';
import {
  SERVICE_POLICY_FIELDS,
  SERVICE_POLICY_KEYS,
  type ServicePolicyKey,
  type ServicePolicyWord,
  type ServicePolicyWords,
} from './dockercloud-table.js';

export * from './dockercloud-table.js';

export const AUTORESTART_WORDS = SERVICE_POLICY_FIELDS.autorestart.words;
export const AUTOREPLACE_WORDS = SERVICE_POLICY_FIELDS.autoreplace.words;
export const AUTODESTROY_WORDS = SERVICE_POLICY_FIELDS.autodestroy.words;

export type AutorestartWord = ServicePolicyWord<'autorestart'>;
export type AutoreplaceWord = ServicePolicyWord<'autoreplace'>;
export type AutodestroyWord = ServicePolicyWord<'autodestroy'>;

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

/** A field's word read case-insensitively; an unknown word is a usage error naming `name` (a flag or an API field). */
export const parseServicePolicyWord = <K extends ServicePolicyKey>(
  key: K,
  value: string,
  name: string = SERVICE_POLICY_FIELDS[key].flag,
): ServicePolicyWord<K> => parseWord(name, value, SERVICE_POLICY_FIELDS[key].words);

export const parseAutorestart = (value: string) => parseServicePolicyWord('autorestart', value);
export const parseAutoreplace = (value: string) => parseServicePolicyWord('autoreplace', value);
export const parseAutodestroy = (value: string) => parseServicePolicyWord('autodestroy', value);

/**
 * Each field's share of the canonical policy, given all the words (autoreplace's crash recovery also
 * sets the restart budget). The shares are disjoint; together they are the whole policy
 * (dialect-table.test.ts checks it).
 *
 * DC autorestart alone retries without limit, with back-off. Tutum autoreplace turns crash recovery
 * on: restarts are limited to 3 a minute, then the container is replaced up to 3 times in 5 minutes.
 */
export const POLICY_SHARE_OF_FIELD: { [K in ServicePolicyKey]: (words: ServicePolicyWords) => Partial<RestartPolicy> } =
  {
    autorestart: (words) => ({ mode: MODE_BY_WORD[words.autorestart] }),
    autoreplace: (words) => {
      const replaceMode = MODE_BY_WORD[words.autoreplace];
      const crashRecovery = replaceMode !== 'never';
      return {
        budget: crashRecovery ? { ...TUTUM_RESTART_BUDGET } : null,
        replace: crashRecovery ? { mode: replaceMode, budget: { ...TUTUM_REPLACE_BUDGET } } : null,
      };
    },
    autodestroy: (words) => ({ destroy: DESTROY_BY_WORD[words.autodestroy] }),
  };

const WORD_FROM_POLICY: { [K in ServicePolicyKey]: (policy: RestartPolicy) => ServicePolicyWord<K> } = {
  autorestart: (policy) => WORD_BY_MODE[policy.mode],
  autoreplace: (policy) => (policy.replace ? WORD_BY_MODE[policy.replace.mode] : 'OFF'),
  autodestroy: (policy) => WORD_BY_DESTROY[policy.destroy],
};

export const servicePolicyFromWords = (words: ServicePolicyWords): RestartPolicy =>
  Object.assign({}, ...SERVICE_POLICY_KEYS.map((key) => POLICY_SHARE_OF_FIELD[key](words))) as RestartPolicy;

export const servicePolicyToWords = (policy: RestartPolicy): ServicePolicyWords =>
  Object.fromEntries(SERVICE_POLICY_KEYS.map((key) => [key, WORD_FROM_POLICY[key](policy)])) as ServicePolicyWords;
