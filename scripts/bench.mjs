#!/usr/bin/env node
/**
 * svc benchmark: prints figures, asserts nothing. Needs a running Docker engine and the test image
 * (npm run setup). Run with `npm run bench`; it cleans up what it makes.
 *   (0) start-up: `svc --version` beside `node -e 0`; `svc service ps` (50 services) and `svc m list`
 *       (50 machines) beside a bare script that only runs the same `docker ps` and reads state.json
 *       (the floor), each also with the launcher's speed-only parts off one at a time
 *   (a) die -> running again latency, 20 first-restarts, svc vs Docker's own --restart always
 *   (b) restart bursts (8 and 50 at once, svc vs Docker, alternating rounds): first die -> last running,
 *       per container die -> running, where svc's time goes (its trace); and 200 at once for svc alone
 *   (c) supervisor CPU and memory while idle with 200 managed containers
 *   (d) the HTTP API: Docker Cloud's service list (50 services) and Fly's machine list (50 machines)
 *       under 50 concurrent connections for 10 s (autocannon): requests/s, p50/p99, errors, RSS
 *   (e) the web page's weight: bytes transferred on its first load, in Debian's Chromium
 *   (f) on a two-node swarm of its own: die -> running again for the swarm backend next to the local
 *       supervisor, for the same crashing workload; the time a drained node's tasks take to run elsewhere
 * `node scripts/bench.mjs startup|restart|burst|idle|api|web|swarm` runs one part; SVC_BENCH_ROUNDS sets the rounds of (b);
 * SVC_BENCH_OTHER_SVC names another build's bin/svc for (0) to time beside this one.
 */
import autocannon from 'autocannon';
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SVC = path.join(ROOT, 'bin', 'svc');
const IMAGE = process.env.SVC_TEST_IMAGE ?? 'svc-busybox:latest';
const RUN_ID = Date.now().toString(36);
const BENCH_LABEL = `svc-bench=${RUN_ID}`;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-bench-'));
/** The supervisor's trace of each restart's stages, for (b). */
const TRACE_FILE = path.join(home, 'restart-trace.jsonl');
const env = { ...process.env, SVC_HOME: home, NO_COLOR: '1', SVC_SUPERVISOR_TRACE: TRACE_FILE };

const svc = async (...args) => (await execa(SVC, args, { env })).stdout.trim();
const docker = async (...args) => (await execa('docker', args)).stdout.trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;
/** die and start events of containers, with the daemon's own nanosecond timestamps; of another engine when `host` names one. */
const followEvents = (host) => {
  const events = [];
  const child = execa(
    'docker',
    [
      'events',
      '--filter',
      'type=container',
      '--filter',
      'event=die',
      '--filter',
      'event=start',
      '--format',
      '{{json .}}',
    ],
    {
      ...(host ? { env: { ...process.env, DOCKER_HOST: host } } : {}),
      buffer: false,
      reject: false,
    },
  );
  let rest = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) if (line) events.push(JSON.parse(line));
  });
  return { events, stop: () => child.kill() };
};

/** Starts 10 at a time, each command with its own name. */
const inBatches = async (count, make) => {
  for (let start = 0; start < count; start += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - start) }, (_, i) => make(start + i)));
  }
};

/** For each container: time from its first die to the start that follows it. */
const recoveryTimes = (events, ids) => {
  const out = new Map();
  for (const id of ids) {
    const mine = events.filter((e) => e.id === id);
    const die = mine.find((e) => e.Action === 'die');
    const start = die && mine.find((e) => e.Action === 'start' && e.timeNano > die.timeNano);
    if (die && start) out.set(id, { die: die.timeNano, start: start.timeNano });
  }
  return out;
};

/**
 * Crashes once, when the wall clock reaches `at` (unix seconds), then runs quietly. It sleeps until
 * the last second and only then polls, so 50 waiting containers do not load the machine being measured.
 */
const crashOnceAt = (at) =>
  `if [ -f /ran ]; then exec sleep 3600; fi; touch /ran; ` +
  `wait=$((${at} - $(date +%s) - 1)); [ $wait -gt 0 ] && sleep $wait; ` +
  `while [ $(date +%s) -lt ${at} ]; do sleep 0.05; done; exit 1`;

