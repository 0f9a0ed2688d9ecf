/**
 * A product's default price point → PricebookEntry, once in the standard price book (Salesforce
 * requires that entry before any other for the product) and once in the site's price book. With
 * multi-currency off a product has one entry per price book, so only the default price point
 * (`isDefault`) writes entries, keyed by product: a new default updates the same entries.
 * List Price is 0 for tiered, volume and stairstep prices (Chargebee seed); the tiers are on
 * Pricing_Tier__c.
 */
import type { PricePoint } from '../../model/canonical.ts';
import { bool, currencyCode, isoCurrencyPicklist, key, money } from './transforms.ts';
import { STANDARD_PRICEBOOK_KEY, lookup, requiredKey, sitePricebookKey } from './keys.ts';
import type { MappingContext, ObjectMapping } from './types.ts';

export type PriceBookKind = 'standard' | 'site';

export interface EntrySource {
  pricePoint: PricePoint;
  book: PriceBookKind;
}

export function listPriceOf(pricePoint: PricePoint): string {
  return pricePoint.pricingModel === 'flat_fee' || pricePoint.pricingModel === 'per_unit'
    ? pricePoint.price
    : '0';
}

export function pricebookEntryKey(ctx: MappingContext, source: EntrySource): string {
  const base = `${requiredKey(ctx, source.pricePoint.productId)}:pbe:${source.book}`;
  return ctx.options.multiCurrency ? `${base}:${source.pricePoint.currency}` : base;
}

export const pricebookEntry: ObjectMapping<EntrySource> = {
  name: 'pricePoint (default) → PricebookEntry',
  sobject: 'PricebookEntry',
  externalIdField: 'Billing_External_Id__c',
  externalId: (source, ctx) => pricebookEntryKey(ctx, source),
  ordering: ({ pricePoint }) => ({
    updatedAt: pricePoint.updatedAt ?? null,
    resourceVersion: pricePoint.resourceVersion ?? null,
  }),
  fields: [
    { field: 'UnitPrice', from: ({ pricePoint }) => listPriceOf(pricePoint), transform: money },
    {
      field: 'IsActive',
      from: ({ pricePoint }) => (pricePoint.status ?? 'active') === 'active',
      transform: bool,
    },
    { field: 'UseStandardPrice', from: () => false, transform: bool },
    { field: 'Billing_Owned__c', from: () => true, transform: bool },
    {
      field: 'Billing_Price_Point_Id__c',
      from: ({ pricePoint }) => pricePoint.id,
      transform: key(100),
    },
    {
      field: 'Billing_Currency_Code__c',
      from: ({ pricePoint }) => pricePoint.currency,
      transform: currencyCode,
    },
    {
      field: 'CurrencyIsoCode',
      from: ({ pricePoint }) => pricePoint.currency,
      transform: isoCurrencyPicklist,
      when: (options) => options.multiCurrency === true,
    },
  ],
  references: [
    lookup(
      'Pricebook2Id',
      'Pricebook2',
      ({ book }, ctx) => (book === 'standard' ? STANDARD_PRICEBOOK_KEY : sitePricebookKey(ctx)),
      { required: true },
    ),
    lookup(
      'Product2Id',
      'Product2',
      ({ pricePoint }, ctx) => requiredKey(ctx, pricePoint.productId),
      {
        required: true,
      },
    ),
  ],
  insertOnly: ['Pricebook2', 'Product2', 'CurrencyIsoCode'],
};
