import { LightningElement, api } from 'lwc';
import { createRecord } from 'lightning/uiRecordApi';
import PREVIEW_OBJECT from '@salesforce/schema/Subscription_Preview__c';
import OPPORTUNITY_FIELD from '@salesforce/schema/Subscription_Preview__c.Opportunity__c';
import PRICE_POINT_ID_FIELD from '@salesforce/schema/Subscription_Preview__c.Price_Point_Id__c';
import PLAN_QUANTITY_FIELD from '@salesforce/schema/Subscription_Preview__c.Plan_Quantity__c';
import COUPON_CODES_FIELD from '@salesforce/schema/Subscription_Preview__c.Coupon_Codes__c';
import COMPONENTS_JSON_FIELD from '@salesforce/schema/Subscription_Preview__c.Components_JSON__c';
import CURRENCY_FIELD from '@salesforce/schema/Subscription_Preview__c.Currency_Code__c';
import CURRENT_SUBTOTAL_FIELD from '@salesforce/schema/Subscription_Preview__c.Current_Subtotal__c';
import CURRENT_DISCOUNT_FIELD from '@salesforce/schema/Subscription_Preview__c.Current_Discount__c';
import CURRENT_TAX_FIELD from '@salesforce/schema/Subscription_Preview__c.Current_Tax__c';
import CURRENT_TOTAL_FIELD from '@salesforce/schema/Subscription_Preview__c.Current_Total__c';
import NEXT_TOTAL_FIELD from '@salesforce/schema/Subscription_Preview__c.Next_Total__c';
import REQUEST_JSON_FIELD from '@salesforce/schema/Subscription_Preview__c.Request_JSON__c';
import RESPONSE_JSON_FIELD from '@salesforce/schema/Subscription_Preview__c.Response_JSON__c';
import PRICED_AT_FIELD from '@salesforce/schema/Subscription_Preview__c.Priced_At__c';
import STATUS_FIELD from '@salesforce/schema/Subscription_Preview__c.Status__c';
import TITLE from '@salesforce/label/c.Billing_Preview_Title';
import CURRENT from '@salesforce/label/c.Billing_Preview_CurrentBilling';
import NEXT from '@salesforce/label/c.Billing_Preview_NextBilling';
import SAVE from '@salesforce/label/c.Billing_Preview_Save';
import SAVED from '@salesforce/label/c.Billing_Preview_Saved';
import LOADING from '@salesforce/label/c.Billing_Preview_Loading';
import NO_SITES from '@salesforce/label/c.Billing_Preview_NoSites';
import LOAD_ERROR from '@salesforce/label/c.Billing_Preview_LoadError';
import PRICE_ERROR from '@salesforce/label/c.Billing_Preview_PriceError';
import SAVE_ERROR from '@salesforce/label/c.Billing_Preview_SaveError';
import type { FlowInput, FlowOutputs } from 'c/billingFlowRunner';
import type { Catalog, PriceRequest, SiteOption } from 'c/previewForm';
import type { Manifest } from 'c/billingManifest';

export const LIST_SITES_FLOW = 'Billing_List_Sites';
export const CATALOG_FLOW = 'Billing_Get_Catalog';
export const PREVIEW_FLOW = 'Billing_Preview_Subscription';

export interface Preview {
  siteKey: string;
  currency: string;
  current: Manifest;
  next?: Manifest | null;
  pricedAt: string;
}

type FlowRunnerElement = HTMLElement & {
  run(flow: string, inputs: FlowInput[]): Promise<FlowOutputs>;
};

function toNumber(value: string | null | undefined): number | null {
  return value === undefined || value === null ? null : Number(value);
}

/**
 * Subscription preview on an Opportunity (seed: "a subscription preview for easy management of
 * deal negotiations"). The billing platform prices the deal through the preview flow; the rep
 * saves it as a Subscription Preview to use at Closed/Won. Data access lives here; the form and
 * the manifests are presentational children.
 */
export default class SubscriptionPreview extends LightningElement {
  @api recordId?: string;

  sites: SiteOption[] = [];
  catalog?: Catalog;
  preview?: Preview;
  lastRequest?: PriceRequest;
  savedId?: string;
  busy = false;
  error: unknown;
  errorMessage = '';
  labels = { TITLE, CURRENT, NEXT, SAVE, SAVED, LOADING, NO_SITES };
  sitesLoaded = false;

  private sitesRequested = false;

  renderedCallback(): void {
    // The runner child exists once rendered: load the sites on the first render only.
    if (this.sitesRequested) return;
    this.sitesRequested = true;
    this.loadSites();
  }

