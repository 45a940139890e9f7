/** --listen: HOST:PORT, loopback unless the user says otherwise on purpose. */
import { baseUrl, checkListen, isLoopback, parseListen } from '../../src/api/listen.js';
import { UserError } from '../../src/errors.js';

test.each([
  ['127.0.0.1:7420', { host: '127.0.0.1', port: 7420 }],
  ['localhost:8080', { host: 'localhost', port: 8080 }],
  ['[::1]:7420', { host: '::1', port: 7420 }],
  ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
  [' 127.0.0.1:7420 ', { host: '127.0.0.1', port: 7420 }],
])('%s is %j', (text, expected) => {
  expect(parseListen(text)).toEqual(expected);
});

test.each(['7420', '127.0.0.1', '127.0.0.1:', ':7420', '127.0.0.1:70000', '::1:7420', '127.0.0.1:80a', 'a b:1'])(
  '%p is refused as a usage error',
  (text) => {
    let error: unknown;
    try {
      parseListen(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).kind).toBe('usage');
    expect((error as UserError).message).toMatch(/expected HOST:PORT/);
  },
);

test.each([
  ['127.0.0.1', true],
  ['127.1.2.3', true],
  ['localhost', true],
  ['::1', true],
  ['0.0.0.0', false],
  ['::', false],
  ['192.168.1.10', false],
  ['example.com', false],
])('%s is loopback: %p', (host, expected) => {
  expect(isLoopback(host)).toBe(expected);
});

test('a non-loopback address is refused without --allow-remote, naming the flag, and warns with it', () => {
  const warnings: string[] = [];
  expect(() => checkListen({ host: '0.0.0.0', port: 7420 }, false, (m) => warnings.push(m))).toThrow(
    /not a loopback address/,
  );
  expect(warnings).toEqual([]);
  expect(checkListen({ host: '0.0.0.0', port: 7420 }, true, (m) => warnings.push(m))).toEqual({
    host: '0.0.0.0',
    port: 7420,
  });
  expect(warnings).toEqual([expect.stringMatching(/reachable from other hosts over plain HTTP/)]);
  expect(checkListen({ host: '127.0.0.1', port: 1 }, false, (m) => warnings.push(m))).toEqual({
    host: '127.0.0.1',
    port: 1,
  });
  expect(warnings).toHaveLength(1);
});

test.each([
  [{ host: '127.0.0.1', port: 7420 }, 'http://127.0.0.1:7420'],
  [{ host: '::1', port: 7420 }, 'http://[::1]:7420'],
])('the URL of %j is %s', (address, url) => {
  expect(baseUrl(address)).toBe(url);
});
