/**
 * How long each kind of docker call may take before svc ends it (settings.ts reads them from
 * SVC_DOCKER_*). A file of its own, so that the settings do not load the adapter.
 */
export interface DockerDeadlines {
  /** version, ps, inspect: a few ms when Docker is well. */
  readMs: number;
  /** create, start, rm, kill (a create may pull its image); a stop adds its own --time. */
  changeMs: number;
}

export const DEFAULT_DOCKER_DEADLINES: DockerDeadlines = { readMs: 10_000, changeMs: 120_000 };
