import { specRequestFromFlags, type SpecFlags } from '../../src/commands/service/options.js';
import type { WorkloadSpec } from '../../src/core/workload.js';
import { workloadSpec } from '../../src/core/workloadSpec.js';

/** `service run` flags as the operation sees them: mapped by the command, then checked and completed. */
export const specFromFlags = (image: string, command: string[], flags: SpecFlags): WorkloadSpec =>
  workloadSpec(specRequestFromFlags(image, command, flags));
