/**
 * A connected site → `Billing_Site__c` (the Chargebee seed's "CB Site"), keyed by `Site_Key__c`,
 * and its price book (`Pricebook2`, the seed's "CB Price Book prefixed with the site domain").
 * The site and its price book point at each other, so the site's `Price_Book__c` is set by a
 * back-link record written after the price book.
 */
import type { Site } from '../../model/canonical.ts';
import { bool, currencyCode, key, picklist, text } from './transforms.ts';
import { lookup, sitePricebookKey } from './keys.ts';
import type { ObjectMapping } from './types.ts';

/** The host the provider serves the site on. */
export function siteDomain(site: Site): string {
  if (site.provider === 'chargebee') return `${site.name}.chargebee.com`;
  return site.region === 'eu' ? `${site.name}.ebilling.maxio.com` : `${site.name}.chargify.com`;
}

export const billingSite: ObjectMapping<Site> = {
  name: 'site → Billing_Site__c',
  sobject: 'Billing_Site__c',
  externalIdField: 'Site_Key__c',
  externalId: (site) => site.key,
  fields: [
    { field: 'Name', from: (site) => site.name, transform: text(80) },
    {
      field: 'Provider__c',
      from: (site) => site.provider,
      transform: picklist(['Maxio', 'Chargebee'], { maxio: 'Maxio', chargebee: 'Chargebee' }),
    },
    { field: 'Subdomain__c', from: (site) => site.name, transform: key(100) },
    { field: 'Domain__c', from: (site) => siteDomain(site), transform: key(255) },
    {
      field: 'Region__c',
      from: (site) => (site.provider === 'maxio' ? (site.region ?? 'us') : null),
      transform: picklist(['US', 'EU'], { us: 'US', eu: 'EU' }),
    },
    { field: 'Default_Currency__c', from: (site) => site.defaultCurrency, transform: currencyCode },
    {
      field: 'Is_Test_Site__c',
      from: (site) => site.provider === 'chargebee' && site.name.endsWith('-test'),
      transform: bool,
    },
  ],
  references: [],
};

export const sitePricebook: ObjectMapping<Site> = {
  name: 'site → Pricebook2 (site price book)',
  sobject: 'Pricebook2',
  externalIdField: 'Billing_External_Id__c',
  externalId: (_site, ctx) => sitePricebookKey(ctx),
  fields: [
    { field: 'Name', from: (site) => `${siteDomain(site)} Price Book`, transform: text(255) },
    { field: 'IsActive', from: () => true, transform: bool },
    {
      field: 'Description',
      from: (site) =>
        `Prices of the ${site.provider === 'maxio' ? 'Maxio Advanced Billing' : 'Chargebee'} site ${site.name}, kept by the billing integration.`,
      transform: text(255),
    },
  ],
  references: [lookup('Billing_Site__c', 'Billing_Site__c', (site) => site.key)],
};

/** Back-link: the site's `Price_Book__c`, once the price book exists. */
export const billingSitePricebookLink: ObjectMapping<Site> = {
  name: 'site → Billing_Site__c.Price_Book__c (back-link)',
  sobject: 'Billing_Site__c',
  externalIdField: 'Site_Key__c',
  externalId: (site) => site.key,
  fields: [],
  references: [lookup('Price_Book__c', 'Pricebook2', (_site, ctx) => sitePricebookKey(ctx))],
  link: true,
};
