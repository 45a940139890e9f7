/** The supervisor's files in the state dir are 0600, and a looser log left by an older svc is tightened. */
import fs from 'node:fs';
import path from 'node:path';
import { ok } from './supervisor-helpers.js';
import { useSupervisorHome } from '../helpers/fixtures.js';
import { svc } from '../helpers/svc.js';
import { modeOf } from '../helpers/store-fixtures.js';

const fixture = useSupervisorHome();

test('supervisor.pid and supervisor.log are 0600 and the state dir 0700, even after a chmod 644 / 755', async () => {
  fs.chmodSync(fixture.home, 0o755);
  fs.writeFileSync(path.join(fixture.home, 'supervisor.log'), 'an older log\n');
  fs.chmodSync(path.join(fixture.home, 'supervisor.log'), 0o644);
  ok(await svc(['daemon', 'start'], { home: fixture.home }));
  expect(modeOf(fixture.home)).toBe(0o700);
  expect(modeOf(path.join(fixture.home, 'supervisor.pid'))).toBe(0o600);
  expect(modeOf(path.join(fixture.home, 'supervisor.log'))).toBe(0o600);
  expect(fs.readFileSync(path.join(fixture.home, 'supervisor.log'), 'utf8')).toMatch(/^an older log\n/);
});
