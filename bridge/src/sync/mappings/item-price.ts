/**
 * price point (Maxio product/component price point, Chargebee item price) → Item_Price__c (the
 * Chargebee seed's "CB Item Price"), with its tiers → Pricing_Tier__c (master-detail).
 */
import { PRICING_MODELS, type PricePoint, type PricingTier } from '../../model/canonical.ts';
import {
  bool,
  currencyCode,
  dateTime,
  decimal,
  integer,
  key,
  money,
  picklist,
  text,
} from './transforms.ts';
import { keyOf, lookup, orderingOf, sitePricebookKey } from './keys.ts';
import type { ObjectMapping } from './types.ts';

export { PRICING_MODELS };

export const itemPrice: ObjectMapping<PricePoint> = {
  name: 'pricePoint → Item_Price__c',
  sobject: 'Item_Price__c',
  externalIdField: 'External_Id__c',
  externalId: (pp) => pp.externalId,
  ordering: orderingOf,
  fields: [
    { field: 'Name', from: (pp) => pp.name, transform: text(80) },
    { field: 'Billing_Id__c', from: (pp) => pp.id, transform: key(100) },
    { field: 'Handle__c', from: (pp) => pp.handle, transform: text(255) },
    { field: 'Currency_Code__c', from: (pp) => pp.currency, transform: currencyCode },
    {
      field: 'Pricing_Model__c',
      from: (pp) => pp.pricingModel,
      transform: picklist(PRICING_MODELS),
    },
    { field: 'Price__c', from: (pp) => pp.price, transform: money },
    { field: 'Setup_Fee__c', from: (pp) => pp.setupFee, transform: money },
    { field: 'Period__c', from: (pp) => pp.period, transform: integer },
    {
      field: 'Period_Unit__c',
      from: (pp) => pp.periodUnit,
      transform: picklist(['day', 'week', 'month', 'year']),
    },
    { field: 'Trial_Period__c', from: (pp) => pp.trialPeriod, transform: integer },
    {
      field: 'Trial_Period_Unit__c',
      from: (pp) => pp.trialPeriodUnit,
      transform: picklist(['day', 'month']),
    },
    { field: 'Billing_Cycles__c', from: (pp) => pp.billingCycles, transform: integer },
    { field: 'Free_Quantity__c', from: (pp) => pp.freeQuantity, transform: integer },
    {
      field: 'Status__c',
      from: (pp) => pp.status,
      transform: picklist(['active', 'archived', 'deleted']),
    },
    { field: 'Is_Default__c', from: (pp) => pp.isDefault, transform: bool },
    { field: 'Billing_Updated_At__c', from: (pp) => pp.updatedAt, transform: dateTime },
    { field: 'Resource_Version__c', from: (pp) => pp.resourceVersion, transform: integer },
  ],
  references: [
    lookup('Product__c', 'Product2', (pp, ctx) => keyOf(ctx, pp.productId)),
    lookup('Price_Book__c', 'Pricebook2', (_pp, ctx) => sitePricebookKey(ctx)),
    lookup('Site__c', 'Billing_Site__c', (_pp, ctx) => ctx.site.key),
  ],
};

export interface TierSource {
  pricePoint: PricePoint;
  tier: PricingTier;
  index: number;
}

/** A tier's price is per unit, except stairstep prices (one price for the whole step). */
function tierPricingType(model: PricePoint['pricingModel']): string {
  return model === 'stairstep' ? 'flat_fee' : 'per_unit';
}

export const pricingTier: ObjectMapping<TierSource> = {
  name: 'pricePoint.tiers[] → Pricing_Tier__c',
  sobject: 'Pricing_Tier__c',
  externalIdField: 'External_Id__c',
  externalId: ({ pricePoint, index }) => `${pricePoint.externalId}:tier:${index + 1}`,
  fields: [
    { field: 'Tier_Index__c', from: ({ index }) => index + 1, transform: integer },
    { field: 'Starting_Unit__c', from: ({ tier }) => tier.startingUnit, transform: decimal(4) },
    { field: 'Ending_Unit__c', from: ({ tier }) => tier.endingUnit, transform: decimal(4) },
    { field: 'Price__c', from: ({ tier }) => tier.price, transform: money },
    {
      field: 'Pricing_Type__c',
      from: ({ pricePoint }) => tierPricingType(pricePoint.pricingModel),
      transform: picklist(['per_unit', 'flat_fee', 'package']),
    },
    {
      field: 'Currency_Code__c',
      from: ({ pricePoint }) => pricePoint.currency,
      transform: currencyCode,
    },
  ],
  references: [
    lookup('Item_Price__c', 'Item_Price__c', ({ pricePoint }) => pricePoint.externalId, {
      required: true,
    }),
    lookup('Site__c', 'Billing_Site__c', (_s, ctx) => ctx.site.key),
  ],
  insertOnly: ['Item_Price__r'],
};