  private get runner(): FlowRunnerElement | null {
    return this.template?.querySelector<FlowRunnerElement>('c-billing-flow-runner') ?? null;
  }

  private async runFlow(
    flow: string,
    inputs: FlowInput[],
    failure: string,
  ): Promise<FlowOutputs | undefined> {
    const runner = this.runner;
    if (!runner) return undefined;
    this.busy = true;
    this.error = undefined;
    try {
      return await runner.run(flow, inputs);
    } catch (error) {
      this.errorMessage = failure;
      this.error = error;
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  async loadSites(): Promise<void> {
    const outputs = await this.runFlow(LIST_SITES_FLOW, [], LOAD_ERROR);
    if (outputs) {
      this.sites = (outputs.sites as SiteOption[] | undefined) ?? [];
      this.sitesLoaded = true;
    }
  }

  async handleSiteChange(event: CustomEvent<{ siteKey: string }>): Promise<void> {
    this.preview = undefined;
    this.catalog = undefined;
    const outputs = await this.runFlow(
      CATALOG_FLOW,
      [{ name: 'siteKey', type: 'String', value: event.detail.siteKey }],
      LOAD_ERROR,
    );
    if (outputs) this.catalog = outputs.catalog as Catalog;
  }

  async handlePriceRequest(event: CustomEvent<PriceRequest>): Promise<void> {
    const request = event.detail;
    this.savedId = undefined;
    const inputs: FlowInput[] = [
      { name: 'opportunityId', type: 'String', value: this.recordId },
      { name: 'siteKey', type: 'String', value: request.siteKey },
      { name: 'pricePointId', type: 'String', value: request.pricePointId },
      { name: 'planQuantity', type: 'String', value: request.planQuantity },
      {
        name: 'itemPricePointIds',
        type: 'String',
        value: request.items.map((i) => i.pricePointId),
      },
      { name: 'itemQuantities', type: 'String', value: request.items.map((i) => i.quantity) },
      { name: 'couponCodes', type: 'String', value: request.couponCodes },
    ];
    const outputs = await this.runFlow(PREVIEW_FLOW, inputs, PRICE_ERROR);
    if (outputs) {
      this.preview = outputs.preview as Preview;
      this.lastRequest = request;
    }
  }

  get noSites(): boolean {
    return this.sitesLoaded && this.sites.length === 0;
  }

  get hasPreview(): boolean {
    return this.preview !== undefined;
  }

  get saveDisabled(): boolean {
    return this.busy || !this.preview || this.savedId !== undefined;
  }

  async handleSave(): Promise<void> {
    const preview = this.preview;
    const request = this.lastRequest;
    if (!preview || !request) return;
    this.error = undefined;
    this.busy = true;
    try {
      const record = await createRecord({
        apiName: PREVIEW_OBJECT.objectApiName,
        fields: {
          [OPPORTUNITY_FIELD.fieldApiName]: this.recordId,
          [PRICE_POINT_ID_FIELD.fieldApiName]: request.pricePointId,
          [PLAN_QUANTITY_FIELD.fieldApiName]: toNumber(request.planQuantity),
          [COUPON_CODES_FIELD.fieldApiName]: request.couponCodes.join(','),
          [COMPONENTS_JSON_FIELD.fieldApiName]: JSON.stringify(request.items),
          [CURRENCY_FIELD.fieldApiName]: preview.currency,
          [CURRENT_SUBTOTAL_FIELD.fieldApiName]: toNumber(preview.current.subtotal),
          [CURRENT_DISCOUNT_FIELD.fieldApiName]: toNumber(preview.current.discount),
          [CURRENT_TAX_FIELD.fieldApiName]: toNumber(preview.current.tax),
          [CURRENT_TOTAL_FIELD.fieldApiName]: toNumber(preview.current.total),
          [NEXT_TOTAL_FIELD.fieldApiName]: toNumber(preview.next?.total),
          [REQUEST_JSON_FIELD.fieldApiName]: JSON.stringify(request),
          [RESPONSE_JSON_FIELD.fieldApiName]: JSON.stringify(preview),
          [PRICED_AT_FIELD.fieldApiName]: preview.pricedAt,
          [STATUS_FIELD.fieldApiName]: 'Priced',
        },
      });
      this.savedId = record.id;
    } catch (error) {
      this.errorMessage = SAVE_ERROR;
      this.error = error;
    } finally {
      this.busy = false;
    }
  }
}
