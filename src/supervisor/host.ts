/**
 * When the local dockerd process started, read from /proc. Exits that happened before it are the
 * previous daemon's shutdown (or the host's), after which only ALWAYS instances are restarted.
 * null when dockerd is not a local process (remote DOCKER_HOST, other OS).
 */
import fs from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Docker runs on

const bootTimeMs = (): number => {
  const line = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('btime '));
  if (!line) throw new Error('no btime in /proc/stat');
  return Number(line.split(/\s+/)[1]) * 1000;
};

/**
 * Field 22 of /proc/PID/stat, counted after the parenthesised command name (which may hold spaces),
 * if PID is a dockerd. null for any other process, or one that ended while /proc was read (a
 * dockerd restarting): that one process is skipped, not the answer lost.
 */
const dockerdStartTicks = (pid: string): number | null => {
  try {
    if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'dockerd') return null;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
};

export const dockerdStartedAt = (): number | null => {
  try {
    const starts = fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(dockerdStartTicks)
      .filter((ticks) => ticks !== null);
    if (starts.length === 0) return null;
    return bootTimeMs() + (Math.min(...starts) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
};
