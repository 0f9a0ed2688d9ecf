/**
 * checkMappings: the real mappings fit the package metadata (describe built from force-app, and
 * the Salesforce emulator's describe through jsforce once the emulator serves it), and
 * deliberately broken mappings are reported, one kind of problem each.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { checkMappings, formatProblems } from '../../src/sync/mappings/check.ts';
import type { Describe, MappingProblem } from '../../src/sync/mappings/check.ts';
import { lookup } from '../../src/sync/mappings/keys.ts';
import {
  dateOnly,
  decimal,
  key,
  money,
  picklist,
  providerValue,
  text,
} from '../../src/sync/mappings/transforms.ts';
import type { AnyObjectMapping, ObjectMapping, Transform } from '../../src/sync/mappings/types.ts';
import { describeFromMetadata } from './fixtures/metadata-describe.ts';

describe('the mappings fit the package metadata', () => {
  test('no problem against describe results built from force-app', async () => {
    const problems = await checkMappings(describeFromMetadata);
    assert.deepEqual(problems, [], formatProblems(problems));
  });

  test('with multi-currency on, CurrencyIsoCode is the only field the package cannot provide', async () => {
    const problems = await checkMappings(describeFromMetadata, {
      options: { multiCurrency: true },
    });
    assert.deepEqual(
      problems.map((p) => `${p.sobject}.${p.field}: ${p.problem}`),
      ['PricebookEntry.CurrencyIsoCode: field does not exist'],
    );
    // A multi-currency org has it.
    const withIso: Describe = async (sobject) => {
      const result = await describeFromMetadata(sobject);
      if (sobject !== 'PricebookEntry') return result;
      return {
        ...result,
        fields: [
          ...result.fields,
          {
            name: 'CurrencyIsoCode',
            type: 'picklist',
            length: 3,
            restrictedPicklist: true,
            updateable: false,
          },
        ],
      };
    };
    // CurrencyIsoCode is a restricted picklist of the org's currencies; insert-only on entries.
    const again = await checkMappings(withIso, { options: { multiCurrency: true } });
    assert.deepEqual(again, [], formatProblems(again));
  });

  const emulatorIndex = new URL('../../../stand-ins/salesforce-emulator/index.ts', import.meta.url);
  test('no problem against the Salesforce emulator describe, through jsforce', async (t) => {
    if (!existsSync(emulatorIndex)) {
      t.skip('stand-ins/salesforce-emulator is not there yet');
      return;
    }
    const mod = (await import(emulatorIndex.href)) as Record<string, unknown>;
    const start = mod.startSalesforceEmulator as
      | ((
          options: Record<string, unknown>,
        ) => Promise<Record<string, unknown> & { url: string; close(): Promise<void> }>)
      | undefined;
    if (typeof start !== 'function') {
      t.skip('the emulator does not export startSalesforceEmulator yet');
      return;
    }
    const { Connection } = await import('jsforce');
    const emulator = await start({ port: 0 });
    try {
      const accessToken =
        typeof emulator.accessToken === 'string' ? emulator.accessToken : 'test-access-token';
      const conn = new Connection({
        instanceUrl: emulator.url,
        accessToken,
        version: '62.0',
      });
      const describeViaJsforce: Describe = async (sobject) => {
        const result = await conn.sobject(sobject).describe();
        return { name: result.name, fields: result.fields as never };
      };
      const problems = await checkMappings(describeViaJsforce);
      assert.deepEqual(problems, [], formatProblems(problems));
    } finally {
      await emulator.close();
    }
  });
});

/** A single-field mapping on one object, for the broken cases. */
function broken<S = unknown>(
  sobject: string,
  parts: Partial<ObjectMapping<S>> = {},
): AnyObjectMapping {
  return {
    name: `broken ${sobject}`,
    sobject,
    externalIdField: 'External_Id__c',
    externalId: () => 'x',
    fields: [],
    references: [],
    ...parts,
  } as AnyObjectMapping;
}

const field = (name: string, transform: Transform) => ({
  field: name,
  from: () => null,
  transform,
});

async function problemsOf(mapping: AnyObjectMapping): Promise<MappingProblem[]> {
  return checkMappings(describeFromMetadata, { mappings: [mapping] });
}

