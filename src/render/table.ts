/** Aligned, left-justified columns separated by three spaces, as the DC and Fly CLIs print them. */
// eslint-disable-next-line no-control-regex -- colour codes start with the ESC control character
const VISIBLE = /\u001b\[[0-9;]*m/g;
const width = (text: string) => [...text.replace(VISIBLE, '')].length;

export const renderTable = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = headers.map((header, col) => Math.max(width(header), ...rows.map((row) => width(row[col] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, col) => (col === cells.length - 1 ? cell : cell + ' '.repeat(widths[col] - width(cell))))
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
};
