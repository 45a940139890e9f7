/** Aligned, left-justified columns separated by three spaces, as the DC and Fly CLIs print them. */
import { escapeControls } from './escape.js';

/** A cell svc colours (a state): its text is escaped and measured before the colour goes on. */
export interface PaintedCell {
  text: string;
  paint: (text: string) => string;
}

/** Every cell's text is user data as far as the table knows: its control characters are shown escaped. */
export type Cell = string | PaintedCell;

const textOf = (cell: Cell) => escapeControls(typeof cell === 'string' ? cell : cell.text);
const width = (text: string) => [...text].length;

export const renderTable = (headers: readonly string[], rows: readonly (readonly Cell[])[]): string => {
  const texts = [headers, ...rows].map((row) => row.map(textOf));
  const widths = headers.map((_, col) => Math.max(...texts.map((row) => width(row[col] ?? ''))));
  const line = (cells: readonly Cell[], row: readonly string[]) =>
    cells
      .map((cell, col) => {
        const text = typeof cell === 'string' ? row[col] : cell.paint(row[col]);
        return col === cells.length - 1 ? text : text + ' '.repeat(widths[col] - width(row[col]));
      })
      .join('   ')
      .trimEnd();
  return [line(headers, texts[0]), ...rows.map((cells, i) => line(cells, texts[i + 1]))].join('\n') + '\n';
};

/**
 * The table with each of `optional` added only when a row has something in it: a cell that is empty
 * or `local` (every workload's backend on a host without a swarm) says nothing, so such a host prints
 * DC's and Fly's tables as they always were.
 */
export const renderTableWithOptionalColumns = (
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  optional: readonly { header: string; cells: readonly string[] }[],
): string => {
  const shown = optional.filter((column) => column.cells.some((cell) => cell !== '' && cell !== 'local'));
  return renderTable(
    [...headers, ...shown.map((c) => c.header)],
    rows.map((row, i) => [...row, ...shown.map((c) => c.cells[i])]),
  );
};
