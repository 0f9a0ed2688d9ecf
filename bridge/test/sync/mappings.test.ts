/**
 * The mappings on canonical fixtures of both providers: concrete field values, references by
 * external id, parents before children, transforms, options and mapping errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CreditNote, Customer, Invoice, Subscription } from '../../src/model/canonical.ts';
import { MappingError, mapCanonical, mapSite } from '../../src/sync/mappings/index.ts';
import {
  bool,
  dateOnly,
  dateTime,
  decimal,
  email,
  integer,
  key,
  money,
  picklist,
  salesforceId,
  text,
  truncate,
} from '../../src/sync/mappings/transforms.ts';
import type { MappingContext } from '../../src/sync/mappings/types.ts';
import { toUpsertBody } from '../../src/sync/records.ts';
import type { SalesforceRecord } from '../../src/sync/records.ts';
import { canonical, findRecord, loadFixture, mapFixture } from './fixtures/load.ts';

const maxio = mapFixture('maxio');
const chargebee = mapFixture('chargebee');
const maxioSite = loadFixture('maxio').site;
const chargebeeSite = loadFixture('chargebee').site;
const ctx: MappingContext = { site: maxioSite, options: {} };
/** An absent canonical value. */
const nothing: unknown = null;

function refOf(record: SalesforceRecord, relationship: string): string | undefined {
  return record.references[relationship]?.externalId;
}

