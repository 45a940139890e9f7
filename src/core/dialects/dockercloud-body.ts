/**
 * The policy fields of a Docker Cloud / Tutum request body (create and PATCH), derived from the
 * table: the JSON schema's properties and the words a body gives. Each field is read under its API
 * name and, where Tutum spells it differently, under Tutum's too.
 */
import { usageError } from '../../errors.js';
import { parseServicePolicyWord } from './dockercloud.js';
import {
  SERVICE_POLICY_FIELDS,
  SERVICE_POLICY_KEYS,
  type ServicePolicyKey,
  type ServicePolicyWords,
} from './dockercloud-table.js';

type Fields = typeof SERVICE_POLICY_FIELDS;
type TutumAlias<K extends ServicePolicyKey> = Fields[K] extends { tutumAlias: infer A extends string } ? A : never;
type BodyName = { [K in ServicePolicyKey]: Fields[K]['apiField'] | TutumAlias<K> }[ServicePolicyKey];

/** Policy words are plain strings in a body: read case-insensitively, and a wrong one is named in the 400. */
export type ServicePolicyBody = { [N in BodyName]?: string };

const tutumAlias = (key: ServicePolicyKey): string | undefined =>
  (SERVICE_POLICY_FIELDS[key] as { tutumAlias?: string }).tutumAlias;

const BODY_NAMES = SERVICE_POLICY_KEYS.flatMap((key) => {
  const alias = tutumAlias(key);
  return alias === undefined ? [SERVICE_POLICY_FIELDS[key].apiField] : [SERVICE_POLICY_FIELDS[key].apiField, alias];
});

/** The JSON schema's properties for the policy fields of a create or a PATCH. */
export const SERVICE_POLICY_BODY_PROPERTIES = Object.fromEntries(
  BODY_NAMES.map((name) => [name, { type: 'string' }]),
) as {
  [N in BodyName]: { readonly type: 'string' };
};

/** The words a body gives; a field sent under both its names must say the same word. */
export const servicePolicyWordsFromBody = (body: ServicePolicyBody): Partial<ServicePolicyWords> => {
  const fields = body as Record<string, string | undefined>;
  return Object.fromEntries(
    SERVICE_POLICY_KEYS.flatMap((key) => {
      const { apiField } = SERVICE_POLICY_FIELDS[key];
      const alias = tutumAlias(key);
      const value = fields[apiField];
      const aliasValue = alias === undefined ? undefined : fields[alias];
      if (value !== undefined && aliasValue !== undefined && value.toUpperCase() !== aliasValue.toUpperCase()) {
        throw usageError(`${apiField} and '${alias}' disagree: send one of them`);
      }
      const given = value ?? aliasValue;
      return given === undefined ? [] : [[key, parseServicePolicyWord(key, given, apiField)]];
    }),
  );
};
