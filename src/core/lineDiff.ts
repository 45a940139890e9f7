/**
 * A line diff in the style flyctl prints for `m update`: changed lines with a little unchanged
 * context, longer unchanged runs folded into `... // N identical lines`. Pure.
 */
export type DiffLine = { kind: 'same' | 'removed' | 'added'; text: string } | { kind: 'folded'; count: number };

type Edit = { kind: 'same' | 'removed' | 'added'; text: string };

/** Longest common subsequence of lines; configs are a few dozen lines, so the table stays small. */
const editScript = (before: string[], after: string[]): Edit[] => {
  const lcs = Array.from({ length: before.length + 1 }, () => new Array<number>(after.length + 1).fill(0));
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      lcs[i][j] = before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && before[i] === after[j]) {
      edits.push({ kind: 'same', text: before[i] });
      i++;
      j++;
    } else if (i < before.length && (j === after.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // On a tie the old line goes first, so a changed line reads as `-` then `+`.
      edits.push({ kind: 'removed', text: before[i++] });
    } else {
      edits.push({ kind: 'added', text: after[j++] });
    }
  }
  return edits;
};

/** Returns [] when the texts are equal. `context`: unchanged lines kept on each side of a change. */
export const diffLines = (before: string, after: string, context = 2): DiffLine[] => {
  const edits = editScript(before.split('\n'), after.split('\n'));
  if (edits.every((e) => e.kind === 'same')) return [];
  const changed = edits.flatMap((e, index) => (e.kind === 'same' ? [] : [index]));
  const farFromChange = (index: number) => changed.every((c) => Math.abs(c - index) > context);
  const lines: DiffLine[] = [];
  let run: Edit[] = [];
  const flushRun = () => {
    // Folding a single line would take as much room as showing it.
    if (run.length === 1) lines.push(run[0]);
    else if (run.length > 1) lines.push({ kind: 'folded', count: run.length });
    run = [];
  };
  edits.forEach((edit, index) => {
    if (edit.kind === 'same' && farFromChange(index)) return void run.push(edit);
    flushRun();
    lines.push(edit);
  });
  flushRun();
  return lines;
};
