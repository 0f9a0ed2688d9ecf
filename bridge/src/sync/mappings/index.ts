/**
 * Bridge ⇄ Salesforce mappings: which canonical record becomes which Salesforce records.
 *
 * Each target object has one module holding its declarative table (ObjectMapping); this index
 * only says which tables apply to a resource and in what order: parents before children, the
 * standard price book entry before the site's, back-links last.
 *
 * | canonical      | Salesforce (in write order)                                                   |
 * | -------------- | ----------------------------------------------------------------------------- |
 * | site           | Billing_Site__c, Pricebook2 (site price book), Billing_Site__c.Price_Book__c    |
 * | customer       | [Business_Entity__c], Account (Parent = parent customer), Contact (primary),   |
 * |                | Contact (contacts[]), Account.Billing_Contact__c                                |
 * | productFamily  | nothing of its own: the family name is on each Product2 (Billing_Product_Family__c) |
 * | product        | Product2 (Billing_Owned__c)                                                     |
 * | pricePoint     | Item_Price__c, Pricing_Tier__c…, default price point: PricebookEntry standard, site |
 * | coupon         | Billing_Coupon__c                                                               |
 * | subscription   | [Business_Entity__c], Subscription__c, Subscription_Item__c…, Subscription_Coupon__c…, |
 * |                | created from an Opportunity: Opportunity, Billing_Opportunity_Product__c…, _Coupon__c… |
 * | invoice        | Billing_Invoice__c, Billing_Invoice_Line__c…                                    |
 * | transaction    | Billing_Transaction__c                                                          |
 * | creditNote     | Credit_Note__c (master-detail → its invoice), Credit_Note_Allocation__c…        |
 * | event          | Billing_Event__c                                                                |
 */
import type { CanonicalRecord, Site } from '../../model/canonical.ts';
import type { SalesforceRecord } from '../records.ts';
import { account, accountBillingContactLink } from './account.ts';
import { billingCoupon } from './billing-coupon.ts';
import { buildRecord } from './build.ts';
import type { Origin } from './build.ts';
import { businessEntity } from './business-entity.ts';
import { additionalContact, primaryContact } from './contact.ts';
import { creditNote, creditNoteAllocation } from './credit-note.ts';
import { billingEvent } from './event.ts';
import { billingInvoice, billingInvoiceLine } from './invoice.ts';
import { itemPrice, pricingTier } from './item-price.ts';
import {
  billingItemsOf,
  opportunity,
  opportunityCoupon,
  opportunityProduct,
} from './opportunity.ts';
import { pricebookEntry } from './pricebook-entry.ts';
import { product2 } from './product2.ts';
import { billingSite, billingSitePricebookLink, sitePricebook } from './site.ts';
import { subscription } from './subscription.ts';
import { subscriptionCoupon } from './subscription-coupon.ts';
import { subscriptionItem } from './subscription-item.ts';
import { billingTransaction } from './transaction.ts';
import { MappingError } from './types.ts';
import type { AnyObjectMapping, MappingContext, MappingOptions, ObjectMapping } from './types.ts';

export type { MappingContext, MappingOptions } from './types.ts';
export { MappingError } from './types.ts';
export { STANDARD_PRICEBOOK_KEY } from './keys.ts';

/** Every table, for checkMappings and the seed-coverage test. */
export const ALL_OBJECT_MAPPINGS: readonly AnyObjectMapping[] = [
  billingSite,
  sitePricebook,
  billingSitePricebookLink,
  businessEntity,
  account,
  primaryContact,
  additionalContact,
  accountBillingContactLink,
  product2,
  itemPrice,
  pricingTier,
  pricebookEntry,
  billingCoupon,
  subscription,
  subscriptionItem,
  subscriptionCoupon,
  opportunity,
  opportunityProduct,
  opportunityCoupon,
  billingInvoice,
  billingInvoiceLine,
  billingTransaction,
  creditNote,
  creditNoteAllocation,
  billingEvent,
];

