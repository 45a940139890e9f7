/**
 * The human-readable outputs outside tables that carry user data (issue 20, case 13): m update's
 * config diff and m list's count line show control characters escaped.
 */
import { renderDiff } from '../../../src/commands/machine/tables.js';
import { machineListing } from '../../../src/commands/machine/list.js';
import { paint } from '../../../src/render/colors.js';

const HOSTILE = '\u001b[2J\u009b31m\u202e';
const SHOWN = '\\x1b[2J\\x9b31m\\u202e';

test("m update's diff: every line's text escaped, the colour still svc's", async () => {
  const chalk = await paint(false);
  const diff = renderDiff(chalk, [
    { kind: 'same', text: `"cmd": "${HOSTILE}"` },
    { kind: 'removed', text: `"a": "${HOSTILE}"` },
    { kind: 'added', text: `"b": "${HOSTILE}"` },
  ]);
  expect(diff).toBe(`  "cmd": "${SHOWN}"\n- "a": "${SHOWN}"\n+ "b": "${SHOWN}"\n`);
});

test('m list -a with control characters: the count line shows them escaped', async () => {
  const output = await machineListing([], `web${HOSTILE}`, { quiet: undefined, json: undefined }, false);
  expect(output).toEqual({ stdout: '', stderr: `0 machines have been retrieved from app web${SHOWN}.\n` });
});
