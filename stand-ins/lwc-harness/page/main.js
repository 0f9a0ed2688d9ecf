// Harness page entry: mounts one of the package's components on a fake record page.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import SubscriptionPreview from 'c/subscriptionPreview';
import ClosedWonControl from 'c/closedWonControl';
import SavedPreviews from 'c/savedPreviews';
import SyncHealth from 'c/syncHealth';

const COMPONENTS = {
  subscriptionPreview: ['c-subscription-preview', SubscriptionPreview],
  closedWonControl: ['c-closed-won-control', ClosedWonControl],
  savedPreviews: ['c-saved-previews', SavedPreviews],
  syncHealth: ['c-sync-health', SyncHealth],
};

const harness = window.__harness;

async function api(path, body) {
  const response = await fetch(`/org/v1${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', 'x-billing-bridge-token': harness.token },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${json.message} (${json.code})`);
  return json;
}

harness.runFlow = async (flow, inputs) => {
  switch (flow) {
    case 'Billing_List_Sites':
      return { sites: (await api('/sites')).sites };
    case 'Billing_Get_Catalog':
      return { catalog: await api(`/sites/${encodeURIComponent(inputs.siteKey)}/catalog`) };
    case 'Billing_Preview_Subscription': {
      const items = (inputs.itemPricePointIds || []).map((pricePointId, i) => ({
        pricePointId,
        quantity: inputs.itemQuantities[i],
      }));
      const body = {
        siteKey: inputs.siteKey,
        customer: { customerId: harness.customerId },
        pricePointId: inputs.pricePointId,
        planQuantity: inputs.planQuantity,
        items,
        couponCodes: inputs.couponCodes || [],
      };
      return { preview: await api('/previews', body) };
    }
    case 'Billing_Create_Subscription': {
      const result = await api('/subscriptions', {
        opportunityId: inputs.opportunityId,
        preview: harness.createPreview,
      });
      // What the flow does after the callout: write the outcome on the Opportunity.
      const opportunity = harness.records[inputs.opportunityId];
      if (opportunity) {
        opportunity.fields.Billing_Status__c = { value: 'Created', displayValue: 'Created' };
        opportunity.fields.Billing_Subscription_Id__c = {
          value: result.externalId,
          displayValue: null,
        };
        opportunity.fields.Billing_Last_Error__c = { value: null, displayValue: null };
      }
      return result;
    }
    default:
      throw new Error(`No flow ${flow}`);
  }
};

const params = new URLSearchParams(window.location.search);
const [tag, ctor] = COMPONENTS[params.get('component')];
const element = createElement(tag, { is: ctor });
element.recordId = params.get('recordId') || harness.recordId;

// What Lightning Experience does with toasts and navigation, shown on the page.
harness.toasts = [];
harness.navigations = [];
// The page shell, not a component: reaching into the document is its job.
// eslint-disable-next-line @lwc/lwc/no-document-query
const toasts = document.getElementById('toasts');
element.addEventListener('lightning__showtoast', (event) => {
  harness.toasts.push(event.detail);
  const toast = document.createElement('div');
  toast.className = `slds-notify slds-notify_toast slds-theme_${event.detail.variant || 'info'} harness-toast`;
  toast.textContent = `${event.detail.title}: ${event.detail.message || ''}`;
  toasts.appendChild(toast);
});
// eslint-disable-next-line @lwc/lwc/no-document-query
document.getElementById('root').appendChild(element);
