/**
 * Whether an operation's holder is gone: only a pid no process has (or a zombie, or a pid reused by a
 * later process) is gone. A /proc that cannot be read for another reason cannot tell, and then the
 * operation lock decides: a live operation must never be taken for dead.
 */
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { jest } from '@jest/globals';
import { currentHolder, holderGone, lookUpProcess } from '../../src/engine/operation-holder.js';

/** A pid that no process has now: a child that has exited and been reaped. */
const deadPid = () =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

test('this process is running; a reaped child is gone; a holder with another start time (a reused pid) is gone', () => {
  expect(lookUpProcess(process.pid)).toEqual({ state: 'running', startTicks: currentHolder().startTicks });
  const dead = deadPid();
  expect(lookUpProcess(dead)).toEqual({ state: 'gone' });
  expect(holderGone({ ...currentHolder(), pid: dead })).toBe(true);
  expect(holderGone(currentHolder())).toBe(false);
  expect(holderGone({ ...currentHolder(), startTicks: '1' })).toBe(true);
});

test.each(['EMFILE', 'ENFILE', 'EACCES'])(
  'a /proc read that fails with %s cannot tell: the holder is not taken for gone',
  (code) => {
    const holder = currentHolder();
    const read = jest.spyOn(fs, 'readFileSync').mockImplementation(() => {
      throw Object.assign(new Error(`${code}: /proc`), { code });
    });
    try {
      expect(lookUpProcess(holder.pid)).toEqual({ state: 'unknown' });
      expect(holderGone(holder)).toBe(false);
    } finally {
      read.mockRestore();
    }
  },
);

test('a pid /proc hides (ENOENT) that kill(pid, 0) still finds is not gone', () => {
  const holder = currentHolder();
  const read = jest.spyOn(fs, 'readFileSync').mockImplementation(() => {
    throw Object.assign(new Error('ENOENT: /proc'), { code: 'ENOENT' });
  });
  try {
    expect(holderGone(holder)).toBe(false);
  } finally {
    read.mockRestore();
  }
});
