/**
 * Every enforcement rule, one test each, through jsforce, asserting Salesforce's error code:
 * unknown objects and fields, value types, lengths, numeric ranges, required fields, restricted
 * picklists, e-mail addresses, unique fields, lookups by id and by external id, fields that cannot
 * be created or updated, price book entry rules, and the package's validation rules (with the
 * Billing_Integration_Bypass permission of the integration user).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'jsforce';
import { REP_USER, rejection, startHarness, statusOf } from './test-support.ts';
import type { Harness } from './test-support.ts';

type Rec = Record<string, unknown>;

describe('write enforcement', () => {
  let h: Harness;
  let conn: Connection;
  let rep: Connection;
  let accountId: string;

  before(async () => {
    h = await startHarness();
    conn = h.conn;
    rep = h.connAs(REP_USER);
    const account = await conn
      .sobject('Account')
      .create({ Name: 'Acme', Billing_External_Id__c: 'maxio:acme:1' } as Rec);
    accountId = account.id as string;
  });
  after(() => h.sf.close());

  const create = (c: Connection, sobject: string, record: Rec) => c.sobject(sobject).create(record);
  const failsWith = async (promise: Promise<unknown>, code: string, message?: RegExp) => {
    const error = await rejection(promise);
    assert.equal(error.errorCode, code, error.message);
    if (message) assert.match(error.message, message);
    return error;
  };

  test('an unknown object is NOT_FOUND', async () => {
    await failsWith(create(conn, 'Subscriptions__c', { Name: 'x' }), 'NOT_FOUND');
  });

  test('an unknown field is INVALID_FIELD', async () => {
    await failsWith(
      create(conn, 'Account', { Name: 'x', Balanse__c: 1 }),
      'INVALID_FIELD',
      /No such column 'Balanse__c' on sobject of type Account/,
    );
  });

  test('a value of the wrong type is JSON_PARSER_ERROR', async () => {
    await failsWith(
      create(conn, 'Subscription__c', { Account__c: accountId, Balance__c: 'lots' }),
      'JSON_PARSER_ERROR',
    );
    await failsWith(
      create(conn, 'Subscription__c', { Account__c: accountId, Activated_At__c: 'yesterday' }),
      'JSON_PARSER_ERROR',
    );
  });

  test('text longer than the field is STRING_TOO_LONG', async () => {
    await failsWith(
      create(conn, 'Subscription__c', { Account__c: accountId, Currency_Code__c: 'EURO' }),
      'STRING_TOO_LONG',
      /max length=3/,
    );
  });

  test('a number with more integer digits than precision − scale is NUMBER_OUTSIDE_VALID_RANGE', async () => {
    await failsWith(
      create(conn, 'Subscription__c', { Account__c: accountId, Balance__c: 1e14 }),
      'NUMBER_OUTSIDE_VALID_RANGE',
    );
    // 14 integer digits fit Currency(16, 2); extra decimals are rounded to the scale.
    await create(conn, 'Subscription__c', { Account__c: accountId, Balance__c: 99999999999999.5 });
    const ok = await create(conn, 'Subscription__c', {
      Account__c: accountId,
      Balance__c: 1234.567,
    });
    const stored = h.sf.records('Subscription__c').find((r) => r.Id === ok.id);
    assert.equal(stored?.Balance__c, 1234.57);
  });

  test('a missing required field (standard or master-detail) is REQUIRED_FIELD_MISSING', async () => {
    const error = await failsWith(
      create(conn, 'Contact', { FirstName: 'Ann' }),
      'REQUIRED_FIELD_MISSING',
    );
    assert.deepEqual((error.data as { fields?: string[] }).fields, ['LastName']);
    await failsWith(
      create(conn, 'Subscription__c', { Name: 'no account' }),
      'REQUIRED_FIELD_MISSING',
      /Account__c/,
    );
    const contact = await create(conn, 'Contact', { LastName: 'Lee' });
    await failsWith(
      conn
        .sobject('Contact')
        .update({ Id: contact.id as string, LastName: null } as Rec & { Id: string }),
      'REQUIRED_FIELD_MISSING',
    );
  });

  test('a value not in a restricted picklist is INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', async () => {
    await failsWith(
      create(conn, 'Subscription__c', { Account__c: accountId, Normalized_Status__c: 'zombie' }),
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      /bad value for restricted picklist field: zombie/,
    );
    await create(conn, 'Subscription__c', {
      Account__c: accountId,
      Normalized_Status__c: 'active',
    });
  });

  test('a malformed e-mail address is INVALID_EMAIL_ADDRESS', async () => {
    await failsWith(
      create(conn, 'Contact', { LastName: 'X', Email: 'not-an-address' }),
      'INVALID_EMAIL_ADDRESS',
    );
  });

  test('a second record with the same unique value is DUPLICATE_VALUE', async () => {
    await create(conn, 'Subscription__c', {
      Account__c: accountId,
      External_Id__c: 'maxio:acme:sub-1',
    });
    await failsWith(
      create(conn, 'Subscription__c', {
        Account__c: accountId,
        External_Id__c: 'maxio:acme:sub-1',
      }),
      'DUPLICATE_VALUE',
      /duplicate value found: External_Id__c/,
    );
    // External ids are case-sensitive in the package: another case is another key.
    await create(conn, 'Subscription__c', {
      Account__c: accountId,
      External_Id__c: 'MAXIO:acme:sub-1',
    });
  });

  test('the same external id twice in one upsert request is DUPLICATE_EXTERNAL_ID', async () => {
    const results = await conn.sobject('Account').upsert(
      [
        { Name: 'Twin 1', Billing_External_Id__c: 'maxio:acme:twin' },
        { Name: 'Twin 2', Billing_External_Id__c: 'maxio:acme:twin' },
      ],
      'Billing_External_Id__c',
    );
    assert.deepEqual(results.map(statusOf), ['DUPLICATE_EXTERNAL_ID', 'DUPLICATE_EXTERNAL_ID']);
  });

  test('a lookup by an external id nobody has is INVALID_FIELD (foreign key not found)', async () => {
    await failsWith(
      create(conn, 'Subscription__c', {
        Account__r: { attributes: { type: 'Account' }, Billing_External_Id__c: 'maxio:acme:404' },
      }),
      'INVALID_FIELD',
      /Foreign key external ID: maxio:acme:404 not found for field Billing_External_Id__c in entity Account/,
    );
  });

  test('a lookup by a field that is not an external id is INVALID_FIELD', async () => {
    await failsWith(
      create(conn, 'Subscription__c', { Account__r: { Phone: '123' } }),
      'INVALID_FIELD',
      /not an External ID or indexed field/,
    );
  });

  test('a lookup id of another object is FIELD_INTEGRITY_EXCEPTION; of no record, INVALID_CROSS_REFERENCE_KEY', async () => {
    const contact = await create(conn, 'Contact', { LastName: 'Ref' });
    await failsWith(
      create(conn, 'Subscription__c', { Account__c: contact.id }),
      'FIELD_INTEGRITY_EXCEPTION',
    );
    const ghost = `${accountId.slice(0, 9)}zzzzzz`;
    await failsWith(
      create(conn, 'Subscription__c', { Account__c: ghost }),
      'INVALID_CROSS_REFERENCE_KEY',
    );
    await failsWith(create(conn, 'Subscription__c', { Account__c: 'not-an-id' }), 'MALFORMED_ID');
  });

  test('writing a field that cannot be created or updated is INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    await failsWith(
      create(conn, 'Account', { Name: 'x', CreatedDate: '2020-01-01T00:00:00Z' }),
      'INVALID_FIELD_FOR_INSERT_UPDATE',
    );
    const product = await create(conn, 'Product2', { Name: 'Widget' });
    const other = await create(conn, 'Product2', { Name: 'Gadget' });
    const standard = h.sf.records('Pricebook2').find((p) => p.IsStandard === true);
    const entry = await create(conn, 'PricebookEntry', {
      Pricebook2Id: standard?.Id,
      Product2Id: product.id,
      UnitPrice: 10,
    });
    await failsWith(
      conn
        .sobject('PricebookEntry')
        .update({ Id: entry.id as string, Product2Id: other.id } as Rec & { Id: string }),
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      /Product2Id/,
    );
    // Repeating the value it already has is fine (what an upsert of an unchanged record sends).
    await conn.sobject('PricebookEntry').update({
      Id: entry.id as string,
      Product2Id: product.id,
      UnitPrice: 12,
    } as Rec & {
      Id: string;
    });
    const stored = h.sf.records('PricebookEntry').find((r) => r.Id === entry.id);
    assert.deepEqual([stored?.UnitPrice, stored?.Name], [12, 'Widget']);
  });

  test('a custom price book entry before a standard price is STANDARD_PRICE_NOT_DEFINED', async () => {
    const product = await create(conn, 'Product2', { Name: 'Lonely' });
    const book = await create(conn, 'Pricebook2', {
      Name: 'maxio:acme Price Book',
      IsActive: true,
    });
    await failsWith(
      create(conn, 'PricebookEntry', {
        Pricebook2Id: book.id,
        Product2Id: product.id,
        UnitPrice: 5,
      }),
      'STANDARD_PRICE_NOT_DEFINED',
    );
    const standard = h.sf.records('Pricebook2').find((p) => p.IsStandard === true);
    await create(conn, 'PricebookEntry', {
      Pricebook2Id: standard?.Id,
      Product2Id: product.id,
      UnitPrice: 5,
    });
    await create(conn, 'PricebookEntry', {
      Pricebook2Id: book.id,
      Product2Id: product.id,
      UnitPrice: 5,
    });
    await failsWith(
      create(conn, 'PricebookEntry', {
        Pricebook2Id: book.id,
        Product2Id: product.id,
        UnitPrice: 6,
      }),
      'DUPLICATE_VALUE',
      /already exists in this price book/,
    );
  });

  describe('validation rules', () => {
    test('Billing_Catalog_Locked: only users with Billing_Integration_Bypass write billing-owned products', async () => {
      const error = await failsWith(
        create(rep, 'Product2', { Name: 'Plan', Billing_Owned__c: true }),
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      );
      assert.equal(
        error.message,
        'This product comes from the billing platform. Create and edit it there; Salesforce is updated automatically.',
      );
      const product = await create(conn, 'Product2', {
        Name: 'Plan',
        Billing_Owned__c: true,
        Billing_External_Id__c: 'maxio:acme:plan',
      });
      // The rep can neither edit it nor un-flag it (PRIORVALUE(Billing_Owned__c)).
      await failsWith(
        rep.sobject('Product2').update({
          Id: product.id as string,
          Billing_Owned__c: false,
          Billing_External_Id__c: null,
        } as Rec & { Id: string }),
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      );
      await conn.sobject('Product2').update({ Id: product.id as string, Name: 'Plan v2' });
      // Products of the rep's own are not locked.
      await create(rep, 'Product2', { Name: 'Services' });
    });

    test('Billing_Catalog_Locked on PricebookEntry', async () => {
      const product = await create(conn, 'Product2', { Name: 'Seat' });
      const standard = h.sf.records('Pricebook2').find((p) => p.IsStandard === true);
      const error = await failsWith(
        create(rep, 'PricebookEntry', {
          Pricebook2Id: standard?.Id,
          Product2Id: product.id,
          UnitPrice: 1,
          Billing_Owned__c: true,
        }),
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      );
      assert.match(error.message, /This price comes from the billing platform/);
      await create(conn, 'PricebookEntry', {
        Pricebook2Id: standard?.Id,
        Product2Id: product.id,
        UnitPrice: 1,
        Billing_Owned__c: true,
      });
    });

    test('Billing_Site__c: the site key must match the provider', async () => {
      const error = await failsWith(
        conn.sobject('Billing_Site__c').upsert(
          {
            Name: 'acme',
            Provider__c: 'Chargebee',
            Subdomain__c: 'acme',
            Site_Key__c: 'maxio:acme',
          } as Rec,
          'Site_Key__c',
        ),
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      );
      assert.deepEqual((error.data as { fields?: string[] }).fields, ['Site_Key__c']);
      await failsWith(
        create(conn, 'Billing_Site__c', {
          Name: 'acme',
          Provider__c: 'Maxio',
          Site_Key__c: 'maxio:acme',
        }),
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        /Region/,
      );
      await create(conn, 'Billing_Site__c', {
        Name: 'acme',
        Provider__c: 'Maxio',
        Region__c: 'US',
        Subdomain__c: 'acme',
        Site_Key__c: 'maxio:acme',
      });
    });

    test('Opportunity: create-on-close needs an account and a site', async () => {
      await failsWith(
        create(rep, 'Opportunity', {
          Name: 'Deal',
          StageName: 'Prospecting',
          CloseDate: '2030-01-01',
          Billing_Create_On_Close__c: true,
        }),
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        /Add an Account/,
      );
      const deal = await create(rep, 'Opportunity', {
        Name: 'Deal',
        StageName: 'Closed Won',
        CloseDate: '2030-01-01',
        AccountId: accountId,
      });
      const stored = h.sf.records('Opportunity').find((r) => r.Id === deal.id);
      assert.deepEqual([stored?.IsWon, stored?.IsClosed], [true, true]);
    });

    test('Subscription_Preview__c: must belong to an Opportunity', async () => {
      await failsWith(
        create(rep, 'Subscription_Preview__c', { Status__c: 'Draft' }),
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        /must belong to an Opportunity/,
      );
    });
  });

  test('a custom object record without a Name is named by its Id', async () => {
    const sub = await create(conn, 'Subscription__c', { Account__c: accountId });
    const stored = h.sf.records('Subscription__c').find((r) => r.Id === sub.id);
    assert.equal(stored?.Name, sub.id);
    assert.match(String(sub.id), /^a0[A-Za-z0-9]{16}$/);
  });
});
