/**
 * The provider contract against the Maxio simulator, through the Maxio adapter, over HTTP on
 * 127.0.0.1: the same 45 guarantees the reference adapter proves.
 */
import { startMaxioSimulator, toFormBody } from '../../../stand-ins/maxio-simulator/index.ts';
import { hmacSha256Hex } from '../../../stand-ins/common/auth.ts';
import { MaxioProvider } from '../../src/providers/maxio/index.ts';
import type { WebhookDelivery } from '../../src/providers/provider.ts';
import { runProviderContract } from './contract.ts';

const SECRET = 'maxio-site-shared-key';
const API_KEY = 'maxio-contract-api-key-0123';

export function maxioWebhook(
  kind: 'subscription_created' | 'unknown',
  key = SECRET,
): WebhookDelivery {
  const body = toFormBody({
    id: kind === 'unknown' ? '880001' : '880000',
    event: kind === 'unknown' ? 'mystery_happened' : 'signup_success',
    payload: {
      subscription: {
        id: '2000001',
        state: 'active',
        product_price_in_cents: '2900',
        currency: 'USD',
        product_price_point_id: '20001',
        created_at: '2026-02-01 10:00:00 -0500',
        updated_at: '2026-02-01 10:00:00 -0500',
        customer: {
          id: '1000001',
          first_name: 'Ada',
          last_name: 'Lovelace',
          email: 'ada@example.com',
          organization: 'Acme 1',
          updated_at: '2026-02-01 10:00:00 -0500',
        },
        product: { id: '5001', name: 'Starter', handle: 'starter' },
      },
      site: { id: '1', subdomain: 'acme' },
      event_id: kind === 'unknown' ? '880001' : '880000',
    },
  }).join('&');
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-chargify-webhook-id': '880000',
      'x-chargify-webhook-signature-hmac-sha-256': hmacSha256Hex(key, body),
    },
    rawBody: body,
  };
}

runProviderContract('maxio', async () => {
  const sim = await startMaxioSimulator({ seed: 7, site: 'acme' });
  const fast = { maxRetries: 3, initialDelayMs: 20, maxDelayMs: 200 };
  return {
    provider: new MaxioProvider({
      siteName: 'acme',
      apiKey: API_KEY,
      baseUrl: sim.url,
      webhookSecret: SECRET,
      retry: fast,
    }),
    sim,
    apiKey: API_KEY,
    wrongKeyProvider: () =>
      new MaxioProvider({ siteName: 'acme', apiKey: '', baseUrl: sim.url, retry: fast }),
    makeWebhook: (kind) => maxioWebhook(kind),
    badSignatureWebhook: () => maxioWebhook('subscription_created', 'not-the-shared-key'),
  };
});
