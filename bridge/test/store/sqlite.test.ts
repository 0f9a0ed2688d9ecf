/**
 * The embedded store on a real SQLite file: the shared store contract (contract.ts), then what
 * needs several processes on one file: the job queue's lease after a SIGKILLed worker, and the
 * creation ledger's single winner across processes.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { storeContract } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'bb-store-'));
let n = 0;
const freshPath = () => join(dir, `store-${++n}.db`);
after(() => rmSync(dir, { recursive: true, force: true }));

storeContract({
  name: 'sqlite',
  async open() {
    const path = freshPath();
    const options = {
      path,
      pollMs: 5,
      jobRetry: { maxRetries: 3, initialDelayMs: 10, maxDelayMs: 50 },
    };
    return { store: new SqliteStore(options), reopen: async () => new SqliteStore(options) };
  },
  async jobCounts(store, queue) {
    return (store as SqliteStore).jobCounts(queue);
  },
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
