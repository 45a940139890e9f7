/** Times as the originals print them: relative in tables, RFC 2822 in DC's JSON. */
const UNITS: [number, string][] = [
  [365 * 24 * 3600, 'year'],
  [30 * 24 * 3600, 'month'],
  [7 * 24 * 3600, 'week'],
  [24 * 3600, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

export const relativeTime = (then: number | null, now: number): string => {
  if (then === null) return '';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 1) return 'just now';
  for (const [size, unit] of UNITS) {
    if (seconds >= size) {
      const count = Math.floor(seconds / size);
      return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
};

/** "Sat, 21 Nov 2026 19:23:28 +0000", DC's datetime format. */
export const dcDatetime = (ms: number | null): string | null =>
  ms === null ? null : new Date(ms).toUTCString().replace('GMT', '+0000');

export const isoTime = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
