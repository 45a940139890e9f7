/**
 * The Fly Machines restart fields (seed 003), one row each: a machine config's `restart` object.
 * The CLI's option, the web's select and the words' types are derived from these rows. Imports
 * nothing but the policy's constants: the web page bundles this file.
 */
import { FLY_DEFAULT_MAX_RETRIES } from '../policy.js';

export const FLY_RESTART_FIELDS = {
  policy: {
    /** The Machines API's words, in config.restart.policy. */
    apiWords: ['no', 'always', 'on-failure'],
    /** What `fly m run/update --restart` accepts; on-fail is the CLI's short form of on-failure. */
    cliWords: ['no', 'always', 'on-fail', 'on-failure'],
    /** What fly.toml `[[restart]] policy` accepts: never where the API says no. */
    tomlWords: ['never', 'always', 'on-failure'],
    flag: '--restart',
    help: 'restart policy',
    apiField: 'policy',
    label: 'Restart policy',
  },
  max_retries: {
    /** on-failure's budget in Fly's 5-minute window, when the config gives none. */
    default: FLY_DEFAULT_MAX_RETRIES,
    /** flyctl has no flag for it: the Machines API and fly.toml set it. */
    flag: null,
    help: "on-failure's retries in 5 minutes",
    apiField: 'max_retries',
    label: 'Max retries',
  },
} as const;

export type FlyApiPolicyWord = (typeof FLY_RESTART_FIELDS.policy.apiWords)[number];
type FlyCliPolicyWord = (typeof FLY_RESTART_FIELDS.policy.cliWords)[number];
/** The CLI's short forms (on-fail): not the API's words, but clients send them there too. */
type FlyShortPolicyWord = Exclude<FlyCliPolicyWord, FlyApiPolicyWord>;

/** Each short form's API word: a new CLI word is a compile error here until it is mapped. */
const API_WORD_OF_SHORT_FORM: Record<FlyShortPolicyWord, FlyApiPolicyWord> = { 'on-fail': 'on-failure' };

const isApiPolicyWord = (word: string): word is FlyApiPolicyWord =>
  (FLY_RESTART_FIELDS.policy.apiWords as readonly string[]).includes(word);

/** What config.restart.policy accepts: the API's words, then the CLI's short forms, in the table's order. */
export const FLY_API_ACCEPTED_POLICY_WORDS: readonly (FlyApiPolicyWord | FlyShortPolicyWord)[] = [
  ...FLY_RESTART_FIELDS.policy.apiWords,
  ...FLY_RESTART_FIELDS.policy.cliWords.filter((word): word is FlyShortPolicyWord => !isApiPolicyWord(word)),
];

/** The API's word for a word the CLI or the API accepts (on-fail is on-failure). */
export const flyApiPolicyWord = (word: FlyApiPolicyWord | FlyShortPolicyWord): FlyApiPolicyWord =>
  isApiPolicyWord(word) ? word : API_WORD_OF_SHORT_FORM[word];

/** The machine config's restart object, with the Machines API's words. */
export interface FlyRestartConfig {
  policy: FlyApiPolicyWord;
  max_retries?: number;
}

/** "on-failure (max_retries 10)", "always": the restart config in one phrase, for tables, events and the page. */
export const describeRestart = (restart: FlyRestartConfig): string =>
  restart.max_retries === undefined ? restart.policy : `${restart.policy} (max_retries ${restart.max_retries})`;
