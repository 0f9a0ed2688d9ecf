/**
 * sObject Collections upsert and create through jsforce, with the bodies the bridge sends
 * (toUpsertBody: lookups by external id): create, update, mixed failures with allOrNone false and
 * true (rollback), the 200-record limit, and the single-record upsert's 201/200.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toUpsertBody } from '../../bridge/src/sync/records.ts';
import type { SalesforceRecord } from '../../bridge/src/sync/records.ts';
import { API_VERSION, errorOf, raw, startHarness, statusOf } from './test-support.ts';
import type { Harness } from './test-support.ts';

type Rec = Record<string, unknown>;

function account(key: string, name: string): SalesforceRecord {
  return {
    sobject: 'Account',
    externalIdField: 'Billing_External_Id__c',
    externalId: key,
    fields: { Name: name },
    references: {},
    sourceResource: 'customer',
    sourceId: key,
  };
}

function subscription(key: string, accountKey: string, fields: Rec = {}): SalesforceRecord {
  return {
    sobject: 'Subscription__c',
    externalIdField: 'External_Id__c',
    externalId: key,
    fields: { Name: key, ...(fields as SalesforceRecord['fields']) },
    references: {
      Account__r: {
        sobject: 'Account',
        externalIdField: 'Billing_External_Id__c',
        externalId: accountKey,
      },
    },
    sourceResource: 'subscription',
    sourceId: key,
  };
}

describe('sObject Collections upsert', () => {
  let h: Harness;
  const upsert = (records: SalesforceRecord[], allOrNone = false) =>
    h.conn
      .sobject(records[0]?.sobject ?? '')
      .upsert(records.map((r) => toUpsertBody(r)) as Rec[], records[0]?.externalIdField ?? '', {
        allOrNone,
      });

  before(async () => {
    h = await startHarness();
  });
  after(() => h.sf.close());

  test('creates, then updates the same keys (created true, then false)', async () => {
    const first = await upsert([account('maxio:acme:1', 'Acme'), account('maxio:acme:2', 'Beta')]);
    assert.deepEqual(
      first.map((r) => [r.success, r.created]),
      [
        [true, true],
        [true, true],
      ],
    );
    const second = await upsert([
      account('maxio:acme:1', 'Acme Inc'),
      account('maxio:acme:3', 'Gamma'),
    ]);
    assert.deepEqual(
      second.map((r) => [r.success, r.created]),
      [
        [true, false],
        [true, true],
      ],
    );
    assert.equal(second[0]?.id, first[0]?.id);
    const names = h.sf
      .records('Account')
      .filter((r) => String(r.Billing_External_Id__c).startsWith('maxio:acme:'))
      .map((r) => r.Name);
    assert.deepEqual(names.sort(), ['Acme Inc', 'Beta', 'Gamma']);
    assert.equal(h.sf.stats.writes.Account?.update, 1);
  });

  test('lookups by external id resolve to the parent record', async () => {
    const [result] = await upsert([
      subscription('maxio:acme:sub-1', 'maxio:acme:1', { Balance__c: 12.5 }),
    ]);
    assert.equal(result?.success, true);
    const parent = h.sf.records('Account').find((r) => r.Billing_External_Id__c === 'maxio:acme:1');
    const stored = h.sf
      .records('Subscription__c')
      .find((r) => r.External_Id__c === 'maxio:acme:sub-1');
    assert.equal(stored?.Account__c, parent?.Id);
    const q = await h.conn.query<Rec>(
      "SELECT Account__r.Name, Balance__c FROM Subscription__c WHERE External_Id__c = 'maxio:acme:sub-1'",
    );
    assert.deepEqual(
      [(q.records[0]?.Account__r as Rec).Name, q.records[0]?.Balance__c],
      ['Acme Inc', 12.5],
    );
  });

  test('allOrNone false: good records are written, bad ones report their own errors', async () => {
    const results = await upsert([
      subscription('maxio:acme:sub-2', 'maxio:acme:2'),
      subscription('maxio:acme:sub-3', 'maxio:acme:missing'),
      subscription('maxio:acme:sub-4', 'maxio:acme:3', { Normalized_Status__c: 'zombie' }),
      subscription('maxio:acme:sub-5', 'maxio:acme:3'),
    ]);
    assert.deepEqual(results.map(statusOf), [
      'ok',
      'INVALID_FIELD',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'ok',
    ]);
    assert.match(
      String(errorOf(results[1]).message),
      /Foreign key external ID: maxio:acme:missing not found/,
    );
    assert.deepEqual(errorOf(results[2]).fields, ['Normalized_Status__c']);
    const keys = h.sf.records('Subscription__c').map((r) => r.External_Id__c);
    assert.ok(keys.includes('maxio:acme:sub-2') && keys.includes('maxio:acme:sub-5'));
    assert.ok(!keys.includes('maxio:acme:sub-3') && !keys.includes('maxio:acme:sub-4'));
  });

  test('allOrNone true: one bad record rolls every write back', async () => {
    const before = h.sf.records('Subscription__c').length;
    const updatedBefore = h.sf
      .records('Subscription__c')
      .find((r) => r.External_Id__c === 'maxio:acme:sub-2');
    const results = await upsert(
      [
        subscription('maxio:acme:sub-6', 'maxio:acme:1'),
        subscription('maxio:acme:sub-2', 'maxio:acme:2', { Balance__c: 99 }),
        subscription('maxio:acme:sub-7', 'maxio:acme:missing'),
      ],
      true,
    );
    assert.deepEqual(results.map(statusOf), [
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'INVALID_FIELD',
    ]);
    assert.equal(h.sf.records('Subscription__c').length, before);
    const after = h.sf
      .records('Subscription__c')
      .find((r) => r.External_Id__c === 'maxio:acme:sub-2');
    assert.deepEqual(after, updatedBefore);
  });

  test('insert-only fields on update are refused per record; forUpdate bodies leave them out', async () => {
    const product = await h.conn
      .sobject('Product2')
      .upsert(
        { Name: 'Plan', Billing_External_Id__c: 'maxio:acme:p1' } as Rec,
        'Billing_External_Id__c',
      );
    assert.equal(product.success, true);
    const standard = h.sf.records('Pricebook2').find((p) => p.IsStandard === true);
    await h.conn.sobject('Pricebook2').update({
      Id: standard?.Id as string,
      Billing_External_Id__c: 'standard',
    } as Rec & {
      Id: string;
    });
    await h.conn
      .sobject('Product2')
      .upsert(
        { Name: 'Other', Billing_External_Id__c: 'maxio:acme:p2' } as Rec,
        'Billing_External_Id__c',
      );
    const entry = (productKey: string): SalesforceRecord => ({
      sobject: 'PricebookEntry',
      externalIdField: 'Billing_External_Id__c',
      externalId: 'maxio:acme:p1:pbe:standard',
      fields: { UnitPrice: 10, IsActive: true, Billing_Owned__c: true },
      references: {
        Pricebook2: {
          sobject: 'Pricebook2',
          externalIdField: 'Billing_External_Id__c',
          externalId: 'standard',
        },
        Product2: {
          sobject: 'Product2',
          externalIdField: 'Billing_External_Id__c',
          externalId: productKey,
        },
      },
      insertOnly: ['Pricebook2', 'Product2'],
      sourceResource: 'pricePoint',
      sourceId: 'pp1',
    });
    const created = await h.conn
      .sobject('PricebookEntry')
      .upsert([toUpsertBody(entry('maxio:acme:p1'))] as Rec[], 'Billing_External_Id__c');
    assert.equal(created[0]?.created, true);
    const moved = await h.conn
      .sobject('PricebookEntry')
      .upsert([toUpsertBody(entry('maxio:acme:p2'))] as Rec[], 'Billing_External_Id__c');
    assert.equal(statusOf(moved[0]), 'INVALID_FIELD_FOR_INSERT_UPDATE');
    const again = await h.conn
      .sobject('PricebookEntry')
      .upsert(
        [toUpsertBody(entry('maxio:acme:p2'), { forUpdate: true })] as Rec[],
        'Billing_External_Id__c',
      );
    assert.deepEqual([again[0]?.success, again[0]?.created], [true, false]);
  });

  test('more than 200 records in one request is EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) =>
      toUpsertBody(account(`maxio:big:${i}`, `Big ${i}`)),
    );
    const response = await raw(
      h.sf,
      'PATCH',
      `/services/data/v${API_VERSION}/composite/sobjects/Account/Billing_External_Id__c`,
      {
        allOrNone: false,
        records,
      },
    );
    assert.equal(response.status, 400);
    assert.equal((response.json as { errorCode: string }[])[0]?.errorCode, 'EXCEEDED_ID_LIMIT');
  });

  test('single-record upsert answers 201 when created, 200 when updated', async () => {
    const path = `/services/data/v${API_VERSION}/sobjects/Account/Billing_External_Id__c/maxio:solo:1`;
    const created = await raw(h.sf, 'PATCH', path, { Name: 'Solo' });
    assert.equal(created.status, 201);
    assert.equal((created.json as { created: boolean }).created, true);
    const updated = await raw(h.sf, 'PATCH', path, { Name: 'Solo 2' });
    assert.equal(updated.status, 200);
    assert.equal((updated.json as { created: boolean }).created, false);
  });

  test('collections create and delete report per record', async () => {
    const results = await h.conn
      .sobject('Contact')
      .create([{ LastName: 'One' }, { FirstName: 'No last name' }, { LastName: 'Two' }]);
    assert.deepEqual(results.map(statusOf), ['ok', 'REQUIRED_FIELD_MISSING', 'ok']);
    const ids = results.filter((r) => r.success).map((r) => r.id as string);
    const deleted = await h.conn.sobject('Contact').destroy(ids);
    assert.ok(deleted.every((r) => r.success));
    assert.equal(h.sf.records('Contact').filter((r) => ids.includes(String(r.Id))).length, 0);
  });
});
