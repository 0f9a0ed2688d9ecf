import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../stand-ins/common/prng.ts';
import {
  basicAuthHeader,
  checkApiKey,
  checkBasicCredentials,
  hmacSha256Hex,
  parseBasicAuth,
  safeEqual,
} from '../../../stand-ins/common/auth.ts';

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    const seqB = Array.from({ length: 20 }, () => b.next());
    const seqC = Array.from({ length: 20 }, () => c.next());
    assert.deepEqual(seqA, seqB);
    assert.notDeepEqual(seqA, seqC);
    assert.ok(seqA.every((x) => x >= 0 && x < 1));
    assert.equal(createRng('acme').id(), createRng('acme').id());
  });

  it('int covers [min, max] inclusive and nothing else', () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(3, 7));
    assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
    assert.throws(() => rng.int(5, 1), RangeError);
  });

  it('pick, bool, id, shuffle, fork', () => {
    const rng = createRng(9);
    const items = ['a', 'b', 'c'];
    for (let i = 0; i < 50; i++) assert.ok(items.includes(rng.pick(items)));
    assert.throws(() => rng.pick([]), RangeError);
    const trues = Array.from({ length: 4000 }, () => rng.bool(0.25)).filter(Boolean).length;
    assert.ok(trues > 850 && trues < 1150, `bool(0.25) gave ${trues}/4000`);
    assert.match(rng.id(), /^[0-9a-z]{16}$/);
    assert.match(rng.id(8), /^[0-9a-z]{8}$/);
    const shuffled = rng.shuffle([1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual([...shuffled].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(createRng(5).fork('customers').next(), createRng(5).fork('customers').next());
    assert.notEqual(createRng(5).fork('customers').next(), createRng(5).fork('invoices').next());
  });
});

describe('auth helpers', () => {
  it('round-trips Basic credentials, including colons in the password', () => {
    assert.deepEqual(parseBasicAuth(basicAuthHeader('key', 'x')), {
      username: 'key',
      password: 'x',
    });
    assert.deepEqual(parseBasicAuth(basicAuthHeader('key')), { username: 'key', password: '' });
    assert.deepEqual(parseBasicAuth(basicAuthHeader('u', 'a:b')), {
      username: 'u',
      password: 'a:b',
    });
    assert.equal(parseBasicAuth('Bearer abc'), null);
    assert.equal(parseBasicAuth(undefined), null);
    assert.equal(parseBasicAuth(`Basic ${Buffer.from('nocolon').toString('base64')}`), null);
  });

  it('checkApiKey accepts any non-empty key, or exactly the expected one', () => {
    assert.deepEqual(checkApiKey(basicAuthHeader('anything', 'x')), {
      ok: true,
      apiKey: 'anything',
    });
    assert.deepEqual(checkApiKey(undefined), { ok: false, reason: 'missing' });
    assert.deepEqual(checkApiKey(basicAuthHeader('', 'x')), { ok: false, reason: 'malformed' });
    assert.deepEqual(checkApiKey(basicAuthHeader('k1', 'x'), 'k1'), { ok: true, apiKey: 'k1' });
    assert.deepEqual(checkApiKey(basicAuthHeader('k2', 'x'), 'k1'), {
      ok: false,
      reason: 'wrong_key',
    });
  });

  it('checkBasicCredentials and safeEqual', () => {
    const expected = { username: 'hook', password: 'pw' };
    assert.equal(checkBasicCredentials(basicAuthHeader('hook', 'pw'), expected), true);
    assert.equal(checkBasicCredentials(basicAuthHeader('hook', 'pW'), expected), false);
    assert.equal(checkBasicCredentials(undefined, expected), false);
    assert.equal(safeEqual('abc', 'abc'), true);
    assert.equal(safeEqual('abc', 'abcd'), false);
  });

  it('hmacSha256Hex matches the Maxio test vector', () => {
    assert.equal(
      hmacSha256Hex('123', 'payload[chargify]=testing&event=test'),
      '19826d51b9f866b26eda1f154de192593360f8d0bcb63df8a28540a5dcf733f1',
    );
  });
});