const svcContainerIds = async (uuid) => JSON.parse(await svc('service', 'inspect', uuid)).containers.map((c) => c.uuid);

const waitUntil = async (what, check, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
};

const cleanup = async () => {
  await execa(SVC, ['daemon', 'stop'], { env, reject: false });
  const uuids = (await execa(SVC, ['service', 'ps', '-q'], { env, reject: false })).stdout.split('\n').filter(Boolean);
  if (uuids.length) await execa(SVC, ['service', 'terminate', ...uuids], { env, reject: false });
  const bench = (await docker('ps', '-aq', '--filter', `label=${BENCH_LABEL}`)).split('\n').filter(Boolean);
  if (bench.length) await execa('docker', ['rm', '-f', ...bench], { reject: false });
  fs.rmSync(home, { recursive: true, force: true });
};

/** Wall time of one run of a command, in ms; a failed run stops the benchmark rather than timing an error. */
const timeRun = ([command, ...args], options) => {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
};

const STARTUP_ROUNDS = 25;
const LIST_ARGS = ['ps', '--all', '--no-trunc', '--filter=label=io.svc.managed=true', '--format={{json .}}'];
/**
 * What any listing must do, and no more: start node, run svc's `docker ps`, read and parse
 * state.json. The floor a listing's time is given as a ratio to, taken within each round.
 */
const BARE_LISTING_SCRIPT = `
  require('node:child_process').execFile('docker', ${JSON.stringify(LIST_ARGS)}, (error, stdout) => {
    if (error) throw error;
    const state = JSON.parse(require('node:fs').readFileSync(process.env.SVC_HOME + '/state.json', 'utf8'));
    process.stdout.write(stdout.split('\\n').length + ' containers, ' + Object.keys(state.workloads).length + ' workloads\\n');
  });`;
/** The launcher's speed-only parts (launch/main.ts), each of which SVC_BENCH_WITHOUT turns off. */
const LAUNCH_PARTS = ['early-listing'];
/** SVC_BENCH_OTHER_SVC: another build's bin/svc (a copy of bin/, dist/ and package.json), timed beside this one. */
const OTHER_SVC = process.env.SVC_BENCH_OTHER_SVC;

/**
 * Runs the commands in alternating rounds (two first, not counted, warm the file cache) and
 * returns each one's wall times, round by round.
 */
const timeInRounds = (commands, options) => {
  const times = Object.fromEntries(Object.keys(commands).map((key) => [key, []]));
  for (let round = -2; round < STARTUP_ROUNDS; round++) {
    for (const [key, { argv, without }] of Object.entries(commands)) {
      const runEnv = without ? { ...options.env, SVC_BENCH_WITHOUT: without } : options.env;
      const elapsed = timeRun(argv, { ...options, env: runEnv });
      if (round >= 0) times[key].push(elapsed);
    }
  }
  return times;
};

/** The median over rounds of a ratio taken within each round. */
const medianRatio = (times, over) => median(times.map((t, round) => t / over[round]));

/**
 * One listing (`service ps`, `m list`) timed as svc runs it and with each of the launcher's parts off,
 * beside the floor: each as a ratio to the floor, and what each part buys, as a share of the
 * listing's time without it.
 */
const benchListing = (label, argv, options, goal) => {
  const commands = {
    node: { label: 'node -e 0', argv: ['node', '-e', '0'] },
    svc: { label, argv },
    ...Object.fromEntries(LAUNCH_PARTS.map((part) => [part, { label: `  without ${part}`, argv, without: part }])),
    ...(OTHER_SVC ? { other: { label: `  ${OTHER_SVC}`, argv: [OTHER_SVC, ...argv.slice(1)] } } : {}),
    docker: { label: 'docker ps (the call svc makes)', argv: ['docker', ...LIST_ARGS] },
    floor: { label: 'bare script: docker ps + state', argv: ['node', '-e', BARE_LISTING_SCRIPT] },
  };
  const times = timeInRounds(commands, options);
  for (const [key, { label: line }] of Object.entries(commands)) {
    const ofFloor = ['node', 'docker', 'floor'].includes(key)
      ? ''
      : `  ${medianRatio(times[key], times.floor).toFixed(2)}x the floor${goal && key === 'svc' ? ` (goal: within ${goal}x)` : ''}`;
    console.log(`    ${line.padEnd(40)} median ${ms(median(times[key])).padStart(9)}${ofFloor}`);
  }
  const buys = LAUNCH_PARTS.map((part) => {
    const share = median(times[part].map((without, round) => (without - times.svc[round]) / without));
    return `${part} ${(100 * share).toFixed(0)}%`;
  });
  console.log(`    each part buys, of the listing's time without it (keep at 20% or more): ${buys.join('; ')}`);
};

