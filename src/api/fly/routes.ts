/**
 * Fly's Machines API, `/v1/apps/{app}/machines` (API.md), as fly-admin and flyctl call it: a
 * machine is a one-instance workload in an app, and every call is the operation `svc m` runs.
 * A plugin under `/v1`; each group of paths is a module of its own.
 */
import type { OperationContext } from '../../context.js';
import type { ApiPlugin } from '../endpoint.js';
import { machineActionRoutes } from './actions.js';
import { appRoutes } from './apps.js';
import { machineLookup } from './lookup.js';
import { machineRoutes } from './machine.js';
import { machineListRoutes } from './machines.js';
import { waitRoutes } from './wait.js';

/** `closing`: the server is stopping; waits end then rather than hold it up for their whole timeout. */
export const flyMachinesRoutes: ApiPlugin<{ ctx: OperationContext; closing: AbortSignal }> = async (
  app,
  { ctx, closing },
) => {
  const lookup = machineLookup(ctx);
  appRoutes(app, ctx);
  machineListRoutes(app, ctx, lookup);
  machineRoutes(app, ctx, lookup);
  machineActionRoutes(app, ctx, lookup);
  waitRoutes(app, ctx, lookup, closing);
};
