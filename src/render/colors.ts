import type { ContainerState, ServiceState } from '../core/states.js';
import { stateSymbol } from '../core/states.js';
import type { PaintedCell } from './table.js';

/** The colours svc's output uses; a chalk instance is one. */
export interface Palette {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const asIs = (text: string) => text;
const PLAIN: Palette = { green: asIs, red: asIs, yellow: asIs, bold: asIs, dim: asIs };

/** Colour when it was not turned off (--no-color, NO_COLOR, TERM=dumb) and stdout is a terminal. */
export const colorWanted = (flagAllows: boolean, env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): boolean =>
  flagAllows && !('NO_COLOR' in env) && stdoutIsTTY && env.TERM !== 'dumb';

/**
 * Colours only when the context allows them (TTY, no NO_COLOR, no --no-color). chalk is loaded
 * only then: output to a pipe or a script, the most common case, never pays for it.
 */
export const paint = async (color: boolean): Promise<Palette> => {
  if (!color) return PLAIN;
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
};

/** A table cell (render/table.ts), coloured after the table has escaped and measured it. */
export const renderState = (palette: Palette, state: ServiceState | ContainerState): PaintedCell => {
  const text = `${stateSymbol(state)} ${state}`;
  if (state === 'Running') return { text, paint: (t) => palette.green(t) };
  if (state === 'Stopped' || state === 'Terminated' || state === 'Not running')
    return { text, paint: (t) => palette.red(t) };
  return { text, paint: (t) => palette.yellow(t) };
};
