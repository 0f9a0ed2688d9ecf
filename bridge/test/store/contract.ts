/**
 * The store contract: what the running bridge relies on from a `ServiceStore`, written once and
 * run unchanged against the embedded SQLite store (sqlite.test.ts) and the PostgreSQL store
 * (postgres.test.ts). What only several processes can show (a SIGKILLed worker, claims from four
 * processes) stays in those files, next to the code that starts the processes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { idempotencyKeyFor } from '../../src/org-api/ledger.ts';
import type { ServiceStore } from '../../src/store/service-store.ts';
import type { FailureInput } from '../../src/sync/pipeline.ts';

export interface OpenedStore {
  store: ServiceStore;
  /** Open the same storage again (a restarted process). */
  reopen(): Promise<ServiceStore>;
}

export interface StoreHarness {
  name: string;
  /** Set to skip the whole suite, with the reason shown. */
  skip?: string | null;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  /** A new, empty store of its own (a fresh file / database). */
  open(): Promise<OpenedStore>;
  /** Jobs of a queue by state: `queued`, `active`, `done`, `dead` (absent states omitted). */
  jobCounts(store: ServiceStore, queue: string): Promise<Record<string, number>>;
}

export const delivery = (
  eventId: string,
  siteKey: 'maxio:acme' | 'maxio:other' = 'maxio:acme',
) => ({
  siteKey,
  eventId,
  eventType: 'signup_success',
  receivedAt: '2026-11-22T10:00:00.000Z',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  rawBody: `id=${eventId}&event=signup_success`,
  status: 'received' as const,
});

export const failure = (externalId: string): FailureInput => ({
  siteKey: 'maxio:acme',
  sobject: 'Subscription__c',
  externalId,
  sourceResource: 'subscription',
  sourceId: externalId.split(':').pop() as string,
  source: 'Webhook',
  errorCode: 'STRING_TOO_LONG',
  message: 'Name: data value too large',
  payload: '{"Name":"…"}',
});

