/**
 * The running bridge end to end, over real HTTP on 127.0.0.1: a billing API (the reference
 * simulator and adapter of the contract suite), the embedded SQLite store, jsforce and the
 * Salesforce emulator. Backfill, webhook intake (verified, persisted, deduplicated, queued,
 * synced), bad deliveries kept, a refused record in the Event Log, and its retry resolving it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Connection } from 'jsforce';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSalesforceEmulator } from '../../../stand-ins/salesforce-emulator/index.ts';
import type { SalesforceEmulator } from '../../../stand-ins/salesforce-emulator/index.ts';
import { createSalesforceConnection } from '../../src/salesforce/connection.ts';
import { SalesforceWriter } from '../../src/salesforce/writer.ts';
import { startBridgeService } from '../../src/service.ts';
import type { BridgeService } from '../../src/service.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { PostgresStore } from '../../src/store/postgres.ts';
import type { ServiceStore } from '../../src/store/service-store.ts';
import { postgresSkipReason, startTestPostgres } from '../store/postgres-server.ts';
import type { TestPostgres } from '../store/postgres-server.ts';
import { ReferenceProvider, referenceWebhook } from '../core/reference/provider.ts';
import { startReferenceSim } from '../core/reference/sim.ts';
import type { ReferenceSim } from '../core/reference/sim.ts';

const SITE = 'chargebee:reference' as const;
const ORG_ID = '00D000000000001AAA';
const ORG_TOKEN = 'org-token-for-the-service-test-0123456789';

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** The same suite on the embedded store and on PostgreSQL (pg-boss queue): one code path above the store. */
for (const kind of ['sqlite', 'postgres'] as const) {
  const skip = kind === 'postgres' ? (postgresSkipReason() ?? false) : false;
  describe(
    `the bridge service against the emulator (${kind} store)`,
    { timeout: 120_000, skip },
    () => {
      let dir: string;
      let sf: SalesforceEmulator;
      let sim: ReferenceSim;
      let store: ServiceStore;
      let pg: TestPostgres | null = null;
      let bridge: BridgeService;

      before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'bb-service-'));
        sf = await startSalesforceEmulator({ port: 0 });
        sim = await startReferenceSim();
        if (kind === 'sqlite') {
          store = new SqliteStore({ path: join(dir, 'bridge.db'), pollMs: 5 });
        } else {
          pg = await startTestPostgres();
          store = await PostgresStore.open({ url: pg.url });
        }
        const conn = createSalesforceConnection({
          loginUrl: sf.url,
          instanceUrl: sf.url,
          apiVersion: '62.0',
          clientId: sf.clientId,
          clientSecret: sf.clientSecret,
        });
        bridge = await startBridgeService({
          store,
          sites: [
            {
              site: { key: SITE, provider: 'chargebee', name: 'reference', defaultCurrency: 'USD' },
              provider: new ReferenceProvider({ baseUrl: sim.url, apiKey: 'k' }),
            },
          ],
          writer: new SalesforceWriter({
            conn,
            retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 20 },
          }),
          orgs: [{ id: ORG_ID, token: ORG_TOKEN }],
          version: 'test',
          pollIntervalMs: 0,
          retryIntervalMs: 0,
        });
      });
      after(async () => {
        await bridge.close();
        await store.close();
        await pg?.stop();
        await sim.close();
        await sf.close();
        rmSync(dir, { recursive: true, force: true });
      });

      it('backfills every resource into the org, parents first, and resumes as a no-op', async () => {
        const summary = await bridge.backfill(SITE);
        // The reference data has one credit note with no invoice: Credit_Note__c is a detail of its
        // invoice, so it cannot be stored; it becomes a mapping failure, kept and retried.
        assert.deepEqual(
          summary.failures.map((f) => `${f.sobject} ${f.errorCode}`),
          ['creditNote MAPPING_ERROR'],
        );
        assert.match(summary.failures[0]?.message ?? '', /Credit_Note__c\.Invoice__c/);
        const customers = sim.store.get('customer')?.length ?? 0;
        const subscriptions = sim.store.get('subscription')?.length ?? 0;
        assert.ok(customers > 0 && subscriptions > 0);
        assert.equal(
          sf
            .records('Account')
            .filter((a) => String(a.Billing_External_Id__c ?? '').startsWith(SITE)).length,
          customers,
        );
        assert.equal(sf.records('Subscription__c').length, subscriptions);
        assert.equal(summary.written.Subscription__c, subscriptions);
        assert.equal(sf.records('Billing_Site__c')[0]?.Site_Key__c, SITE);
        const again = await bridge.backfill(SITE);
        assert.deepEqual(
          again.written,
          { Billing_Site__c: 2, Pricebook2: 1 },
          'a finished backfill resumes to nothing but the site (record and its price book link)',
        );
      });

      it('takes a signed webhook: 200 at once, stored, synced; a duplicate is not synced twice', async () => {
        const delivery = referenceWebhook('subscription_created');
        const post = () =>
          fetch(`${bridge.url}/webhooks/${SITE}`, {
            method: 'POST',
            headers: delivery.headers as Record<string, string>,
            body: delivery.rawBody,
          });
        const first = await post();
        assert.equal(first.status, 200);
        assert.deepEqual(await first.json(), { received: true, duplicate: false });
        await until(
          async () => (await store.listDeliveries({ status: 'processed' })).length === 1,
          'the delivery to be processed',
        );
        const second = await post();
        assert.deepEqual(await second.json(), { received: true, duplicate: true });
        const events = sf
          .records('Billing_Event__c')
          .filter((e) => String(e.External_Id__c).includes('wh_subscription_created_1'));
        assert.equal(events.length, 1);
        assert.equal(bridge.counters.deliveries, 1);
      });

      it('keeps a wrongly signed, a malformed and an unknown delivery, with clear answers', async () => {
        const bad = referenceWebhook('subscription_created', 'wrong-secret');
        const refused = await fetch(`${bridge.url}/webhooks/${SITE}`, {
          method: 'POST',
          headers: bad.headers as Record<string, string>,
          body: bad.rawBody,
        });
        assert.equal(refused.status, 401);
        const unknown = referenceWebhook('unknown');
        const ignored = await fetch(`${bridge.url}/webhooks/${SITE}`, {
          method: 'POST',
          headers: unknown.headers as Record<string, string>,
          body: unknown.rawBody,
        });
        assert.equal(ignored.status, 200);
        const noSite = await fetch(`${bridge.url}/webhooks/maxio:nowhere`, {
          method: 'POST',
          body: '{}',
        });
        assert.equal(noSite.status, 404);
        const invalid = await store.listDeliveries({ status: 'invalid' });
        assert.equal(invalid.length, 1);
        assert.equal(invalid[0]?.rawBody, bad.rawBody, 'the refused body is kept as it came');
        assert.equal(invalid[0]?.headers['x-ref-signature'] !== undefined, true);
        assert.equal((await store.listDeliveries({ status: 'ignored' })).length, 1);
      });

      it('puts a refused record in the Event Log, and a retry resolves it in the store and the org', async () => {
        const customer = sim.store.get('customer')?.[0];
        assert.ok(customer);
        const externalId = `${SITE}:${customer.id}`;
        sf.failRecords({
          sobject: 'Account',
          externalId,
          statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: 'Account rule says no',
          times: 1,
        });
        const provider = new ReferenceProvider({ baseUrl: sim.url, apiKey: 'k' });
        const record = await provider.get('customer', customer.id);
        const summary = await bridge.pipeline.sync(
          SITE,
          [{ resource: 'customer', record: { ...record, updatedAt: new Date().toISOString() } }],
          { source: 'Webhook' },
        );
        assert.equal(summary.failed.Account, 1);
        const failure = (await store.listFailures({ status: 'Retrying' })).find(
          (f) => f.externalId === externalId,
        );
        assert.equal(failure?.externalId, externalId);
        assert.equal(failure?.errorCode, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
        const log = sf
          .records('Billing_Event_Log__c')
          .find((l) => l.Record_External_Id__c === externalId);
        assert.equal(log?.Status__c, 'Retrying');
        assert.equal(log?.Error_Code__c, 'FIELD_CUSTOM_VALIDATION_EXCEPTION');
        assert.match(String(log?.Resolution_Hint__c), /validation rule/);
        assert.ok(log?.Site__c, 'the log entry looks up its site');

        // An admin asks for the retry in Salesforce (Sync Health's Retry now): the bridge reads
        // the request, re-reads the record from billing and writes it.
        assert.equal(await bridge.retryOnce(), 0, 'nothing is due yet');
        // The admin's edit, through the REST API as the package's updateRecord sends it.
        const admin = new Connection({
          instanceUrl: sf.url,
          accessToken: sf.accessToken,
          version: '62.0',
        });
        await admin.sobject('Billing_Event_Log__c').update({
          Id: String(log?.Id),
          Status__c: 'Retrying',
          Next_Retry_At__c: new Date(Date.now() - 1000).toISOString(),
        });
        assert.equal(await bridge.retryOnce(), 1);
        assert.ok(
          (await store.listFailures({ status: 'Resolved' })).some(
            (f) => f.externalId === externalId,
          ),
        );
        const resolved = sf
          .records('Billing_Event_Log__c')
          .find((l) => l.Record_External_Id__c === externalId);
        assert.equal(resolved?.Status__c, 'Resolved');
        assert.ok(resolved?.Resolved_At__c);
      });

      it('skips an older version of a record it already wrote', async () => {
        const customer = sim.store.get('customer')?.[1];
        assert.ok(customer);
        const provider = new ReferenceProvider({ baseUrl: sim.url, apiKey: 'k' });
        const record = await provider.get('customer', customer.id);
        const newer = { ...record, company: 'Newer Co', updatedAt: '2030-01-02T00:00:00.000Z' };
        const older = { ...record, company: 'Older Co', updatedAt: '2030-01-01T00:00:00.000Z' };
        await bridge.pipeline.sync(SITE, [{ resource: 'customer', record: newer }], {
          source: 'Webhook',
        });
        const stale = await bridge.pipeline.sync(SITE, [{ resource: 'customer', record: older }], {
          source: 'Webhook',
        });
        assert.equal(stale.stale, 1);
        const account = sf
          .records('Account')
          .find((a) => a.Billing_External_Id__c === `${SITE}:${customer.id}`);
        assert.notEqual(account?.Name, 'Older Co');
      });
      it('creates a subscription from a saved preview id alone, reading the preview and the Account from Salesforce', async () => {
        const account = sf.seed('Account', { Name: 'Preview Buyer Inc' });
        const opportunity = sf.seed('Opportunity', {
          Name: 'New deal',
          StageName: 'Closed Won',
          CloseDate: '2026-11-30',
          AccountId: account,
        });
        const other = sf.seed('Opportunity', {
          Name: 'Other deal',
          StageName: 'Prospecting',
          CloseDate: '2026-12-30',
        });
        const request = {
          siteKey: SITE,
          pricePointId: 'pp_pro_m',
          planQuantity: '1',
          items: [],
          couponCodes: [],
        };
        const preview = sf.seed('Subscription_Preview__c', {
          Opportunity__c: opportunity,
          Request_JSON__c: JSON.stringify(request),
          Status__c: 'Priced',
        });
        const create = (body: Record<string, unknown>) =>
          fetch(`${bridge.url}/org/v1/subscriptions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-billing-bridge-token': ORG_TOKEN },
            body: JSON.stringify(body),
          });
        const before = sim.store.get('subscription')?.length ?? 0;
        const created = await create({ opportunityId: opportunity, previewId: preview });
        const body = (await created.json()) as {
          state: string;
          created: boolean;
          subscriptionId: string;
        };
        assert.equal(created.status, 200, JSON.stringify(body));
        assert.deepEqual([body.state, body.created], ['created', true]);
        const made = sim.store.get('subscription')?.find((s) => s.id === body.subscriptionId) as
          Record<string, unknown> | undefined;
        assert.equal(made?.pricePointId, 'pp_pro_m');
        assert.equal(made?.opportunityId, opportunity);
        assert.equal(sim.store.get('subscription')?.length, before + 1);
        const again = await create({ opportunityId: opportunity, previewId: preview });
        assert.equal(((await again.json()) as { created: boolean }).created, false);
        assert.equal(
          sim.store.get('subscription')?.length,
          before + 1,
          'one subscription per Opportunity',
        );

        const wrongOpportunity = await create({ opportunityId: other, previewId: preview });
        assert.equal(wrongOpportunity.status, 400);
        assert.match(
          ((await wrongOpportunity.json()) as { message: string }).message,
          /another Opportunity/,
        );
        const missing = await create({ opportunityId: other, previewId: 'a0X000000000000AAA' });
        assert.equal(missing.status, 404);
        const neither = await create({ opportunityId: other });
        assert.equal(neither.status, 400);
      });
    },
  );
}
