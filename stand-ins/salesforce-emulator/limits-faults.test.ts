/**
 * API call accounting (Sforce-Limit-Info, /limits, per-user counts, REQUEST_LIMIT_EXCEEDED once
 * the daily limit is used) and each fault kind: calls failing with UNABLE_TO_LOCK_ROW,
 * REQUEST_LIMIT_EXCEEDED or 503, slow calls, and record faults (a lock or validation failure
 * on one record) in Collections and Bulk 2.0.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  API_VERSION,
  INTEGRATION_USER,
  REP_USER,
  raw,
  rejection,
  startHarness,
  statusOf,
} from './test-support.ts';
import type { Harness } from './test-support.ts';

type Rec = Record<string, unknown>;

describe('API call accounting', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ dailyApiLimit: 6 });
  });
  after(() => h.sf.close());

  test('every response carries Sforce-Limit-Info, /limits reports the remaining calls, and the limit is enforced', async () => {
    const first = await raw(h.sf, 'GET', `/services/data/v${API_VERSION}/limits`);
    assert.equal(first.headers.get('sforce-limit-info'), 'api-usage=1/6');
    assert.deepEqual((first.json as Rec).DailyApiRequests, { Max: 6, Remaining: 5 });
    const failed = await raw(
      h.sf,
      'GET',
      `/services/data/v${API_VERSION}/sobjects/Nope__c/describe`,
    );
    assert.equal(failed.status, 404);
    assert.equal(
      failed.headers.get('sforce-limit-info'),
      'api-usage=2/6',
      'failed calls count too',
    );
    await h.conn.query('SELECT Id FROM Account');
    await h.connAs(REP_USER).query('SELECT Id FROM Account');
    await h.conn.sobject('Account').create({ Name: 'A' });
    await h.conn.sobject('Account').describe();
    const exhausted = await rejection(h.conn.query('SELECT Id FROM Account'));
    assert.equal(exhausted.errorCode, 'REQUEST_LIMIT_EXCEEDED');
    const rawExhausted = await raw(h.sf, 'GET', `/services/data/v${API_VERSION}/limits`);
    assert.equal(rawExhausted.status, 403);
    assert.equal(rawExhausted.headers.get('sforce-limit-info'), 'api-usage=6/6');
    const stats = h.sf.stats;
    assert.equal(stats.apiCalls, 6);
    assert.deepEqual(stats.byUser, { [INTEGRATION_USER]: 5, [REP_USER]: 1 });
    assert.equal(stats.byKind.query, 2);
    assert.equal(stats.byKind.create, 1);
    h.sf.usage.reset();
    const again = await h.conn.query('SELECT Id FROM Account');
    assert.equal(again.totalSize, 1);
  });
});

describe('faults on demand', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.sf.close());

  test('the next call fails with UNABLE_TO_LOCK_ROW, the one after succeeds', async () => {
    h.sf.faults.failCalls('UNABLE_TO_LOCK_ROW', { times: 1, method: 'POST' });
    const error = await rejection(h.conn.sobject('Account').create({ Name: 'Locked' }));
    assert.equal(error.errorCode, 'UNABLE_TO_LOCK_ROW');
    const ok = await h.conn.sobject('Account').create({ Name: 'Locked' });
    assert.equal(ok.success, true);
    assert.equal(h.sf.records('Account').filter((a) => a.Name === 'Locked').length, 1);
  });

  test('REQUEST_LIMIT_EXCEEDED on demand answers 403', async () => {
    h.sf.faults.failCalls('REQUEST_LIMIT_EXCEEDED', { times: 2 });
    const first = await raw(h.sf, 'GET', `/services/data/v${API_VERSION}/limits`);
    const second = await rejection(h.conn.query('SELECT Id FROM Account'));
    assert.equal(first.status, 403);
    assert.equal(second.errorCode, 'REQUEST_LIMIT_EXCEEDED');
    assert.equal((await raw(h.sf, 'GET', `/services/data/v${API_VERSION}/limits`)).status, 200);
  });

  test('503 Service Unavailable on demand, for a matching path only (jsforce retries it)', async () => {
    const path = `/services/data/v${API_VERSION}/query`;
    h.sf.faults.unavailable({ times: 1, path });
    assert.equal((await raw(h.sf, 'GET', `/services/data/v${API_VERSION}/limits`)).status, 200);
    const direct = await raw(h.sf, 'GET', `${path}?q=SELECT+Id+FROM+Account`);
    assert.equal(direct.status, 503);
    assert.equal((direct.json as { errorCode: string }[])[0]?.errorCode, 'SERVER_UNAVAILABLE');
    h.sf.faults.unavailable({ times: 1, path });
    const applied = h.sf.faults.applied.length;
    assert.equal((await h.conn.query('SELECT Id FROM Account')).done, true);
    assert.equal(h.sf.faults.applied.length, applied + 1, 'the first attempt got the 503');
  });

  test('slow calls are delayed', async () => {
    h.sf.faults.slow(300, { times: 1 });
    const started = Date.now();
    await h.conn.query('SELECT Id FROM Account');
    assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
  });

  test('a record fault fails only the matching record of a collection upsert', async () => {
    h.sf.faults.failRecords({
      object: 'Account',
      externalId: 'maxio:acme:2',
      errorCode: 'UNABLE_TO_LOCK_ROW',
    });
    const upsert = () =>
      h.conn.sobject('Account').upsert(
        [
          { Name: 'One', Billing_External_Id__c: 'maxio:acme:1' },
          { Name: 'Two', Billing_External_Id__c: 'maxio:acme:2' },
        ],
        'Billing_External_Id__c',
      );
    const first = await upsert();
    assert.deepEqual(first.map(statusOf), ['ok', 'UNABLE_TO_LOCK_ROW']);
    const retried = await upsert();
    assert.deepEqual(retried.map(statusOf), ['ok', 'ok']);
    assert.deepEqual(
      h.sf.faults.recordFaultsApplied.map((f) => [f.object, f.key, f.errorCode]),
      [['Account', 'maxio:acme:2', 'UNABLE_TO_LOCK_ROW']],
    );
  });

  test('a record fault with FIELD_CUSTOM_VALIDATION_EXCEPTION fails rows of a bulk job', async () => {
    h.conn.bulk2.pollInterval = 20;
    h.sf.faults.failRecords({
      object: 'Contact',
      times: 2,
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Blocked by a test',
    });
    const result = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input: [{ LastName: 'A' }, { LastName: 'B' }, { LastName: 'C' }],
    });
    assert.equal(result.successfulResults.length, 1);
    assert.deepEqual(
      result.failedResults.map((r) => r.sf__Error),
      [
        'FIELD_CUSTOM_VALIDATION_EXCEPTION:Blocked by a test: --',
        'FIELD_CUSTOM_VALIDATION_EXCEPTION:Blocked by a test: --',
      ],
    );
  });
});
