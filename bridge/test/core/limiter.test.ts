import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConcurrencyLimiter, KeyedLimiter } from '../../src/http/limiter.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ConcurrencyLimiter', () => {
  it('never runs more than max tasks at once, and runs them all', async () => {
    const limiter = new ConcurrencyLimiter(4);
    let inFlight = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        limiter.run(async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          assert.ok(limiter.active <= 4);
          await tick(1 + (i % 5));
          inFlight--;
          return i;
        }),
      ),
    );
    assert.equal(peak, 4);
    assert.deepEqual(
      results,
      Array.from({ length: 40 }, (_, i) => i),
    );
    assert.equal(limiter.active, 0);
    assert.equal(limiter.pending, 0);
  });

  it('starts waiting tasks in FIFO order', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const started: number[] = [];
    await Promise.all(
      [0, 1, 2, 3].map((i) =>
        limiter.run(async () => {
          started.push(i);
          await tick(1);
        }),
      ),
    );
    assert.deepEqual(started, [0, 1, 2, 3]);
  });

  it('a failing task frees its slot and its error reaches the caller', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const failing = limiter.run(async () => {
      throw new Error('nope');
    });
    const next = limiter.run(async () => 'ok');
    await assert.rejects(failing, /nope/);
    assert.equal(await next, 'ok');
    assert.equal(limiter.active, 0);
  });

  it('rejects a non-positive max', () => {
    assert.throws(() => new ConcurrencyLimiter(0), RangeError);
    assert.throws(() => new ConcurrencyLimiter(1.5), RangeError);
  });

  it('KeyedLimiter gives each key its own budget', async () => {
    const keyed = new KeyedLimiter(2);
    assert.equal(keyed.for('a'), keyed.for('a'));
    assert.notEqual(keyed.for('a'), keyed.for('b'));
    const peaks: Record<string, number> = { a: 0, b: 0 };
    const now: Record<string, number> = { a: 0, b: 0 };
    let together = 0;
    await Promise.all(
      ['a', 'b'].flatMap((key) =>
        Array.from({ length: 6 }, () =>
          keyed.for(key).run(async () => {
            now[key] = (now[key] ?? 0) + 1;
            peaks[key] = Math.max(peaks[key] ?? 0, now[key] ?? 0);
            together = Math.max(together, (now.a ?? 0) + (now.b ?? 0));
            await tick(2);
            now[key] = (now[key] ?? 0) - 1;
          }),
        ),
      ),
    );
    assert.deepEqual(peaks, { a: 2, b: 2 });
    assert.equal(together, 4);
  });
});