const benchStartup = async () => {
  console.log(`\n(0) start-up: ${STARTUP_ROUNDS} rounds, the commands alternating within each; medians`);
  // A state dir of its own and no supervisor: nothing else of svc's runs while it is timed.
  const startupHome = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-bench-startup-'));
  const startupEnv = { ...process.env, SVC_HOME: startupHome, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' };
  const options = { env: startupEnv };
  try {
    const version = timeInRounds(
      {
        node: { argv: ['node', '-e', '0'] },
        version: { argv: [SVC, '--version'] },
      },
      options,
    );
    console.log(
      `    ${'node -e 0'.padEnd(40)} median ${ms(median(version.node)).padStart(9)}\n` +
        `    ${'svc --version'.padEnd(40)} median ${ms(median(version.version)).padStart(9)}` +
        `  ${medianRatio(version.version, version.node).toFixed(2)}x node -e 0 (goal: within 1.2x)`,
    );

    await inBatches(50, (i) =>
      execa(SVC, ['service', 'create', '--name', `bench-ps-${i}`, IMAGE, 'sleep', '3600'], { env: startupEnv }),
    );
    const services = (await execa(SVC, ['service', 'ps', '-q'], options)).stdout.split('\n').filter(Boolean);
    if (services.length !== 50) throw new Error(`svc service ps listed ${services.length} services, not 50`);
    console.log('  svc service ps, 50 services:');
    benchListing('svc service ps', [SVC, 'service', 'ps'], options, 1.15);
    await execa(SVC, ['service', 'terminate', ...services], options);

    await inBatches(50, () => execa(SVC, ['m', 'run', '-a', `bench-${RUN_ID}`, IMAGE, 'sleep', '3600'], options));
    const machines = (await execa(SVC, ['m', 'list', '-q'], options)).stdout.split('\n').filter(Boolean);
    if (machines.length !== 50) throw new Error(`svc m list listed ${machines.length} machines, not 50`);
    console.log('  svc m list, 50 machines:');
    benchListing('svc m list', [SVC, 'm', 'list'], options);
    await inBatches(machines.length, (i) => execa(SVC, ['m', 'destroy', '--force', machines[i]], options));
  } finally {
    fs.rmSync(startupHome, { recursive: true, force: true });
  }
};

const benchFirstRestart = async () => {
  console.log('\n(a) die -> running again, 20 first restarts each (daemon event timestamps)');
  const results = {};
  for (const who of ['svc', 'docker']) {
    const latencies = [];
    for (let i = 0; i < 20; i++) {
      const events = followEvents();
      await sleep(300);
      const at = Math.floor(Date.now() / 1000) + 2;
      let id;
      if (who === 'svc') {
        const uuid = await svc(
          'service',
          'run',
          '--name',
          `bench-a-${i}`,
          '--autorestart',
          'ALWAYS',
          IMAGE,
          'sh',
          '-c',
          crashOnceAt(at),
        );
        [id] = await svcContainerIds(uuid);
      } else {
        id = await docker(
          'run',
          '-d',
          '--label',
          BENCH_LABEL,
          '--restart',
          'always',
          IMAGE,
          'sh',
          '-c',
          crashOnceAt(at),
        );
      }
      await waitUntil('a restart', async () => recoveryTimes(events.events, [id]).size === 1, 30_000);
      const { die, start } = recoveryTimes(events.events, [id]).get(id);
      latencies.push((start - die) / 1e6);
      events.stop();
    }
    results[who] = median(latencies);
    console.log(
      `    ${who.padEnd(6)} median ${ms(results[who])}  (min ${ms(Math.min(...latencies))}, max ${ms(Math.max(...latencies))})`,
    );
  }
  console.log(`    ratio svc/docker ${(results.svc / results.docker).toFixed(2)}`);
  await removeAll();
};

/** Leaves the engine as it was before a part, so the next part measures only its own containers. */
const removeAll = async () => {
  const uuids = (await svc('service', 'ps', '-q')).split('\n').filter(Boolean);
  if (uuids.length) await svc('service', 'terminate', ...uuids);
  const bench = (await docker('ps', '-aq', '--filter', `label=${BENCH_LABEL}`)).split('\n').filter(Boolean);
  if (bench.length) await docker('rm', '-f', ...bench);
};

/** A round of (b): `size` containers crashing at the same second; first die -> last start, and each container's die -> start, in ms. */
const burstRound = async (who, size, round) => {
  const events = followEvents();
  await sleep(300);
  // Time to create and start them all before the crash (50 take a few seconds, 200 longer).
  const at = Math.floor(Date.now() / 1000) + 8 + Math.ceil(size / 5);
  let ids;
  let uuid;
  if (who === 'svc') {
    uuid = await svc(
      'service',
      'run',
      '-t',
      String(size),
      '--name',
      `bench-b-${size}-${round}`,
      '--autorestart',
      'ALWAYS',
      IMAGE,
      'sh',
      '-c',
      crashOnceAt(at),
    );
    ids = await svcContainerIds(uuid);
  } else {
    ids = await Promise.all(
      Array.from({ length: size }, () =>
        docker('create', '--label', BENCH_LABEL, '--restart', 'always', IMAGE, 'sh', '-c', crashOnceAt(at)),
      ),
    );
    await docker('start', ...ids);
  }
  if (Date.now() / 1000 > at - 1) console.log('    (warning: containers were still starting when the crash time came)');
  await waitUntil(`all ${size} restarted`, async () => recoveryTimes(events.events, ids).size === size, 180_000);
  // Restarted once each: a second start would come within a second or two of the first.
  await sleep(2_000);
  events.stop();
  const recovered = recoveryTimes(events.events, ids);
  const times = [...recovered.values()];
  // Starts after the container's own crash: its first start (perhaps late, in a big burst) is not a restart.
  const starts = ids.map(
    (id) =>
      events.events.filter((e) => e.id === id && e.Action === 'start' && e.timeNano > recovered.get(id).die).length,
  );
  const total = (Math.max(...times.map((t) => t.start)) - Math.min(...times.map((t) => t.die))) / 1e6;
  const perContainer = times.map((t) => (t.start - t.die) / 1e6);
  const startEvents = new Map([...recovered].map(([id, t]) => [id, t.start / 1e6]));
  // Clean up before the next round so each measures its own containers on an otherwise idle engine.
  if (uuid) await svc('service', 'terminate', uuid);
  else await docker('rm', '-f', ...ids);
  return {
    total,
    perContainer: median(perContainer),
    startedMoreThanOnce: starts.filter((n) => n > 1).length,
    ids,
    startEvents,
  };
};

/** The supervisor's trace lines of these containers (SVC_SUPERVISOR_TRACE), each with the daemon's start event. */
const traceOf = (ids, startEvents) => {
  const lines = fs.existsSync(TRACE_FILE)
    ? fs
        .readFileSync(TRACE_FILE, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];
  const wanted = new Set(ids);
  return lines
    .filter((t) => wanted.has(t.containerId))
    .map((t) => ({ ...t, startEvent: startEvents.get(t.containerId) }));
};

const STAGES = [
  ['die event seen by the supervisor', (t) => t.seen - t.dieAt],
  ['decision written (judged, committed)', (t) => t.decided - t.seen],
  ['docker start asked for', (t) => t.asked - t.decided],
  // Includes the wait for one of the supervisor's 4 docker start processes, which waiting starts share (supervisor/start-limit.ts).
  ["the daemon's start event (turn + start)", (t) => t.startEvent - t.asked],
  ['docker start returned', (t) => t.returned - t.startEvent],
  ['restart charged (committed)', (t) => t.charged - t.returned],
];

const printBreakdown = (traces) => {
  if (traces.length === 0)
    return console.log('      (no trace lines: the supervisor ran without SVC_SUPERVISOR_TRACE)');
  for (const [label, of] of STAGES) {
    const values = traces.map(of).filter((v) => Number.isFinite(v));
    console.log(
      `      ${label.padEnd(40)} median ${ms(median(values)).padStart(9)}   slowest ${ms(Math.max(...values)).padStart(9)}`,
    );
  }
};

const BURST_SIZES = [8, 50];

const benchBurst = async () => {
  const rounds = Number(process.env.SVC_BENCH_ROUNDS ?? 3);
  console.log(
    `\n(b) restart bursts: N containers crashing at the same second, svc and Docker's own policy alternating, ${rounds} rounds each, medians`,
  );
  for (const size of BURST_SIZES) {
    const results = { svc: [], docker: [] };
    const traces = [];
    for (let round = 0; round < rounds; round++) {
      for (const who of ['svc', 'docker']) {
        const result = await burstRound(who, size, round);
        results[who].push(result);
        if (who === 'svc') traces.push(...traceOf(result.ids, result.startEvents));
      }
    }
    console.log(`    ${size} at once: first die -> last running again`);
    for (const who of ['svc', 'docker']) {
      const totals = results[who].map((r) => r.total);
      const twice = results[who].reduce((n, r) => n + r.startedMoreThanOnce, 0);
      console.log(
        `      ${who.padEnd(6)} median ${ms(median(totals)).padStart(9)} (rounds ${totals.map((t) => ms(t)).join(', ')}); per container median ${ms(median(results[who].map((r) => r.perContainer)))}${twice ? `; ${twice} started twice` : ''}`,
      );
    }
    const ratio = median(results.svc.map((r) => r.total)) / median(results.docker.map((r) => r.total));
    const perRatio = median(results.svc.map((r) => r.perContainer)) / median(results.docker.map((r) => r.perContainer));
    console.log(
      `      ratio svc/docker: total ${ratio.toFixed(2)} (goal <= 1.0), per container ${perRatio.toFixed(2)} (goal < 1.0)`,
    );
    console.log("      where svc's time goes, per restart (from its trace and the daemon's events):");
    printBreakdown(traces);
  }
  // 200 at once: all restarted, none twice; the supervisor's memory before and at its peak.
  const { pid } = JSON.parse(await svc('daemon', 'status', '--json'));
  const rssBefore = readRssKb(pid);
  let peakKb = rssBefore;
  // A supervisor that died mid-burst has no /proc entry any more: its samples stop, the bench goes on.
  const sampler = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, readRssKb(pid));
    } catch {
      /* gone */
    }
  }, 50);
  const big = await burstRound('svc', 200, 0);
  clearInterval(sampler);
  console.log(
    `    200 at once (svc): first die -> last running again ${ms(big.total)}; per container median ${ms(big.perContainer)}; ` +
      `${big.startedMoreThanOnce} started more than once; supervisor RSS ${(rssBefore / 1024).toFixed(1)} MiB before, peak ${(peakKb / 1024).toFixed(1)} MiB`,
  );
  printBreakdown(traceOf(big.ids, big.startEvents));
};