async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function storeContract(harness: StoreHarness): void {
  const skip = harness.skip ?? false;
  describe(`ServiceStore contract: ${harness.name}`, { timeout: 120_000, skip }, () => {
    const opened: ServiceStore[] = [];
    before(async () => harness.setup?.());
    after(async () => {
      for (const store of opened) await store.close().catch(() => undefined);
      await harness.teardown?.();
    });
    async function fresh(): Promise<OpenedStore> {
      const o = await harness.open();
      opened.push(o.store);
      return {
        store: o.store,
        reopen: async () => {
          const again = await o.reopen();
          opened.push(again);
          return again;
        },
      };
    }

    it('stores a delivery once per (site, event id), tells a duplicate its status, survives reopening', async () => {
      const { store, reopen } = await fresh();
      const first = await store.recordDelivery(delivery('evt-1'));
      const again = await store.recordDelivery(delivery('evt-1'));
      const other = await store.recordDelivery(delivery('evt-1', 'maxio:other'));
      assert.deepEqual(
        [first.duplicate, again.duplicate, again.id === first.id, again.status, other.duplicate],
        [false, true, true, 'received', false],
      );
      await store.markDelivery(first.id, 'processed');
      const reopened = await reopen();
      const stored = await reopened.getDelivery(first.id);
      assert.equal(stored?.status, 'processed');
      assert.equal(stored?.rawBody, 'id=evt-1&event=signup_success');
      assert.equal((await reopened.recordDelivery(delivery('evt-1'))).status, 'processed');
      assert.equal(await reopened.getDelivery('999999'), null);
    });

    it('keeps exactly one of 20 concurrent copies of an event', async () => {
      const { store } = await fresh();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.recordDelivery(delivery('evt-same'))),
      );
      assert.equal(results.filter((r) => !r.duplicate).length, 1);
      assert.equal(new Set(results.map((r) => r.id)).size, 1);
      assert.equal((await store.stats()).deliveries, 1);
    });

    it('lists deliveries by status', async () => {
      const { store } = await fresh();
      const a = await store.recordDelivery(delivery('a'));
      await store.recordDelivery(delivery('b'));
      await store.markDelivery(a.id, 'failed', 'Salesforce down');
      const failed = await store.listDeliveries({ status: 'failed' });
      assert.deepEqual(
        failed.map((d) => [d.eventId, d.status]),
        [['a', 'failed']],
      );
      assert.equal((await store.listDeliveries({ status: 'received' })).length, 1);
    });

    it('keeps cursors per site and stream', async () => {
      const { store, reopen } = await fresh();
      await store.setCursor('maxio:acme', 'events', '41');
      await store.setCursor('maxio:acme', 'events', '42');
      await store.setCursor('chargebee:acme', 'events', 'x');
      assert.equal(await store.getCursor('maxio:acme', 'events'), '42');
      assert.equal(await store.getCursor('chargebee:acme', 'events'), 'x');
      assert.equal(await store.getCursor('maxio:acme', 'backfill:customer'), null);
      assert.equal(await (await reopen()).getCursor('maxio:acme', 'events'), '42');
    });

    it('never lets an older version through, accepts equal ones again, prefers resource_version', async () => {
      const { store } = await fresh();
      const k = 'chargebee:acme:sub_1';
      const claim = (resourceVersion: number | null, updatedAt: string | null) =>
        store.claimVersions([{ key: k, resourceVersion, updatedAt }]);
      assert.deepEqual([...(await claim(200, '2026-01-01T00:00:02Z'))], [[k, { existed: false }]]);
      assert.equal((await claim(100, '2026-01-01T00:00:09Z')).size, 0, 'older resource_version');
      assert.deepEqual([...(await claim(200, '2026-01-01T00:00:02Z'))], [[k, { existed: true }]]);
      assert.equal(
        (await claim(300, '2026-01-01T00:00:01Z')).size,
        1,
        'newer resource_version wins',
      );
      // Out of order: 300 was written, 250 arrives late.
      assert.equal((await claim(250, '2026-01-01T00:00:05Z')).size, 0, 'late older delivery');
      const m = 'maxio:acme:7';
      await store.claimVersions([{ key: m, updatedAt: '2026-01-01T10:00:00-05:00' }]);
      const older = await store.claimVersions([{ key: m, updatedAt: '2026-01-01T14:59:59Z' }]);
      const equal = await store.claimVersions([{ key: m, updatedAt: '2026-01-01T15:00:00Z' }]);
      const newer = await store.claimVersions([{ key: m, updatedAt: '2026-01-01T15:00:01Z' }]);
      assert.deepEqual(
        [older.size, equal.size, newer.size],
        [0, 1, 1],
        'offsets are compared as instants',
      );
      const batch = await store.claimVersions([
        { key: 'maxio:acme:8', updatedAt: '2026-01-01T00:00:00Z' },
        { key: m, updatedAt: '2026-01-01T00:00:00Z' },
      ]);
      assert.deepEqual([...batch.keys()], ['maxio:acme:8'], 'a batch passes only its newer keys');
    });

    it('counts failure attempts, schedules retries, resolves, and starts over after a resolution', async () => {
      const { store } = await fresh();
      const t0 = new Date('2026-11-22T10:00:00Z');
      const [first] = await store.recordFailures([failure('maxio:acme:1')], t0);
      assert.equal(first?.attempts, 1);
      assert.equal(first?.status, 'Retrying');
      const next = Date.parse(first?.nextRetryAt ?? '');
      assert.ok(
        next - t0.getTime() >= 15_000 && next - t0.getTime() <= 30_000,
        first?.nextRetryAt ?? '',
      );
      assert.equal((await store.dueFailures(t0, 10)).length, 0);
      assert.deepEqual(
        (await store.dueFailures(new Date(next), 10)).map((f) => f.externalId),
        ['maxio:acme:1'],
      );
      const [second] = await store.recordFailures([failure('maxio:acme:1')], new Date(next));
      assert.equal(second?.attempts, 2);
      assert.equal(second?.firstFailedAt, first?.firstFailedAt);
      assert.ok(
        Date.parse(second?.nextRetryAt ?? '') - next > next - t0.getTime(),
        'the second wait is longer than the first',
      );
      const resolved = await store.resolveFailures(
        [
          { sobject: 'Subscription__c', externalId: 'maxio:acme:1' },
          { sobject: 'Account', externalId: 'never' },
        ],
        new Date(next + 1000),
      );
      assert.deepEqual(
        resolved.map((r) => [r.externalId, r.status]),
        [['maxio:acme:1', 'Resolved']],
      );
      assert.equal((await store.stats()).resolvedFailures, 1);
      const [reopened] = await store.recordFailures(
        [failure('maxio:acme:1')],
        new Date(next + 2000),
      );
      assert.equal(reopened?.attempts, 1, 'a new failure after a resolution starts over');
    });

    it('leaves a failure Open after the last attempt; an admin request makes it due now', async () => {
      const { store } = await fresh();
      let last;
      const t = new Date('2026-11-22T12:00:00Z');
      for (let i = 0; i < 10; i++)
        [last] = await store.recordFailures([failure('maxio:acme:2')], t);
      assert.equal(last?.status, 'Open');
      assert.equal(last?.nextRetryAt, null);
      assert.equal(
        (await store.dueFailures(new Date('2030-01-01'), 10)).some(
          (f) => f.externalId === 'maxio:acme:2',
        ),
        false,
      );
      assert.equal(
        await store.requestRetry([{ sobject: 'Subscription__c', externalId: 'maxio:acme:2' }], t),
        1,
      );
      assert.ok((await store.dueFailures(t, 10)).some((f) => f.externalId === 'maxio:acme:2'));
      assert.equal((await store.listFailures({ limit: 10 }))[0]?.externalId, 'maxio:acme:2');
    });

    it('runs each job once, retries a throwing one, and drops a second waiting job of a singleton key', async () => {
      const { store } = await fresh();
      const seen: string[] = [];
      let failedOnce = false;
      await store.enqueue('q1', { n: '1' });
      await store.enqueue('q1', { n: '2' }, { singletonKey: 's' });
      await store.enqueue('q1', { n: '3' }, { singletonKey: 's' });
      const worker = await store.work('q1', { concurrency: 2 }, async (payload) => {
        if (payload.n === '1' && !failedOnce) {
          failedOnce = true;
          throw Object.assign(new Error('transient'), { retryAfterMs: 0 });
        }
        seen.push(payload.n as string);
      });
      await until('both jobs done', async () => (await harness.jobCounts(store, 'q1')).done === 2);
      await worker.stop();
      assert.deepEqual([...seen].sort(), ['1', '2']);
      assert.deepEqual(await harness.jobCounts(store, 'q1'), { done: 2 });
    });

    it('keeps a queued job across a restart', async () => {
      const { store, reopen } = await fresh();
      await store.enqueue('persist', { n: 'kept' });
      await store.close();
      const again = await reopen();
      const got: string[] = [];
      const worker = await again.work('persist', { concurrency: 1 }, async (p) => {
        got.push(p.n as string);
      });
      await until('the kept job', () => got.length === 1);
      await worker.stop();
      assert.deepEqual(got, ['kept']);
    });

    it('creation ledger: one claim, in progress, retry after failure, done after completion', async () => {
      const { store } = await fresh();
      const ledger = store.creationLedger();
      const first = await ledger.claim('006000000000001AAA', 'maxio:acme');
      assert.equal(first.state, 'claimed');
      assert.equal(first.record.idempotencyKey, idempotencyKeyFor('006000000000001AAA'));
      assert.equal((await ledger.claim('006000000000001AAA', 'maxio:acme')).state, 'in_progress');
      await ledger.fail('006000000000001AAA', { code: 'provider_down', message: 'Maxio 503' });
      assert.deepEqual((await ledger.get('006000000000001AAA'))?.error, {
        code: 'provider_down',
        message: 'Maxio 503',
      });
      assert.equal((await ledger.claim('006000000000001AAA', 'maxio:acme')).state, 'claimed');
      await ledger.complete('006000000000001AAA', {
        subscriptionId: '123',
        externalId: 'maxio:acme:123',
        status: 'active',
      });
      const done = await ledger.claim('006000000000001AAA', 'maxio:acme');
      assert.equal(done.state, 'done');
      assert.equal(done.record.subscriptionId, '123');
      await assert.rejects(
        ledger.complete('006000000000009AAA', {
          subscriptionId: '1',
          externalId: 'x',
          status: 'active',
        }),
      );
    });

    it('creation ledger: one winner among 100 concurrent claims in one process', async () => {
      const { store } = await fresh();
      const ledger = store.creationLedger();
      const results = await Promise.all(
        Array.from({ length: 100 }, () => ledger.claim('006000000000002AAA', 'maxio:acme')),
      );
      assert.equal(results.filter((r) => r.state === 'claimed').length, 1);
      assert.equal(results.filter((r) => r.state === 'in_progress').length, 99);
    });
  });
}
