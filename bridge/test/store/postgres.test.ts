/**
 * The scale-out store on a real PostgreSQL server (Debian's, started for the test): the shared
 * store contract (contract.ts, each test on a database of its own), then what only several
 * processes can show: one winner among 100 concurrent creation claims from 4 processes, and a job
 * held by a worker killed with SIGKILL handed to another process by pg-boss.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pgLib from 'pg';
import { PostgresStore } from '../../src/store/postgres.ts';
import { storeContract } from './contract.ts';
import { postgresSkipReason, startTestPostgres } from './postgres-server.ts';
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

let pg: TestPostgres;
const run = randomBytes(4).toString('hex');
const databases: string[] = [];

/** A database of its own per contract test, so each store starts empty. */
async function freshDatabase(): Promise<string> {
  const name = `contract_${run}_${databases.length + 1}`;
  databases.push(name);
  const admin = new pgLib.Client({ connectionString: pg.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(pg.url);
  url.pathname = `/${name}`;
  return url.toString();
}

const skip = postgresSkipReason();

before(async () => {
  if (!skip) pg = await startTestPostgres();
});
after(async () => {
  if (process.env.BRIDGE_TEST_PG_URL && pg) {
    // Someone else's server: leave it as found.
    const admin = new pgLib.Client({ connectionString: pg.url });
    await admin.connect();
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  await pg?.stop();
});

storeContract({
  name: 'postgres',
  skip,
  async open() {
    const url = await freshDatabase();
    const options = { url, jobExpireSeconds: 2, maintenanceIntervalSeconds: 1, poolSize: 4 };
    return {
      store: await PostgresStore.open(options),
      reopen: () => PostgresStore.open(options),
    };
  },
  async jobCounts(store, queue) {
    return (store as PostgresStore).jobCounts(queue);
  },
});

describe('PostgresStore on a real server', { timeout: 180_000, skip: skip ?? false }, () => {
  let store: PostgresStore;
  before(async () => {
    store = await PostgresStore.open({
      url: pg.url,
      jobExpireSeconds: 2,
      maintenanceIntervalSeconds: 1,
    });
  });
  after(async () => {
    await store?.close();
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