const readCpuTicks = (pid) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
};
const readRssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

const benchIdle = async () => {
  console.log('\n(c) supervisor idle with 200 managed containers');
  for (let batch = 0; batch < 4; batch++) {
    await svc(
      'service',
      'run',
      '-t',
      '50',
      '--name',
      `bench-c-${batch}`,
      '--autorestart',
      'ALWAYS',
      IMAGE,
      'sleep',
      '3600',
    );
  }
  const running = (await docker('ps', '-q', '--filter', 'label=io.svc.managed=true'))
    .split('\n')
    .filter(Boolean).length;
  await execa(SVC, ['daemon', 'stop'], { env });
  await execa(SVC, ['daemon', 'start'], { env });
  const { pid } = JSON.parse(await svc('daemon', 'status', '--json'));
  await sleep(5000);
  const window = 60_000;
  const before = readCpuTicks(pid);
  await sleep(window);
  const cpuMs = (readCpuTicks(pid) - before) * 10;
  console.log(`    ${running} running managed containers (all on this host), supervisor pid ${pid}`);
  console.log(
    `    CPU ${cpuMs} ms over ${window / 1000} s (${((cpuMs / window) * 100).toFixed(2)} % of one core; includes 2 reconcile passes)`,
  );
  console.log(`    RSS ${(readRssKb(pid) / 1024).toFixed(1)} MiB`);
};

