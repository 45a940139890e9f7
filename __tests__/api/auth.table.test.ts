/** The API token in each form the platforms' clients send it (API.md), and nothing else. */
import { tokenFromAuthorization, tokenMatches } from '../../src/api/auth.js';

const TOKEN = 'svc_0123456789abcdef';
const base64 = (text: string) => Buffer.from(text).toString('base64');

test.each([
  ['Bearer (Fly clients, curl)', `Bearer ${TOKEN}`, TOKEN],
  ['FlyV1 (flyctl)', `FlyV1 ${TOKEN}`, TOKEN],
  ['Basic USER:TOKEN (Docker Cloud and Tutum SDKs)', `Basic ${base64(`alice:${TOKEN}`)}`, TOKEN],
  ['Basic with any user, even an empty one', `Basic ${base64(`:${TOKEN}`)}`, TOKEN],
  ['ApiKey USER:TOKEN (old Tutum)', `ApiKey alice:${TOKEN}`, TOKEN],
  ['the scheme in any case', `bearer ${TOKEN}`, TOKEN],
  ['no header', undefined, null],
  ['an empty header', '', null],
  ['a bare token with no scheme', TOKEN, null],
  ['an unknown scheme', `Token ${TOKEN}`, null],
  ['Basic without a colon', `Basic ${base64(TOKEN)}`, null],
  ['ApiKey without a colon', `ApiKey ${TOKEN}`, null],
])('%s', (_, header, expected) => {
  expect(tokenFromAuthorization(header)).toBe(expected);
});

test.each([
  [TOKEN, true],
  [`${TOKEN}x`, false],
  [TOKEN.slice(0, -1), false],
  ['', false],
  [null, false],
])('token %p matches: %p', (given, expected) => {
  expect(tokenMatches(given, TOKEN)).toBe(expected);
});
