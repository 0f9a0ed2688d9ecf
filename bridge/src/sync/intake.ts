/**
 * Webhook intake: `POST /webhooks/{siteKey}` (e.g. `/webhooks/maxio:acme`).
 *
 * It does the least that must happen before the vendor gets its 2xx, and nothing more:
 * 1. verify the delivery (Maxio HMAC-SHA256 signature, Chargebee Basic auth) on the raw bytes;
 * 2. parse it just enough to know its event id and type;
 * 3. persist the raw delivery durably, deduplicated on (site, event id);
 * 4. queue it for the sync worker, and answer.
 *
 * Nothing is dropped. A delivery that fails verification (401) or cannot be parsed (400) is kept
 * with status `invalid` for inspection; an unknown event type is kept as `ignored` and answered
 * 200 so the vendor stops retrying. Secret headers are stripped before anything is stored.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { WebhookPayloadError, WebhookSignatureError, redactHeaders } from '../errors.ts';
import type { SiteKey } from '../model/canonical.ts';
import type { Logger } from '../log.ts';
import type { BillingProvider, WebhookDelivery } from '../providers/provider.ts';

export type DeliveryStatus = 'received' | 'processed' | 'failed' | 'invalid' | 'ignored';

export interface DeliveryInput {
  siteKey: SiteKey;
  eventId: string;
  eventType: string;
  receivedAt: string;
  headers: Record<string, string>;
  rawBody: string;
  status: DeliveryStatus;
  error?: string | null;
}

export interface IntakeDeps {
  providers: Map<SiteKey, BillingProvider>;
  /**
   * Persist a delivery; `duplicate` when (site, event id) was stored before, with the stored
   * delivery's status (a duplicate still `received` was never synced: it is queued again).
   */
  recordDelivery(
    delivery: DeliveryInput,
  ): Promise<{ id: string; duplicate: boolean; status?: DeliveryStatus }>;
  /** Queue a stored delivery for the sync worker. */
  enqueueDelivery(deliveryId: string, siteKey: SiteKey): Promise<void>;
  logger?: Logger;
  now?: () => Date;
  /** Largest body accepted (bytes). Default 5 MiB. */
  bodyLimit?: number;
}

/** Headers worth keeping with a delivery: everything but credentials, flattened to strings. */
export function storableHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(redactHeaders(headers))) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const bodyId = (body: string): string =>
  createHash('sha256').update(body).digest('hex').slice(0, 32);

export const webhookIntake: FastifyPluginAsync<IntakeDeps> = async (
  app: FastifyInstance,
  deps: IntakeDeps,
) => {
  const now = deps.now ?? (() => new Date());
  // The signature covers the exact bytes: keep every body as the string it arrived as.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: deps.bodyLimit ?? 5 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.post<{ Params: { site: string } }>('/webhooks/:site', async (request, reply) => {
    const siteKey = decodeURIComponent(request.params.site) as SiteKey;
    const provider = deps.providers.get(siteKey);
    if (!provider) {
      return reply.code(404).send({ error: 'unknown_site', message: `No site ${siteKey} here` });
    }
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const delivery: WebhookDelivery = { headers: request.headers, rawBody };
    const base = {
      siteKey,
      receivedAt: now().toISOString(),
      headers: storableHeaders(request.headers),
      rawBody,
    };

    try {
      provider.verifyWebhook(delivery);
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) throw error;
      await deps.recordDelivery({
        ...base,
        eventId: `invalid:${bodyId(rawBody)}`,
        eventType: 'unverified',
        status: 'invalid',
        error: error.message,
      });
      deps.logger?.warn({ siteKey }, 'webhook refused: %s', error.message);
      return reply.code(401).send({ error: 'invalid_signature', message: error.message });
    }

    let parsed;
    try {
      parsed = provider.parseWebhook(delivery);
    } catch (error) {
      if (!(error instanceof WebhookPayloadError)) throw error;
      await deps.recordDelivery({
        ...base,
        eventId: `malformed:${bodyId(rawBody)}`,
        eventType: 'malformed',
        status: 'invalid',
        error: error.message,
      });
      deps.logger?.warn({ siteKey }, 'webhook kept as invalid: %s', error.message);
      return reply.code(400).send({ error: 'malformed_webhook', message: error.message });
    }

    const stored = await deps.recordDelivery({
      ...base,
      eventId: parsed.eventId,
      eventType: parsed.eventType,
      status: parsed.known ? 'received' : 'ignored',
    });
    if (stored.duplicate) {
      // Stored before but never synced (the bridge stopped between storing and queueing): queue it.
      if (stored.status === 'received') await deps.enqueueDelivery(stored.id, siteKey);
      return reply.code(200).send({ received: true, duplicate: true });
    }
    if (parsed.known) await deps.enqueueDelivery(stored.id, siteKey);
    else deps.logger?.info({ siteKey, eventType: parsed.eventType }, 'webhook type not synced');
    return reply.code(200).send({ received: true, duplicate: false });
  });
};