describe('Maxio fixture', () => {
  test('subscription: money from Decimal strings, external id, lookups by external id', () => {
    const sub = findRecord(maxio, 'Subscription__c', 'maxio:acme:123');
    assert.equal(sub.externalIdField, 'External_Id__c');
    assert.equal(sub.fields.Balance__c, 12.5);
    assert.equal(sub.fields.Current_Billing_Amount__c, 79);
    assert.equal(sub.fields.Total_Revenue__c, 1234.56);
    assert.equal(sub.fields.Product_Price__c, 49);
    assert.equal(sub.fields.Currency_Code__c, 'USD');
    assert.equal(sub.fields.Activated_At__c, '2026-03-01T08:05:00.000Z');
    assert.equal(sub.fields.Billing_Id__c, '123');
    assert.equal(sub.fields.Status__c, 'active');
    assert.equal(sub.fields.Normalized_Status__c, 'active');
    assert.equal(sub.fields.Opportunity__c, '006000000000001AAA');
    assert.equal(sub.fields.Created_From_Salesforce__c, true);
    assert.deepEqual(sub.references.Account__r, {
      sobject: 'Account',
      externalIdField: 'Billing_External_Id__c',
      externalId: 'maxio:acme:200',
    });
    assert.equal(refOf(sub, 'Contact__r'), 'maxio:acme:200');
    assert.equal(refOf(sub, 'Product__r'), 'maxio:acme:3001');
    assert.equal(refOf(sub, 'Price_Point__r'), 'maxio:acme:8001');
    assert.deepEqual(sub.references.Site__r, {
      sobject: 'Billing_Site__c',
      externalIdField: 'Site_Key__c',
      externalId: 'maxio:acme',
    });
    assert.deepEqual(sub.ordering, {
      updatedAt: '2026-11-21T08:00:00.000Z',
      resourceVersion: null,
    });
    assert.equal(sub.sourceResource, 'subscription');
    assert.equal(sub.sourceId, '123');
    // No Salesforce id anywhere but the Opportunity id the billing platform carried back.
    for (const ref of Object.values(sub.references)) assert.doesNotMatch(ref.externalId, /^00/);
  });

  test('customer with a parent: Account hierarchy, Shipping address, all Account seed fields', () => {
    const child = findRecord(maxio, 'Account', 'maxio:acme:200');
    assert.deepEqual(child.references.Parent, {
      sobject: 'Account',
      externalIdField: 'Billing_External_Id__c',
      externalId: 'maxio:acme:100',
    });
    assert.equal(child.fields.Billing_Parent_Customer_Id__c, '100');
    assert.equal(child.fields.Name, 'Acme Europe');
    assert.equal(child.fields.Billing_Customer_Id__c, '200');
    assert.equal(child.fields.Billing_Reference_Id__c, 'acme-eu');
    assert.equal(child.fields.Billing_Tax_Exempt__c, true);
    assert.equal(child.fields.Billing_VAT_Number__c, 'GB123456789');
    assert.equal(child.fields.Billing_Created_At__c, '2026-03-01T08:00:00.000Z');
    assert.equal(child.fields.Billing_Updated_At__c, '2026-11-20T08:00:00.000Z');
    assert.equal(child.fields.ShippingStreet, '10 Downing Lane');
    assert.equal(child.fields.ShippingCity, 'London');
    assert.equal(child.fields.ShippingPostalCode, 'SW1A 2AA');
    assert.equal(child.fields.ShippingCountry, 'GB');
    const parent = findRecord(maxio, 'Account', 'maxio:acme:100');
    assert.equal(parent.fields.ShippingStreet, '1 Main St, Suite 5');
    assert.equal(parent.fields.Billing_CC_Emails__c, 'billing@acme.example, cfo@acme.example');
    assert.equal(parent.fields.ParentId, null, 'a top-level customer clears ParentId');
    assert.equal(parent.references.Parent, undefined);
  });

  test('customer → Contact (primary, synced) and the Account billing-contact back-link last', () => {
    const records = mapCanonical(canonical('maxio', 'customer', '200'), { site: maxioSite });
    assert.deepEqual(
      records.map((r) => [r.sobject, r.externalId, r.link ?? false]),
      [
        ['Account', 'maxio:acme:200', false],
        ['Contact', 'maxio:acme:200', false],
        ['Account', 'maxio:acme:200', true],
      ],
    );
    const contact = records[1] as SalesforceRecord;
    assert.equal(contact.fields.FirstName, 'Charles');
    assert.equal(contact.fields.LastName, 'Babbage');
    assert.equal(contact.fields.Email, 'charles@acme-eu.example');
    assert.equal(contact.fields.Billing_Sync_Contact__c, true);
    assert.equal(refOf(contact, 'Account'), 'maxio:acme:200');
    const link = records[2] as SalesforceRecord;
    assert.deepEqual(link.fields, {});
    assert.equal(refOf(link, 'Billing_Contact__r'), 'maxio:acme:200');
  });

  test('product → Product2, billing-owned, accounting code as Product Code, family name', () => {
    const product = findRecord(maxio, 'Product2', 'maxio:acme:3001');
    assert.equal(product.fields.Name, 'Pro Plan');
    assert.equal(product.fields.ProductCode, 'PRO-001');
    assert.equal(product.fields.Billing_Owned__c, true);
    assert.equal(product.fields.IsActive, true);
    assert.equal(product.fields.Billing_API_Handle__c, 'pro-plan');
    assert.equal(product.fields.Billing_Product_Family__c, 'Cloud Plans');
    assert.equal(product.fields.Billing_Currency_Code__c, 'USD');
    assert.equal(product.fields.Billing_Item_Type__c, 'product');
    assert.equal(refOf(product, 'Billing_Site__r'), 'maxio:acme');
    const component = findRecord(maxio, 'Product2', 'maxio:acme:component:77');
    assert.equal(component.fields.IsActive, false, 'archived component is inactive');
    assert.equal(component.fields.Billing_Component_Kind__c, 'quantity_based_component');
  });

  test('product family lands on no object of its own', () => {
    assert.deepEqual(
      mapCanonical(canonical('maxio', 'productFamily', '501'), { site: maxioSite }),
      [],
    );
  });

  test('default price point: Item Price, then the standard price book entry before the site one', () => {
    const records = mapCanonical(canonical('maxio', 'pricePoint', '8001'), { site: maxioSite });
    assert.deepEqual(
      records.map((r) => `${r.sobject}:${r.externalId}`),
      [
        'Item_Price__c:maxio:acme:8001',
        'PricebookEntry:maxio:acme:3001:pbe:standard',
        'PricebookEntry:maxio:acme:3001:pbe:site',
      ],
    );
    const [price, standard, site] = records as [
      SalesforceRecord,
      SalesforceRecord,
      SalesforceRecord,
    ];
    assert.equal(price.fields.Price__c, 49);
    assert.equal(price.fields.Setup_Fee__c, 10);
    assert.equal(price.fields.Trial_Period__c, 14);
    assert.equal(price.fields.Trial_Period_Unit__c, 'day');
    assert.equal(refOf(price, 'Product__r'), 'maxio:acme:3001');
    assert.equal(refOf(price, 'Price_Book__r'), 'maxio:acme');
    assert.deepEqual(standard.references.Pricebook2, {
      sobject: 'Pricebook2',
      externalIdField: 'Billing_External_Id__c',
      externalId: 'standard',
    });
    assert.equal(refOf(site, 'Pricebook2'), 'maxio:acme');
    for (const entry of [standard, site]) {
      assert.equal(entry.fields.UnitPrice, 49);
      assert.equal(entry.fields.IsActive, true);
      assert.equal(entry.fields.Billing_Owned__c, true);
      assert.equal(entry.fields.Billing_Currency_Code__c, 'USD');
      assert.equal(refOf(entry, 'Product2'), 'maxio:acme:3001');
      assert.deepEqual(entry.insertOnly, ['Pricebook2', 'Product2', 'CurrencyIsoCode']);
    }
  });

  test('tiered price point: tiers as Pricing Tier children, list price 0', () => {
    const records = mapCanonical(canonical('maxio', 'pricePoint', '9001'), { site: maxioSite });
    const tiers = records.filter((r) => r.sobject === 'Pricing_Tier__c');
    assert.deepEqual(
      tiers.map((t) => [
        t.externalId,
        t.fields.Starting_Unit__c,
        t.fields.Ending_Unit__c,
        t.fields.Price__c,
      ]),
      [
        ['maxio:acme:9001:tier:1', 1, 10, 10],
        ['maxio:acme:9001:tier:2', 11, null, 8.5],
      ],
    );
    assert.equal(refOf(tiers[0] as SalesforceRecord, 'Item_Price__r'), 'maxio:acme:9001');
    const entry = records.find((r) => r.sobject === 'PricebookEntry') as SalesforceRecord;
    assert.equal(entry.fields.UnitPrice, 0);
  });

  test('invoice then its lines, line totals net of discount plus tax', () => {
    const records = mapCanonical(canonical('maxio', 'invoice', 'inv_abc123'), { site: maxioSite });
    assert.deepEqual(
      records.map((r) => r.sobject),
      ['Billing_Invoice__c', 'Billing_Invoice_Line__c', 'Billing_Invoice_Line__c'],
    );
    const invoice = records[0] as SalesforceRecord;
    assert.equal(invoice.fields.Invoice_Number__c, '1001');
    assert.equal(invoice.fields.Status__c, 'paid');
    assert.equal(invoice.fields.Role__c, 'renewal');
    assert.equal(invoice.fields.Collection_Method__c, 'automatic');
    assert.equal(invoice.fields.Issue_Date__c, '2026-11-01');
    assert.equal(invoice.fields.Paid_Date__c, '2026-11-02');
    assert.equal(invoice.fields.Discount_Amount__c, 7.9);
    assert.equal(invoice.fields.Total_Amount__c, 76.79);
    assert.equal(invoice.fields.Due_Amount__c, 0);
    assert.equal(refOf(invoice, 'Account__r'), 'maxio:acme:200');
    assert.equal(refOf(invoice, 'Subscription__r'), 'maxio:acme:123');
    const line = records[2] as SalesforceRecord;
    assert.equal(line.externalId, 'maxio:acme:inv_abc123:li_2');
    assert.equal(line.fields.Total_Amount__c, 29.16);
    assert.equal(refOf(line, 'Invoice__r'), 'maxio:acme:inv_abc123');
    assert.equal(
      refOf(line, 'Product__r'),
      'maxio:acme:component:77',
      'component line → its product',
    );
    assert.deepEqual(line.insertOnly, ['Invoice__r']);
  });

  test('transactions: memo as name, readable name without memo, product and component lookups', () => {
    const payment = findRecord(maxio, 'Billing_Transaction__c', 'maxio:acme:5001');
    assert.equal(payment.fields.Name, 'Payment: Visa ending 1111');
    assert.equal(payment.fields.Type__c, 'payment');
    assert.equal(payment.fields.Amount__c, 76.79);
    assert.equal(payment.fields.Gateway_Used__c, 'stripe');
    assert.equal(payment.fields.Component__c, null);
    const charge = findRecord(maxio, 'Billing_Transaction__c', 'maxio:acme:5002');
    assert.equal(charge.fields.Name, 'Charge (quantity based component)');
    assert.equal(charge.fields.Kind__c, 'quantity_based_component');
    assert.equal(refOf(charge, 'Component__r'), 'maxio:acme:component:77');
    assert.equal(refOf(charge, 'Invoice__r'), 'maxio:acme:inv_abc123');
  });

  test('event → Billing Event linked to Account, Contact, Subscription and Invoice', () => {
    const event = findRecord(maxio, 'Billing_Event__c', 'maxio:acme:9999');
    assert.equal(event.fields.Name, 'Signup success');
    assert.equal(event.fields.Key__c, 'signup_success');
    assert.equal(event.fields.Message__c, 'Signup succeeded for Acme Europe');
    assert.equal(event.fields.Occurred_At__c, '2026-03-01T08:05:00.000Z');
    assert.equal(refOf(event, 'Account__r'), 'maxio:acme:200');
    assert.equal(refOf(event, 'Contact__r'), 'maxio:acme:200');
    assert.equal(refOf(event, 'Subscription__r'), 'maxio:acme:123');
    assert.equal(refOf(event, 'Invoice__r'), 'maxio:acme:inv_abc123');
  });

  test('site → Billing Site, its price book, then the price book back-link', () => {
    const records = mapSite(maxioSite);
    assert.deepEqual(
      records.map((r) => [r.sobject, r.externalIdField, r.externalId, r.link ?? false]),
      [
        ['Billing_Site__c', 'Site_Key__c', 'maxio:acme', false],
        ['Pricebook2', 'Billing_External_Id__c', 'maxio:acme', false],
        ['Billing_Site__c', 'Site_Key__c', 'maxio:acme', true],
      ],
    );
    const site = records[0] as SalesforceRecord;
    assert.equal(site.fields.Provider__c, 'Maxio');
    assert.equal(site.fields.Region__c, 'US');
    assert.equal(site.fields.Domain__c, 'acme.chargify.com');
    assert.equal(site.fields.Default_Currency__c, 'USD');
    assert.equal(site.sourceResource, 'site');
    const eu = mapSite({ ...maxioSite, key: 'maxio:acme-eu', name: 'acme-eu', region: 'eu' });
    assert.equal(eu[0]?.fields.Domain__c, 'acme-eu.ebilling.maxio.com');
    assert.equal(eu[0]?.fields.Region__c, 'EU');
  });
});

