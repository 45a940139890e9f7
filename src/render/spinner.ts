/** A one-line spinner on stderr, shown only where colour and animation are allowed (a TTY). */
import type { Writable } from 'node:stream';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export const startSpinner = (stream: Writable, enabled: boolean, text: string) => {
  if (!enabled) return { update: (_: string) => {}, stop: () => {} };
  let frame = 0;
  let current = text;
  const timer = setInterval(() => stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${current}\u001b[K`), 80);
  return {
    update: (next: string) => void (current = next),
    stop: () => {
      clearInterval(timer);
      stream.write('\r\u001b[K');
    },
  };
};
