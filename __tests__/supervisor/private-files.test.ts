/** The supervisor's files in the state dir are 0600, and a looser log left by an older svc is tightened. */
import fs from 'node:fs';
import path from 'node:path';
import { ok } from '../e2e/supervisor-helpers.js';
import { makeStateDir, removeStateDir, requireDocker, svc } from '../helpers/svc.js';
import { modeOf } from '../store/fixtures.js';

let home: string;
beforeAll(requireDocker);
beforeEach(() => {
  home = makeStateDir();
});
afterEach(async () => {
  await svc(['daemon', 'stop'], { home });
  removeStateDir(home);
});

test('supervisor.pid and supervisor.log are 0600 and the state dir 0700, even after a chmod 644 / 755', async () => {
  fs.chmodSync(home, 0o755);
  fs.writeFileSync(path.join(home, 'supervisor.log'), 'an older log\n');
  fs.chmodSync(path.join(home, 'supervisor.log'), 0o644);
  ok(await svc(['daemon', 'start'], { home }));
  expect(modeOf(home)).toBe(0o700);
  expect(modeOf(path.join(home, 'supervisor.pid'))).toBe(0o600);
  expect(modeOf(path.join(home, 'supervisor.log'))).toBe(0o600);
  expect(fs.readFileSync(path.join(home, 'supervisor.log'), 'utf8')).toMatch(/^an older log\n/);
});
