/** The table and time renderers the `ps`, `list` and `inspect` commands print with. */
import { renderTable, renderTableWithOptionalColumns, type Cell } from '../../src/render/table.js';
import { dcDatetime, isoTime, relativeTime } from '../../src/render/time.js';

describe('renderTableWithOptionalColumns', () => {
  const rows = [['web'], ['db']];

  test.each<[string, string[], string]>([
    ['every cell empty: no column', ['', ''], 'NAME\nweb\ndb\n'],
    ['every cell local: no column', ['local', 'local'], 'NAME\nweb\ndb\n'],
    [
      'one row with something: the column, for every row',
      ['local', 'swarm'],
      'NAME   BACKEND\nweb    local\ndb     swarm\n',
    ],
  ])('%s', (_case, cells, table) => {
    expect(renderTableWithOptionalColumns(['NAME'], rows, [{ header: 'BACKEND', cells }])).toBe(table);
  });
});

describe('renderTable', () => {
  const green = (text: string) => `\u001b[32m${text}\u001b[39m`;

  test.each<[string, string[], Cell[][], string]>([
    ['headers alone', ['NAME', 'UUID'], [], 'NAME   UUID\n'],
    [
      'columns as wide as their widest cell, three spaces apart',
      ['NAME', 'STATUS', 'IMAGE'],
      [
        ['web-1', '▶ Running', 'svc-busybox:latest'],
        ['a', '◼ Stopped', 'x'],
      ],
      'NAME    STATUS      IMAGE\nweb-1   ▶ Running   svc-busybox:latest\na       ◼ Stopped   x\n',
    ],
    [
      'the last column is not padded, and no line ends in spaces',
      ['A', 'B'],
      [
        ['x', ''],
        ['', 'y'],
      ],
      'A   B\nx\n    y\n',
    ],
    ['colour codes take no width', ['A', 'B'], [[{ text: 'ok', paint: green }, '1']], `A    B\n${green('ok')}   1\n`],
    // Case 13 of issue 20: a run_command that cleared the screen, set the title and forged a line.
    [
      'control characters in a cell are shown escaped, and measured so',
      ['NAME', 'RUN COMMAND', 'X'],
      [
        ['web-1', 'sh -c x\u001b[2J\u001b]0;pwned\u0007\r\nweb-2\t', '1'],
        ['b\u009b\u202e\u007f', '', '2'],
      ],
      [
        ['NAME', 'RUN COMMAND', 'X'],
        ['web-1', 'sh -c x\\x1b[2J\\x1b]0;pwned\\x07\\r\\nweb-2\\t', '1'],
        ['b\\x9b\\u202e\\x7f', '', '2'],
      ]
        .map(([name, command, x]) => `${name.padEnd(15)}   ${command.padEnd(41)}   ${x}\n`)
        .join(''),
    ],
    [
      'a colour code in user data is shown, not obeyed: the text of a painted cell is escaped too',
      ['A'],
      [['\u001b[32mfake'], [{ text: '\u001b[8mhidden', paint: green }]],
      `A\n\\x1b[32mfake\n${green('\\x1b[8mhidden')}\n`,
    ],
    ['a short row ends where its cells end', ['A', 'B', 'C'], [['x']], 'A   B   C\nx\n'],
    ['a header wider than every cell sets the width', ['STATUS', 'N'], [['up', '1']], 'STATUS   N\nup       1\n'],
  ])('%s', (_what, headers, rows, text) => {
    expect(renderTable(headers, rows)).toBe(text);
  });
});

describe('relativeTime', () => {
  const NOW = Date.UTC(2026, 10, 21, 19, 23, 28);
  const SECOND = 1000;
  const DAY = 24 * 3600 * SECOND;

  test.each<[string, number | null, string]>([
    ['no time', null, ''],
    ['now', NOW, 'just now'],
    ['under half a second ago', NOW - 499, 'just now'],
    ['in the future (another clock)', NOW + 5 * SECOND, 'just now'],
    ['half a second ago, rounded up', NOW - 500, '1 second ago'],
    ['59 s', NOW - 59 * SECOND, '59 seconds ago'],
    ['a minute', NOW - 60 * SECOND, '1 minute ago'],
    ['119 s, whole minutes only', NOW - 119 * SECOND, '1 minute ago'],
    ['two minutes', NOW - 120 * SECOND, '2 minutes ago'],
    ['an hour', NOW - 3600 * SECOND, '1 hour ago'],
    ['23 h 59 min', NOW - DAY + 60 * SECOND, '23 hours ago'],
    ['a day', NOW - DAY, '1 day ago'],
    ['6 days', NOW - 6 * DAY, '6 days ago'],
    ['a week', NOW - 7 * DAY, '1 week ago'],
    ['29 days', NOW - 29 * DAY, '4 weeks ago'],
    ['30 days', NOW - 30 * DAY, '1 month ago'],
    ['364 days', NOW - 364 * DAY, '12 months ago'],
    ['365 days', NOW - 365 * DAY, '1 year ago'],
    ['three years', NOW - 3 * 365 * DAY, '3 years ago'],
  ])('%s -> %p', (_what, then, text) => {
    expect(relativeTime(then, NOW)).toBe(text);
  });
});

describe('dcDatetime and isoTime', () => {
  test.each<[number | null, string | null, string | null]>([
    [null, null, null],
    [0, 'Thu, 01 Jan 1970 00:00:00 +0000', '1970-01-01T00:00:00.000Z'],
    [Date.UTC(2026, 10, 21, 19, 23, 28, 123), 'Sat, 21 Nov 2026 19:23:28 +0000', '2026-11-21T19:23:28.123Z'],
  ])('%p -> %p, %p', (ms, dc, iso) => {
    expect(dcDatetime(ms)).toBe(dc);
    expect(isoTime(ms)).toBe(iso);
  });
});

test("dcDatetime agrees with the platform's own RFC 1123 text on every day of a leap year and across hours", () => {
  const start = Date.UTC(2028, 0, 1, 0, 0, 0);
  for (let ms = start; ms < start + 367 * 24 * 3600 * 1000; ms += 24 * 3600 * 1000 + 3_601_001) {
    expect(dcDatetime(ms)).toBe(new Date(ms).toUTCString().replace('GMT', '+0000'));
  }
});
