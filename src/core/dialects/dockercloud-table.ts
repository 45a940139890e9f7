/**
 * The Docker Cloud / Tutum policy fields, one row each: the one place a field is declared. The CLI's
 * options, the API's schema and PATCH, `service set`, the web's selects and the words' types are all
 * derived from these rows, and what cannot be derived is a Record over the keys, so a new row is a
 * compile error until its rule is written (its mapping to the canonical policy in dockercloud.ts).
 * No imports: the web page bundles this file.
 */
interface ServicePolicyField {
  /** Case-insensitive on the way in, these spellings on the way out. */
  words: readonly [string, ...string[]];
  /** The word a service gets when the field is not given. */
  default: string;
  /** `service run/create/set`'s option; its attribute name is the row's key. */
  flag: `--${string}`;
  /** The option's help, before the words. */
  help: string;
  /** The service object's and the request bodies' field. */
  apiField: string;
  /** Tutum's spelling where it differs, accepted in bodies beside apiField. */
  tutumAlias?: string;
  /** The web page's label for the field's select. */
  label: string;
}

export const SERVICE_POLICY_FIELDS = {
  autorestart: {
    words: ['OFF', 'ON_FAILURE', 'ALWAYS'],
    default: 'OFF',
    flag: '--autorestart',
    help: 'restart containers',
    apiField: 'autorestart',
    tutumAlias: 'auto restart',
    label: 'Autorestart',
  },
  autoreplace: {
    words: ['OFF', 'ON_FAILURE', 'ALWAYS'],
    default: 'OFF',
    flag: '--autoreplace',
    help: 'Tutum crash recovery',
    apiField: 'autoreplace',
    label: 'Autoreplace',
  },
  autodestroy: {
    words: ['OFF', 'ON_SUCCESS', 'ALWAYS'],
    default: 'OFF',
    flag: '--autodestroy',
    help: 'remove stopped containers',
    apiField: 'autodestroy',
    label: 'Autodestroy',
  },
} as const satisfies Record<string, ServicePolicyField>;

type Fields = typeof SERVICE_POLICY_FIELDS;
export type ServicePolicyKey = keyof Fields;
export type ServicePolicyWord<K extends ServicePolicyKey> = Fields[K]['words'][number];

/** The fields' names in the API's objects and bodies (Tutum's aliases aside). */
export type ServicePolicyApiField = Fields[ServicePolicyKey]['apiField'];

/** One word per field: what `service set` changes and what the service object shows. */
export type ServicePolicyWords = { [K in ServicePolicyKey]: ServicePolicyWord<K> };

/** The table's order: the order of the CLI's options, the web's selects and every description. */
export const SERVICE_POLICY_KEYS = Object.keys(SERVICE_POLICY_FIELDS) as ServicePolicyKey[];

/** Each field's default; a default that is not one of its row's words fails to compile. */
export const DEFAULT_SERVICE_POLICY_WORDS = Object.fromEntries(
  SERVICE_POLICY_KEYS.map((key) => [key, SERVICE_POLICY_FIELDS[key].default]),
) as { [K in ServicePolicyKey]: Fields[K]['default'] } satisfies ServicePolicyWords as ServicePolicyWords;

/** The fields given (undefined ones dropped), in the table's keys only. */
export const givenServicePolicyWords = (value: Partial<ServicePolicyWords>): Partial<ServicePolicyWords> =>
  Object.fromEntries(SERVICE_POLICY_KEYS.flatMap((key) => (value[key] === undefined ? [] : [[key, value[key]]])));

/** "autorestart OFF, autoreplace OFF, autodestroy OFF": events, errors and a lost swarm service. */
export const describeServicePolicyWords = (words: ServicePolicyWords): string =>
  SERVICE_POLICY_KEYS.map((key) => `${SERVICE_POLICY_FIELDS[key].apiField} ${words[key]}`).join(', ');

/** The fields' API names, in the table's order (Tutum's aliases aside). */
export const SERVICE_POLICY_API_FIELDS = SERVICE_POLICY_KEYS.map((key) => SERVICE_POLICY_FIELDS[key].apiField);

/** The words under their API names: the service object's fields (and the web's reading of them). */
export const servicePolicyApiWords = (words: ServicePolicyWords): Record<ServicePolicyApiField, string> =>
  Object.fromEntries(SERVICE_POLICY_KEYS.map((key) => [SERVICE_POLICY_FIELDS[key].apiField, words[key]])) as Record<
    ServicePolicyApiField,
    string
  >;
