/** `svc daemon ...` and `svc events`. */
import { Option, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { contextFor, declared, jsonOption, withCommonOptions } from './common.js';

const LISTEN_HELP = 'serve the APIs on HOST:PORT (default 127.0.0.1:7420; port 0 picks a free one)';
const ALLOW_REMOTE_HELP = 'allow a --listen address other hosts can reach (plain HTTP: keep the token secret)';
const PUBLIC_URL_HELP =
  "the URL browsers open when it is not the --listen address (a TLS proxy, a DNS name): its Host and Origin are this server's own";

export const defineSupervisorCommands = (program: CommandUnknownOpts) => {
  const daemon = program.command('daemon').description('the supervisor that enforces restart policies');
  withCommonOptions(
    daemon
      .command('run')
      .description('run the supervisor in the foreground (for systemd); with --listen it serves the APIs too')
      .option('--listen <host:port>', LISTEN_HELP)
      .option('--allow-remote', ALLOW_REMOTE_HELP)
      .option('--public-url <url>', PUBLIC_URL_HELP),
  ).action(async (flags, cmd) => {
    const { runDaemon } = await import('../commands/daemon.js');
    await runDaemon(await contextFor(cmd), declared(flags));
  });
  withCommonOptions(
    daemon
      .command('start')
      .description('start the supervisor in the background; with --listen it serves the APIs too')
      .option('--listen <host:port>', LISTEN_HELP)
      .option('--allow-remote', ALLOW_REMOTE_HELP)
      .option('--public-url <url>', PUBLIC_URL_HELP),
  ).action(async (flags, cmd) => {
    const { startDaemon } = await import('../commands/daemon.js');
    await startDaemon(await contextFor(cmd), declared(flags));
  });
  withCommonOptions(daemon.command('stop').description('stop the background supervisor')).action(
    async (_flags, cmd) => {
      const { stopDaemon } = await import('../commands/daemon.js');
      await stopDaemon(await contextFor(cmd));
    },
  );
  withCommonOptions(daemon.command('status').description('is the supervisor running?').addOption(jsonOption())).action(
    async (flags, cmd) => {
      const { daemonStatus } = await import('../commands/daemon.js');
      daemonStatus(await contextFor(cmd), Boolean(flags.json));
    },
  );

  withCommonOptions(
    program
      .command('serve')
      .description('serve the Docker Cloud, Tutum and Fly Machines APIs in the foreground; prints the URL')
      .option('--listen <host:port>', LISTEN_HELP)
      .option('--allow-remote', ALLOW_REMOTE_HELP)
      .option('--public-url <url>', PUBLIC_URL_HELP)
      .option('--print-token', 'print the API token (made on first use) and exit')
      .addOption(
        new Option(
          '--print-url',
          'print a sign-in link (one use, 5 minutes) for the server that runs now, and exit',
        ).conflicts(['printToken']),
      )
      .addOption(
        new Option(
          '--rotate-token',
          'replace the API token: running servers refuse the old one and end every web session; then exit',
        ).conflicts(['printToken', 'printUrl']),
      ),
  ).action(async (flags, cmd) => {
    const { serve } = await import('../commands/serve.js');
    await serve(await contextFor(cmd), declared(flags));
  });

  withCommonOptions(
    program
      .command('events')
      .description('list (or follow) restart, replace, destroy and user events')
      .argument('[id]', 'a service or machine: uuid, prefix or name')
      .option('-f, --follow', 'keep printing new events (JSON lines with --json)')
      .addOption(jsonOption()),
  ).action(async (id, flags, cmd) => {
    const { showEvents } = await import('../commands/events.js');
    await showEvents(await contextFor(cmd), id, declared(flags));
  });
};
