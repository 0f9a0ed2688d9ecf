/**
 * A Maxio Advanced Billing site on 127.0.0.1: the endpoints, shapes, pagination, errors and auth
 * of the real API that the bridge's Maxio adapter uses, over seeded data, with previews priced
 * for real, webhooks signed like Maxio's, and per-test fault injection.
 *
 * - data.ts: the seeded site (catalog, customers with hierarchy, subscriptions in every state,
 *   invoices, transactions, credit notes, events) in Maxio's JSON shapes; store.ts: that data
 *   plus API changes, indexed by id.
 * - http.ts: Basic auth (`api_key:x`; any non-empty key unless `apiKey`; else 401
 *   `{"errors":[…]}`), at most `maxConcurrent` (4) requests in flight (the next gets 429 +
 *   Retry-After), `page`/`per_page` ≤ 200, list wrappers, 404/422 bodies.
 * - routes/: catalog, customers, subscriptions (preview and idempotent signup), billing
 *   (transactions, invoices, credit notes), events.
 * - pricing.ts: the preview manifests; webhooks.ts: form-encoded, HMAC-signed webhooks.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { RunningSimulator, SimulatorOptions } from '../../bridge/src/cli/simulate.ts';
import { FaultInjector } from '../common/faults.ts';
import type { EmittedWebhook } from '../common/webhooks.ts';
import type { Json, MaxioData } from './data.ts';
import { installGuards } from './http.ts';
import type { RequestLogEntry, RouteContext } from './http.ts';
import { registerBillingRoutes } from './routes/billing.ts';
import { registerCatalogRoutes } from './routes/catalog.ts';
import { registerCustomerRoutes } from './routes/customers.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerSubscriptionRoutes } from './routes/subscriptions.ts';
import { MaxioStore } from './store.ts';
import { createMaxioWebhooks, sendWebhook } from './webhooks.ts';

export { MAXIO_WEBHOOK_SCHEDULE, toFormBody, webhookBody, signatureOf } from './webhooks.ts';

export interface MaxioSimulatorOptions extends SimulatorOptions {
  /** Requests in flight before a 429; Maxio allows 4 per site. */
  maxConcurrent?: number;
  /** Webhook retry delays (ms); Maxio's real schedule by default. */
  webhookSchedule?: number[];
}

export interface MaxioSimulator extends RunningSimulator {
  store: MaxioStore;
  data: MaxioData;
  /** Requests received, for request-shape checks in tests. */
  requests: RequestLogEntry[];
  /**
   * Record an event as Maxio would and send its webhook (payload: the records it concerns, e.g.
   * `{subscription}`). Resolves when the delivery ended (null when webhooks are off).
   */
  emitEvent(key: string, payload: Json, message?: string): Promise<EmittedWebhook | null>;
}

export async function startMaxioSimulator(
  options: MaxioSimulatorOptions = {},
): Promise<MaxioSimulator> {
  const site = options.site ?? 'acme';
  const seed = options.seed ?? 1;
  const store = new MaxioStore({ seed, scale: options.scale ?? 1, site });
  const faults = new FaultInjector({ defaultBody: (status) => ({ errors: [`HTTP ${status}`] }) });
  const requests: RequestLogEntry[] = [];
  const app: FastifyInstance = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 10 * 1024 * 1024,
  });
  const webhooks = options.webhook
    ? createMaxioWebhooks({
        url: options.webhook.url,
        secret: options.webhook.secret ?? '',
        seed,
        ...(options.webhookSchedule ? { schedule: options.webhookSchedule } : {}),
      })
    : null;

  // Faults first: like a proxy in front of the site, they fire before auth and the limiter.
  faults.fastifyHook(app);
  installGuards(app, {
    apiKey: options.apiKey,
    maxConcurrent: options.maxConcurrent ?? 4,
    requests,
  });

  const deliver = (key: string, event: Json, payload: Json): Promise<EmittedWebhook | null> =>
    sendWebhook(webhooks, Number(event.id), key, payload).catch(() => null);
  const ctx: RouteContext = {
    store,
    publish(key, message, refs, payload) {
      const event = store.addEvent(
        key,
        message,
        refs.subscriptionId ?? null,
        refs.customerId ?? null,
      );
      // The API answers without waiting for the receiver, as Maxio does.
      void deliver(key, event, payload);
      return event;
    },
  };
  registerCatalogRoutes(app, ctx);
  registerCustomerRoutes(app, ctx);
  registerSubscriptionRoutes(app, ctx);
  registerBillingRoutes(app, ctx);
  registerEventRoutes(app, ctx);

  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    site,
    faults,
    webhooks,
    store,
    data: store.data,
    requests,
    async emitEvent(key, payload, message) {
      const subscription = payload.subscription as Json | undefined;
      const customer = (payload.customer ?? subscription?.customer) as Json | undefined;
      const event = store.addEvent(
        key,
        message ?? `${key} (triggered)`,
        subscription?.id === undefined ? null : Number(subscription.id),
        customer?.id === undefined ? null : Number(customer.id),
      );
      return deliver(key, event, payload);
    },
    async close() {
      await webhooks?.close();
      await app.close();
    },
  };
}
