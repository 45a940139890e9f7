/** `svc m run IMAGE [CMD...]`: maps the flags (the app from -a or ./fly.toml), runs the machine. */
import type { Flags } from '../flags.js';
import type { Context } from '../../context.js';
import type { FlyApiPolicyWord } from '../../core/dialects/fly.js';
import type { BackendName, Workload } from '../../core/workload.js';
import { runMachine as runMachineOperation } from '../../operations/machine.js';
import { specRequestFromFlags } from '../service/options.js';
import { appFromFlyToml } from './app.js';

export interface RunMachineFlags {
  name?: string;
  app?: string;
  /** Already parsed by parseFlyCliRestart: on-fail arrives as on-failure. */
  restart?: FlyApiPolicyWord;
  rm?: boolean;
  env?: string[];
  backend?: BackendName;
}

export const runMachine = (
  ctx: Context,
  image: string,
  command: string[],
  flags: Flags<RunMachineFlags>,
): Promise<Workload> =>
  runMachineOperation(ctx, {
    ...specRequestFromFlags(image, command, { env: flags.env }),
    name: flags.name,
    app: flags.app ?? appFromFlyToml() ?? undefined,
    restart: flags.restart,
    autoDestroy: flags.rm,
    backend: flags.backend,
  });
