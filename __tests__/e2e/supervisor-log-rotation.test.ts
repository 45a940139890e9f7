/**
 * supervisor.log rotates: past its size limit it becomes supervisor.log.1 (one old copy) and a new
 * one starts, while the detached supervisor's stdout and stderr, crash output included, still land in it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from '../helpers/wait.js';
import { useSupervisorHome } from '../helpers/fixtures.js';
import { bundledModule, svc } from '../helpers/svc.js';
import { modeOf } from '../helpers/store-fixtures.js';

let logFileModule: string;
beforeAll(async () => {
  logFileModule = await bundledModule('src/supervisor/log-file.ts');
});

const fixture = useSupervisorHome();

test('the detached supervisor rotates its log past SVC_SUPERVISOR_LOG_MAX_BYTES, keeping one old copy', async () => {
  const log = path.join(fixture.home, 'supervisor.log');
  const rotated = `${log}.1`;
  // One byte: every line fills the log, so each write rotates and the old copy holds the last line.
  const start = await svc(['daemon', 'start'], { home: fixture.home, env: { SVC_SUPERVISOR_LOG_MAX_BYTES: '1' } });
  expect(start.exitCode).toBe(0);
  await waitFor(
    'a rotated log naming the Docker connection',
    async () => fs.existsSync(rotated) && fs.readFileSync(rotated, 'utf8').includes('connected to Docker'),
  );
  expect((await svc(['daemon', 'stop'], { home: fixture.home })).exitCode).toBe(0);
  expect(fs.readFileSync(rotated, 'utf8')).toMatch(/^\S+ SIGTERM: stopping\n$/);
  expect(fs.statSync(log).size).toBe(0);
  expect(
    fs
      .readdirSync(fixture.home)
      .filter((f) => f.startsWith('supervisor.log'))
      .sort(),
  ).toEqual(['supervisor.log', 'supervisor.log.1']);
  expect(modeOf(log)).toBe(0o600);
  expect(modeOf(rotated)).toBe(0o600);
});

test("after a rotation, a crash's stack trace still goes to supervisor.log", () => {
  const log = path.join(fixture.home, 'supervisor.log');
  const script = `
    const { rotateIfLarge } = await import(${JSON.stringify(logFileModule)});
    const log = process.argv[1];
    for (let i = 0; i < 20; i++) { process.stderr.write('line ' + i + '\\n'); rotateIfLarge(log, 2, 50); }
    throw new Error('supervisor crashed on purpose');`;
  const fd = fs.openSync(log, 'a', 0o600);
  const result = spawnSync('node', ['--input-type=module', '-e', script, log], { stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  expect(result.status).toBe(1);
  expect(fs.readFileSync(`${log}.1`, 'utf8')).toMatch(/line \d+\n/);
  expect(fs.readFileSync(log, 'utf8')).toMatch(/Error: supervisor crashed on purpose\n\s+at /);
  expect(fs.statSync(log).size).toBeLessThan(2_000);
});
