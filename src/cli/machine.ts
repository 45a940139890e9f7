/** The Fly.io Machines dialect: `svc machine` (`svc m`), `svc deploy` and `svc config validate`. */
import { Option, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { FLY_RESTART_FIELDS, parseFlyCliRestart } from '../core/dialects/fly.js';
import { backendOption, collect, contextFor, declared, jsonOption, quietOption, withCommonOptions } from './common.js';

/** From the Fly table's row, as `service`'s policy options come from Docker Cloud's. */
const restartOption = () => {
  const { flag, help, cliWords } = FLY_RESTART_FIELDS.policy;
  return new Option(`${flag} <policy>`, `${help}: ${cliWords.join(' | ')}`).argParser(parseFlyCliRestart);
};

const defineOperation = (machine: CommandUnknownOpts, name: 'start' | 'stop' | 'restart', description: string) =>
  withCommonOptions(
    machine.command(name).description(description).argument('<id...>', 'machine id, id prefix or name'),
  ).action(async (ids, _flags, cmd) => {
    const { runMachineOperation } = await import('../commands/machine/lifecycle.js');
    await runMachineOperation(await contextFor(cmd), name, ids);
  });

const defineMachineCommands = (program: CommandUnknownOpts) => {
  const machine = program.command('machine').alias('m').description('Fly.io Machines').enablePositionalOptions();

  withCommonOptions(
    machine
      .command('run')
      .description('create and start a machine; prints its id')
      .argument('<image>', 'image to run')
      .argument('[command...]', "the machine's command, passed through untouched")
      .option('-n, --name <name>', 'machine name (default: a random one)')
      .option('-a, --app <app>', 'app (default: app in ./fly.toml, else "default")')
      .addOption(restartOption())
      .option('--rm', 'destroy the machine when it exits (restart defaults to no)')
      .option('-e, --env <KEY=VALUE>', 'environment variable (repeatable)', collect)
      .addOption(backendOption())
      .passThroughOptions()
      .addHelpText('after', '\nRestart defaults to always. --restart always cannot be combined with --rm.'),
  ).action(async (image, args, flags, cmd) => {
    const { runMachine } = await import('../commands/machine/run.js');
    const ctx = await contextFor(cmd);
    const workload = await runMachine(ctx, image, args, declared(flags));
    ctx.io.stdout.write(`${workload.id}\n`);
  });

  withCommonOptions(
    machine
      .command('update')
      .description('change a machine: shows the config diff and asks before applying')
      .argument('<id>', 'machine id, id prefix or name')
      .addOption(restartOption())
      .option('-y, --yes', 'apply without asking (needed when not on a terminal)'),
  ).action(async (id, flags, cmd) => {
    const { updateMachine } = await import('../commands/machine/update.js');
    await updateMachine(await contextFor(cmd), id, declared(flags));
  });

  withCommonOptions(
    machine
      .command('status')
      .description("a machine's state, event log and (with -d) config")
      .argument('<id>', 'machine id, id prefix or name')
      .option('-d, --display-config', 'print the machine config as JSON'),
  ).action(async (id, flags, cmd) => {
    const { machineStatus } = await import('../commands/machine/status.js');
    await machineStatus(await contextFor(cmd), id, declared(flags));
  });

  withCommonOptions(
    machine
      .command('list')
      .alias('ls')
      .description("list machines (of -a APP, else of ./fly.toml's app, else of all apps)")
      .option('-a, --app <app>', 'only the machines of this app')
      .addOption(quietOption('machine ids'))
      .addOption(jsonOption()),
  ).action(async (flags, cmd) => {
    const { listMachines } = await import('../commands/machine/list.js');
    await listMachines(await contextFor(cmd), declared(flags));
  });

  defineOperation(machine, 'start', 'start stopped machines');
  defineOperation(machine, 'stop', 'stop machines (never fought by the supervisor)');
  defineOperation(machine, 'restart', 'restart machines afresh from their image (a new container)');

  withCommonOptions(
    machine
      .command('destroy')
      .aliases(['remove', 'rm'])
      .description('destroy machines and their containers')
      .argument('<id...>', 'machine id, id prefix or name')
      .option('-f, --force', 'destroy a machine even when it is not stopped'),
  ).action(async (ids, flags, cmd) => {
    const { destroyMachines } = await import('../commands/machine/lifecycle.js');
    await destroyMachines(await contextFor(cmd), ids, declared(flags));
  });
};

const defineDeployCommands = (program: CommandUnknownOpts) => {
  withCommonOptions(
    program
      .command('deploy')
      .description('create or update one machine per process group from fly.toml')
      .option('-c, --config <file>', 'path to fly.toml', 'fly.toml')
      .option('-a, --app <app>', 'app name (overrides app in fly.toml)')
      .option('--dry-run', 'print what deploy would create, update and destroy; change nothing')
      .addOption(backendOption())
      .addOption(jsonOption()),
  ).action(async (flags, cmd) => {
    const { deploy } = await import('../commands/deploy.js');
    await deploy(await contextFor(cmd), declared(flags));
  });

  const config = program.command('config').description('fly.toml');
  withCommonOptions(
    config
      .command('validate')
      .description('check fly.toml without deploying')
      .option('-c, --config <file>', 'path to fly.toml', 'fly.toml'),
  ).action(async (flags, cmd) => {
    const { validateConfig } = await import('../commands/config-validate.js');
    validateConfig(await contextFor(cmd), declared(flags));
  });
};

export const defineFlyCommands = (program: CommandUnknownOpts) => {
  defineMachineCommands(program);
  defineDeployCommands(program);
};
