/**
 * SOQL through jsforce: nextRecordsUrl paging in batches of 2000 (and autoFetch across them),
 * COUNT(), WHERE operators, AND/OR/NOT with parentheses, NULL, dates, datetimes and date
 * literals (against a fixed clock), parent relationship fields, child subqueries, ORDER BY with
 * NULLS, LIMIT/OFFSET, queryAll seeing deleted records, and the errors of bad queries.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rejection, startHarness } from './test-support.ts';
import type { Harness } from './test-support.ts';
import type { SfRecord } from './store.ts';

type Rec = Record<string, unknown>;
const NOW = new Date('2025-06-15T12:00:00Z');

describe('SOQL', () => {
  let h: Harness;
  let acme: string;

  before(async () => {
    h = await startHarness({ now: () => NOW });
    [acme = ''] = h.sf.seedMany('Account', [
      { Name: 'Acme', Billing_External_Id__c: 'maxio:acme:1' },
    ]);
    h.sf.seedMany('Account', [{ Name: 'Beta', Billing_External_Id__c: 'maxio:acme:2' }]);
    const invoices: SfRecord[] = [
      {
        Invoice_Number__c: 'INV-1',
        Account__c: acme,
        Status__c: 'paid',
        Total_Amount__c: 100,
        Due_Date__c: '2025-06-15',
        Recurring__c: true,
        Billing_Updated_At__c: '2025-06-15T08:00:00.000+0000',
      },
      {
        Invoice_Number__c: 'INV-2',
        Account__c: acme,
        Status__c: 'open',
        Total_Amount__c: 250.5,
        Due_Date__c: '2025-06-10',
        Recurring__c: false,
        Billing_Updated_At__c: '2025-06-01T00:00:00.000+0000',
      },
      {
        Invoice_Number__c: 'INV-3',
        Account__c: null,
        Status__c: 'open',
        Total_Amount__c: 75,
        Due_Date__c: '2025-05-20',
        Recurring__c: true,
        Billing_Updated_At__c: null,
      },
      {
        Invoice_Number__c: 'inv-4',
        Account__c: acme,
        Status__c: 'voided',
        Total_Amount__c: null,
        Due_Date__c: null,
        Recurring__c: false,
        Billing_Updated_At__c: '2024-12-31T23:59:59.000+0000',
      },
    ];
    const ids = h.sf.seedMany('Billing_Invoice__c', invoices);
    h.sf.seedMany('Billing_Invoice_Line__c', [
      { Name: 'Line A', Invoice__c: ids[0] ?? '' },
      { Name: 'Line B', Invoice__c: ids[0] ?? '' },
    ]);
  });
  after(() => h.sf.close());

  const numbers = async (where: string) => {
    const result = await h.conn.query<Rec>(
      `SELECT Invoice_Number__c FROM Billing_Invoice__c WHERE ${where} ORDER BY Invoice_Number__c`,
    );
    return result.records.map((r) => r.Invoice_Number__c);
  };

  const cases: [string, string[]][] = [
    ["Status__c = 'open'", ['INV-2', 'INV-3']],
    ["Status__c != 'open'", ['INV-1', 'inv-4']],
    ["Invoice_Number__c = 'INV-4'", ['inv-4']],
    ['Total_Amount__c > 99', ['INV-1', 'INV-2']],
    ['Total_Amount__c <= 100', ['INV-1', 'INV-3']],
    ['Total_Amount__c = null', ['inv-4']],
    ['Total_Amount__c != null', ['INV-1', 'INV-2', 'INV-3']],
    ["Status__c IN ('paid', 'voided')", ['INV-1', 'inv-4']],
    ["Status__c NOT IN ('paid', 'voided')", ['INV-2', 'INV-3']],
    ["Invoice_Number__c LIKE 'inv-%'", ['INV-1', 'INV-2', 'INV-3', 'inv-4']],
    ["Invoice_Number__c LIKE '%-_'", ['INV-1', 'INV-2', 'INV-3', 'inv-4']],
    ['Recurring__c = true', ['INV-1', 'INV-3']],
    ["Recurring__c = false AND Status__c = 'open'", ['INV-2']],
    ["Status__c = 'paid' OR Total_Amount__c < 80", ['INV-1', 'INV-3']],
    ["(Status__c = 'open' OR Status__c = 'paid') AND Recurring__c = true", ['INV-1', 'INV-3']],
    ["Status__c = 'open' OR (Status__c = 'paid' AND Recurring__c = false)", ['INV-2', 'INV-3']],
    ["NOT (Status__c = 'open')", ['INV-1', 'inv-4']],
    ["NOT Status__c = 'open' AND Recurring__c = true", ['INV-1']],
    ['Due_Date__c = 2025-06-10', ['INV-2']],
    ['Due_Date__c < 2025-06-11', ['INV-2', 'INV-3']],
    ['Due_Date__c = TODAY', ['INV-1']],
    ['Due_Date__c = LAST_N_DAYS:7', ['INV-1', 'INV-2']],
    ['Due_Date__c = LAST_MONTH', ['INV-3']],
    ['Billing_Updated_At__c > 2025-06-01T00:00:00Z', ['INV-1']],
    ['Billing_Updated_At__c >= 2025-06-01T00:00:00Z', ['INV-1', 'INV-2']],
    ['Billing_Updated_At__c < THIS_YEAR', ['inv-4']],
    ["Account__r.Name = 'acme'", ['INV-1', 'INV-2', 'inv-4']],
    ['Account__c = null', ['INV-3']],
  ];
  for (const [where, expected] of cases) {
    test(`WHERE ${where}`, async () => {
      assert.deepEqual(await numbers(where), expected);
    });
  }

  test('an id compares in its 15- and 18-character forms', async () => {
    assert.deepEqual(await numbers(`Account__c = '${acme.slice(0, 15)}'`), [
      'INV-1',
      'INV-2',
      'inv-4',
    ]);
  });

  test('parent relationship fields come back nested, null when there is no parent', async () => {
    const result = await h.conn.query<Rec>(
      'SELECT Invoice_Number__c, Account__r.Name, Account__r.Billing_External_Id__c FROM Billing_Invoice__c ORDER BY Invoice_Number__c LIMIT 3',
    );
    const [first, , third] = result.records;
    assert.deepEqual((first?.Account__r as Rec).Name, 'Acme');
    assert.deepEqual((first?.Account__r as Rec).Billing_External_Id__c, 'maxio:acme:1');
    assert.equal(
      (first?.Account__r as { attributes: { type: string } }).attributes.type,
      'Account',
    );
    assert.equal(third?.Account__r, null);
  });

  test('child subqueries return the children of each record', async () => {
    const result = await h.conn.query<Rec>(
      "SELECT Invoice_Number__c, (SELECT Name FROM Line_Items__r ORDER BY Name DESC) FROM Billing_Invoice__c WHERE Invoice_Number__c IN ('INV-1', 'INV-2') ORDER BY Invoice_Number__c",
    );
    const lines = result.records[0]?.Line_Items__r as { totalSize: number; records: Rec[] };
    assert.deepEqual(
      lines.records.map((r) => r.Name),
      ['Line B', 'Line A'],
    );
    assert.equal(result.records[1]?.Line_Items__r, null);
  });

  test('ORDER BY DESC puts nulls last unless NULLS FIRST; LIMIT and OFFSET page', async () => {
    const desc = await h.conn.query<Rec>(
      'SELECT Invoice_Number__c FROM Billing_Invoice__c ORDER BY Total_Amount__c DESC',
    );
    assert.deepEqual(
      desc.records.map((r) => r.Invoice_Number__c),
      ['INV-2', 'INV-1', 'INV-3', 'inv-4'],
    );
    const first = await h.conn.query<Rec>(
      'SELECT Invoice_Number__c FROM Billing_Invoice__c ORDER BY Total_Amount__c DESC NULLS FIRST LIMIT 2 OFFSET 1',
    );
    assert.deepEqual(
      first.records.map((r) => r.Invoice_Number__c),
      ['INV-2', 'INV-1'],
    );
  });

  test('COUNT() and COUNT(field)', async () => {
    const count = await h.conn.query(
      "SELECT COUNT() FROM Billing_Invoice__c WHERE Status__c = 'open'",
    );
    assert.deepEqual([count.totalSize, count.records.length], [2, 0]);
    const agg = await h.conn.query<Rec>('SELECT COUNT(Total_Amount__c) n FROM Billing_Invoice__c');
    assert.equal(agg.records[0]?.n, 3);
  });

  test('pages of 2000 with nextRecordsUrl; autoFetch reads them all', async () => {
    h.sf.seedMany(
      'Contact',
      Array.from({ length: 4500 }, (_, i) => ({ LastName: `Person ${i}` })),
    );
    const first = await h.conn.query<Rec>('SELECT Id, LastName FROM Contact');
    assert.equal(first.records.length, 2000);
    assert.equal(first.totalSize, 4500);
    assert.equal(first.done, false);
    assert.match(String(first.nextRecordsUrl), /\/services\/data\/v62\.0\/query\/01g\w+-2000$/);
    const second = await h.conn.queryMore<Rec>(String(first.nextRecordsUrl));
    assert.equal(second.records.length, 2000);
    const all: Rec[] = [];
    await new Promise<void>((resolve, reject) => {
      h.conn
        .query<Rec>('SELECT Id FROM Contact')
        .on('record', (r: Rec) => all.push(r))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 10000 });
    });
    assert.equal(all.length, 4500);
    assert.equal(new Set(all.map((r) => r.Id)).size, 4500);
  });

  test('queryAll sees deleted records; query does not', async () => {
    const created = await h.conn.sobject('Account').create({ Name: 'Gone soon' });
    await h.conn.sobject('Account').destroy(created.id as string);
    const live = await h.conn.query("SELECT Id FROM Account WHERE Name = 'Gone soon'");
    const everything = await h.conn
      .query<Rec>("SELECT Id, IsDeleted FROM Account WHERE Name = 'Gone soon'")
      .scanAll(true);
    assert.equal(live.totalSize, 0);
    assert.deepEqual(
      everything.records.map((r) => r.IsDeleted),
      [true],
    );
  });

  test('bad queries answer Salesforce error codes', async () => {
    const unknownField = await rejection(h.conn.query('SELECT Nope__c FROM Account'));
    assert.equal(unknownField.errorCode, 'INVALID_FIELD');
    const unknownObject = await rejection(h.conn.query('SELECT Id FROM Nope__c'));
    assert.equal(unknownObject.errorCode, 'INVALID_TYPE');
    const malformed = await rejection(h.conn.query('SELECT FROM WHERE'));
    assert.equal(malformed.errorCode, 'MALFORMED_QUERY');
    const relationship = await rejection(
      h.conn.query('SELECT Acount__r.Name FROM Billing_Invoice__c'),
    );
    assert.equal(relationship.errorCode, 'INVALID_FIELD');
  });
});