type Emit = <S>(mapping: ObjectMapping<S>, source: S) => void;

function collect(ctx: MappingContext, origin: Origin, plan: (emit: Emit) => void) {
  const records: SalesforceRecord[] = [];
  plan((mapping, source) => records.push(buildRecord(mapping, source, ctx, origin)));
  // Back-links go after everything else of the same source.
  return [...records.filter((r) => !r.link), ...records.filter((r) => r.link)];
}

/** The Salesforce records a canonical record becomes, parents first. Throws MappingError. */
export function mapCanonical(
  canonical: CanonicalRecord,
  ctx: { site: Site; options?: MappingOptions },
): SalesforceRecord[] {
  const context: MappingContext = { site: ctx.site, options: ctx.options ?? {} };
  const { options } = context;
  if (canonical.record.siteKey !== ctx.site.key) {
    throw new MappingError(
      `${canonical.resource} ${canonical.record.id} belongs to site ${canonical.record.siteKey}, not ${ctx.site.key}`,
    );
  }
  const origin: Origin = { resource: canonical.resource, id: canonical.record.id };
  return collect(context, origin, (emit) => {
    switch (canonical.resource) {
      case 'customer': {
        const c = canonical.record;
        if (c.businessEntityId) emit(businessEntity, { id: c.businessEntityId });
        emit(account, c);
        emit(primaryContact, c);
        for (const person of c.contacts ?? []) emit(additionalContact, { customer: c, person });
        emit(accountBillingContactLink, c);
        return;
      }
      case 'productFamily':
        // Families have no object of their own: products carry the family name.
        return;
      case 'product':
        emit(product2, canonical.record);
        return;
      case 'pricePoint': {
        const pp = canonical.record;
        emit(itemPrice, pp);
        pp.tiers.forEach((tier, index) => emit(pricingTier, { pricePoint: pp, tier, index }));
        if (pp.isDefault && options.priceBookEntries !== false) {
          emit(pricebookEntry, { pricePoint: pp, book: 'standard' });
          emit(pricebookEntry, { pricePoint: pp, book: 'site' });
        }
        return;
      }
      case 'coupon':
        emit(billingCoupon, canonical.record);
        return;
      case 'subscription': {
        const s = canonical.record;
        if (s.businessEntityId) emit(businessEntity, { id: s.businessEntityId });
        emit(subscription, s);
        for (const item of s.items) emit(subscriptionItem, { subscription: s, item });
        for (const coupon of s.coupons) emit(subscriptionCoupon, { subscription: s, coupon });
        if (s.opportunityId && options.opportunities !== false) {
          emit(opportunity, s);
          for (const item of billingItemsOf(s)) emit(opportunityProduct, { subscription: s, item });
          for (const coupon of s.coupons) emit(opportunityCoupon, { subscription: s, coupon });
        }
        return;
      }
      case 'invoice': {
        const invoice = canonical.record;
        if (invoice.businessEntityId) emit(businessEntity, { id: invoice.businessEntityId });
        emit(billingInvoice, invoice);
        for (const line of invoice.lines) emit(billingInvoiceLine, { invoice, line });
        return;
      }
      case 'transaction':
        emit(billingTransaction, canonical.record);
        return;
      case 'creditNote': {
        const note = canonical.record;
        if (note.businessEntityId) emit(businessEntity, { id: note.businessEntityId });
        emit(creditNote, note);
        for (const allocation of note.allocations) {
          emit(creditNoteAllocation, { creditNote: note, allocation });
        }
        return;
      }
      case 'event':
        emit(billingEvent, canonical.record);
        return;
    }
  });
}

/** The records of a connected site: Billing_Site__c, its price book, and the link between them. */
export function mapSite(site: Site, options: MappingOptions = {}): SalesforceRecord[] {
  const context: MappingContext = { site, options };
  return collect(context, { resource: 'site', id: site.key }, (emit) => {
    emit(billingSite, site);
    emit(sitePricebook, site);
    emit(billingSitePricebookLink, site);
  });
}
