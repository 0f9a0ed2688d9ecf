/**
 * Maxio's webhooks: a form-encoded body (`id`, `event`, `payload[subscription][id]=…`, Rails'
 * `to_query` nesting), signed with `X-Chargify-Webhook-Signature-Hmac-Sha-256` = hex
 * HMAC-SHA256(raw body, the site's shared key), and `X-Chargify-Webhook-Id`. A failed delivery
 * is tried 5 times in all; duplicates and out-of-order release come from the shared
 * WebhookEmitter (`duplicateNext`, `hold`/`release`).
 */
import { hmacSha256Hex } from '../common/auth.ts';
import { createRng } from '../common/prng.ts';
import { WebhookEmitter } from '../common/webhooks.ts';
import type { EmittedWebhook } from '../common/webhooks.ts';
import type { Json } from './data.ts';

/** Delays before Maxio's retries of a failed webhook: 5 attempts in all. */
export const MAXIO_WEBHOOK_SCHEDULE = [60_000, 300_000, 1_800_000, 7_200_000];

export const SIGNATURE_HEADER = 'X-Chargify-Webhook-Signature-Hmac-Sha-256';

/** Form-encode nested objects the way Maxio (Rails `to_query`) does: `payload[subscription][id]=1`. */
export function toFormBody(value: Json, prefix = ''): string[] {
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (v === null || v === undefined) parts.push(`${encodeURIComponent(name)}=`);
    else if (Array.isArray(v)) {
      v.forEach((item) => {
        if (item !== null && typeof item === 'object')
          parts.push(...toFormBody(item as Json, `${name}[]`));
        else parts.push(`${encodeURIComponent(`${name}[]`)}=${encodeURIComponent(String(item))}`);
      });
    } else if (typeof v === 'object') parts.push(...toFormBody(v as Json, name));
    else parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`);
  }
  return parts;
}

/** The body of one webhook for event `id`/`key`. */
export function webhookBody(id: number, key: string, payload: Json): string {
  return toFormBody({ id, event: key, payload: { ...payload, event_id: id } }).join('&');
}

export function signatureOf(sharedKey: string, body: string): string {
  return hmacSha256Hex(sharedKey, body);
}

export interface MaxioWebhookOptions {
  url: string;
  secret: string;
  seed: number;
  /** Retry delays; Maxio's real schedule by default (tests shorten it). */
  schedule?: number[];
}

export function createMaxioWebhooks(options: MaxioWebhookOptions): WebhookEmitter {
  return new WebhookEmitter({
    url: options.url,
    schedule: options.schedule ?? MAXIO_WEBHOOK_SCHEDULE,
    contentType: 'application/x-www-form-urlencoded',
    sign: (body) => ({ [SIGNATURE_HEADER]: signatureOf(options.secret, body) }),
    rng: createRng(`maxio-webhooks:${options.seed}`),
  });
}

/** Send one event's webhook; resolves when it was delivered or gave up (null: webhooks off). */
export function sendWebhook(
  emitter: WebhookEmitter | null,
  id: number,
  key: string,
  payload: Json,
): Promise<EmittedWebhook | null> {
  if (!emitter) return Promise.resolve(null);
  return emitter.emit(webhookBody(id, key, payload), { 'X-Chargify-Webhook-Id': String(id) });
}