describe('Chargebee fixture', () => {
  test('customer: billing address joined with commas, Chargebee fields, business entity first', () => {
    const records = mapCanonical(canonical('chargebee', 'customer', 'AzZlGJT7Yq'), {
      site: chargebeeSite,
    });
    assert.deepEqual(
      records.map((r) => `${r.sobject}:${r.externalId}${r.link ? ' (link)' : ''}`),
      [
        'Business_Entity__c:chargebee:acme-test:acme-us',
        'Account:chargebee:acme-test:AzZlGJT7Yq',
        'Contact:chargebee:acme-test:AzZlGJT7Yq',
        'Contact:chargebee:acme-test:AzZlGJT7Yq:contact:ct_1',
        'Account:chargebee:acme-test:AzZlGJT7Yq (link)',
      ],
    );
    const account = records[1] as SalesforceRecord;
    assert.equal(account.fields.Name, 'Navy Labs');
    assert.equal(account.fields.BillingStreet, '100 Harbor Rd, Building 4, Floor 2');
    assert.equal(account.fields.BillingCity, 'Arlington');
    assert.equal(account.fields.BillingPostalCode, '22201');
    assert.equal(account.fields.Billing_Auto_Collection__c, 'on');
    assert.equal(account.fields.Billing_Net_Term_Days__c, 30);
    assert.equal(account.fields.Billing_Taxability__c, 'taxable');
    assert.equal(account.fields.Billing_Locale__c, 'en-US');
    assert.equal(account.fields.Billing_Payment_Method_Type__c, 'card');
    assert.equal(account.fields.Billing_Payment_Method_Status__c, 'valid');
    assert.equal(account.fields.Billing_First_Name__c, 'Grace');
    assert.equal(account.fields.Billing_Email__c, 'grace@navylabs.example');
    assert.equal(account.fields.Billing_Resource_Version__c, 1761991200000);
    assert.equal(account.fields.Billing_Is_Synced__c, true);
    assert.equal(refOf(account, 'Billing_Business_Entity__r'), 'chargebee:acme-test:acme-us');
    assert.deepEqual(account.ordering, {
      updatedAt: '2026-11-01T10:00:00.000Z',
      resourceVersion: 1761991200000,
    });
    const extra = records[3] as SalesforceRecord;
    assert.equal(extra.fields.LastName, 'Turing');
    assert.equal(extra.fields.Title, 'Finance');
    assert.equal(extra.fields.Billing_Sync_Contact__c, false);
  });

  test('cf_ custom fields in raw are not mapped (no field comes from raw)', () => {
    const record = canonical('chargebee', 'customer', 'AzZlGJT7Yq');
    const withRaw = mapCanonical(record, { site: chargebeeSite });
    const withoutRaw = mapCanonical(
      { resource: 'customer', record: { ...(record.record as Customer), raw: undefined } },
      { site: chargebeeSite },
    );
    assert.deepEqual(withRaw, withoutRaw);
    const text = JSON.stringify(withRaw);
    assert.doesNotMatch(text, /cf_|Defense|gold/);
  });

  test('item id as Product Code', () => {
    const plan = findRecord(chargebee, 'Product2', 'chargebee:acme-test:pro-plan');
    assert.equal(plan.fields.ProductCode, 'pro-plan');
    assert.equal(plan.fields.Billing_Item_Type__c, 'plan');
    assert.equal(plan.fields.Billing_Resource_Version__c, 1759311000123);
  });

  test('only the default item price writes price book entries', () => {
    const eur = mapCanonical(canonical('chargebee', 'pricePoint', 'pro-plan-EUR-yearly'), {
      site: chargebeeSite,
    });
    assert.deepEqual(
      eur.map((r) => r.sobject),
      ['Item_Price__c'],
    );
    const usd = findRecord(chargebee, 'Item_Price__c', 'chargebee:acme-test:pro-plan-USD-monthly');
    assert.equal(usd.fields.Free_Quantity__c, 2);
    assert.equal(usd.fields.Billing_Cycles__c, 12);
    assert.equal(usd.fields.Pricing_Model__c, 'per_unit');
    assert.equal(usd.fields.Resource_Version__c, 1759311000456);
  });

  test('coupon: item constraints split by item type', () => {
    const coupon = findRecord(chargebee, 'Billing_Coupon__c', 'chargebee:acme-test:WELCOME20');
    assert.equal(coupon.fields.Discount_Amount__c, 20);
    assert.equal(coupon.fields.Discount_Type__c, 'fixed_amount');
    assert.equal(coupon.fields.Duration_Months__c, 3);
    assert.equal(coupon.fields.Plan_Constraint__c, 'specific');
    assert.equal(coupon.fields.Plan_Ids__c, 'pro-plan-USD-monthly\npro-plan-EUR-yearly');
    assert.equal(coupon.fields.Addon_Ids__c, 'extra-storage-USD-monthly');
    assert.equal(coupon.fields.Charge_Constraint__c, 'specific');
    assert.equal(coupon.fields.Charge_Ids__c, 'setup-charge-USD');
    assert.equal(coupon.fields.Valid_Till__c, '2027-01-01T00:00:00.000Z');
    const spring = findRecord(chargebee, 'Billing_Coupon__c', 'chargebee:acme-test:SPRING15');
    assert.equal(spring.fields.Discount_Percentage__c, 15.5);
  });

  test('subscription with items and coupons: parent first, then children, then the Opportunity', () => {
    const records = mapCanonical(canonical('chargebee', 'subscription', 'sub_cb_1'), {
      site: chargebeeSite,
    });
    assert.deepEqual(
      records.map((r) => r.sobject),
      [
        'Business_Entity__c',
        'Subscription__c',
        'Subscription_Item__c',
        'Subscription_Item__c',
        'Subscription_Item__c',
        'Subscription_Coupon__c',
        'Opportunity',
        'Billing_Opportunity_Product__c',
        'Billing_Opportunity_Product__c',
        'Billing_Opportunity_Product__c',
        'Billing_Opportunity_Coupon__c',
      ],
    );
    const sub = records[1] as SalesforceRecord;
    assert.equal(sub.fields.Balance__c, 42, 'Chargebee total_dues → Balance');
    assert.equal(sub.fields.MRR__c, 185.2);
    assert.equal(sub.fields.Plan_Quantity__c, 5);
    assert.equal(sub.fields.Plan_Unit_Price__c, 25);
    assert.equal(sub.fields.Plan_Amount__c, 125);
    assert.equal(sub.fields.Status__c, 'in_trial');
    assert.equal(sub.fields.Action_At_Term_End__c, 'renew');
    assert.equal(sub.fields.Contract_Term_Id__c, 'ct_Azq8');
    assert.equal(sub.fields.Shipping_Line3__c, 'Gate B');
    assert.equal(sub.fields.Shipping_Email__c, 'shipping@navylabs.example');
    assert.equal(sub.fields.Resource_Version__c, 1763683200000);
    const addon = records[3] as SalesforceRecord;
    assert.equal(addon.externalId, 'chargebee:acme-test:sub_cb_1:item:extra-storage-USD-monthly');
    assert.equal(addon.fields.Quantity__c, 150.5);
    assert.equal(addon.fields.Amount__c, 60.2);
    assert.equal(addon.fields.Item_Type__c, 'addon');
    assert.equal(refOf(addon, 'Subscription__r'), 'chargebee:acme-test:sub_cb_1');
    const charge = records[4] as SalesforceRecord;
    assert.equal(charge.fields.Charge_Once__c, true);
    assert.equal(charge.fields.Charge_On_Event__c, 'subscription_activation');
    const coupon = records[5] as SalesforceRecord;
    assert.equal(refOf(coupon, 'Coupon__r'), 'chargebee:acme-test:WELCOME20');
    assert.equal(coupon.fields.Applied_Count__c, 1);
    const opportunity = records[6] as SalesforceRecord;
    assert.equal(opportunity.externalIdField, 'Id');
    assert.equal(opportunity.externalId, '0065g00000AbCdEAAV');
    assert.equal(opportunity.fields.CloseDate, '2026-11-01');
    assert.equal(opportunity.fields.Billing_Subscription_Id__c, 'sub_cb_1');
    assert.equal(refOf(opportunity, 'Billing_Subscription__r'), 'chargebee:acme-test:sub_cb_1');
    assert.equal(records[7]?.fields.Opportunity__c, '0065g00000AbCdEAAV');
  });

  test('cancelled subscription keeps cancel reason and code; no Opportunity without an id', () => {
    const records = mapCanonical(canonical('chargebee', 'subscription', 'sub_cb_2'), {
      site: chargebeeSite,
    });
    assert.deepEqual(
      records.map((r) => r.sobject),
      ['Subscription__c'],
    );
    const sub = records[0] as SalesforceRecord;
    assert.equal(sub.fields.Cancel_Reason__c, 'not_paid');
    assert.equal(sub.fields.Cancel_Reason_Code__c, 'Budget cut');
    assert.equal(sub.fields.Balance__c, 0);
    assert.equal(
      'Opportunity__c' in sub.fields,
      false,
      'an Opportunity link made in the org is kept',
    );
  });

  test('invoice: long line description cut to the Name length with a marker, kept in full below 255', () => {
    const line = findRecord(
      chargebee,
      'Billing_Invoice_Line__c',
      'chargebee:acme-test:INV-1024:li_16BjhFSB3',
    );
    const name = line.fields.Name as string;
    assert.equal(Array.from(name).length, 80);
    assert.ok(name.endsWith('…'));
    assert.match(line.fields.Description__c as string, /whole quantity$/);
    assert.equal(line.fields.Total_Amount__c, 66.22);
    const invoice = findRecord(chargebee, 'Billing_Invoice__c', 'chargebee:acme-test:INV-1024');
    assert.equal(invoice.fields.Price_Type__c, 'tax_exclusive');
    assert.equal(invoice.fields.Recurring__c, true);
    assert.equal(invoice.fields.Next_Retry_At__c, '2026-12-03T00:00:00.000Z');
    assert.equal(invoice.fields.Payment_Owner__c, 'AzZlGJT7Yq');
    const paid = findRecord(chargebee, 'Billing_Invoice__c', 'chargebee:acme-test:INV-1000');
    assert.equal(paid.fields.Paid_Date__c, '2026-09-16', 'paid_at timestamp → its date');
    const inclusive = findRecord(
      chargebee,
      'Billing_Invoice_Line__c',
      'chargebee:acme-test:INV-1000:li_9',
    );
    assert.equal(inclusive.fields.Tax_Exempt_Reason__c, 'export');
  });

  test('credit note under its invoice, then allocations', () => {
    const records = mapCanonical(canonical('chargebee', 'creditNote', 'CN-7'), {
      site: chargebeeSite,
    });
    assert.deepEqual(
      records.map((r) => r.externalId),
      [
        'chargebee:acme-test:acme-us',
        'chargebee:acme-test:CN-7',
        'chargebee:acme-test:CN-7:allocation:INV-1000',
      ],
    );
    const [entity, note, allocation] = records as [
      SalesforceRecord,
      SalesforceRecord,
      SalesforceRecord,
    ];
    assert.equal(entity.sobject, 'Business_Entity__c');
    assert.equal(refOf(note, 'Business_Entity__r'), 'chargebee:acme-test:acme-us');
    assert.equal(refOf(note, 'Invoice__r'), 'chargebee:acme-test:INV-1000');
    assert.equal(note.fields.Amount_Allocated__c, 30);
    assert.equal(note.fields.Amount_Refunded__c, 20);
    assert.equal(note.fields.Reason_Code__c, 'product_unsatisfactory');
    assert.equal(note.fields.Issue_Date__c, '2026-10-20');
    assert.equal(allocation.fields.Allocated_Amount__c, 30);
    assert.equal(allocation.fields.Invoice_Date__c, '2026-09-15');
    assert.equal(refOf(allocation, 'Credit_Note__r'), 'chargebee:acme-test:CN-7');
    assert.equal(refOf(allocation, 'Invoice__r'), 'chargebee:acme-test:INV-1000');
  });

  test('a credit note without its invoice cannot be stored (master-detail): MappingError', () => {
    const note = canonical('chargebee', 'creditNote', 'CN-8').record as CreditNote;
    assert.throws(
      () =>
        mapCanonical(
          { resource: 'creditNote', record: { ...note, referenceInvoiceId: null } },
          { site: chargebeeSite },
        ),
      (error: unknown) =>
        error instanceof MappingError &&
        error.sobject === 'Credit_Note__c' &&
        error.field === 'Invoice__c',
    );
  });

  test('site: Chargebee provider, test site flag, no region', () => {
    const site = mapSite(chargebeeSite)[0] as SalesforceRecord;
    assert.equal(site.fields.Provider__c, 'Chargebee');
    assert.equal(site.fields.Is_Test_Site__c, true);
    assert.equal(site.fields.Region__c, null);
    assert.equal(site.fields.Domain__c, 'acme-test.chargebee.com');
  });
});

