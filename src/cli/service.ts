/** The DC / Tutum dialect: `svc service ...`, `svc run` and `svc container ps`. */
import { Option, type Command, type CommandUnknownOpts, type OptionValues } from '@commander-js/extra-typings';
import type { Flags } from '../commands/flags.js';
import type { RunServiceFlags } from '../commands/service/run.js';
import {
  DEFAULT_SERVICE_POLICY_WORDS,
  describeServicePolicyWords,
  givenServicePolicyWords,
  parseServicePolicyWord,
  SERVICE_POLICY_FIELDS,
  SERVICE_POLICY_KEYS,
  type ServicePolicyWords,
} from '../core/dialects/dockercloud.js';
import { MAX_CONTAINERS_PER_SERVICE } from '../core/limits.js';
import { CONTAINER_STATES, SERVICE_STATES } from '../core/states.js';
import { usageError } from '../errors.js';
import { backendOption, collect, contextFor, declared, jsonOption, quietOption, withCommonOptions } from './common.js';
import { MAX_MEMORY_MB, MAX_TAIL_LINES, MIN_MEMORY_MB, parseBoundedInt } from './numbers.js';
import { stateOption } from './states.js';

/**
 * One option per row of the policy table, parsed against its row's words. Commander names each
 * option after its flag, which is its row's key (dialect-table.test.ts holds them to it), so the
 * options are typed as the table's words.
 */
const policyOptions = <Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(
  command: Command<Args, Opts, Globals>,
  withDefaults: boolean,
) => {
  for (const key of SERVICE_POLICY_KEYS) {
    const { flag, help, words } = SERVICE_POLICY_FIELDS[key];
    command.addOption(
      new Option(`${flag} <word>`, `${help}: ${words.join(' | ')}`).argParser((value) =>
        parseServicePolicyWord(key, value),
      ),
    );
  }
  return (command as unknown as Command<Args, Opts & Partial<ServicePolicyWords>, Globals>).addHelpText(
    'after',
    withDefaults ? `\nPolicy words are case-insensitive; ${defaultsSentence()}.` : '',
  );
};

/** "each defaults to OFF" while every row's default is one word; otherwise each row's, from the table. */
const defaultsSentence = () => {
  const defaults = new Set(Object.values(DEFAULT_SERVICE_POLICY_WORDS));
  return defaults.size === 1
    ? `each defaults to ${[...defaults][0]}`
    : `the defaults are ${describeServicePolicyWords(DEFAULT_SERVICE_POLICY_WORDS)}`;
};

/** `service run`, `service create` and `svc run`: options come before IMAGE, the rest is the container's command. */
const defineRun = (parent: CommandUnknownOpts, name: string, start: boolean) => {
  const command = parent
    .command(name)
    .description(
      start ? 'create and start a service; prints its uuid' : 'create a service without starting it; prints its uuid',
    )
    .argument('<image>', 'image to run')
    .argument('[command...]', "the container's command, passed through untouched")
    .option('-n, --name <name>', 'service name (default: the image name)')
    .option(
      '-t, --target-num-containers <n>',
      `number of containers (1 to ${MAX_CONTAINERS_PER_SERVICE})`,
      parseBoundedInt('--target-num-containers', 1, MAX_CONTAINERS_PER_SERVICE),
      1,
    )
    .option('-e, --env <KEY=VALUE>', 'environment variable (repeatable)', collect)
    .option('--env-file <file>', 'read environment variables from a file (repeatable)', collect)
    .option('-r, --run-command <command>', 'command to run, as one string')
    .option('--entrypoint <entrypoint>', 'override the image entrypoint')
    .option('--memory <MB>', 'memory limit in MB', parseBoundedInt('--memory', MIN_MEMORY_MB, MAX_MEMORY_MB))
    .addOption(backendOption())
    .passThroughOptions();
  const run = async (image: string, args: string[], flags: Flags<RunServiceFlags>, cmd: CommandUnknownOpts) => {
    const { runService } = await import('../commands/service/run.js');
    const ctx = await contextFor(cmd);
    const workload = await runService(ctx, image, args, flags, start);
    ctx.io.stdout.write(`${workload.id}\n`);
  };
  const withPolicy = withCommonOptions(policyOptions(command, true));
  if (start)
    withPolicy
      .option('--sync', 'wait until the service is Running')
      .action((image, args, flags, cmd) => run(image, args, declared(flags), cmd));
  else withPolicy.action((image, args, flags, cmd) => run(image, args, { ...declared(flags), sync: undefined }, cmd));
};

