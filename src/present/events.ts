/** svc's event, as `svc events --json` and the events API give it: the time in ISO 8601. */
import type { WorkloadEvent } from '../core/events.js';
import { isoTime } from '../render/time.js';

export const eventObject = (event: WorkloadEvent) => ({ ...event, time: isoTime(event.time) });
