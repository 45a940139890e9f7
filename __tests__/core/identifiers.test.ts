import { type Identifiable, resolveIdentifier } from '../../src/core/identifiers.js';
import { workloadNotFound } from '../../src/engine/resolve.js';
import { UserError } from '../../src/errors.js';

const item = (id: string, name: string, live = true): Identifiable => ({ id, name, live });

const web = item('3f2a9c1e-0b4d-4e8a-9c7f-1d2e3f4a5b6c', 'web');
const worker = item('3f7b0000-1111-4222-8333-444455556666', 'worker');
const db = item('a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', 'db');
const ALL = [web, worker, db];

const resolvedId = (identifier: string, items: readonly Identifiable[] = ALL) => {
  const result = resolveIdentifier(identifier, items);
  return result.ok ? result.item.id : result.error;
};

describe('resolveIdentifier', () => {
  test.each([
    ['the full uuid', web.id, web.id],
    ['a unique uuid prefix', 'a1b2', db.id],
    ['a one-character unique prefix', 'a', db.id],
    ['a longer prefix that tells two similar uuids apart', '3f2', web.id],
    ['a prefix in upper case', 'A1B2C3', db.id],
    ['a name', 'worker', worker.id],
  ])('finds a service by %s', (_what, identifier, expected) => {
    expect(resolvedId(identifier)).toBe(expected);
  });

  test.each([
    ['an unknown name', 'nginx'],
    ['a prefix nobody has', 'ffff'],
    ['a name in another case (names are exact)', 'WEB'],
    ['the empty string', ''],
    ['a uuid with one character changed', web.id.slice(0, -1) + 'd'],
  ])('reports not-found for %s', (_what, identifier) => {
    expect(resolveIdentifier(identifier, ALL)).toEqual({ ok: false, error: 'not-found' });
  });

  test('a prefix shared by two services is ambiguous', () => {
    expect(resolveIdentifier('3f', ALL)).toEqual({ ok: false, error: 'ambiguous' });
  });

  test('a uuid prefix wins over a service named like it', () => {
    const namedLikePrefix = item('c0ffee00-0000-4000-8000-000000000000', 'a1b2');
    expect(resolvedId('a1b2', [namedLikePrefix, ...ALL])).toBe(db.id);
  });

  test('the full uuid wins even when another service is named exactly that uuid', () => {
    const impostor = item('b0b0b0b0-0000-4000-8000-000000000000', web.id);
    expect(resolvedId(web.id, [impostor, web])).toBe(web.id);
    expect(resolvedId(web.id, [web, impostor])).toBe(web.id);
  });

  describe('terminated services', () => {
    const gone = item('11111111-1111-4111-8111-111111111111', 'api', false);
    const current = item('22222222-2222-4222-8222-222222222222', 'api', true);

    test('a live service wins a name it shares with a terminated one, in either order', () => {
      expect(resolvedId('api', [gone, current])).toBe(current.id);
      expect(resolvedId('api', [current, gone])).toBe(current.id);
    });

    test('a terminated service still answers to its full uuid', () => {
      expect(resolvedId(gone.id, [gone, current])).toBe(gone.id);
    });

    test('a terminated service alone still answers to its name', () => {
      expect(resolvedId('api', [gone])).toBe(gone.id);
    });

    test('a live service wins a prefix it shares with a terminated one', () => {
      const oldOne = item('abcd0000-0000-4000-8000-000000000000', 'old', false);
      const newOne = item('abcd1111-1111-4111-8111-111111111111', 'new', true);
      expect(resolvedId('abcd', [oldOne, newOne])).toBe(newOne.id);
    });

    test('two live services sharing a prefix stay ambiguous even with a terminated one beside them', () => {
      const items = [
        item('abcd0000-0000-4000-8000-000000000000', 'one', true),
        item('abcd1111-1111-4111-8111-111111111111', 'two', true),
        item('abcd2222-2222-4222-8222-222222222222', 'three', false),
      ];
      expect(resolveIdentifier('abcd', items)).toEqual({ ok: false, error: 'ambiguous' });
    });
  });

  test('returns the item object itself, so callers keep their own fields', () => {
    const rich = { ...db, image: 'nginx' };
    const result = resolveIdentifier('db', [rich]);
    expect(result).toEqual({ ok: true, item: rich });
    expect(result.ok && result.item).toBe(rich);
  });
});

describe('DC messages', () => {
  test('not found names the identifier and exits 3', () => {
    const error = workloadNotFound('service', 'nginx-1', 'not-found');
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe("Cannot find a service with the identifier 'nginx-1'");
    expect(error.kind).toBe('not-found');
  });

  test('ambiguous asks for the long uuid and exits 3', () => {
    const error = workloadNotFound('service', 'nginx', 'ambiguous');
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe('More than one service has the same identifier, please use the long uuid');
    expect(error.kind).toBe('not-found');
  });
});