describe('both fixtures', () => {
  for (const [name, records] of [
    ['maxio', maxio],
    ['chargebee', chargebee],
  ] as const) {
    test(`${name}: every reference to a record of the same batch points backwards (parents first)`, () => {
      const firstIndex = new Map<string, number>();
      records.forEach((record, index) => {
        const id = `${record.sobject}|${record.externalId}`;
        if (!firstIndex.has(id)) firstIndex.set(id, index);
      });
      records.forEach((record, index) => {
        for (const ref of Object.values(record.references)) {
          const target = firstIndex.get(`${ref.sobject}|${ref.externalId}`);
          if (target !== undefined) {
            assert.ok(
              target < index || (target === index && record.link),
              `${record.sobject} ${record.externalId} references ${ref.sobject} ${ref.externalId} written later`,
            );
          }
        }
      });
    });

    test(`${name}: every record has an external id, a site, and only JSON scalar field values`, () => {
      for (const record of records) {
        assert.ok(record.externalId, `${record.sobject} without external id`);
        for (const [field, value] of Object.entries(record.fields)) {
          assert.ok(
            value === null || ['string', 'number', 'boolean'].includes(typeof value),
            `${record.sobject}.${field} = ${String(value)}`,
          );
          if (typeof value === 'number') assert.ok(Number.isFinite(value));
        }
        if (
          record.sobject !== 'Billing_Site__c' &&
          !record.link &&
          record.sobject !== 'PricebookEntry'
        ) {
          const site = Object.values(record.references).find(
            (r) => r.sobject === 'Billing_Site__c',
          );
          assert.ok(site, `${record.sobject} ${record.externalId} has no site`);
        }
      }
    });

    test(`${name}: external ids follow <site key>:<id>`, () => {
      const siteKey = name === 'maxio' ? 'maxio:acme' : 'chargebee:acme-test';
      for (const record of records) {
        if (record.sobject === 'Opportunity') continue;
        if (record.externalId === 'standard') continue;
        assert.ok(record.externalId.startsWith(siteKey), record.externalId);
      }
    });
  }
});

