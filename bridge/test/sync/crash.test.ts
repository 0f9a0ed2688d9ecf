/**
 * Crash safety, through the real CLI in real processes: `billing-bridge backfill` is killed with
 * SIGKILL mid-run and run again; `billing-bridge serve` is killed with SIGKILL in the middle of a
 * burst of billing changes and started again. Afterwards the org holds exactly what the billing
 * sites hold: the same external ids, each once, with the same statuses (checked against the
 * simulators' own records). The event poller is off, so recovery comes only from the stored
 * cursors, the durable queue and the vendors' webhook retries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Connection } from 'jsforce';
import { ChargebeeProvider } from '../../src/providers/chargebee/index.ts';
import { MaxioProvider } from '../../src/providers/maxio/index.ts';
import type { BillingProvider } from '../../src/providers/provider.ts';
import type { ResourceType } from '../../src/model/canonical.ts';
import { CHARGEBEE_WEBHOOK, MAXIO_SHARED_KEY } from '../../../scripts/lib/local-stack.ts';
import { freePort } from '../../../stand-ins/common/net.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(root, 'bridge', 'bin', 'billing-bridge.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--no-warnings', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves on the first stdout line matching `pattern`. */
function waitForLine(proc: ChildProcess, pattern: RegExp, ms = 60_000): Promise<string> {
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`no line ${pattern} within ${ms} ms; stderr: ${stderr}`)),
      ms,
    );
    lines.on('line', (line) => {
      if (pattern.test(line)) {
        clearTimeout(timer);
        ok(line);
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`exited (${code ?? signal}) before ${pattern}; stderr: ${stderr}`));
    });
  });
}

function exited(proc: ChildProcess): Promise<number | null> {
  return new Promise((ok) => {
    if (proc.exitCode !== null) ok(proc.exitCode);
    else proc.once('exit', (code) => ok(code));
  });
}

