import { Chalk, type ChalkInstance } from 'chalk';
import type { ContainerState, ServiceState } from '../core/states.js';
import { stateSymbol } from '../core/states.js';

/** A chalk that colours only when the context allows it (TTY, no NO_COLOR, no --no-color). */
export const paint = (color: boolean): ChalkInstance => new Chalk({ level: color ? 1 : 0 });

export const renderState = (chalk: ChalkInstance, state: ServiceState | ContainerState): string => {
  const text = `${stateSymbol(state)} ${state}`;
  if (state === 'Running') return chalk.green(text);
  if (state === 'Stopped' || state === 'Terminated' || state === 'Not running') return chalk.red(text);
  return chalk.yellow(text);
};