const API_SECONDS = 10;
const API_WARMUP_SECONDS = 3;

const benchApi = async () => {
  console.log(
    `\n(d) HTTP API: 50 connections for ${API_SECONDS} s per endpoint (after ${API_WARMUP_SECONDS} s of warm-up, not counted); goal p99 < 20 ms, 0 errors`,
  );
  // A state dir of its own and no supervisor: the server and the load are all that run.
  const apiHome = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-bench-api-'));
  const apiEnv = { ...process.env, SVC_HOME: apiHome, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' };
  const app = `bench-${RUN_ID}`;
  let server;
  try {
    await inBatches(50, (i) =>
      execa(SVC, ['service', 'run', '--name', `bench-api-${i}`, IMAGE, 'sleep', '3600'], { env: apiEnv }),
    );
    await inBatches(50, () => execa(SVC, ['m', 'run', '-a', app, IMAGE, 'sleep', '3600'], { env: apiEnv }));
    server = execa(SVC, ['serve', '--listen', '127.0.0.1:0'], { env: apiEnv, buffer: false, reject: false });
    const url = await new Promise((resolve, reject) => {
      let out = '';
      server.stdout.setEncoding('utf8').on('data', (chunk) => {
        out += chunk;
        const found = /^(http:\/\/\S+)$/m.exec(out);
        if (found) resolve(found[1]);
      });
      server.once('exit', () => reject(new Error('svc serve exited before it served')));
    });
    const token = (await execa(SVC, ['serve', '--print-token'], { env: apiEnv })).stdout.trim();
    const headers = { authorization: `Bearer ${token}` };
    const endpoints = [
      ['GET /api/app/v1/service/ (50 services, 25 a page)', '/api/app/v1/service/'],
      [`GET /v1/apps/APP/machines (50 machines)`, `/v1/apps/${app}/machines`],
    ];
    for (const [label, route] of endpoints) {
      await autocannon({ url: `${url}${route}`, connections: 50, duration: API_WARMUP_SECONDS, headers });
      let peakRssKb = 0;
      const sampler = setInterval(() => (peakRssKb = Math.max(peakRssKb, readRssKb(server.pid))), 100);
      const result = await autocannon({ url: `${url}${route}`, connections: 50, duration: API_SECONDS, headers });
      clearInterval(sampler);
      const errors = result.errors + result.timeouts + result.non2xx;
      console.log(`    ${label}`);
      console.log(
        `      ${Math.round(result.requests.average)} requests/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (max ${result.latency.max} ms), ` +
          `errors ${errors}, server RSS peak ${(peakRssKb / 1024).toFixed(1)} MiB`,
      );
    }
  } finally {
    server?.kill('SIGTERM');
    await server?.catch(() => {});
    const uuids = (await execa(SVC, ['service', 'ps', '-q'], { env: apiEnv, reject: false })).stdout
      .split('\n')
      .filter(Boolean);
    if (uuids.length) await execa(SVC, ['service', 'terminate', ...uuids], { env: apiEnv, reject: false });
    const machines = (await execa(SVC, ['m', 'list', '-q'], { env: apiEnv, reject: false })).stdout
      .split('\n')
      .filter(Boolean);
    for (const id of machines) await execa(SVC, ['m', 'destroy', '--force', id], { env: apiEnv, reject: false });
    fs.rmSync(apiHome, { recursive: true, force: true });
  }
};

/** (e): the sign-in link opened in a fresh browser, every response's bytes on the wire counted until the services list shows. */
const benchWeb = async () => {
  console.log("\n(e) the web page's first load (Chromium, a fresh profile, 5 services)");
  const { chromium } = await import('playwright-core');
  const webHome = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-bench-web-'));
  const webEnv = { ...process.env, SVC_HOME: webHome, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' };
  let server;
  let browser;
  try {
    await inBatches(5, (i) => execa(SVC, ['service', 'create', '--name', `bench-web-${i}`, IMAGE], { env: webEnv }));
    server = execa(SVC, ['serve', '--listen', '127.0.0.1:0'], { env: webEnv, buffer: false, reject: false });
    await new Promise((resolve) => server.stdout.once('data', resolve));
    const link = (await execa(SVC, ['serve', '--print-url'], { env: webEnv })).stdout.trim();
    browser = await chromium.launch({
      executablePath: process.env.SVC_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const urls = new Map();
    const bytes = new Map();
    cdp.on('Network.responseReceived', ({ requestId, response }) =>
      urls.set(requestId, new URL(response.url).pathname),
    );
    cdp.on('Network.dataReceived', ({ requestId, encodedDataLength }) =>
      bytes.set(requestId, (bytes.get(requestId) ?? 0) + encodedDataLength),
    );
    cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) =>
      bytes.set(requestId, Math.max(bytes.get(requestId) ?? 0, encodedDataLength)),
    );
    const started = Date.now();
    await page.goto(link);
    await page.locator('table.services tbody a').first().waitFor();
    const shownMs = Date.now() - started;
    await page.waitForTimeout(300);
    const byPath = [...bytes].map(([id, n]) => [urls.get(id) ?? '(stream)', n]);
    const total = byPath.reduce((sum, [, n]) => sum + n, 0);
    const files = byPath.filter(([p]) => p === '/' || p.startsWith('/ui/app.'));
    console.log(
      `    ${total} bytes in ${byPath.length} responses, headers included (the page's own files: ${files.reduce((s, [, n]) => s + n, 0)} bytes); list shown after ${shownMs} ms`,
    );
    for (const [p, n] of byPath) console.log(`      ${String(n).padStart(7)}  ${p}`);
  } finally {
    await browser?.close();
    server?.kill('SIGTERM');
    await server?.catch(() => {});
    fs.rmSync(webHome, { recursive: true, force: true });
  }
};

/** die and start events of one engine's containers, with their swarm service's name when they have one. */
/**
 * From the first die of `key`'s containers to the next start of one of them (a new task for the
 * swarm, the same container for svc), in ms. Unlike recoveryTimes, the start may be another container's.
 */
const firstRecovery = (events, key) => {
  const mine = events.filter((e) => key(e)).sort((a, b) => a.timeNano - b.timeNano);
  const die = mine.find((e) => e.Action === 'die');
  const start = die && mine.find((e) => e.Action === 'start' && e.timeNano > die.timeNano);
  return die && start ? (start.timeNano - die.timeNano) / 1e6 : null;
};

const SWARM_CRASHES = 8;

const benchSwarm = async () => {
  console.log(
    `\n(f) a two-node swarm on this machine (two dockerd of its own): ${SWARM_CRASHES} workloads each crashing after 2 s, first die -> running again`,
  );
  const clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'svsb-'));
  const cluster = path.join(ROOT, 'scripts', 'swarm-cluster.sh');
  const swarmHome = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-bench-swarm-'));
  const localHome = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-bench-swarm-local-'));
  let engines = [];
  try {
    const manager = (await execa('bash', [cluster, 'start', clusterDir])).stdout.trim();
    const worker = manager.replace('/n1/', '/n2/');
    const swarmEnv = {
      ...process.env,
      SVC_HOME: swarmHome,
      SVC_NO_AUTOSTART: '1',
      SVC_BACKEND: 'swarm',
      DOCKER_HOST: manager,
      NO_COLOR: '1',
    };
    const localEnv = { ...process.env, SVC_HOME: localHome, NO_COLOR: '1' };
    engines = [followEvents(manager), followEvents(worker), followEvents()];
    await execa(SVC, ['daemon', 'start'], { env: localEnv });
    const crash = ['sh', '-c', 'sleep 2; exit 1'];
    const names = { swarm: [], local: [] };
    for (let i = 0; i < SWARM_CRASHES; i++) {
      names.swarm.push(`bench-sw-${RUN_ID}-${i}`);
      names.local.push(`bench-lo-${RUN_ID}-${i}`);
      await execa(SVC, ['service', 'run', '--name', names.swarm[i], '--autorestart', 'ALWAYS', IMAGE, ...crash], {
        env: swarmEnv,
      });
      await execa(SVC, ['service', 'run', '--name', names.local[i], '--autorestart', 'ALWAYS', IMAGE, ...crash], {
        env: localEnv,
      });
      await sleep(300);
    }
    await sleep(6_000);
    const all = () => engines.flatMap((engine) => engine.events);
    const results = {
      swarm: names.swarm.map((name) =>
        firstRecovery(all(), (e) => e.Actor.Attributes['com.docker.swarm.service.name'] === name),
      ),
      local: names.local.map((name) => firstRecovery(all(), (e) => e.Actor.Attributes.name === `${name}-1`)),
    };
    for (const who of ['local', 'swarm']) {
      const times = results[who].filter((t) => t !== null);
      console.log(
        `    ${(who === 'local' ? 'local (svc supervisor)' : 'swarm (its orchestrator)').padEnd(24)} median ${ms(median(times))}  (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}; ${times.length} of ${SWARM_CRASHES})`,
      );
    }
    for (const name of names.swarm) await execa(SVC, ['service', 'terminate', name], { env: swarmEnv });
    for (const name of names.local) await execa(SVC, ['service', 'terminate', name], { env: localEnv });

    // A drained node: from the drain to every task running again, all on the other node.
    const nodeId = (
      await execa('docker', ['node', 'ls', '--filter', 'role=worker', '--format', '{{.ID}}'], { env: swarmEnv })
    ).stdout.trim();
    for (let round = 0; round < 3; round++) {
      const name = `bench-drain-${RUN_ID}-${round}`;
      await execa(
        SVC,
        [
          'service',
          'run',
          '-t',
          '4',
          '--name',
          name,
          '--autorestart',
          'ALWAYS',
          IMAGE,
          'sh',
          '-c',
          'trap "exit 0" TERM; sleep 3600 & wait',
        ],
        { env: swarmEnv },
      );
      const running = async (filter) =>
        (
          await execa(
            'docker',
            ['service', 'ps', '--filter', 'desired-state=running', ...filter, '--format', '{{.CurrentState}}', name],
            { env: swarmEnv },
          )
        ).stdout
          .split('\n')
          .filter((line) => line.startsWith('Running')).length;
      await waitUntil('4 tasks running', async () => (await running([])) === 4);
      const onWorker = await running([`--filter=node=${nodeId}`]);
      const drained = Date.now();
      await execa('docker', ['node', 'update', '--availability', 'drain', nodeId], { env: swarmEnv });
      await waitUntil(
        'the tasks moved',
        async () => (await running([])) === 4 && (await running([`--filter=node=${nodeId}`])) === 0,
        60_000,
      );
      console.log(
        `    drain round ${round + 1}: ${onWorker} of 4 tasks on the drained node, all 4 running on the other ${ms(Date.now() - drained)} after the drain (polled every 200 ms)`,
      );
      await execa('docker', ['node', 'update', '--availability', 'active', nodeId], { env: swarmEnv });
      await execa(SVC, ['service', 'terminate', name], { env: swarmEnv });
    }
  } finally {
    engines.forEach((engine) => engine.stop());
    await execa(SVC, ['daemon', 'stop'], { env: { ...process.env, SVC_HOME: localHome }, reject: false });
    await execa('bash', [cluster, 'stop', clusterDir], { reject: false });
    fs.rmSync(swarmHome, { recursive: true, force: true });
    fs.rmSync(localHome, { recursive: true, force: true });
  }
};

try {
  console.log(
    `svc bench: ${await docker('version', '--format', 'Docker engine {{.Server.Version}}')}, ${os.cpus().length} cores, image ${IMAGE}`,
  );
  const only = process.argv[2];
  // First, before this benchmark's supervisor runs beside it.
  if (!only || only === 'startup') await benchStartup();
  if (!only || only === 'api') await benchApi();
  if (!only || only === 'web') await benchWeb();
  if (!only || only === 'swarm') await benchSwarm();
  if (!['startup', 'api', 'web', 'swarm'].includes(only)) await execa(SVC, ['daemon', 'start'], { env });
  if (!only || only === 'restart') await benchFirstRestart();
  if (!only || only === 'burst') await benchBurst();
  if (!only || only === 'idle') await benchIdle();
} finally {
  await cleanup();
}
