/**
 * The provider contract against the Chargebee simulator, through the Chargebee adapter, over HTTP
 * on 127.0.0.1: the same 45 guarantees the reference adapter proves.
 */
import { startChargebeeSimulator } from '../../../stand-ins/chargebee-simulator/index.ts';
import { basicAuthHeader } from '../../../stand-ins/common/auth.ts';
import { ChargebeeProvider } from '../../src/providers/chargebee/index.ts';
import type { WebhookDelivery } from '../../src/providers/provider.ts';
import { runProviderContract } from './contract.ts';

const USER = 'cb-webhooks';
const PASSWORD = 'cb-webhook-password-42';
const API_KEY = 'test_cbContractKey0123456789abcd';

export function chargebeeWebhook(
  kind: 'subscription_created' | 'unknown',
  password = PASSWORD,
): WebhookDelivery {
  const body = JSON.stringify({
    id: kind === 'unknown' ? 'ev_contract_unknown' : 'ev_contract_1',
    occurred_at: 1767261600,
    source: 'admin_console',
    object: 'event',
    api_version: 'v2',
    event_type: kind === 'unknown' ? 'mystery_happened' : 'subscription_created',
    webhook_status: 'scheduled',
    content: {
      subscription: {
        id: 'sub_contract_1',
        customer_id: 'cus_contract_1',
        status: 'active',
        currency_code: 'USD',
        billing_period: 1,
        billing_period_unit: 'month',
        subscription_items: [
          {
            item_price_id: 'basic-USD-monthly',
            item_type: 'plan',
            quantity: 1,
            unit_price: 1900,
            amount: 1900,
            object: 'subscription_item',
          },
        ],
        created_at: 1767261600,
        updated_at: 1767261600,
        resource_version: 1767261600123,
        object: 'subscription',
      },
      customer: {
        id: 'cus_contract_1',
        first_name: 'Ada',
        last_name: 'Lovelace',
        created_at: 1767261000,
        updated_at: 1767261600,
        resource_version: 1767261600100,
        object: 'customer',
      },
    },
  });
  return {
    headers: { 'content-type': 'application/json', authorization: basicAuthHeader(USER, password) },
    rawBody: body,
  };
}

runProviderContract('chargebee', async () => {
  const sim = await startChargebeeSimulator({ seed: 7, site: 'acme-test' });
  const fast = { maxRetries: 3, initialDelayMs: 20, maxDelayMs: 200 };
  return {
    provider: new ChargebeeProvider({
      siteName: 'acme-test',
      apiKey: API_KEY,
      baseUrl: sim.url,
      webhookUsername: USER,
      webhookPassword: PASSWORD,
      retry: fast,
    }),
    sim,
    apiKey: API_KEY,
    wrongKeyProvider: () =>
      new ChargebeeProvider({ siteName: 'acme-test', apiKey: '', baseUrl: sim.url, retry: fast }),
    makeWebhook: (kind) => chargebeeWebhook(kind),
    badSignatureWebhook: () => chargebeeWebhook('subscription_created', 'wrong-password'),
  };
});
