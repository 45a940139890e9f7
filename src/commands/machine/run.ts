/** `svc m run IMAGE [CMD...]`: record a machine, create its container `<app>-<name>`, start it. */
import type { Context } from '../../context.js';
import { machinePolicyFromConfig, type FlyApiPolicyWord } from '../../core/dialects/fly.js';
import { DEFAULT_PROCESS_GROUP } from '../../core/machineConfig.js';
import { checkFlyName, randomMachineName } from '../../core/machineNames.js';
import type { Workload } from '../../core/workload.js';
import { launchWorkload } from '../../engine/create.js';
import { ensureSupervisor } from '../../supervisor/control.js';
import { specFromFlags } from '../service/options.js';
import { appForNewMachine } from './app.js';

export interface RunMachineFlags {
  name?: string;
  app?: string;
  /** Already parsed by parseFlyCliRestart: on-fail arrives as on-failure. */
  restart?: FlyApiPolicyWord;
  rm?: boolean;
  env?: string[];
}

export const runMachine = async (ctx: Context, image: string, command: string[], flags: RunMachineFlags): Promise<Workload> => {
  // Fly: `m run` restarts always; with --rm it defaults to no, and the machine is destroyed when it stops.
  const restart = flags.restart ?? (flags.rm ? 'no' : 'always');
  const policy = machinePolicyFromConfig({ policy: restart }, Boolean(flags.rm));
  const app = appForNewMachine(flags.app);
  const name = flags.name === undefined ? randomMachineName() : checkFlyName('machine name', '-n/--name', flags.name);
  const spec = specFromFlags(image, command, { env: flags.env });
  const workload = await launchWorkload(ctx, {
    dialect: 'machine',
    name,
    app,
    processGroup: DEFAULT_PROCESS_GROUP,
    spec,
    policy,
    targetInstances: 1,
  });
  await ensureSupervisor(ctx);
  return workload;
};
