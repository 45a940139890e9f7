/** Helpers for the Fly-dialect end-to-end tests: state dirs with their supervisors, TTY runs, polling. */
import { execa } from 'execa';
import { quoteShellWords } from '../../src/core/shellWords.js';
import { cleanupContainers, makeStateDir, removeStateDir, svc, SVC_BIN, type RunResult } from './svc.js';

/** Exits at once on SIGTERM, so `m stop` does not wait Docker's 10 s for a kill. */
export const LONG_RUNNING = ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'];

export const MACHINE_ID = /^[0-9a-f]{14}$/;

/**
 * State dirs made by a test, each removed in afterEach with its supervisor (if the test started
 * one) and the containers of its machines, found through the state itself: only what the test made.
 */
export const createHomes = () => {
  let homes: { dir: string; supervised: boolean }[] = [];
  return {
    make(): string {
      const dir = makeStateDir();
      homes.push({ dir, supervised: false });
      return dir;
    },
    async startSupervisor(dir: string): Promise<void> {
      const home = homes.find((h) => h.dir === dir)!;
      const result = await svc(['daemon', 'start'], { home: dir });
      expect(result).toMatchObject({ exitCode: 0 });
      home.supervised = true;
    },
    async cleanup(): Promise<void> {
      for (const home of homes) {
        if (home.supervised) await svc(['daemon', 'stop'], { home: home.dir });
        await cleanupContainers(await allMachineIds(home.dir));
        removeStateDir(home.dir);
      }
      homes = [];
    },
  };
};

/** Every machine the state dir knows, destroyed ones included (their containers should be gone, but make sure). */
const allMachineIds = async (home: string): Promise<string[]> => {
  const events = await svc(['events', '--json'], { home });
  if (events.exitCode !== 0) return [];
  return [...new Set((JSON.parse(events.stdout) as { workloadId: string }[]).map((e) => e.workloadId))];
};

/** Runs svc and fails the test, showing the command and its output, unless it exits 0. */
export const ok = async (args: string[], home: string): Promise<RunResult> => {
  const result = await svc(args, { home });
  expect({ args, ...result }).toMatchObject({ args, exitCode: 0 });
  return result;
};

/** The JSON after `Config:` in `m status -d`. */
export const machineConfig = async (home: string, id: string): Promise<any> => {
  const { stdout } = await ok(['m', 'status', '-d', id], home);
  return JSON.parse(stdout.slice(stdout.indexOf('Config:\n') + 'Config:\n'.length));
};

export const machineState = async (home: string, id: string): Promise<string> => {
  const { stdout } = await ok(['m', 'status', id], home);
  return /^State: (\S+)$/m.exec(stdout)?.[1] ?? '';
};

/**
 * Runs svc on a real pseudo-terminal (util-linux `script`) and types `answer` once `prompt` shows,
 * so svc sees a TTY on stdin and asks. Output is the terminal's: stdout and stderr together.
 */
export const svcOnTty = async (args: string[], home: string, prompt: string, answer: string): Promise<RunResult> => {
  const child = execa('script', ['-qec', quoteShellWords([SVC_BIN, ...args]), '/dev/null'], {
    reject: false,
    timeout: 30_000,
    env: { SVC_HOME: home, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' },
  });
  let seen = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    if (seen.includes(prompt) && child.stdin?.writable) {
      child.stdin.write(`${answer}\r`);
      child.stdin.end();
    }
  });
  const result = await child;
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
};
