import { LightningElement, api } from 'lwc';
import SITE from '@salesforce/label/c.Billing_Preview_Site';
import PRICE_POINT from '@salesforce/label/c.Billing_Preview_PricePoint';
import QUANTITY from '@salesforce/label/c.Billing_Preview_Quantity';
import ADDONS from '@salesforce/label/c.Billing_Preview_Addons';
import COUPONS from '@salesforce/label/c.Billing_Preview_Coupons';
import COUPONS_HELP from '@salesforce/label/c.Billing_Preview_CouponsHelp';
import PRICE from '@salesforce/label/c.Billing_Preview_Price';

export interface SiteOption {
  siteKey: string;
  name: string;
  provider: string;
  defaultCurrency: string;
}

export interface Catalog {
  siteKey: string;
  products: { id: string; kind: string; name: string }[];
  pricePoints: { id: string; productId: string; name: string; currency: string; price: string }[];
  coupons: { code: string; name: string }[];
}

/** What the rep asked to price; the container turns it into the preview flow's inputs. */
export interface PriceRequest {
  siteKey: string;
  pricePointId: string;
  planQuantity: string;
  items: { pricePointId: string; quantity: string }[];
  couponCodes: string[];
}

const PLAN_KINDS = new Set(['plan', 'product']);

/**
 * Choose a site, a plan price point and quantity, add-ons/components with quantities and coupons.
 * Presentational: raises `sitechange` (detail `{ siteKey }`) and `pricerequest` (detail: PriceRequest).
 */
export default class PreviewForm extends LightningElement {
  @api sites: SiteOption[] = [];
  @api catalog?: Catalog;
  @api disabled = false;

  siteKey = '';
  pricePointId = '';
  planQuantity = '1';
  addonQuantities: Record<string, string> = {};
  coupons = '';

  labels = { SITE, PRICE_POINT, QUANTITY, ADDONS, COUPONS, COUPONS_HELP, PRICE };

  get siteOptions(): { label: string; value: string }[] {
    return this.sites.map((site) => ({
      label: `${site.name} (${site.provider})`,
      value: site.siteKey,
    }));
  }

  private kindOf(productId: string): string {
    return this.catalog?.products.find((p) => p.id === productId)?.kind ?? '';
  }

  get planOptions(): { label: string; value: string }[] {
    return (this.catalog?.pricePoints ?? [])
      .filter((pp) => PLAN_KINDS.has(this.kindOf(pp.productId)))
      .map((pp) => ({ label: `${pp.name} · ${pp.price} ${pp.currency}`, value: pp.id }));
  }

  get addons(): { id: string; label: string; quantity: string }[] {
    return (this.catalog?.pricePoints ?? [])
      .filter((pp) => !PLAN_KINDS.has(this.kindOf(pp.productId)))
      .map((pp) => ({
        id: pp.id,
        label: `${pp.name} · ${pp.price} ${pp.currency}`,
        quantity: this.addonQuantities[pp.id] ?? '0',
      }));
  }

  get hasAddons(): boolean {
    return this.addons.length > 0;
  }

  get hasCatalog(): boolean {
    return this.catalog !== undefined && this.catalog.siteKey === this.siteKey;
  }

  get priceDisabled(): boolean {
    return (
      this.disabled || !this.hasCatalog || !this.pricePointId || !(Number(this.planQuantity) > 0)
    );
  }

  handleSiteChange(event: CustomEvent<{ value: string }>): void {
    this.siteKey = event.detail.value;
    this.pricePointId = '';
    this.addonQuantities = {};
    this.dispatchEvent(new CustomEvent('sitechange', { detail: { siteKey: this.siteKey } }));
  }

  handlePlanChange(event: CustomEvent<{ value: string }>): void {
    this.pricePointId = event.detail.value;
  }

  handleQuantityChange(event: CustomEvent<{ value: string }>): void {
    this.planQuantity = event.detail.value;
  }

  handleAddonChange(event: CustomEvent<{ value: string }>): void {
    const id = (event.target as HTMLElement).dataset.id ?? '';
    this.addonQuantities = { ...this.addonQuantities, [id]: event.detail.value };
  }

  handleCouponsChange(event: CustomEvent<{ value: string }>): void {
    this.coupons = event.detail.value;
  }

  handlePrice(): void {
    const request: PriceRequest = {
      siteKey: this.siteKey,
      pricePointId: this.pricePointId,
      planQuantity: this.planQuantity,
      items: Object.entries(this.addonQuantities)
        .filter(([, quantity]) => Number(quantity) > 0)
        .map(([pricePointId, quantity]) => ({ pricePointId, quantity })),
      couponCodes: this.coupons
        .split(',')
        .map((code) => code.trim())
        .filter((code) => code.length > 0),
    };
    this.dispatchEvent(new CustomEvent('pricerequest', { detail: request }));
  }
}
