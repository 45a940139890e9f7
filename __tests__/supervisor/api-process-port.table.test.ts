/** The port a restarted server child listens on is the one the first served: never 0 (a random port) for port 80. */
import { servedPort } from '../../src/supervisor/api-process.js';

test.each([
  ['http://127.0.0.1:7420', 7420],
  ['http://127.0.0.1', 80],
  ['http://[::1]:8080', 8080],
  ['http://[::1]', 80],
])('%s serves on port %i', (url, port) => {
  expect(servedPort(url)).toBe(port);
});
