/**
 * One scratch directory for the whole test run (SVC_TEST_TMP, inherited by every worker): the
 * helpers put bundled modules and state dirs under it, and global-teardown.mjs removes it, so a
 * test that fails half-way leaves nothing behind in /tmp.
 */
import fs from 'node:fs';
import process from 'node:process';
import os from 'node:os';
import path from 'node:path';

export default () => {
  process.env.SVC_TEST_TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-jest-'));
};
