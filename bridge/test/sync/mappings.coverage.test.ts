/**
 * Seed coverage of the mappings: every row of docs/seed-coverage.json with status "mapped" whose
 * Salesforce field is on an object the mappings write is (1) declared by a mapping table and (2)
 * actually given a value by the canonical fixtures of both providers. The rows no billing data can
 * fill are listed below, each with its reason; the list must stay exact (no stale entries).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALL_OBJECT_MAPPINGS } from '../../src/sync/mappings/index.ts';
import { mapFixture } from './fixtures/load.ts';

interface CoverageRow {
  line: string;
  sfField: string | null;
  providerField?: string;
  status: 'mapped' | 'system' | 'deprecated' | 'object';
}
interface Coverage {
  tables: { seed: string; table: string; rows: CoverageRow[] }[];
}

const coverage = JSON.parse(
  readFileSync(new URL('../../../docs/seed-coverage.json', import.meta.url), 'utf8'),
) as Coverage;

/** Seed fields on mapped objects that the sync deliberately does not write, and why. */
export const NOT_FROM_BILLING: Record<string, string> = {
  'PricebookEntry.ProductCode':
    'read-only: Salesforce copies it from Product2.ProductCode (the accounting code / item id), which the product mapping sets',
  'Subscription__c.Created_By_Preview__c':
    'set by the Closed/Won flow that created the subscription from that preview; the preview id never reaches the billing platform',
  'Account.Billing_Sync_Enabled__c':
    "the admin's switch for pushing Account edits to billing; the sync must never overwrite it",
  'Opportunity.Billing_Create_On_Close__c': "the sales rep's Closed/Won switch, not billing data",
  'Opportunity.Billing_Opportunity_Type__c':
    'set by the Closed/Won flow when it asks for a subscription (new/change/renewal)',
  'Opportunity.Amount':
    'a roll-up of the Opportunity Products the rep owns; the sync updates only the billing fields of the Opportunity',
  'Opportunity.Pricebook2Id':
    'chosen when products are added; Salesforce forbids changing it once the Opportunity has products',
  'Opportunity.StageName': "the rep's sales stage; the Closed/Won flow moves it, never the sync",
  'Opportunity.Name':
    'the seed sets it only when the integration creates Opportunities; this package never creates them, it updates the one the rep won',
};

/** Seed objects the sync does not write at all, and why. */
export const OBJECTS_NOT_WRITTEN: Record<string, string> = {
  OpportunityLineItem:
    'Opportunity Products belong to the rep and have no external id to upsert on; the same billing items are written to Billing_Opportunity_Product__c',
};

const mappedObjects = new Set(ALL_OBJECT_MAPPINGS.map((m) => m.sobject));

const mappedRows = coverage.tables.flatMap((table) =>
  table.rows
    .filter((row) => row.status === 'mapped' && row.sfField)
    .map((row) => ({
      ...row,
      sfField: row.sfField as string,
      table: table.table,
      seed: table.seed,
    })),
);

/** `Contact.Name` is the compound of FirstName and LastName. */
function writtenAs(sfField: string): string {
  return sfField === 'Contact.Name' ? 'Contact.LastName' : sfField;
}

function declaredFields(): Set<string> {
  const declared = new Set<string>();
  for (const mapping of ALL_OBJECT_MAPPINGS) {
    declared.add(`${mapping.sobject}.${mapping.externalIdField}`);
    for (const f of mapping.fields) declared.add(`${mapping.sobject}.${f.field}`);
    for (const r of mapping.references) declared.add(`${mapping.sobject}.${r.field}`);
  }
  return declared;
}

function populatedByFixtures(): Set<string> {
  const fieldOfRelationship = new Map<string, string>();
  for (const mapping of ALL_OBJECT_MAPPINGS) {
    for (const r of mapping.references) {
      fieldOfRelationship.set(`${mapping.sobject}.${r.relationship}`, r.field);
    }
  }
  const populated = new Set<string>();
  for (const record of [...mapFixture('maxio'), ...mapFixture('chargebee')]) {
    populated.add(`${record.sobject}.${record.externalIdField}`);
    for (const [name, value] of Object.entries(record.fields)) {
      if (value !== null) populated.add(`${record.sobject}.${name}`);
    }
    for (const relationship of Object.keys(record.references)) {
      populated.add(
        `${record.sobject}.${fieldOfRelationship.get(`${record.sobject}.${relationship}`)}`,
      );
    }
  }
  return populated;
}

const describeRow = (row: (typeof mappedRows)[number]) =>
  `${row.sfField}  (${row.seed.slice(0, 3)} ${row.table}: "${row.line.slice(0, 60)}")`;

describe('seed coverage of the mappings', () => {
  test('the coverage file lists mapped rows on the objects the mappings write', () => {
    assert.ok(mappedRows.length > 250, `only ${mappedRows.length} mapped rows`);
    const objects = new Set(mappedRows.map((row) => row.sfField.split('.')[0] as string));
    const notWritten = [...objects].filter((o) => !mappedObjects.has(o)).sort();
    assert.deepEqual(notWritten, Object.keys(OBJECTS_NOT_WRITTEN).sort());
  });

  test('every mapped seed field on a mapped object is declared by a mapping table', () => {
    const declared = declaredFields();
    const missing = mappedRows
      .filter((row) => mappedObjects.has(row.sfField.split('.')[0] as string))
      .filter((row) => !declared.has(writtenAs(row.sfField)) && !(row.sfField in NOT_FROM_BILLING))
      .map(describeRow);
    assert.deepEqual(missing, [], `seed fields no mapping writes:\n${missing.join('\n')}`);
  });

  test('every declared seed field gets a value from the fixtures of both providers', () => {
    const populated = populatedByFixtures();
    const empty = mappedRows
      .filter((row) => mappedObjects.has(row.sfField.split('.')[0] as string))
      .filter((row) => !(row.sfField in NOT_FROM_BILLING))
      .filter((row) => !populated.has(writtenAs(row.sfField)))
      .map(describeRow);
    assert.deepEqual(
      empty,
      [],
      `seed fields left empty by every fixture record:\n${empty.join('\n')}`,
    );
  });

  test('the allow-list is exact: each entry is a mapped seed row that no mapping writes', () => {
    const declared = declaredFields();
    const seedFields = new Set(mappedRows.map((row) => row.sfField));
    for (const [field, reason] of Object.entries(NOT_FROM_BILLING)) {
      assert.ok(seedFields.has(field), `${field} is not a mapped seed row`);
      assert.ok(
        !declared.has(field),
        `${field} is written by a mapping: drop it from the allow-list`,
      );
      assert.ok(reason.length > 20, `${field} needs a reason`);
    }
  });
});