describe('options', () => {
  test('priceBookEntries: false writes no price book entries', () => {
    const records = mapFixture('maxio', { priceBookEntries: false });
    assert.equal(records.filter((r) => r.sobject === 'PricebookEntry').length, 0);
  });

  test('opportunities: false leaves the Opportunity alone', () => {
    const records = mapFixture('chargebee', { opportunities: false });
    assert.equal(records.filter((r) => r.sobject.includes('Opportunity')).length, 0);
  });

  test('multiCurrency: CurrencyIsoCode set and entries keyed by currency', () => {
    const records = mapCanonical(canonical('maxio', 'pricePoint', '8001'), {
      site: maxioSite,
      options: { multiCurrency: true },
    });
    const entry = records.find((r) => r.sobject === 'PricebookEntry') as SalesforceRecord;
    assert.equal(entry.externalId, 'maxio:acme:3001:pbe:standard:USD');
    assert.equal(entry.fields.CurrencyIsoCode, 'USD');
  });

  test('a custom truncation marker', () => {
    assert.equal(
      text(5).apply('abcdefgh', { site: maxioSite, options: { truncationMarker: '...' } }),
      'ab...',
    );
  });
});

describe('transforms', () => {
  test('money: exact decimal → number at 2 dp, half up', () => {
    assert.equal(money.apply('12.50', ctx), 12.5);
    assert.equal(money.apply('0.125', ctx), 0.13);
    assert.equal(money.apply('-5.005', ctx), -5.01);
    assert.equal(money.apply('123456789012.34', ctx), 123456789012.34);
    assert.equal(money.apply(nothing, ctx), null);
    assert.throws(() => money.apply('12,50', ctx), MappingError);
  });

  test('decimal, integer', () => {
    assert.equal(decimal(4).apply('150.12345', ctx), 150.1235);
    assert.equal(integer.apply('30', ctx), 30);
    assert.equal(integer.apply(1763683200000, ctx), 1763683200000);
    assert.throws(() => integer.apply('many', ctx), MappingError);
  });

  test('dates and timestamps', () => {
    assert.equal(dateTime.apply('2026-11-22T14:00:00Z', ctx), '2026-11-22T14:00:00.000Z');
    assert.equal(dateTime.apply(1763820000, ctx), '2025-11-22T14:00:00.000Z');
    assert.equal(dateOnly.apply('2026-11-22', ctx), '2026-11-22');
    assert.equal(dateOnly.apply('2026-11-22T23:30:00-02:00', ctx), '2026-11-23', 'UTC date');
    assert.throws(() => dateTime.apply('yesterday', ctx), MappingError);
  });

  test('text cut with a marker, keys never cut', () => {
    assert.equal(truncate('abcdef', 4), 'abc…');
    assert.equal(truncate('abc', 4), 'abc');
    assert.equal(text(3).apply('€€€€', ctx), '€€…');
    assert.equal(text(10).apply('', ctx), null);
    assert.equal(key(3).apply('abc', ctx), 'abc');
    assert.throws(() => key(3).apply('abcd', ctx), MappingError);
  });

  test('picklists: mapped to API values, unknown values dropped', () => {
    const provider = picklist(['Maxio', 'Chargebee'], { maxio: 'Maxio', chargebee: 'Chargebee' });
    assert.equal(provider.apply('maxio', ctx), 'Maxio');
    assert.equal(provider.apply('stripe', ctx), null);
  });

  test('booleans, e-mails and Salesforce ids', () => {
    assert.equal(bool.apply(nothing, ctx), false);
    assert.equal(bool.apply('true', ctx), true);
    assert.throws(() => bool.apply('maybe', ctx), MappingError);
    assert.equal(email.apply(' a@b.example ', ctx), 'a@b.example');
    assert.equal(email.apply('not-an-email', ctx), null);
    assert.equal(salesforceId.apply('0065g00000AbCdE', ctx), '0065g00000AbCdE');
    assert.equal(salesforceId.apply('opp-42', ctx), null);
  });

  test('a transform error names the object and field', () => {
    const sub = canonical('maxio', 'subscription', '123').record as Subscription;
    assert.throws(
      () =>
        mapCanonical(
          { resource: 'subscription', record: { ...sub, balance: 'lots' } },
          { site: maxioSite },
        ),
      (error: unknown) =>
        error instanceof MappingError && /Subscription__c\.Balance__c/.test(error.message),
    );
  });
});

