/** What the Machines API's routes share: a path's machine, and the machine object they answer with. */
import type { OperationContext } from '../../context.js';
import { conflictError } from '../../errors.js';
import { workloadEvents } from '../../operations/events.js';
import { machineInApp, observeMachine } from '../../operations/machine.js';
import { machineObject } from '../../present/fly.js';
import { configChange } from './config.js';
import type { MachineConfigBody } from './schemas.js';

export const OK = { ok: true } as const;

export const machineLookup = (ctx: OperationContext) => {
  /** svc's log and the backend's own history (a swarm machine's tasks), as `svc m status` shows them. */
  const recentEvents = (id: string) => workloadEvents(ctx, id);
  return {
    recentEvents,
    /** The machine `:id` of app `:app`: another app's machine is not found. */
    machineOf: (params: { app: string; id: string }) => machineInApp(ctx, params.app, params.id),
    present: async (id: string) => {
      const observed = await observeMachine(ctx, id);
      return machineObject(observed, await recentEvents(id));
    },
  };
};

export type MachineLookup = ReturnType<typeof machineLookup>;

/** The config read, with the rule in the API's own words (the CLI's names --restart and --rm). */
export const checkedChange = (config: MachineConfigBody) => {
  const change = configChange(config);
  if (change.restart === 'always' && change.autoDestroy) {
    throw conflictError(
      'config.restart.policy always cannot be used with config.auto_destroy: an always-restarting machine is never destroyed',
    );
  }
  return change;
};
