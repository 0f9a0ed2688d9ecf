/**
 * The embedded store on a real SQLite file: deliveries deduplicated, cursors, the version gate,
 * failures and their retry schedule, the job queue's lease after a killed worker, and the
 * creation ledger's single winner across processes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { FailureInput } from '../../src/sync/pipeline.ts';

const dir = mkdtempSync(join(tmpdir(), 'bb-store-'));
let n = 0;
const freshPath = () => join(dir, `store-${++n}.db`);
after(() => rmSync(dir, { recursive: true, force: true }));

const delivery = (eventId: string) => ({
  siteKey: 'maxio:acme' as const,
  eventId,
  eventType: 'signup_success',
  receivedAt: '2026-11-22T10:00:00.000Z',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  rawBody: `id=${eventId}&event=signup_success`,
  status: 'received' as const,
});

const failure = (externalId: string): FailureInput => ({
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

describe('SqliteStore', () => {
  let store: SqliteStore;
  let path: string;
  before(() => {
    path = freshPath();
    store = new SqliteStore({
      path,
      pollMs: 5,
      jobRetry: { maxRetries: 3, initialDelayMs: 10, maxDelayMs: 50 },
    });
  });
  after(() => store.close());

  it('stores a delivery once per (site, event id) and survives reopening', async () => {
    const first = await store.recordDelivery(delivery('evt-1'));
    const again = await store.recordDelivery(delivery('evt-1'));
    const other = await store.recordDelivery({ ...delivery('evt-1'), siteKey: 'maxio:other' });
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.equal(again.id, first.id);
    assert.equal(other.duplicate, false);
    await store.markDelivery(first.id, 'processed');
    const reopened = new SqliteStore({ path });
    const stored = await reopened.getDelivery(first.id);
    await reopened.close();
    assert.equal(stored?.status, 'processed');
    assert.equal(stored?.rawBody, 'id=evt-1&event=signup_success');
  });

  it('keeps cursors per site and stream', async () => {
    await store.setCursor('maxio:acme', 'events', '41');
    await store.setCursor('maxio:acme', 'events', '42');
    await store.setCursor('chargebee:acme', 'events', 'x');
    assert.equal(await store.getCursor('maxio:acme', 'events'), '42');
    assert.equal(await store.getCursor('chargebee:acme', 'events'), 'x');
    assert.equal(await store.getCursor('maxio:acme', 'backfill:customer'), null);
  });

  it('never lets an older version through, accepts equal ones again, prefers resource_version', async () => {
    const k = 'chargebee:acme:sub_1';
    const claim = (resourceVersion: number | null, updatedAt: string | null) =>
      store.claimVersions([{ key: k, resourceVersion, updatedAt }]);
    assert.deepEqual([...(await claim(200, '2026-01-01T00:00:02Z'))], [[k, { existed: false }]]);
    assert.equal((await claim(100, '2026-01-01T00:00:09Z')).size, 0, 'older resource_version');
    assert.deepEqual([...(await claim(200, '2026-01-01T00:00:02Z'))], [[k, { existed: true }]]);
    assert.equal((await claim(300, '2026-01-01T00:00:01Z')).size, 1, 'newer resource_version wins');
    const m = 'maxio:acme:7';
    await store.claimVersions([{ key: m, updatedAt: '2026-01-01T10:00:00-05:00' }]);
    const older = await store.claimVersions([{ key: m, updatedAt: '2026-01-01T14:59:59Z' }]);
    const newer = await store.claimVersions([{ key: m, updatedAt: '2026-01-01T15:00:01Z' }]);
    assert.equal(older.size, 0, 'offsets are compared as instants');
    assert.equal(newer.size, 1);
  });

  it('counts failure attempts, schedules retries, resolves and reopens', async () => {
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
    const [reopened] = await store.recordFailures([failure('maxio:acme:1')], new Date(next + 2000));
    assert.equal(reopened?.attempts, 1, 'a new failure after a resolution starts over');
  });

  it('leaves a failure Open after the last attempt; an admin request makes it due now', async () => {
    let last;
    const t = new Date('2026-11-22T12:00:00Z');
    for (let i = 0; i < 10; i++) [last] = await store.recordFailures([failure('maxio:acme:2')], t);
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
  });

  it('runs each job once, retries a throwing one, and honours singleton keys', async () => {
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
    const deadline = Date.now() + 5000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    assert.deepEqual([...seen].sort(), ['1', '2']);
    assert.deepEqual(store.jobCounts('q1'), { done: 2 });
  });
});

/** A child process that takes a job and hangs, to be killed with SIGKILL. */
const HANG = `
import { SqliteStore } from ${JSON.stringify(new URL('../../src/store/sqlite.ts', import.meta.url).href)};
const store = new SqliteStore({ path: process.argv[1], leaseMs: 300, pollMs: 5 });
await store.work('crash', { concurrency: 1 }, async () => { process.stdout.write('taken\\n'); await new Promise(() => {}); });
`;

const CLAIM = `
import { SqliteStore } from ${JSON.stringify(new URL('../../src/store/sqlite.ts', import.meta.url).href)};
const store = new SqliteStore({ path: process.argv[1] });
const ledger = store.creationLedger();
const results = await Promise.all(Array.from({ length: 25 }, () => ledger.claim('006000000000001AAA', 'maxio:acme')));
process.stdout.write(JSON.stringify(results.map((r) => r.state)));
await store.close();
`;

function runChild(code: string, args: string[]) {
  return spawn(process.execPath, ['--input-type=module', '--no-warnings', '-e', code, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('SqliteStore across processes', () => {
  it('gives a job back after its worker is killed with SIGKILL', async () => {
    const path = freshPath();
    const store = new SqliteStore({ path, leaseMs: 300, pollMs: 5 });
    await store.enqueue('crash', { id: 'job-1' });
    const child = runChild(HANG, [path]);
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('taken') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    child.kill('SIGKILL');
    assert.deepEqual(store.jobCounts('crash'), { active: 1 });
    const got: string[] = [];
    const worker = await store.work(
      'crash',
      { concurrency: 1 },
      async (p) => void got.push(p.id as string),
    );
    const deadline = Date.now() + 5000;
    while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    await store.close();
    assert.deepEqual(got, ['job-1']);
  });

  it('lets exactly one of 100 concurrent claims for one Opportunity win, across 4 processes', async () => {
    const path = freshPath();
    new SqliteStore({ path }).close();
    const outputs = await Promise.all(
      Array.from({ length: 4 }, () => {
        const child = runChild(CLAIM, [path]);
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        return new Promise<string[]>((resolve, reject) =>
          child.on('exit', (code) =>
            code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(err)),
          ),
        );
      }),
    );
    const states = outputs.flat();
    assert.equal(states.length, 100);
    assert.equal(states.filter((s) => s === 'claimed').length, 1);
    assert.equal(states.filter((s) => s === 'in_progress').length, 99);
  });
});