describe('broken mappings are reported', () => {
  const cases: [string, AnyObjectMapping, RegExp][] = [
    [
      'a field that does not exist',
      broken('Subscription__c', { fields: [field('Balanse__c', money)] }),
      /Balanse__c: field does not exist/,
    ],
    [
      'a Decimal into a Text(3) field',
      broken('Subscription__c', { fields: [field('Currency_Code__c', money)] }),
      /Currency_Code__c: money \(money\) cannot go into a string field/,
    ],
    [
      'a string into a Number field',
      broken('Subscription__c', { fields: [field('Plan_Quantity__c', text(20))] }),
      /Plan_Quantity__c: text\(20\) \(text\) cannot go into a double field/,
    ],
    [
      'text longer than the field',
      broken('Billing_Invoice_Line__c', { fields: [field('Name', text(255))] }),
      /Name: text\(255\) may be 255 long, field is string\(80\)/,
    ],
    [
      'an identifier longer than the field',
      broken('Subscription__c', { fields: [field('Customer_Id__c', key(255))] }),
      /Customer_Id__c: key\(255\) may be 255 long, field is string\(100\)/,
    ],
    [
      'unbounded text into a bounded field',
      broken('Subscription__c', {
        fields: [field('PO_Number__c', { kind: 'text', label: 'raw text', apply: () => null })],
      }),
      /PO_Number__c: unbounded raw text into string\(100\)/,
    ],
    [
      'more decimals than the field keeps',
      broken('Subscription__c', { fields: [field('Balance__c', decimal(4))] }),
      /Balance__c: decimal\(4\) has 4 decimals, field keeps 2/,
    ],
    [
      'a date into a DateTime field',
      broken('Subscription__c', { fields: [field('Activated_At__c', dateOnly)] }),
      /Activated_At__c: date \(date\) cannot go into a datetime field/,
    ],
    [
      'a picklist value the field does not have',
      broken('Item_Price__c', {
        fields: [field('Status__c', picklist(['active', 'zombie']))],
      }),
      /Status__c: picklist values not in the field: zombie/,
    ],
    [
      'any provider value into a restricted picklist',
      broken('Subscription__c', { fields: [field('Normalized_Status__c', providerValue)] }),
      /Normalized_Status__c: any provider value goes into a restricted picklist/,
    ],
    [
      'a wrong relationship name',
      broken('Subscription__c', {
        references: [lookup('Account__c', 'Account', () => 'x', { relationship: 'Account__c' })],
      }),
      /Account__c: relationship is Account__r, mapping says Account__c/,
    ],
    [
      'a lookup to the wrong object',
      broken('Subscription__c', { references: [lookup('Contact__c', 'Account', () => 'x')] }),
      /Contact__c: points at Contact, not Account/,
    ],
    [
      'a lookup that is not a lookup field',
      broken('Subscription__c', { references: [lookup('Customer_Id__c', 'Account', () => 'x')] }),
      /Customer_Id__c: is a string field, not a lookup/,
    ],
    [
      'a reference by a field that is not an external id',
      broken('Subscription__c', {
        references: [
          {
            ...lookup('Account__c', 'Account', () => 'x'),
            externalIdField: 'Billing_Customer_Id__c',
          },
        ],
      }),
      /Account\.Billing_Customer_Id__c is not an external id/,
    ],
    [
      'an upsert key that is not an external id',
      broken('Subscription__c', { externalIdField: 'Billing_Id__c' }),
      /Billing_Id__c: upsert key is not an external id/,
    ],
    [
      'a non-reparentable master-detail parent not marked insert-only',
      broken('Pricing_Tier__c', {
        references: [lookup('Item_Price__c', 'Item_Price__c', () => 'x', { required: true })],
      }),
      /Item_Price__c: field cannot be updated: list Item_Price__r in insertOnly/,
    ],
    [
      'a field Salesforce computes',
      broken('Pricing_Tier__c', { fields: [field('Name', text(30))] }),
      /Name: field is not writable/,
    ],
    [
      'the same field twice',
      broken('Subscription__c', {
        fields: [field('Balance__c', money), field('Balance__c', money)],
      }),
      /Balance__c: field is mapped twice/,
    ],
    [
      'an object that does not exist',
      broken('Subscriptions__c'),
      /object Subscriptions__c does not exist/,
    ],
  ];

  for (const [name, mapping, expected] of cases) {
    test(name, async () => {
      const problems = await problemsOf(mapping);
      assert.ok(problems.length > 0, 'no problem reported');
      assert.match(formatProblems(problems), expected);
    });
  }

  test('problems name the mapping table they come from', async () => {
    const problems = await problemsOf(
      broken('Subscription__c', { fields: [field('Nope__c', money)] }),
    );
    assert.deepEqual(problems, [
      {
        mapping: 'broken Subscription__c',
        sobject: 'Subscription__c',
        field: 'Nope__c',
        problem: 'field does not exist',
      },
    ]);
  });
});

describe('metadata describe (test helper) reads types as an org reports them', () => {
  test('custom fields', async () => {
    const { fields } = await describeFromMetadata('Subscription__c');
    const byName = new Map(fields.map((f) => [f.name, f]));
    assert.deepEqual(
      [byName.get('Balance__c')?.type, byName.get('Balance__c')?.scale],
      ['currency', 2],
    );
    assert.equal(byName.get('External_Id__c')?.externalId, true);
    assert.equal(byName.get('Account__c')?.relationshipName, 'Account__r');
    assert.deepEqual(byName.get('Account__c')?.referenceTo, ['Account']);
    assert.equal(byName.get('Normalized_Status__c')?.restrictedPicklist, true);
    assert.equal(byName.get('Name')?.length, 80);
  });

  test('an unknown object is rejected', async () => {
    await assert.rejects(describeFromMetadata('Nope__c'), /NOT_FOUND/);
  });
});