describe('toUpsertBody', () => {
  test('fields, relationship references by external id, the key, and the type', () => {
    const line = findRecord(maxio, 'Billing_Invoice_Line__c', 'maxio:acme:inv_abc123:li_1');
    const body = toUpsertBody(line);
    assert.deepEqual(body.attributes, { type: 'Billing_Invoice_Line__c' });
    assert.equal(body.External_Id__c, 'maxio:acme:inv_abc123:li_1');
    assert.equal(body.Amount__c, 49);
    assert.deepEqual(body.Invoice__r, {
      attributes: { type: 'Billing_Invoice__c' },
      External_Id__c: 'maxio:acme:inv_abc123',
    });
    assert.deepEqual(body.Site__r, {
      attributes: { type: 'Billing_Site__c' },
      Site_Key__c: 'maxio:acme',
    });
  });

  test('forUpdate leaves out insert-only fields and references', () => {
    const entry = findRecord(maxio, 'PricebookEntry', 'maxio:acme:3001:pbe:site');
    const create = toUpsertBody(entry);
    assert.ok('Pricebook2' in create && 'Product2' in create);
    const update = toUpsertBody(entry, { forUpdate: true });
    assert.equal('Pricebook2' in update, false);
    assert.equal('Product2' in update, false);
    assert.equal(update.UnitPrice, 49);
  });

  test('the Account hierarchy reference', () => {
    const body = toUpsertBody(findRecord(maxio, 'Account', 'maxio:acme:200'));
    assert.deepEqual(body.Parent, {
      attributes: { type: 'Account' },
      Billing_External_Id__c: 'maxio:acme:100',
    });
  });
});

