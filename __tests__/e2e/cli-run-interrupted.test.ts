/**
 * End to end, issue 20 case 15: Ctrl-C or SIGTERM to a real `svc service run -t 30 -e SECRET=...`
 * while its containers are being made. The env files holding the secret are gone from the temp dir
 * (TMPDIR is the test's own), no state lock is left, and the run is all or nothing: either nothing
 * of the service is left (no record, no container), or, when every container had already started,
 * it is kept running; never left Starting.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { svc, SVC_BIN, TEST_IMAGE } from '../helpers/svc.js';
import { useMadeThings } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/wait.js';

const STATUS = { SIGINT: 130, SIGTERM: 143 } as const;
const CONTAINERS = 30;
const SECRET = 'hunter2-do-not-leak';
/** signals.ts's WIND_UP_MS and a margin: Docker finishes the creates under way, then removes them. */
const WIND_UP_BOUND_MS = 20_000;

const made = useMadeThings();
let tmpDirs: string[] = [];
afterEach(() => {
  tmpDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  tmpDirs = [];
});

const envFilesIn = (dir: string) => fs.readdirSync(dir).filter((entry) => entry.startsWith('svc-env-'));

describe.each(['SIGINT', 'SIGTERM'] as const)('%s to `service run -t 30 -e SECRET=...`', (signal) => {
  it('leaves no env file, no lock, and the service either undone or running', async () => {
    const home = made.home();
    const name = made.name('run-int');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-test-tmp-'));
    tmpDirs.push(tmp);
    const run = execa(
      SVC_BIN,
      ['service', 'run', '-t', String(CONTAINERS), '-e', `SECRET=${SECRET}`, '-n', name, TEST_IMAGE, 'sleep', '600'],
      {
        reject: false,
        stdin: 'ignore',
        env: { SVC_HOME: home, SVC_NO_AUTOSTART: '1', NO_COLOR: '1', TMPDIR: tmp },
      },
    );
    // The env files exist while docker create reads them: the signal comes in the middle of that.
    await waitFor('run to write its env files', async () => envFilesIn(tmp).length > 0, 20_000);
    const sentAt = Date.now();
    run.kill(signal);
    const result = await run;
    const status = result.exitCode ?? (result.signal ? 128 + os.constants.signals[result.signal] : null);
    expect({ status, inTime: Date.now() - sentAt < WIND_UP_BOUND_MS }).toEqual({
      status: STATUS[signal],
      inTime: true,
    });

    expect(envFilesIn(tmp)).toEqual([]);
    expect(fs.existsSync(path.join(home, 'state.lock'))).toBe(false);

    const listed = await svc(['service', 'ps', '--json'], { home });
    expect(listed.exitCode).toBe(0);
    const services = (JSON.parse(listed.stdout) as { name: string; state: string }[]).filter((s) => s.name === name);
    const containers = (await execa('docker', ['ps', '-aq', '--filter', `name=^/${name}-[0-9]+$`])).stdout
      .split('\n')
      .filter(Boolean);
    if (services.length === 0) {
      // Undone: nothing of it left.
      expect(containers).toEqual([]);
    } else {
      // Done before the signal could stop it: kept whole, every container running.
      expect(services.map((s) => s.state)).toEqual(['Running']);
      expect(containers).toHaveLength(CONTAINERS);
    }
  });
});
