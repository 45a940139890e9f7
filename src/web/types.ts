/** The API's objects as the page reads them (see src/present/). */
export interface Service {
  uuid: string;
  resource_uri: string;
  name: string;
  image_name: string;
  state: string;
  autorestart: string;
  autoreplace: string;
  autodestroy: string;
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

export interface RestartConfig {
  policy: 'no' | 'always' | 'on-failure';
  max_retries?: number;
}

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
