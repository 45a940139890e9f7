/**
 * Every row of the policy tables walked through every site derived from it: a row cannot be
 * half-wired. The CLI's options, the API's schemas and body reading, `service set`, the web's
 * selects, the swarm's mapping and the canonical policy each answer for each field and each word.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, type CommandUnknownOpts, type Option } from '@commander-js/extra-typings';
import { createDocker } from '../../../src/adapters/docker.js';
import { createServiceSchema, patchServiceSchema } from '../../../src/api/dockercloud/schemas.js';
import { configChange } from '../../../src/api/fly/config.js';
import { machineConfigSchema } from '../../../src/api/fly/schemas.js';
import { defineFlyCommands } from '../../../src/cli/machine.js';
import { defineServiceCommands } from '../../../src/cli/service.js';
import { servicePolicyWordsFromBody } from '../../../src/core/dialects/dockercloud-body.js';
import {
  DEFAULT_SERVICE_POLICY_WORDS,
  POLICY_SHARE_OF_FIELD,
  SERVICE_POLICY_FIELDS,
  SERVICE_POLICY_KEYS,
  servicePolicyFromWords,
  servicePolicyToWords,
  type ServicePolicyKey,
  type ServicePolicyWords,
} from '../../../src/core/dialects/dockercloud.js';
import { FLY_RESTART_FIELDS, machinePolicyFromConfig } from '../../../src/core/dialects/fly.js';
import { samePolicy } from '../../../src/core/deployPlan.js';
import { swarmRestartPolicy } from '../../../src/core/swarmPolicy.js';
import { createService, requirePolicyChange, setServicePolicy } from '../../../src/operations/service.js';
import { MACHINE_RESTART_SELECT, SERVICE_POLICY_SELECTS } from '../../../src/web/views/policy-fields.js';
import { serviceObject } from '../../../src/present/dockercloud.js';
import { inProcessContext } from '../../helpers/context.js';
import { userErrorOf } from '../../helpers/errors.js';
import { createFakeDocker } from '../../supervisor/fake-docker.js';

const program = () => {
  const root = new Command('svc').enablePositionalOptions() as unknown as CommandUnknownOpts;
  defineServiceCommands(root);
  defineFlyCommands(root);
  return root;
};

const commandAt = (root: CommandUnknownOpts, names: string[]): CommandUnknownOpts =>
  names.reduce((command, name) => {
    const found = command.commands.find((c) => c.name() === name || c.aliases().includes(name));
    if (!found) throw new Error(`no command ${names.join(' ')}`);
    return found as CommandUnknownOpts;
  }, root);

const optionAt = (names: string[], flag: string): Option => {
  const option = commandAt(program(), names).options.find((o) => o.long === flag);
  if (!option) throw new Error(`${names.join(' ')} has no ${flag}`);
  return option as Option;
};

/** Each field with each of its words: the rows the table test walks. */
const ROWS = SERVICE_POLICY_KEYS.map((key) => [key, SERVICE_POLICY_FIELDS[key]] as const);
const WORDS = ROWS.flatMap(([key, field]) => field.words.map((word) => [key, word] as const));
const withWord = (key: ServicePolicyKey, word: string): ServicePolicyWords =>
  ({ ...DEFAULT_SERVICE_POLICY_WORDS, [key]: word }) as ServicePolicyWords;

describe.each(ROWS)('Docker Cloud field %s', (key, field) => {
  test('its default is one of its words, and the defaults are a whole words object', () => {
    expect(field.words).toContain(field.default);
    expect(Object.keys(DEFAULT_SERVICE_POLICY_WORDS)).toEqual(SERVICE_POLICY_KEYS);
  });

  test.each(['service run', 'service create', 'run', 'service set'])(
    'svc %s has its option, named after its key, with its help and words',
    (command) => {
      const option = optionAt(command.split(' '), field.flag);
      expect(option.attributeName()).toBe(key);
      expect(option.description).toBe(`${field.help}: ${field.words.join(' | ')}`);
      for (const word of field.words) expect(option.parseArg?.(word.toLowerCase(), undefined)).toBe(word);
      expect(userErrorOf(() => option.parseArg?.('BOGUS', undefined))).toMatchObject({
        kind: 'usage',
        message: `Invalid value 'BOGUS' for ${field.flag}. Valid values: ${field.words.join(', ')}`,
      });
    },
  );

  test('the API schemas of a create and a PATCH have its field (and its Tutum alias)', () => {
    const names = [field.apiField, ...('tutumAlias' in field ? [field.tutumAlias] : [])];
    for (const name of names) {
      expect(createServiceSchema.properties).toHaveProperty([name], { type: 'string' });
      expect(patchServiceSchema.properties).toHaveProperty([name], { type: 'string' });
    }
  });

  test('a body gives its words under its API name (and its Tutum alias), and names it when wrong', () => {
    for (const word of field.words) {
      expect(servicePolicyWordsFromBody({ [field.apiField]: word.toLowerCase() })).toEqual({ [key]: word });
      if ('tutumAlias' in field)
        expect(servicePolicyWordsFromBody({ [field.tutumAlias]: word })).toEqual({ [key]: word });
    }
    expect(userErrorOf(() => servicePolicyWordsFromBody({ [field.apiField]: 'BOGUS' })).message).toMatch(
      new RegExp(`^Invalid value 'BOGUS' for ${field.apiField}\\.`),
    );
  });

  test('the web has a select named as its API field, with its label, words and help', () => {
    expect(SERVICE_POLICY_SELECTS).toContainEqual({
      name: field.apiField,
      label: field.label,
      words: field.words,
      help: field.help,
    });
  });
});

