/** Removes the test run's scratch directory (see global-setup.mjs). */
import fs from 'node:fs';
import process from 'node:process';

export default () => {
  if (process.env.SVC_TEST_TMP) fs.rmSync(process.env.SVC_TEST_TMP, { recursive: true, force: true });
};
