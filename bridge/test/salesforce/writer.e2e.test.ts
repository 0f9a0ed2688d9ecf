/**
 * The Salesforce writer end to end: mapped fixture records → jsforce (OAuth client credentials)
 * → the Salesforce emulator on 127.0.0.1, through sObject Collections and Bulk API 2.0, with the
 * emulator's checks, record faults, HTTP faults, token expiry and the daily API limit.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSalesforceEmulator } from '../../../stand-ins/salesforce-emulator/index.ts';
import type { SalesforceEmulator } from '../../../stand-ins/salesforce-emulator/index.ts';
import { RateLimitError } from '../../src/errors.ts';
import { ApiBudget, ApiBudgetError } from '../../src/salesforce/budget.ts';
import { createSalesforceConnection } from '../../src/salesforce/connection.ts';
import { SalesforceWriter } from '../../src/salesforce/writer.ts';
import type { SalesforceRecord } from '../../src/sync/records.ts';
import { mapFixture } from '../sync/fixtures/load.ts';

const fast = { maxRetries: 4, initialDelayMs: 5, maxDelayMs: 20 };

async function setup(options: Parameters<typeof startSalesforceEmulator>[0] = {}) {
  const sf = await startSalesforceEmulator({ port: 0, ...options });
  // The Opportunities the fixtures' subscriptions were created from exist in the org.
  sf.seed(
    'Opportunity',
    { Name: 'Acme renewal', StageName: 'Closed Won', CloseDate: '2026-11-01' },
    '006000000000001AAA',
  );
  sf.seed(
    'Opportunity',
    { Name: 'Globex expansion', StageName: 'Closed Won', CloseDate: '2026-11-01' },
    '0065g00000AbCdEAAV',
  );
  const conn = createSalesforceConnection({
    loginUrl: sf.url,
    instanceUrl: sf.url,
    apiVersion: '62.0',
    clientId: sf.clientId,
    clientSecret: sf.clientSecret,
  });
  return { sf, conn };
}

/** Business entities with distinct ids and no lookup, written to a fresh org. */
const entities = (n: number, prefix = 'be'): SalesforceRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    sobject: 'Business_Entity__c',
    externalIdField: 'External_Id__c',
    externalId: `chargebee:acme-test:${prefix}-${i}`,
    fields: { Name: `${prefix} ${i}`, Billing_Id__c: `${prefix}-${i}` },
    references: {},
    sourceResource: 'customer',
    sourceId: `c${i}`,
  }));

const counts = (records: SalesforceRecord[]) => {
  const ids: Record<string, Set<string>> = {};
  for (const r of records) (ids[r.sobject] ??= new Set()).add(r.externalId);
  return Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v.size]));
};

describe('SalesforceWriter against the emulator', () => {
  let sf: SalesforceEmulator;
  let writer: SalesforceWriter;
  before(async () => {
    const s = await setup();
    sf = s.sf;
    writer = new SalesforceWriter({ conn: s.conn, retry: fast });
  });
  after(() => sf.close());

  for (const fixture of ['maxio', 'chargebee'] as const) {
    it(`writes the whole ${fixture} fixture through collections, then again as updates`, async () => {
      const records = mapFixture(fixture);
      await writer.ensureStandardPricebook();
      const first = await writer.write(records, { mode: 'collections' });
      const failed = first.filter((r) => !r.ok);
      // The Chargebee fixture's subscription has a one-time charge whose item was never synced:
      // the org refuses the two records that look it up, as a real org would.
      const expected =
        fixture === 'chargebee' ? ['Subscription_Item__c', 'Billing_Opportunity_Product__c'] : [];
      assert.deepEqual(
        failed.map((f) => f.record.sobject),
        expected,
        failed.map((f) => f.errors[0]?.message).join('\n'),
      );
      for (const f of failed) {
        assert.equal(f.errors[0]?.statusCode, 'INVALID_FIELD');
        assert.match(
          f.errors[0]?.message ?? '',
          /Foreign key external ID: chargebee:acme-test:setup-charge not found/,
        );
      }
      const refused = new Set(failed.map((f) => f.record));
      const written = records.filter((r) => !refused.has(r));
      for (const [sobject, n] of Object.entries(counts(written))) {
        const key = records.find((r) => r.sobject === sobject)?.externalIdField as string;
        const inOrg = sf
          .records(sobject)
          .filter((r) => written.some((m) => m.sobject === sobject && m.externalId === r[key]));
        assert.equal(inOrg.length, n, `${sobject} records in the emulator`);
      }
      const second = await writer.write(written, { mode: 'collections' });
      assert.ok(
        second.every((r) => r.ok),
        'the rewrite succeeds (insert-only fields dropped)',
      );
      assert.ok(
        second.filter((r) => !r.record.link).every((r) => r.created === false),
        'nothing created twice',
      );
    });
  }

  it('links lookups by external id: child account to parent, subscription to account', () => {
    const accounts = sf.records('Account');
    const child = accounts.find((a) => a.ParentId);
    assert.ok(child, 'a child account with its parent set');
    const parent = accounts.find((a) => a.Id === child.ParentId);
    assert.ok(parent?.Billing_External_Id__c);
    const subscription = sf.records('Subscription__c')[0];
    assert.ok(subscription?.Account__c && accounts.some((a) => a.Id === subscription.Account__c));
  });

  it('reports a bad record and writes its neighbours', async () => {
    const records = entities(3, 'bad');
    const bad = {
      ...records[0],
      fields: { ...records[0]?.fields, Name: 'x'.repeat(300) },
    } as SalesforceRecord;
    const results = await writer.write([bad, ...records.slice(1)], { mode: 'collections' });
    assert.equal(results[0]?.ok, false);
    assert.equal(results[0]?.errors[0]?.statusCode, 'STRING_TOO_LONG');
    assert.ok(results.slice(1).every((r) => r.ok));
  });

  it('retries UNABLE_TO_LOCK_ROW records and 503 calls until they succeed', async () => {
    const records = entities(3, 'lock');
    sf.failRecords({
      sobject: 'Business_Entity__c',
      externalId: records[0]?.externalId,
      statusCode: 'UNABLE_TO_LOCK_ROW',
      times: 2,
    });
    sf.faults.add({
      match: { method: 'PATCH', path: /composite\/sobjects/ },
      times: 1,
      action: { type: 'status', status: 503 },
    });
    const results = await writer.write(records, { mode: 'collections' });
    assert.ok(
      results.every((r) => r.ok),
      JSON.stringify(results.filter((r) => !r.ok).map((r) => r.errors)),
    );
  });

  it('writes through Bulk API 2.0 with the same outcome', async () => {
    const records = mapFixture('chargebee').filter((r) => !r.externalId.includes('setup-charge'));
    const results = await writer.write(records, { mode: 'bulk' });
    assert.deepEqual(
      results.filter((r) => !r.ok).map((r) => r.errors),
      [],
    );
    assert.ok(results.some((r) => r.via === 'bulk'));
    assert.ok(writer.calls.bulkJobs > 0);
  });
});

