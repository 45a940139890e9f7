/** The API's objects as the page reads them (see src/present/). */
import type { ServicePolicyApiField } from '../core/dialects/dockercloud-table.js';
import type { FlyRestartConfig } from '../core/dialects/fly-table.js';

/** A service object; its policy fields are the table's. */
export interface Service extends Record<ServicePolicyApiField, string> {
  uuid: string;
  resource_uri: string;
  name: string;
  image_name: string;
  state: string;
  target_num_containers: number;
  running_num_containers: number;
  run_command: string | null;
  restarts: number;
  deployed_datetime: string | null;
}

export interface Container {
  uuid: string;
  name: string;
  state: string;
  exit_code: number | null;
  restarts: number;
  stopped_reason: string | null;
}

export type RestartConfig = FlyRestartConfig;

export interface Machine {
  id: string;
  name: string;
  state: string;
  app: string;
  instance_id: string;
  restarts: number;
  updated_at: string;
  config: { image: string; restart: RestartConfig; [key: string]: unknown };
}
