/**
 * Describe through jsforce matches the package metadata: spot checks of custom fields (types,
 * lengths, precision/scale, picklists, lookups, external ids), the standard fields the package
 * may reference, child relationships, key prefixes, multi-currency, and the validation rules the
 * emulator evaluates.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { STANDARD_FIELDS } from '../../scripts/lib/standard-fields.ts';
import { IMPLEMENTED_RULES } from './rules.ts';
import { DEFAULT_FORCE_APP } from './schema.ts';
import { STANDARD_OBJECTS } from './standard-objects.ts';
import { startHarness } from './test-support.ts';
import type { Harness } from './test-support.ts';

type Field = Record<string, unknown> & { name: string };

describe('describe matches the package metadata', () => {
  let h: Harness;
  const fieldsOf = async (sobject: string) => {
    const result = await h.conn.sobject(sobject).describe();
    return new Map((result.fields as unknown as Field[]).map((f) => [f.name, f]));
  };
  before(async () => {
    h = await startHarness();
  });
  after(() => h.sf.close());

  test('describe global lists the custom and standard objects with key prefixes', async () => {
    const global = await h.conn.describeGlobal();
    const byName = new Map(global.sobjects.map((o) => [o.name, o]));
    assert.equal(byName.get('Account')?.keyPrefix, '001');
    assert.equal(byName.get('PricebookEntry')?.keyPrefix, '01u');
    assert.match(String(byName.get('Subscription__c')?.keyPrefix), /^a0[A-Za-z0-9]$/);
    assert.equal(byName.get('Subscription__c')?.custom, true);
    assert.ok(byName.has('Billing_Invoice_Line__c'));
  });

  test('Subscription__c: currency, text, picklist, master-detail and external id fields', async () => {
    const fields = await fieldsOf('Subscription__c');
    const balance = fields.get('Balance__c');
    assert.deepEqual([balance?.type, balance?.precision, balance?.scale], ['currency', 16, 2]);
    const external = fields.get('External_Id__c');
    assert.deepEqual(
      [
        external?.type,
        external?.length,
        external?.externalId,
        external?.unique,
        external?.caseSensitive,
      ],
      ['string', 255, true, true, true],
    );
    const account = fields.get('Account__c');
    assert.deepEqual(
      [
        account?.type,
        account?.referenceTo,
        account?.relationshipName,
        account?.nillable,
        account?.updateable,
      ],
      ['reference', ['Account'], 'Account__r', false, true],
    );
    const status = fields.get('Normalized_Status__c');
    assert.equal(status?.restrictedPicklist, true);
    assert.ok((status?.picklistValues as { value: string }[]).some((v) => v.value === 'in_trial'));
    assert.equal(fields.get('Name')?.length, 80);
  });

  test('lengths and number precision are read from each field file', async () => {
    const cases: [string, string][] = [
      ['Billing_Invoice__c', 'Billing_Invoice__c'],
      ['Item_Price__c', 'Item_Price__c'],
      ['Billing_Site__c', 'Billing_Site__c'],
    ];
    for (const [sobject, dir] of cases) {
      const fields = await fieldsOf(sobject);
      for (const [name, field] of fields) {
        if (!name.endsWith('__c')) continue;
        const xml = readFileSync(
          `${DEFAULT_FORCE_APP}objects/${dir}/fields/${name}.field-meta.xml`,
          'utf8',
        );
        const length = /<length>(\d+)<\/length>/.exec(xml)?.[1];
        const precision = /<precision>(\d+)<\/precision>/.exec(xml)?.[1];
        const scale = /<scale>(\d+)<\/scale>/.exec(xml)?.[1];
        if (/<type>Text<\/type>/.test(xml))
          assert.equal(field.length, Number(length), `${sobject}.${name}`);
        if (precision) assert.equal(field.precision, Number(precision), `${sobject}.${name}`);
        if (scale) assert.equal(field.scale, Number(scale), `${sobject}.${name}`);
      }
    }
  });

  test('a non-reparentable master-detail parent cannot be updated', async () => {
    const fields = await fieldsOf('Pricing_Tier__c');
    assert.equal(fields.get('Item_Price__c')?.updateable, false);
    assert.equal(fields.get('Item_Price__c')?.createable, true);
    assert.equal(fields.has('OwnerId'), false, 'a master-detail child has no owner');
  });

  test('standard objects carry the standard fields the package may reference and its custom fields', async () => {
    for (const sobject of Object.keys(STANDARD_OBJECTS)) {
      const fields = await fieldsOf(sobject);
      const expected = (STANDARD_FIELDS[sobject] ?? []).filter((f) => !f.endsWith('Address'));
      const missing = expected.filter((f) => !fields.has(f));
      assert.deepEqual(missing, [], `${sobject} lacks ${missing.join(', ')}`);
    }
    const entry = await fieldsOf('PricebookEntry');
    assert.deepEqual(
      [
        entry.get('Pricebook2Id')?.updateable,
        entry.get('UnitPrice')?.type,
        entry.get('Billing_External_Id__c')?.externalId,
      ],
      [false, 'currency', true],
    );
    const account = await fieldsOf('Account');
    assert.deepEqual(
      [account.get('ParentId')?.relationshipName, account.get('Name')?.nillable],
      ['Parent', false],
    );
    const opportunity = await fieldsOf('Opportunity');
    assert.equal(opportunity.get('StageName')?.restrictedPicklist, true);
    assert.equal(opportunity.get('CloseDate')?.type, 'date');
  });

  test('child relationships are named as the metadata says', async () => {
    const account = await h.conn.sobject('Account').describe();
    const subs = account.childRelationships.find(
      (r) => r.childSObject === 'Subscription__c' && r.field === 'Account__c',
    );
    assert.equal(subs?.relationshipName, 'Subscriptions__r');
    assert.equal(subs?.cascadeDelete, true);
  });

  test('an unknown object is 404 NOT_FOUND', async () => {
    await assert.rejects(
      h.conn.sobject('Nope__c').describe(),
      (e: { errorCode?: string }) => e.errorCode === 'NOT_FOUND',
    );
  });

  test('every validation rule in the package is evaluated by the emulator', () => {
    assert.deepEqual(h.sf.unimplementedRules(), []);
    assert.ok(IMPLEMENTED_RULES.has('Product2.Billing_Catalog_Locked'));
  });
});

describe('multi-currency org', () => {
  test('CurrencyIsoCode is a restricted picklist of the org currencies, insert-only on entries', async () => {
    const h = await startHarness({ multiCurrency: true, currencies: ['EUR', 'USD'] });
    try {
      const entry = await h.conn.sobject('PricebookEntry').describe();
      const iso = (entry.fields as unknown as Field[]).find((f) => f.name === 'CurrencyIsoCode');
      assert.deepEqual(
        [
          iso?.type,
          iso?.restrictedPicklist,
          iso?.updateable,
          (iso?.picklistValues as { value: string }[]).map((v) => v.value),
        ],
        ['picklist', true, false, ['EUR', 'USD']],
      );
      const account = await h.conn.sobject('Account').create({ Name: 'Euro Co' });
      const stored = h.sf.records('Account').find((r) => r.Id === account.id);
      assert.equal(stored?.CurrencyIsoCode, 'EUR');
    } finally {
      await h.sf.close();
    }
  });
});