const defineOperation = (
  service: CommandUnknownOpts,
  name: 'start' | 'stop' | 'terminate' | 'redeploy',
  description: string,
) =>
  withCommonOptions(
    service.command(name).description(description).argument('<id...>', 'service uuid, uuid prefix or name'),
  ).action(async (ids, _flags, cmd) => {
    const { runServiceOperation } = await import('../commands/service/lifecycle.js');
    await runServiceOperation(await contextFor(cmd), name, ids);
  });

export const defineServiceCommands = (program: CommandUnknownOpts) => {
  const service = program.command('service').description('Docker Cloud / Tutum services').enablePositionalOptions();
  defineRun(service, 'run', true);
  defineRun(service, 'create', false);
  defineRun(program, 'run', true);
  defineOperation(service, 'start', 'start stopped services');
  defineOperation(service, 'stop', 'stop services (never fought by the supervisor)');
  defineOperation(service, 'terminate', 'remove services and their containers');
  defineOperation(service, 'redeploy', 'replace every container with a fresh one from the current spec');

  withCommonOptions(
    service
      .command('scale')
      .description('set the number of containers')
      .argument('<args...>', 'ID [ID...] NUMBER_OF_CONTAINERS'),
  ).action(async (args, _flags, cmd) => {
    if (args.length < 2) throw usageError('Usage: svc service scale ID [ID...] NUMBER_OF_CONTAINERS');
    const target = parseBoundedInt('NUMBER_OF_CONTAINERS', 0, MAX_CONTAINERS_PER_SERVICE)(args[args.length - 1]);
    const { scaleServices } = await import('../commands/service/scale.js');
    await scaleServices(await contextFor(cmd), args.slice(0, -1), target);
  });

  withCommonOptions(
    policyOptions(
      service.command('set').description('change restart policies; applies to running containers at once'),
      false,
    ).argument('<id...>', 'service uuid, uuid prefix or name'),
  ).action(async (ids, flags, cmd) => {
    const { setServices } = await import('../commands/service/set.js');
    await setServices(await contextFor(cmd), ids, givenServicePolicyWords(flags));
  });

  withCommonOptions(
    service.command('inspect').description('print the service object as JSON').argument('<id...>'),
  ).action(async (ids, _flags, cmd) => {
    const { inspectServices } = await import('../commands/service/inspect.js');
    await inspectServices(await contextFor(cmd), ids);
  });

  withCommonOptions(
    service
      .command('logs')
      .description("print the service's container logs")
      .argument('<id>')
      .option('-f, --follow', 'follow the output')
      .option('-t, --tail <n>', 'lines from the end of each log', parseBoundedInt('--tail', 0, MAX_TAIL_LINES)),
  ).action(async (id, flags, cmd) => {
    const { serviceLogs } = await import('../commands/service/logs.js');
    await serviceLogs(await contextFor(cmd), id, declared(flags));
  });

  withCommonOptions(
    service
      .command('ps')
      .description('list services')
      .addOption(quietOption('uuids'))
      .addOption(stateOption(SERVICE_STATES, 'services'))
      .addOption(jsonOption()),
  ).action(async (flags, cmd) => {
    const { listServices } = await import('../commands/service/ps.js');
    await listServices(await contextFor(cmd), declared(flags));
  });

  const container = program.command('container').description('containers of services');
  withCommonOptions(
    container
      .command('ps')
      .description('list containers')
      .addOption(quietOption('container ids'))
      .addOption(stateOption(CONTAINER_STATES, 'containers'))
      .option('--service <id>', 'only the containers of this service')
      .option('--no-trunc', 'full container ids')
      .addOption(jsonOption()),
  ).action(async (flags, cmd) => {
    const { listContainers } = await import('../commands/container/ps.js');
    await listContainers(await contextFor(cmd), declared(flags));
  });
};
