/**
 * Request bodies go through Fastify's own JSON parser (server.ts): a body that would poison an
 * object's prototype is refused, as is one that is not JSON, each with the reason; an empty body is
 * an empty object, as Fly's start and cordon send it.
 */
import http from 'node:http';
import { bearer, listen, type Listening } from './auth-helpers.js';

const TOKEN = 'json-body-test-token';
let server: Listening;
beforeAll(async () => (server = await listen(TOKEN)));
afterAll(() => server.app.close());

/** A POST of these exact bytes as application/json. */
const post = (payload: string): Promise<{ statusCode: number; json: () => { error: string } }> =>
  new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/app/v1/service/',
        headers: { Host: `127.0.0.1:${server.port}`, 'Content-Type': 'application/json', ...bearer(TOKEN) },
        agent: false,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ statusCode: response.statusCode!, json: () => JSON.parse(text) }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });

test.each([
  ['__proto__', '{"image": "svc-busybox:latest", "__proto__": {"polluted": true}}'],
  ['constructor.prototype', '{"image": "svc-busybox:latest", "constructor": {"prototype": {"polluted": true}}}'],
])('a body that sets %s is a 400 that says so, and nothing is polluted', async (_key, payload) => {
  const answer = await post(payload);
  expect(answer.statusCode).toBe(400);
  expect(answer.json()).toEqual({
    error: 'the request body is not valid JSON: it sets __proto__ or constructor.prototype, which no API field is',
  });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test("a body that is not JSON is a 400 with JSON.parse's reason", async () => {
  const answer = await post('{"image": ');
  expect(answer.statusCode).toBe(400);
  expect(answer.json().error).toMatch(/^the request body is not valid JSON: .*(Unexpected end|JSON)/);
  expect(answer.json().error).not.toMatch(/content-type/);
});

test("an empty body is an empty object: the schema's answer, not the parser's", async () => {
  const answer = await post('  ');
  expect(answer.statusCode).toBe(400);
  expect(answer.json().error).not.toMatch(/not valid JSON/);
  expect(answer.json().error).toMatch(/image/);
});