describe('the writer and the org around it', () => {
  it('refreshes an expired session once for many waiting calls (jsforce single flight)', async () => {
    const { sf, conn } = await setup();
    try {
      const writer = new SalesforceWriter({ conn, retry: fast });
      await writer.ensureStandardPricebook();
      const tokensBefore = sf.stats.tokenRequests;
      sf.expireSessions();
      const coupons = entities(5);
      const runs = await Promise.all(
        coupons.map((c) => writer.write([c], { mode: 'collections' })),
      );
      assert.ok(runs.flat().every((r) => r.ok));
      assert.equal(sf.stats.tokenRequests - tokensBefore, 1);
    } finally {
      await sf.close();
    }
  });

  it('stops at the org limit (REQUEST_LIMIT_EXCEEDED) and, before it, at the bridge budget', async () => {
    const { sf, conn } = await setup();
    try {
      const budget = new ApiBudget({ sleep: async () => undefined });
      const writer = new SalesforceWriter({ conn, retry: fast, budget });
      const coupons = entities(2);
      sf.setApiUsage(900, 1000);
      await writer.ensureStandardPricebook();
      assert.deepEqual(budget.usage?.limit, 1000, 'Sforce-Limit-Info was read');
      await assert.rejects(writer.write(coupons, { callClass: 'backfill' }), ApiBudgetError);
      sf.setApiUsage(1000, 1000);
      const fresh = new SalesforceWriter({ conn, retry: fast });
      await assert.rejects(fresh.write(coupons, { mode: 'collections' }), (e: unknown) => {
        assert.ok(e instanceof RateLimitError);
        assert.equal((e as RateLimitError).code, 'REQUEST_LIMIT_EXCEEDED');
        return true;
      });
    } finally {
      await sf.close();
    }
  });

  it('refuses a billing-owned product edit from a user without the bypass permission', async () => {
    const sf = await startSalesforceEmulator({ port: 0 });
    try {
      const { Connection } = await import('jsforce');
      const rep = new Connection({
        loginUrl: sf.url,
        instanceUrl: sf.url,
        version: '62.0',
        oauth2: { clientId: sf.clientId, clientSecret: sf.clientSecret, loginUrl: sf.url },
      });
      await rep.login('rep@billing-bridge.local', 'rep-password');
      const res = (await rep
        .sobject('Product2')
        .create({ Name: 'Gold', Billing_Owned__c: true })) as { success: boolean };
      assert.fail(`created ${JSON.stringify(res)}`);
    } catch (error) {
      assert.match(String((error as Error).message), /comes from the billing platform/);
      assert.equal(
        (error as { errorCode?: string }).errorCode,
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      );
    } finally {
      await sf.close();
    }
  });
});