async function all(
  provider: BillingProvider,
  resource: ResourceType,
): Promise<{ id: string; status?: string }[]> {
  const out: { id: string; status?: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<BillingProvider['list']>> = await provider.list(resource, {
      cursor,
      pageSize: 200,
    });
    out.push(...(page.records as { id: string; status?: string }[]));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

describe('crash safety (SIGKILL) through the CLI', { timeout: 240_000 }, () => {
  let dir: string;
  let standIns: ChildProcess;
  let config: string;
  let conn: Connection;
  let maxio: MaxioProvider;
  let chargebee: ChargebeeProvider;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bb-crash-'));
    const port = await freePort();
    standIns = run([
      'scripts/lib/stand-ins-main.ts',
      '--bridge-url',
      `http://127.0.0.1:${port}`,
      '--scale',
      '8',
    ]);
    const ready = JSON.parse(await waitForLine(standIns, /^\{/)) as {
      salesforce: { url: string; clientId: string; clientSecret: string };
      maxio: string;
      chargebee: string;
    };
    config = join(dir, 'bridge.json');
    writeFileSync(
      config,
      JSON.stringify({
        dataDir: dir,
        logLevel: 'error',
        server: { host: '127.0.0.1', port },
        store: { kind: 'sqlite', path: join(dir, 'bridge.db') },
        sync: {
          pollIntervalSeconds: 0,
          retryIntervalSeconds: 0,
          jobLeaseSeconds: 2,
          bulkThreshold: 500,
        },
        sites: [
          {
            provider: 'maxio',
            name: 'acme',
            apiKey: 'crash-test',
            baseUrl: ready.maxio,
            webhook: { secret: MAXIO_SHARED_KEY },
          },
          {
            provider: 'chargebee',
            name: 'acme-test',
            apiKey: 'test_crashKey0123456789',
            baseUrl: ready.chargebee,
            webhook: CHARGEBEE_WEBHOOK,
          },
        ],
        salesforce: {
          loginUrl: ready.salesforce.url,
          instanceUrl: ready.salesforce.url,
          clientId: ready.salesforce.clientId,
          clientSecret: ready.salesforce.clientSecret,
        },
      }),
      { mode: 0o600 },
    );
    conn = new Connection({
      loginUrl: ready.salesforce.url,
      instanceUrl: ready.salesforce.url,
      version: '62.0',
      oauth2: {
        loginUrl: ready.salesforce.url,
        clientId: ready.salesforce.clientId,
        clientSecret: ready.salesforce.clientSecret,
      },
    });
    const token = (await conn.oauth2.requestToken({
      grant_type: 'client_credentials',
    })) as unknown as { access_token: string };
    conn = new Connection({
      instanceUrl: ready.salesforce.url,
      accessToken: token.access_token,
      version: '62.0',
    });
    maxio = new MaxioProvider({ siteName: 'acme', apiKey: 'crash-test', baseUrl: ready.maxio });
    chargebee = new ChargebeeProvider({
      siteName: 'acme-test',
      apiKey: 'test_crashKey0123456789',
      baseUrl: ready.chargebee,
    });
  });

  after(async () => {
    standIns?.kill('SIGTERM');
    if (standIns) await exited(standIns);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Subscription__c rows of a site: external id → status. */
  async function orgSubscriptions(siteKey: string): Promise<Map<string, string>> {
    const rows = await conn.query<{ External_Id__c: string; Status__c: string }>(
      `SELECT External_Id__c, Status__c FROM Subscription__c WHERE External_Id__c LIKE '${siteKey}:%'`,
    );
    let result = rows;
    const records = [...rows.records];
    while (!result.done && result.nextRecordsUrl) {
      result = await conn.queryMore<{ External_Id__c: string; Status__c: string }>(
        result.nextRecordsUrl,
      );
      records.push(...result.records);
    }
    const out = new Map<string, string>();
    for (const r of records) {
      assert.ok(!out.has(r.External_Id__c), `${r.External_Id__c} is in the org twice`);
      out.set(r.External_Id__c, r.Status__c);
    }
    return out;
  }

  async function assertSiteMatches(provider: BillingProvider): Promise<number> {
    const subscriptions = await all(provider, 'subscription');
    const org = await orgSubscriptions(provider.siteKey);
    const expected = subscriptions.map((s) => `${provider.siteKey}:${s.id}`).sort();
    assert.deepEqual(
      [...org.keys()].sort(),
      expected,
      `${provider.siteKey}: the org's subscriptions are not the site's`,
    );
    const customers = await all(provider, 'customer');
    const accounts = await conn.query(
      `SELECT COUNT() FROM Account WHERE Billing_External_Id__c LIKE '${provider.siteKey}:%'`,
    );
    assert.equal(accounts.totalSize, customers.length, `${provider.siteKey}: accounts`);
    return subscriptions.length;
  }

  it('a backfill killed mid-run and run again writes everything once', async () => {
    const first = run([
      BIN,
      'backfill',
      '--site',
      'maxio:acme',
      '--no-progress',
      '--config',
      config,
    ]);
    await waitForLine(first, /^customer: /);
    first.kill('SIGKILL');
    assert.equal(await exited(first), null, 'the backfill was killed, not finished');
    const again = run([
      BIN,
      'backfill',
      '--site',
      'maxio:acme',
      '--no-progress',
      '--config',
      config,
    ]);
    await waitForLine(again, /^Failed: /, 120_000);
    assert.equal(await exited(again), 0);
    const cb = run([
      BIN,
      'backfill',
      '--site',
      'chargebee:acme-test',
      '--no-progress',
      '--config',
      config,
    ]);
    await waitForLine(cb, /^Failed: /, 120_000);
    assert.equal(await exited(cb), 0);
    assert.ok((await assertSiteMatches(maxio)) > 100);
    assert.ok((await assertSiteMatches(chargebee)) > 100);
  });

  it('serve killed in the middle of a webhook burst loses nothing once restarted', async () => {
    let serve = run([BIN, 'serve', '--config', config]);
    await waitForLine(serve, /listening on/);
    const created: { provider: BillingProvider; id: string }[] = [];
    const create = async (provider: BillingProvider, i: number) => {
      const pricePoints = await all(provider, 'pricePoint');
      const plan = pricePoints.find((p) => {
        const pp = p as unknown as {
          isDefault?: boolean;
          currency?: string;
          trialPeriod?: number | null;
          period?: number | null;
          productId: string;
          pricingModel: string;
        };
        return (
          pp.isDefault &&
          pp.currency === 'USD' &&
          !pp.trialPeriod &&
          pp.period &&
          !pp.productId.startsWith('component:') &&
          (pp.pricingModel === 'flat_fee' || pp.pricingModel === 'per_unit')
        );
      }) as unknown as { id: string; productId: string };
      const customers = (await provider.list('customer', { pageSize: 50 })).records;
      const subscription = await provider.createSubscription(
        {
          customer: { id: customers[i % customers.length]?.id ?? null },
          productId: plan.productId,
          pricePointId: plan.id,
          planQuantity: '1',
          items: [],
          couponCodes: [],
          currency: 'USD',
        },
        `crash-burst-${provider.siteKey}-${i}`,
      );
      created.push({ provider, id: subscription.id });
    };
    for (let i = 0; i < 10; i++) await Promise.all([create(maxio, i), create(chargebee, i)]);
    serve.kill('SIGKILL');
    await exited(serve);
    // Changes while the bridge is down: their webhooks fail and the sites retry them.
    for (let i = 10; i < 20; i++) await Promise.all([create(maxio, i), create(chargebee, i)]);
    serve = run([BIN, 'serve', '--config', config]);
    await waitForLine(serve, /listening on/);
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const maxioOrg = await orgSubscriptions('maxio:acme');
        const cbOrg = await orgSubscriptions('chargebee:acme-test');
        const missing = created.filter(
          ({ provider, id }) =>
            !(provider === maxio ? maxioOrg : cbOrg).has(`${provider.siteKey}:${id}`),
        );
        if (missing.length === 0) break;
        if (Date.now() > deadline)
          assert.fail(
            `${missing.length} of ${created.length} burst subscriptions never reached the org`,
          );
        await new Promise((r) => setTimeout(r, 250));
      }
      await assertSiteMatches(maxio);
      await assertSiteMatches(chargebee);
    } finally {
      serve.kill('SIGTERM');
      await exited(serve);
    }
  });
});
