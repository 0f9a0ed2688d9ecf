/**
 * The scale-out store on a real PostgreSQL server (Debian's, started for the test): the same
 * rules as the embedded store, and what only several processes can show: one winner among 100
 * concurrent creation claims from 4 processes, a job held by a worker killed with SIGKILL handed
 * to another process by pg-boss, and one sync done by two bridge processes sharing the database.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { PostgresStore } from '../../src/store/postgres.ts';
import type { FailureInput } from '../../src/sync/pipeline.ts';
import { startTestPostgres } from './postgres-server.ts';
import type { TestPostgres } from './postgres-server.ts';

const STORE = JSON.stringify(new URL('../../src/store/postgres.ts', import.meta.url).href);

function child(code: string, args: string[]) {
  const proc = spawn(
    process.execPath,
    ['--input-type=module', '--no-warnings', '-e', code, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    proc,
    done: new Promise<string>((ok, fail) =>
      proc.on('exit', (c) => (c === 0 ? ok(out) : fail(new Error(`exit ${c}: ${err}`)))),
    ),
    output: () => out,
  };
}

const failure = (externalId: string): FailureInput => ({
  siteKey: 'chargebee:acme-test',
  sobject: 'Subscription__c',
  externalId,
  sourceResource: 'subscription',
  sourceId: externalId.split(':').pop() as string,
  source: 'Webhook',
  errorCode: 'REQUIRED_FIELD_MISSING',
  message: 'Required fields are missing: [Account__c]',
  payload: '{}',
});

describe('PostgresStore on a real server', { timeout: 180_000 }, () => {
  let pg: TestPostgres;
  let store: PostgresStore;
  before(async () => {
    pg = await startTestPostgres();
    store = await PostgresStore.open({
      url: pg.url,
      jobExpireSeconds: 2,
      maintenanceIntervalSeconds: 1,
    });
  });
  after(async () => {
    await store?.close();
    await pg?.stop();
  });

  it('stores a delivery once per (site, event id) and tells a duplicate its status', async () => {
    const d = {
      siteKey: 'maxio:acme' as const,
      eventId: 'e1',
      eventType: 'signup_success',
      receivedAt: new Date().toISOString(),
      headers: { a: 'b' },
      rawBody: 'id=e1',
      status: 'received' as const,
    };
    const first = await store.recordDelivery(d);
    const again = await store.recordDelivery(d);
    assert.deepEqual(
      [first.duplicate, again.duplicate, again.id === first.id, again.status],
      [false, true, true, 'received'],
    );
    await store.markDelivery(first.id, 'processed');
    assert.equal((await store.getDelivery(first.id))?.status, 'processed');
    assert.equal((await store.getDelivery(first.id))?.rawBody, 'id=e1');
  });

  it('applies the version rule in one statement: older refused, equal accepted, resource_version first', async () => {
    const k = 'chargebee:acme-test:sub_1';
    assert.deepEqual(
      [
        ...(await store.claimVersions([
          { key: k, resourceVersion: 200, updatedAt: '2026-01-01T00:00:02Z' },
        ])),
      ],
      [[k, { existed: false }]],
    );
    assert.equal(
      (
        await store.claimVersions([
          { key: k, resourceVersion: 100, updatedAt: '2026-01-01T00:00:09Z' },
        ])
      ).size,
      0,
    );
    assert.deepEqual(
      [...(await store.claimVersions([{ key: k, resourceVersion: 200 }]))],
      [[k, { existed: true }]],
    );
    const m = 'maxio:acme:7';
    await store.claimVersions([{ key: m, updatedAt: '2026-01-01T10:00:00-05:00' }]);
    assert.equal(
      (await store.claimVersions([{ key: m, updatedAt: '2026-01-01T14:59:59Z' }])).size,
      0,
    );
    assert.equal(
      (await store.claimVersions([{ key: m, updatedAt: '2026-01-01T15:00:01Z' }])).size,
      1,
    );
  });

  it('counts failure attempts, makes them due, resolves them', async () => {
    const t0 = new Date('2026-11-22T10:00:00Z');
    const [first] = await store.recordFailures([failure('chargebee:acme-test:sub_9')], t0);
    const [second] = await store.recordFailures([failure('chargebee:acme-test:sub_9')], t0);
    assert.deepEqual([first?.attempts, second?.attempts, second?.status], [1, 2, 'Retrying']);
    assert.equal((await store.dueFailures(t0, 10)).length, 0);
    assert.equal(
      await store.requestRetry(
        [{ sobject: 'Subscription__c', externalId: 'chargebee:acme-test:sub_9' }],
        t0,
      ),
      1,
    );
    assert.equal((await store.dueFailures(t0, 10)).length, 1);
    const resolved = await store.resolveFailures(
      [{ sobject: 'Subscription__c', externalId: 'chargebee:acme-test:sub_9' }],
      t0,
    );
    assert.equal(resolved[0]?.status, 'Resolved');
    assert.equal((await store.dueFailures(new Date('2030-01-01'), 10)).length, 0);
  });

  it('lets exactly one of 100 concurrent claims for one Opportunity win across 4 processes', async () => {
    const code = `
      const { PostgresStore } = await import(${STORE});
      const store = await PostgresStore.open({ url: process.argv[1] });
      const ledger = store.creationLedger();
      const states = await Promise.all(Array.from({ length: 25 }, () => ledger.claim('006000000000777AAA', 'maxio:acme')));
      process.stdout.write(JSON.stringify(states.map((s) => s.state)));
      await store.close();
    `;
    const outputs = await Promise.all(Array.from({ length: 4 }, () => child(code, [pg.url]).done));
    const states = outputs.flatMap((o) => JSON.parse(o) as string[]);
    assert.equal(states.length, 100);
    assert.equal(states.filter((s) => s === 'claimed').length, 1);
  });

  it('retries a throwing job with pg-boss, and hands a job held by a SIGKILLed worker to another process', async () => {
    const seen: string[] = [];
    let thrown = false;
    const worker = await store.work('pg-retry', { concurrency: 1 }, async (payload) => {
      if (!thrown) {
        thrown = true;
        throw new Error('transient');
      }
      seen.push(payload.n as string);
    });
    await store.enqueue('pg-retry', { n: '1' });
    const deadline = Date.now() + 20_000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await worker.stop();
    assert.deepEqual(seen, ['1']);

    await store.enqueue('pg-crash', { id: 'job-1' });
    const hang = child(
      `const { PostgresStore } = await import(${STORE});
       const store = await PostgresStore.open({ url: process.argv[1], jobExpireSeconds: 2, maintenanceIntervalSeconds: 1 });
       await store.work('pg-crash', { concurrency: 1 }, async () => { process.stdout.write('taken\\n'); await new Promise(() => {}); });`,
      [pg.url],
    );
    hang.done.catch(() => undefined); // it is killed on purpose
    const takenBy = Date.now() + 20_000;
    while (!hang.output().includes('taken') && Date.now() < takenBy)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(hang.output().includes('taken'), 'the child took the job');
    hang.proc.kill('SIGKILL');
    const got: string[] = [];
    const rescuer = await store.work(
      'pg-crash',
      { concurrency: 1 },
      async (p) => void got.push(p.id as string),
    );
    const until = Date.now() + 60_000;
    while (got.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    await rescuer.stop();
    assert.deepEqual(got, ['job-1']);
  });
});