describe('edge cases', () => {
  test('a record of another site is refused (its keys would not match the lookups)', () => {
    assert.throws(
      () => mapCanonical(canonical('maxio', 'customer', '100'), { site: chargebeeSite }),
      /belongs to site maxio:acme, not chargebee:acme-test/,
    );
  });

  test('a customer with no person gets a Contact named after the company', () => {
    const records = mapCanonical(
      {
        resource: 'customer',
        record: {
          id: 'c9',
          siteKey: 'chargebee:acme-test',
          externalId: 'chargebee:acme-test:c9',
          company: 'Nameless Inc',
        },
      },
      { site: chargebeeSite },
    );
    const contact = records.find((r) => r.sobject === 'Contact') as SalesforceRecord;
    assert.equal(contact.fields.LastName, 'Nameless Inc');
    assert.equal(contact.fields.FirstName, null);
    const account = records.find((r) => r.sobject === 'Account') as SalesforceRecord;
    assert.equal(account.fields.Name, 'Nameless Inc');
  });

  test('an invoice line without a provider total and tax-inclusive prices', () => {
    const invoice = canonical('chargebee', 'invoice', 'INV-1000').record as Invoice;
    const records = mapCanonical(
      {
        resource: 'invoice',
        record: {
          ...invoice,
          lines: [
            { ...(invoice.lines[0] as Invoice['lines'][number]), discount: '5.00', tax: '4.09' },
          ],
        },
      },
      { site: chargebeeSite },
    );
    const line = records.find((r) => r.sobject === 'Billing_Invoice_Line__c');
    assert.equal(line?.fields.Total_Amount__c, 45, 'tax-inclusive: amount − discount');
  });
});
