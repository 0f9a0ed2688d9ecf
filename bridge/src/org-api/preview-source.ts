/**
 * Creation by saved preview: the Closed/Won flow sends only the Opportunity id and the chosen
 * Subscription Preview's id (a flow cannot build JSON), and the bridge reads the rest from
 * Salesforce through its own connection: the request the rep priced (`Request_JSON__c`, written by
 * the subscription preview component) and the Opportunity's Account. An Account already synced from
 * the same site becomes that billing customer; any other Account becomes a new customer named after
 * it, with the Account id as its reference.
 */
import type { Connection } from 'jsforce';
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import { toSalesforceError } from '../salesforce/errors.ts';

/** What the bridge needs of a saved preview to create its subscription. */
export interface SavedPreview {
  siteKey: string;
  pricePointId?: string;
  productId?: string;
  planQuantity?: string;
  items: { pricePointId?: string; productId?: string; quantity: string }[];
  couponCodes: string[];
  customer: { customerId?: string; accountId?: string; company?: string };
}

export interface PreviewSource {
  /** The preview `previewId` of the Opportunity `opportunityId`; throws NotFound/InvalidRequest. */
  readPreview(previewId: string, opportunityId: string): Promise<SavedPreview>;
}

const ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

interface Row {
  Id: string;
  Request_JSON__c: string | null;
  Opportunity__c: string | null;
  Opportunity__r: {
    AccountId: string | null;
    Account: {
      Name: string | null;
      Billing_Customer_Id__c: string | null;
      Billing_External_Id__c: string | null;
    } | null;
  } | null;
}

export class SalesforcePreviewSource implements PreviewSource {
  readonly #conn: Connection;
  constructor(conn: Connection) {
    this.#conn = conn;
  }

  async readPreview(previewId: string, opportunityId: string): Promise<SavedPreview> {
    if (!ID.test(previewId)) {
      throw new InvalidRequestError(`previewId ${previewId} is not a Salesforce id`, {
        status: 400,
        param: 'previewId',
      });
    }
    let rows: Row[];
    try {
      rows = (
        await this.#conn.query<Row>(
          `SELECT Id, Request_JSON__c, Opportunity__c, Opportunity__r.AccountId, Opportunity__r.Account.Name, Opportunity__r.Account.Billing_Customer_Id__c, Opportunity__r.Account.Billing_External_Id__c FROM Subscription_Preview__c WHERE Id = '${previewId}'`,
        )
      ).records;
    } catch (error) {
      throw toSalesforceError(error);
    }
    const row = rows[0];
    if (!row)
      throw new NotFoundError(`Subscription Preview ${previewId} was not found`, {
        status: 404,
        param: 'previewId',
      });
    if (!row.Opportunity__c || row.Opportunity__c.slice(0, 15) !== opportunityId.slice(0, 15)) {
      throw new InvalidRequestError(
        `Subscription Preview ${previewId} belongs to another Opportunity`,
        { status: 400, param: 'previewId' },
      );
    }
    let request: Partial<SavedPreview>;
    try {
      request = JSON.parse(row.Request_JSON__c ?? '') as Partial<SavedPreview>;
    } catch {
      throw new InvalidRequestError(
        `Subscription Preview ${previewId} has no readable request; price it again`,
        { status: 400, param: 'previewId' },
      );
    }
    if (typeof request.siteKey !== 'string' || (!request.pricePointId && !request.productId)) {
      throw new InvalidRequestError(
        `Subscription Preview ${previewId} does not say which site and plan`,
        { status: 400, param: 'previewId' },
      );
    }
    const account = row.Opportunity__r?.Account ?? null;
    const synced =
      account?.Billing_Customer_Id__c &&
      account.Billing_External_Id__c?.startsWith(`${request.siteKey}:`);
    return {
      siteKey: request.siteKey,
      ...(request.pricePointId ? { pricePointId: request.pricePointId } : {}),
      ...(request.productId ? { productId: request.productId } : {}),
      ...(request.planQuantity ? { planQuantity: String(request.planQuantity) } : {}),
      items: (request.items ?? []).map((i) => ({ ...i, quantity: String(i.quantity) })),
      couponCodes: request.couponCodes ?? [],
      customer: synced
        ? { customerId: account.Billing_Customer_Id__c as string }
        : {
            ...(row.Opportunity__r?.AccountId ? { accountId: row.Opportunity__r.AccountId } : {}),
            ...(account?.Name ? { company: account.Name } : {}),
          },
    };
  }
}
