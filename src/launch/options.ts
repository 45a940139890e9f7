/** What the launcher (launch/main.ts) hands the CLI besides argv. */
import type { EarlyDockerRun } from '../adapters/early-run.js';

export interface LaunchOptions {
  /** The container listing a read-only command will ask for, already under way. */
  earlyListing?: EarlyDockerRun;
}

/** What the CLI bundle exports to the launcher (see cli.ts). */
export interface CliBundle {
  main(argv: string[], launch?: LaunchOptions): Promise<void>;
}
