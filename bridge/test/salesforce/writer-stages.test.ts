/**
 * How the writer orders a batch: stages by object in first-appearance order, standard price book
 * entries before the others, back-links last, self-references in later rounds, and the same
 * external id twice keeping the later record.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBulkError, roundsOf, stagesOf } from '../../src/salesforce/writer.ts';
import { ApiBudget, ApiBudgetError } from '../../src/salesforce/budget.ts';
import type { SalesforceRecord } from '../../src/sync/records.ts';

function rec(
  sobject: string,
  externalId: string,
  extra: Partial<SalesforceRecord> = {},
): SalesforceRecord {
  return {
    sobject,
    externalIdField:
      sobject === 'Account' || sobject === 'PricebookEntry'
        ? 'Billing_External_Id__c'
        : 'External_Id__c',
    externalId,
    fields: {},
    references: {},
    sourceResource: 'customer',
    sourceId: externalId,
    ...extra,
  };
}

const ids = (stage: SalesforceRecord[]) => stage.map((r) => `${r.sobject}:${r.externalId}`);

describe('stagesOf', () => {
  it('groups by object in first-appearance order and puts links last', () => {
    const stages = stagesOf([
      rec('Account', 'a1'),
      rec('Account', 'a1', { link: true, fields: { Billing_Contact__c: null } }),
      rec('Contact', 'c1'),
      rec('Account', 'a2'),
      rec('Contact', 'c2'),
    ]);
    assert.deepEqual(stages.map(ids), [
      ['Account:a1', 'Account:a2'],
      ['Contact:c1', 'Contact:c2'],
      ['Account:a1'],
    ]);
    assert.equal(stages[2]?.[0]?.link, true);
  });

  it('writes standard price book entries before the site ones, whatever the input order', () => {
    const entry = (id: string, book: string) =>
      rec('PricebookEntry', id, {
        references: {
          Pricebook2: {
            sobject: 'Pricebook2',
            externalIdField: 'Billing_External_Id__c',
            externalId: book,
          },
        },
      });
    const stages = stagesOf([entry('p1:site', 'maxio:acme'), entry('p1:std', 'standard')]);
    assert.deepEqual(stages.map(ids), [['PricebookEntry:p1:std'], ['PricebookEntry:p1:site']]);
  });

  it('keeps the later record when an external id repeats', () => {
    const [stage] = stagesOf([
      rec('Account', 'a1', { fields: { Name: 'old' } }),
      rec('Account', 'a1', { fields: { Name: 'new' } }),
    ]);
    assert.equal(stage?.length, 1);
    assert.equal(stage?.[0]?.fields.Name, 'new');
  });
});

describe('roundsOf', () => {
  it('puts a child account after the parent it points at, across three levels', () => {
    const parentRef = (id: string) => ({
      Parent: { sobject: 'Account', externalIdField: 'Billing_External_Id__c', externalId: id },
    });
    const rounds = roundsOf([
      rec('Account', 'grandchild', { references: parentRef('child') }),
      rec('Account', 'child', { references: parentRef('root') }),
      rec('Account', 'root'),
      rec('Account', 'orphan', { references: parentRef('not-in-batch') }),
    ]);
    assert.deepEqual(rounds.map(ids), [
      ['Account:root', 'Account:orphan'],
      ['Account:child'],
      ['Account:grandchild'],
    ]);
  });

  it('does not loop on a cycle', () => {
    const ref = (id: string) => ({
      Parent: { sobject: 'Account', externalIdField: 'Billing_External_Id__c', externalId: id },
    });
    const rounds = roundsOf([
      rec('Account', 'x', { references: ref('y') }),
      rec('Account', 'y', { references: ref('x') }),
    ]);
    assert.equal(rounds.flat().length, 2);
  });
});

describe('parseBulkError', () => {
  it('splits code, message and fields', () => {
    assert.deepEqual(parseBulkError('STRING_TOO_LONG:Name: data value too large: xxx:Name --'), {
      statusCode: 'STRING_TOO_LONG',
      message: 'Name: data value too large: xxx',
      fields: ['Name'],
    });
    assert.deepEqual(
      parseBulkError(
        'REQUIRED_FIELD_MISSING:Required fields are missing: [Account__c]:Account__c --',
      ),
      {
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [Account__c]',
        fields: ['Account__c'],
      },
    );
    assert.equal(parseBulkError('something else').statusCode, 'UNKNOWN_EXCEPTION');
  });
});

describe('ApiBudget', () => {
  it('runs free below the slow line, waits between the lines, stops backfills before live sync', async () => {
    const waits: number[] = [];
    const budget = new ApiBudget({ sleep: async (ms) => void waits.push(ms), maxDelayMs: 1000 });
    await budget.beforeCall('backfill');
    assert.deepEqual(waits, []);
    budget.observe({ used: 780, limit: 1000 });
    await budget.beforeCall('backfill');
    assert.equal(waits.length, 1);
    assert.ok((waits[0] ?? 0) > 0 && (waits[0] ?? 0) < 1000, `waited ${waits[0]}`);
    budget.observe({ used: 900, limit: 1000 });
    await assert.rejects(budget.beforeCall('backfill'), (e: unknown) => {
      assert.ok(e instanceof ApiBudgetError);
      assert.equal((e as ApiBudgetError).code, 'API_BUDGET_RESERVED');
      assert.match((e as Error).message, /900 of 1000/);
      return true;
    });
    await budget.beforeCall('live');
    budget.observe({ used: 960, limit: 1000 });
    await assert.rejects(budget.beforeCall('live'), ApiBudgetError);
  });
});
