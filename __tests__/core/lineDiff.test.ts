import { diffLines, type DiffLine } from '../../src/core/lineDiff.js';

const lines = (...texts: string[]) => texts.join('\n');
const same = (text: string): DiffLine => ({ kind: 'same', text });
const removed = (text: string): DiffLine => ({ kind: 'removed', text });
const added = (text: string): DiffLine => ({ kind: 'added', text });
const folded = (count: number): DiffLine => ({ kind: 'folded', count });

describe('diffLines', () => {
  it.each<[string, string, string, DiffLine[]]>([
    ['equal texts: no diff', lines('a', 'b'), lines('a', 'b'), []],
    [
      'a changed line reads as - then +',
      lines('a', 'b', 'c'),
      lines('a', 'B', 'c'),
      [same('a'), removed('b'), added('B'), same('c')],
    ],
    ['an added line', lines('a', 'c'), lines('a', 'b', 'c'), [same('a'), added('b'), same('c')]],
    ['a removed line', lines('a', 'b', 'c'), lines('a', 'c'), [same('a'), removed('b'), same('c')]],
    [
      'runs far from a change fold; two lines of context stay',
      lines('1', '2', '3', '4', '5', 'x', '6', '7', '8', '9', '10'),
      lines('1', '2', '3', '4', '5', 'y', '6', '7', '8', '9', '10'),
      [folded(3), same('4'), same('5'), removed('x'), added('y'), same('6'), same('7'), folded(3)],
    ],
    [
      'a single far line is shown, not folded',
      lines('0', '1', '2', 'x'),
      lines('0', '1', '2', 'y'),
      [same('0'), same('1'), same('2'), removed('x'), added('y')],
    ],
  ])('%s', (_name, before, after, expected) => {
    expect(diffLines(before, after)).toEqual(expected);
  });

  it('diffs a restart policy change the way flyctl shows it', () => {
    const before = JSON.stringify(
      { init: {}, image: 'i', restart: { policy: 'always' }, metadata: { fly_process_group: 'app' } },
      null,
      2,
    );
    const after = JSON.stringify(
      {
        init: {},
        image: 'i',
        restart: { policy: 'on-failure', max_retries: 10 },
        metadata: { fly_process_group: 'app' },
      },
      null,
      2,
    );
    expect(diffLines(before, after)).toEqual([
      folded(2),
      same('  "image": "i",'),
      same('  "restart": {'),
      removed('    "policy": "always"'),
      added('    "policy": "on-failure",'),
      added('    "max_retries": 10'),
      same('  },'),
      same('  "metadata": {'),
      folded(3),
    ]);
  });
});
