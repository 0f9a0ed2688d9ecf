/**
 * Bulk API 2.0 through jsforce's bulk2: a 10,000-row upsert with relationship columns
 * (`Account__r.Billing_External_Id__c`) and `#N/A` nulls, per-record failures in failedResults
 * (`sf__Id`, `sf__Error`), a job whose columns do not exist, an aborted job, and a query job.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_VERSION, raw, startHarness } from './test-support.ts';
import type { Harness } from './test-support.ts';

type Rec = Record<string, unknown>;

describe('Bulk API 2.0', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.conn.bulk2.pollInterval = 20;
    h.conn.bulk2.pollTimeout = 60_000;
    await h.conn.sobject('Account').upsert(
      [
        { Name: 'Acme', Billing_External_Id__c: 'maxio:acme:1' },
        { Name: 'Beta', Billing_External_Id__c: 'maxio:acme:2' },
      ],
      'Billing_External_Id__c',
    );
  });
  after(() => h.sf.close());

  test('upserts 10,000 subscriptions with lookups by external id, then updates them', async () => {
    const rows = (balance: number) =>
      Array.from({ length: 10_000 }, (_, i) => ({
        External_Id__c: `maxio:acme:sub-${i}`,
        Name: `Subscription ${i}`,
        Balance__c: balance,
        Normalized_Status__c: 'active',
        'Account__r.Billing_External_Id__c': i % 2 ? 'maxio:acme:1' : 'maxio:acme:2',
      }));
    const created = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Subscription__c',
      operation: 'upsert',
      externalIdFieldName: 'External_Id__c',
      input: rows(10),
    });
    assert.equal(created.successfulResults.length, 10_000);
    assert.equal(created.failedResults.length, 0);
    assert.ok(created.successfulResults.every((r) => r.sf__Created === 'true'));
    assert.equal(h.sf.records('Subscription__c').length, 10_000);
    const acme = h.sf.records('Account').find((a) => a.Billing_External_Id__c === 'maxio:acme:1');
    assert.equal(
      h.sf.records('Subscription__c').filter((s) => s.Account__c === acme?.Id).length,
      5_000,
    );

    const updated = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Subscription__c',
      operation: 'upsert',
      externalIdFieldName: 'External_Id__c',
      input: rows(20),
    });
    assert.equal(updated.successfulResults.length, 10_000);
    assert.ok(updated.successfulResults.every((r) => r.sf__Created === 'false'));
    assert.ok(h.sf.records('Subscription__c').every((s) => s.Balance__c === 20));
    assert.equal(h.sf.stats.bulkRecords.Subscription__c?.processed, 20_000);
  });

  test('failed rows come back in failedResults with sf__Error; #N/A clears a field', async () => {
    const result = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Subscription__c',
      operation: 'upsert',
      externalIdFieldName: 'External_Id__c',
      input: [
        // jsforce takes the CSV header from the first record: every row carries every column.
        {
          External_Id__c: 'maxio:acme:sub-0',
          Balance__c: '#N/A',
          Normalized_Status__c: '',
          'Account__r.Billing_External_Id__c': 'maxio:acme:2',
        },
        {
          External_Id__c: 'maxio:acme:bad-1',
          Balance__c: 'lots',
          Normalized_Status__c: '',
          'Account__r.Billing_External_Id__c': 'maxio:acme:2',
        },
        {
          External_Id__c: 'maxio:acme:bad-2',
          Balance__c: 1,
          Normalized_Status__c: '',
          'Account__r.Billing_External_Id__c': 'maxio:acme:404',
        },
        {
          External_Id__c: 'maxio:acme:bad-3',
          Balance__c: '',
          Normalized_Status__c: 'zombie',
          'Account__r.Billing_External_Id__c': 'maxio:acme:2',
        },
      ],
    });
    assert.equal(result.successfulResults.length, 1);
    const errors = result.failedResults.map((r) => String(r.sf__Error).split(':')[0]);
    assert.deepEqual(errors, [
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      'INVALID_FIELD',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    ]);
    assert.deepEqual(
      result.failedResults.map((r) => (r as Rec).External_Id__c),
      ['maxio:acme:bad-1', 'maxio:acme:bad-2', 'maxio:acme:bad-3'],
    );
    const cleared = h.sf
      .records('Subscription__c')
      .find((s) => s.External_Id__c === 'maxio:acme:sub-0');
    assert.equal(cleared?.Balance__c, null);
    const job = await h.conn.bulk2
      .job('ingest', { id: String((await listJobs(h)).at(-1)?.id) })
      .check();
    assert.deepEqual(
      [job.numberRecordsProcessed, job.numberRecordsFailed, job.state],
      [4, 3, 'JobComplete'],
    );
  });

  test('a column that is not a field fails the job', async () => {
    await assert.rejects(
      h.conn.bulk2.loadAndWaitForResults({
        object: 'Account',
        operation: 'insert',
        input: [{ Name: 'x', Nope__c: 'y' }],
      }),
      /Ingest job failed to complete due to: InvalidBatch : Field name not found : Nope__c/,
    );
    assert.equal(h.sf.records('Account').filter((a) => a.Name === 'x').length, 0);
  });

  test('an upsert job needs an external id field', async () => {
    const response = await raw(h.sf, 'POST', `/services/data/v${API_VERSION}/jobs/ingest`, {
      object: 'Account',
      operation: 'upsert',
      externalIdFieldName: 'Name',
    });
    assert.equal(response.status, 400);
    assert.equal((response.json as { errorCode: string }[])[0]?.errorCode, 'INVALIDJOB');
  });

  test('insert and delete jobs, with the results CSV in the job delimiter', async () => {
    const job = h.conn.bulk2.createJob({
      object: 'Contact',
      operation: 'insert',
      columnDelimiter: 'SEMICOLON',
    } as never);
    await job.open();
    await job.uploadData('LastName;Email\nOne;one@example.com\n"Two; Jr";two@example.com\n');
    await job.close();
    await job.poll(20, 10_000);
    const ok = await job.getSuccessfulResults(true);
    assert.match(String(ok), /^"sf__Id";"sf__Created";"LastName";"Email"/);
    const created = await job.getSuccessfulResults();
    assert.deepEqual(
      created.map((r) => (r as Rec).LastName),
      ['One', 'Two; Jr'],
    );
    const removed = await h.conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'delete',
      input: created.map((r) => ({ Id: r.sf__Id })),
    });
    assert.equal(removed.successfulResults.length, 2);
    assert.equal(h.sf.records('Contact').length, 0);
  });

  test('an aborted job writes nothing and reports its rows as unprocessed', async () => {
    const job = h.conn.bulk2.createJob({ object: 'Account', operation: 'insert' });
    await job.open();
    await job.uploadData('Name\nNever 1\nNever 2\n');
    await job.abort();
    const info = await job.check();
    assert.equal(info.state, 'Aborted');
    const unprocessed = await job.getUnprocessedRecords();
    assert.deepEqual(
      (unprocessed as Rec[]).map((r) => r.Name),
      ['Never 1', 'Never 2'],
    );
    assert.equal(
      h.sf.records('Account').filter((a) => String(a.Name).startsWith('Never')).length,
      0,
    );
  });

  test('a bulk query job returns the selected columns as CSV', async () => {
    const records = await (
      await h.conn.bulk2.query(
        "SELECT Name, Account__r.Name FROM Subscription__c WHERE External_Id__c IN ('maxio:acme:sub-1', 'maxio:acme:sub-2') ORDER BY Name",
      )
    ).toArray();
    assert.deepEqual(records, [
      { Name: 'Subscription 1', 'Account__r.Name': 'Acme' },
      { Name: 'Subscription 2', 'Account__r.Name': 'Beta' },
    ]);
  });
});

async function listJobs(h: Harness): Promise<Rec[]> {
  const response = await raw(h.sf, 'GET', `/services/data/v${API_VERSION}/jobs/ingest`);
  return (response.json as { records: Rec[] }).records;
}