describe('Docker Cloud words through the canonical policy', () => {
  test.each(WORDS)(
    '%s %s survives the round trip; only a word other than the default changes the policy',
    (key, word) => {
      const words = withWord(key, word);
      expect(servicePolicyToWords(servicePolicyFromWords(words))).toEqual(words);
      expect(samePolicy(servicePolicyFromWords(words), servicePolicyFromWords(DEFAULT_SERVICE_POLICY_WORDS))).toBe(
        word === SERVICE_POLICY_FIELDS[key].default,
      );
    },
  );

  test.each(WORDS)('with %s %s, no key of the policy is set by two fields (the shares are disjoint)', (key, word) => {
    const words = withWord(key, word);
    const keys = SERVICE_POLICY_KEYS.flatMap((field) => Object.keys(POLICY_SHARE_OF_FIELD[field](words)));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('the fields share the policy out between them: every key of a policy is set', () => {
    // Fly's builder is an object literal typed RestartPolicy: it has every key the compiler knows.
    const everyKey = Object.keys(machinePolicyFromConfig({ policy: 'no' })).sort();
    const policy = servicePolicyFromWords(DEFAULT_SERVICE_POLICY_WORDS);
    expect(Object.keys(policy).sort()).toEqual(everyKey);
    expect(Object.values(policy)).not.toContain(undefined);
  });

  test.each(WORDS.filter(([key, word]) => word !== SERVICE_POLICY_FIELDS[key].default))(
    'on a swarm, %s %s is mapped, said or refused by name: never dropped',
    (key, word) => {
      const plan = swarmRestartPolicy(servicePolicyFromWords(withWord(key, word)), 'service');
      const byDefault = swarmRestartPolicy(servicePolicyFromWords(DEFAULT_SERVICE_POLICY_WORDS), 'service');
      if (!plan.ok) expect(plan.option).toBe(`${SERVICE_POLICY_FIELDS[key].flag} ${word}`);
      else expect(plan).not.toEqual(byDefault);
    },
  );
});

describe('service set applies every field, and the service object shows it', () => {
  let home: string;
  beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-table-'))));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  test('each word of each field, alone, changes that field and keeps the others', async () => {
    const docker = createFakeDocker(() => Date.now());
    const ctx = inProcessContext(home, createDocker(docker.run, docker.stream));
    for (const [index, [key, word]] of WORDS.entries()) {
      const { id } = await createService(
        ctx,
        { image: 'svc-busybox:latest', name: `table-${index}` },
        { start: false },
      );
      expect(requirePolicyChange({ [key]: word })).toEqual({ [key]: word });
      const updated = await setServicePolicy(ctx, id, { [key]: word });
      expect(servicePolicyToWords(updated.policy)).toEqual(withWord(key, word));
      // The service object (inspect, the API, the web) shows each field under its API name.
      const shown = serviceObject({ workload: updated, instances: [], state: 'Stopped', restarts: 0 });
      for (const field of SERVICE_POLICY_KEYS) {
        expect(shown).toHaveProperty([SERVICE_POLICY_FIELDS[field].apiField], withWord(key, word)[field]);
      }
    }
  });
});

describe('Fly restart fields', () => {
  const { policy, max_retries } = FLY_RESTART_FIELDS;

  test.each([['run'], ['update']])('svc m %s has --restart with its help and the CLI words', (name) => {
    const option = optionAt(['machine', name], policy.flag);
    expect(option.attributeName()).toBe('restart');
    expect(option.description).toBe(`${policy.help}: ${policy.cliWords.join(' | ')}`);
    for (const word of policy.cliWords)
      expect(option.parseArg?.(word, undefined)).toBe(word === 'on-fail' ? 'on-failure' : word);
  });

  test('the web select offers the API words, named as the config field', () => {
    expect(MACHINE_RESTART_SELECT).toEqual({
      name: policy.apiField,
      label: policy.label,
      words: policy.apiWords,
      help: policy.help,
    });
    expect(max_retries.flag).toBeNull();
  });

  test("the Machines API's config schema takes every API and CLI word, the API's first (the order its 400 names them in)", () => {
    const restart = machineConfigSchema.properties.restart.properties;
    expect(restart.policy.enum).toEqual(['no', 'always', 'on-failure', 'on-fail']);
    expect(restart.policy.enum.slice(0, policy.apiWords.length)).toEqual(policy.apiWords);
    for (const word of policy.cliWords) {
      expect(restart.policy.enum).toContain(word);
      expect(configChange({ image: 'svc-busybox:latest', restart: { policy: word } }).restart).toBe(
        word === 'on-fail' ? 'on-failure' : word,
      );
    }
    expect(restart).toHaveProperty(max_retries.apiField);
  });
});
