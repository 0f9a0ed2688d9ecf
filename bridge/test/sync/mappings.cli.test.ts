/**
 * `billing-bridge map`, run as a real process with a payload on stdin: canonical input, provider
 * payloads through each adapter's own raw → canonical mapping (once the adapters export it), and
 * clear errors with the CLI's exit codes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { COMMANDS } from '../../src/cli/commands.ts';
import { canonical } from './fixtures/load.ts';

const RUNNER = new URL('./fixtures/run-map-cli.ts', import.meta.url).pathname;
const BIN = new URL('../../bin/billing-bridge.js', import.meta.url).pathname;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], stdin: string, script = RUNNER): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

interface Printed {
  site: string;
  resource: string;
  records: {
    sobject: string;
    externalIdField: string;
    externalId: string;
    fields: Record<string, unknown>;
    references: Record<string, { sobject: string; externalIdField: string; externalId: string }>;
  }[];
}

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

async function adapterExport(provider: 'maxio' | 'chargebee'): Promise<string | null> {
  const names =
    provider === 'maxio'
      ? ['mapMaxioPayload', 'mapPayload', 'toCanonical']
      : ['mapChargebeePayload', 'mapPayload', 'toCanonical'];
  try {
    const mod = (await import(
      new URL(`../../src/providers/${provider}/index.ts`, import.meta.url).href
    )) as Record<string, unknown>;
    return names.find((name) => typeof mod[name] === 'function') ?? null;
  } catch {
    return null;
  }
}

describe('billing-bridge map', () => {
  test('canonical input: prints the Salesforce records with fields and external-id lookups', async () => {
    const input = JSON.stringify(canonical('maxio', 'subscription', '123'));
    const result = await run(
      [
        'map',
        '--provider',
        'maxio',
        '--resource',
        'subscription',
        '--site',
        'acme',
        '--input',
        'canonical',
      ],
      input,
    );
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as Printed;
    assert.equal(printed.site, 'maxio:acme');
    assert.deepEqual(
      printed.records.map((r) => r.sobject),
      [
        'Subscription__c',
        'Subscription_Item__c',
        'Subscription_Coupon__c',
        'Opportunity',
        'Billing_Opportunity_Product__c',
        'Billing_Opportunity_Product__c',
        'Billing_Opportunity_Coupon__c',
      ],
    );
    const sub = printed.records[0] as Printed['records'][number];
    assert.equal(sub.externalIdField, 'External_Id__c');
    assert.equal(sub.externalId, 'maxio:acme:123');
    assert.equal(sub.fields.Balance__c, 12.5);
    assert.deepEqual(sub.references.Account__r, {
      sobject: 'Account',
      externalIdField: 'Billing_External_Id__c',
      externalId: 'maxio:acme:200',
    });
    assert.equal('sourceResource' in sub, false, 'only what Salesforce would get is printed');
  });

  test('--no-opportunities; the site comes from the canonical record unless --site says otherwise', async () => {
    const input = JSON.stringify(canonical('maxio', 'subscription', '123').record);
    const args = ['map', '-p', 'maxio', '-r', 'subscription', '--input', 'canonical'];
    const result = await run([...args, '--no-opportunities'], input);
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as Printed;
    assert.equal(printed.site, 'maxio:acme');
    assert.equal(
      printed.records.some((r) => r.sobject.includes('Opportunity')),
      false,
    );
    assert.equal(printed.records[0]?.references.Site__r?.externalId, 'maxio:acme');
    const other = await run([...args, '--site', 'other'], input);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /belongs to site maxio:acme, not maxio:other/);
  });

  for (const [provider, file, expectedKey, balance] of [
    ['maxio', 'maxio-subscription.raw.json', 'maxio:acme:15236915', 12.5],
    ['chargebee', 'chargebee-subscription.raw.json', 'chargebee:acme:sub_cb_1', 42],
  ] as const) {
    test(`${provider} API payload through the adapter's own mapping`, async () => {
      const exported = await adapterExport(provider);
      const result = await run(
        ['map', '--provider', provider, '--resource', 'subscription', '--site', 'acme'],
        fixture(file),
      );
      if (!exported) {
        // Until the adapter exports its raw → canonical function, the command says so clearly.
        assert.equal(result.code, 1);
        assert.match(result.stderr, /adapter/);
        assert.match(result.stderr, /--input canonical/);
        return;
      }
      assert.equal(result.code, 0, result.stderr);
      const printed = JSON.parse(result.stdout) as Printed;
      const sub = printed.records.find((r) => r.sobject === 'Subscription__c');
      assert.ok(sub, `no Subscription__c in ${result.stdout}`);
      assert.equal(sub.externalId, expectedKey);
      assert.equal(sub.fields.Balance__c, balance);
      assert.equal(sub.fields.Currency_Code__c, 'USD');
    });
  }

  test('stdin that is not JSON: exit 2 with the reason', async () => {
    const result = await run(
      ['map', '-p', 'chargebee', '-r', 'customer', '--input', 'canonical'],
      '{nope',
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /stdin is not JSON/);
  });

  test('empty stdin: exit 2', async () => {
    const result = await run(['map', '-p', 'chargebee', '-r', 'customer'], '');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no payload on stdin/);
  });

  test('a missing --provider or an unknown resource is a usage error', async () => {
    const missing = await run(['map', '-r', 'customer'], '{}');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--provider/);
    const unknown = await run(['map', '-p', 'maxio', '-r', 'widget'], '{}');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /widget/);
  });

  test('a record that cannot be mapped: exit 1 naming the object and field', async () => {
    const note = canonical('chargebee', 'creditNote', 'CN-8');
    const input = JSON.stringify({ ...note, record: { ...note.record, referenceInvoiceId: null } });
    const result = await run(
      ['map', '-p', 'chargebee', '-r', 'creditNote', '-s', 'acme-test', '--input', 'canonical'],
      input,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot map: Credit_Note__c\.Invoice__c/);
  });

  test('registered in the product CLI (bridge/bin/billing-bridge.js map)', async (t) => {
    if (!COMMANDS.some((c) => c.name === 'map')) {
      t.skip('map is not in bridge/src/cli/commands.ts yet (requested from the core helper)');
      return;
    }
    const input = JSON.stringify(canonical('chargebee', 'event', 'ev_16BPgETyVrQbiGhA'));
    const result = await run(
      ['map', '-p', 'chargebee', '-r', 'event', '-s', 'acme-test', '--input', 'canonical'],
      input,
      BIN,
    );
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as Printed;
    assert.equal(printed.records[0]?.sobject, 'Billing_Event__c');
    assert.equal(printed.records[0]?.fields.Name, 'Subscription created');
  });
});
