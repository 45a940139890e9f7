/**
 * The policy fields as the page's selects, from core's tables: a select per row, named as the API's
 * field, labelled, worded and explained as the row says. No DOM here, so the table test can walk it.
 */
import { SERVICE_POLICY_FIELDS, SERVICE_POLICY_KEYS } from '../../core/dialects/dockercloud-table.js';
import { FLY_RESTART_FIELDS } from '../../core/dialects/fly-table.js';

export interface PolicySelect {
  name: string;
  label: string;
  words: readonly string[];
  help: string;
}

export const SERVICE_POLICY_SELECTS: PolicySelect[] = SERVICE_POLICY_KEYS.map((key) => {
  const { apiField, label, words, help } = SERVICE_POLICY_FIELDS[key];
  return { name: apiField, label, words, help };
});

/** A machine's restart policy: the Machines API's words (the CLI's on-fail is not one of them). */
export const MACHINE_RESTART_SELECT: PolicySelect = {
  name: FLY_RESTART_FIELDS.policy.apiField,
  label: FLY_RESTART_FIELDS.policy.label,
  words: FLY_RESTART_FIELDS.policy.apiWords,
  help: FLY_RESTART_FIELDS.policy.help,
};
