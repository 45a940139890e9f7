/**
 * The words each dialect uses when the engine refuses something, so that a rule written once in
 * the engine still speaks Docker Cloud to `svc service` and Fly to `svc m` (and their APIs).
 */
import type { Dialect } from '../workload.js';

interface Refusal {
  message: string;
  hint: string;
}

export interface DialectMessages {
  /** ALWAYS restart with autodestroy: a container that always restarts is never destroyed. */
  policyConflict: Refusal;
  nameTaken(name: string, existingId: string): Refusal;
}

export const DIALECT_MESSAGES: Record<Dialect, DialectMessages> = {
  service: {
    policyConflict: {
      message: 'Autodestroy must be OFF when autorestart is ALWAYS: a container that always restarts is never destroyed',
      hint: 'Use --autodestroy OFF, or choose --autorestart ON_FAILURE or OFF.',
    },
    nameTaken: (name, existingId) => ({
      message: `A service named '${name}' already exists (${existingId})`,
      hint: 'Choose another --name, or terminate the existing service first.',
    }),
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
  },
};
