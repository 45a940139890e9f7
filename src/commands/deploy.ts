/** `svc deploy [-c fly.toml] [-a APP] [--dry-run] [--json]`: reads fly.toml, deploys it (operations/deploy.ts), prints what was done. */
import type { Flags } from './flags.js';
import type { Context } from '../context.js';
import type { BackendName } from '../core/workload.js';
import type { DeployStep } from '../core/deployPlan.js';
import { DEFAULT_PROCESS_GROUP, describeRestart } from '../core/machineConfig.js';
import { deployApp, type DeployResult } from '../operations/deploy.js';
import { escapeControlsInLines } from '../render/escape.js';
import { renderTable } from '../render/table.js';
import { loadFlyConfig } from './fly-config.js';

export interface DeployFlags {
  config?: string;
  app?: string;
  json?: boolean;
  /** Print what deploy would do, change nothing. */
  dryRun?: boolean;
  backend?: BackendName;
}

const machines = (count: number, group: string) => `${count} "${group}" machine${count === 1 ? '' : 's'}`;

/** As flyctl, before it acts: what a change to the process groups will do. Empty when none left fly.toml. */
const groupChangeNotice = (steps: DeployStep[]): string => {
  const destroyed = new Map<string, number>();
  for (const step of steps) {
    if (step.kind === 'destroy') {
      const group = step.machine.processGroup ?? DEFAULT_PROCESS_GROUP;
      destroyed.set(group, (destroyed.get(group) ?? 0) + 1);
    }
  }
  if (destroyed.size === 0) return '';
  const created = steps.flatMap((step) => (step.kind === 'create' ? [step.desired.group] : []));
  return [
    'Process groups have changed. This will:',
    ...[...destroyed].map(([group, count]) => ` * destroy ${machines(count, group)}`),
    ...created.map((group) => ` * create ${machines(1, group)}`),
    '',
  ].join('\n');
};

export const deploy = async (ctx: Context, flags: Flags<DeployFlags>) => {
  const { file, config } = loadFlyConfig(flags.config, flags.app);
  const dryRun = Boolean(flags.dryRun);
  const results = await deployApp(ctx, config, {
    dryRun,
    backend: flags.backend,
    onPlan: (steps) => {
      ctx.io.stderr.write(
        dryRun
          ? `==> Dry run of app ${config.app} from ${file}: nothing will be changed\n`
          : `==> Deploying app ${config.app} from ${file}\n`,
      );
      // Groups of machines deployed before fly.toml's names were checked may hold anything.
      ctx.io.stderr.write(escapeControlsInLines(groupChangeNotice(steps)));
    },
  });
  printResults(ctx, results, Boolean(flags.json));
};

const printResults = (ctx: Context, results: DeployResult[], json: boolean) => {
  if (json) return void ctx.io.stdout.write(JSON.stringify(results, null, 2) + '\n');
  ctx.io.stdout.write(
    renderTable(
      ['PROCESS GROUP', 'MACHINE', 'NAME', 'RESULT', 'RESTART', 'CHANGES'],
      results.map((r) => [
        r.process_group,
        r.id || '-',
        r.name || '-',
        r.result,
        describeRestart(r.restart),
        r.changes.join('; '),
      ]),
    ),
  );
};
