/** Docker Cloud's list envelope: next is null on the last page, or the SDKs loop for ever. */
import { asksForAStack, listEnvelope, stateMatches } from '../../../src/api/dockercloud/list.js';

const items = ['a', 'b', 'c', 'd', 'e'];
const PATH = '/api/app/v1/service/';

test.each([
  [{ limit: 25, offset: 0 }, ['a', 'b', 'c', 'd', 'e'], null, null],
  [{ limit: 2, offset: 0 }, ['a', 'b'], `${PATH}?limit=2&offset=2`, null],
  [{ limit: 2, offset: 2 }, ['c', 'd'], `${PATH}?limit=2&offset=4`, `${PATH}?limit=2&offset=0`],
  [{ limit: 2, offset: 4 }, ['e'], null, `${PATH}?limit=2&offset=2`],
  [{ limit: 2, offset: 9 }, [], null, `${PATH}?limit=2&offset=7`],
  [{ limit: 5, offset: 0 }, items, null, null],
])('page %j', (query, objects, next, previous) => {
  expect(listEnvelope(PATH, query, items)).toEqual({ meta: { ...query, next, previous, total_count: 5 }, objects });
});

test('the next page keeps the filters, and its link leads to the last page', () => {
  const first = listEnvelope(PATH, { limit: 2, offset: 0, name: 'web', state: 'Running' }, items);
  expect(first.meta.next).toBe(`${PATH}?name=web&state=Running&limit=2&offset=2`);
  let query = { limit: 2, offset: 0 };
  let pages = 0;
  for (let page = listEnvelope(PATH, query, items); ; page = listEnvelope(PATH, query, items)) {
    pages += 1;
    if (page.meta.next === null) break;
    query = { limit: 2, offset: Number(new URL(page.meta.next, 'http://x').searchParams.get('offset')) };
  }
  expect(pages).toBe(3);
});

test.each([
  [{ limit: 1, offset: 0 }, false],
  [{ limit: 1, offset: 0, stack: '/api/app/v1/stack/x/' }, true],
  [{ limit: 1, offset: 0, stack__name: 'web' }, true],
])('%j asks for a stack: %p', (query, expected) => {
  expect(asksForAStack(query)).toBe(expected);
});

test.each([
  ['Running', undefined, true],
  ['Running', 'running', true],
  ['Partly running', 'partly RUNNING', true],
  ['Stopped', 'Running', false],
])('%s matches the filter %p: %p', (state, wanted, expected) => {
  expect(stateMatches(state, wanted)).toBe(expected);
});
