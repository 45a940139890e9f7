/**
 * The words each dialect uses when the engine refuses something, so that a rule written once in
 * the engine still speaks Docker Cloud to `svc service` and Fly to `svc m` (and their APIs).
 */
import type { Dialect, Workload } from '../workload.js';

interface Refusal {
  message: string;
  hint: string;
}

export interface DialectMessages {
  /** ALWAYS restart with autodestroy: a container that always restarts is never destroyed. */
  policyConflict: Refusal;
  nameTaken(name: string, existingId: string): Refusal;
  /** An operation on a terminated service or a destroyed machine. */
  gone(workload: Pick<Workload, 'id' | 'name'>): Refusal;
  notFound(identifier: string): string;
  ambiguous(identifier: string): string;
}

export const DIALECT_MESSAGES: Record<Dialect, DialectMessages> = {
  service: {
    policyConflict: {
      message:
        'Autodestroy must be OFF when autorestart is ALWAYS: a container that always restarts is never destroyed',
      hint: 'Use --autodestroy OFF, or choose --autorestart ON_FAILURE or OFF.',
    },
    nameTaken: (name, existingId) => ({
      message: `A service named '${name}' already exists (${existingId})`,
      hint: 'Choose another --name, or terminate the existing service first.',
    }),
    gone: (workload) => ({
      message: `Service ${workload.name} (${workload.id}) is terminated`,
      hint: 'Create a new one with `svc service run`.',
    }),
    // Docker Cloud's own words.
    notFound: (identifier) => `Cannot find a service with the identifier '${identifier}'`,
    ambiguous: () => 'More than one service has the same identifier, please use the long uuid',
  },
  machine: {
    policyConflict: {
      message: '--restart always cannot be used with --rm: an always-restarting machine is never destroyed',
      hint: 'Drop --rm, or use --restart no or on-fail.',
    },
    nameTaken: (name, existingId) => ({
      message: `A machine named '${name}' already exists (${existingId})`,
      hint: 'Choose another --name, or destroy the existing machine first.',
    }),
    gone: (workload) => ({
      message: `machine ${workload.id} has already been destroyed`,
      hint: 'Create a new one with `svc m run` or `svc deploy`.',
    }),
    // flyctl's words.
    notFound: (identifier) => `machine ${identifier} not found`,
    ambiguous: (identifier) => `more than one machine matches '${identifier}', use the full machine id`,
  },
};
