/**
 * What every Maxio endpoint shares: Basic auth (`api_key:x`), the 4-requests-in-flight limit,
 * the request log, `page`/`per_page` pagination, list wrappers and Maxio's error bodies
 * (`{"errors":["…"]}`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkApiKey } from '../common/auth.ts';
import type { Json } from './data.ts';
import type { MaxioStore } from './store.ts';

export const MAX_PER_PAGE = 200;
export const DEFAULT_PER_PAGE = 20;

export interface RequestLogEntry {
  method: string;
  path: string;
  body: unknown;
}

/** What the route modules get: the store and a way to publish an event (feed + webhook). */
export interface RouteContext {
  store: MaxioStore;
  publish(
    key: string,
    message: string,
    refs: { subscriptionId?: number | null; customerId?: number | null },
    payload: Json,
  ): Json;
}

export interface GuardOptions {
  apiKey?: string | undefined;
  maxConcurrent: number;
  requests: RequestLogEntry[];
}

/** Auth, then the concurrency limit (a 5th request in flight gets 429 + Retry-After), then the log. */
export function installGuards(app: FastifyInstance, options: GuardOptions): void {
  let inFlight = 0;
  const counted = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request, reply) => {
    const check = checkApiKey(request.headers.authorization, options.apiKey);
    if (!check.ok) {
      // Maxio is a Rails app: a bad or missing key is Rails' Basic-auth refusal.
      return reply.code(401).send({ errors: ['HTTP Basic: Access denied.'] });
    }
    if (inFlight >= options.maxConcurrent) {
      return reply
        .code(429)
        .header('Retry-After', '1')
        .send({
          errors: [
            `Too many concurrent requests: at most ${options.maxConcurrent} in flight per site`,
          ],
        });
    }
    inFlight += 1;
    counted.add(request);
    return undefined;
  });
  const release = (request: FastifyRequest) => {
    if (counted.delete(request)) inFlight = Math.max(0, inFlight - 1);
  };
  app.addHook('onResponse', async (request) => release(request));
  // A request cut by a fault or a dropped client still frees its slot.
  app.addHook('onRequestAbort', async (request) => release(request));
  app.addHook('preHandler', async (request) => {
    options.requests.push({
      method: request.method,
      path: request.url.split('?')[0] ?? '',
      body: request.body ?? null,
    });
  });
}

export interface PageQuery {
  page?: string;
  per_page?: string;
  direction?: string;
  since_id?: string;
  max_id?: string;
}

/** One page: 1-based `page`, `per_page` ≤ 200 (default 20), oldest first unless `direction=desc`. */
export function paginate(request: FastifyRequest, records: Json[]): Json[] {
  const q = request.query as PageQuery;
  const perPage = Math.min(
    MAX_PER_PAGE,
    Math.max(1, Number(q.per_page ?? DEFAULT_PER_PAGE) || DEFAULT_PER_PAGE),
  );
  const page = Math.max(1, Number(q.page ?? 1) || 1);
  if (q.direction === 'desc') {
    const end = records.length - (page - 1) * perPage;
    return records.slice(Math.max(0, end - perPage), Math.max(0, end)).reverse();
  }
  return records.slice((page - 1) * perPage, page * perPage);
}

/** Maxio's classic list shape: `[{"customer":{…}}, …]`. */
export const wrap = (key: string, records: Json[]): Json[] => records.map((r) => ({ [key]: r }));

export const notFound = (reply: FastifyReply) => reply.code(404).send({ errors: ['Not Found'] });

export const unprocessable = (reply: FastifyReply, errors: string[]) =>
  reply.code(422).send({ errors });

/** `filter[ids]=1,2` narrows the list-all price point endpoints. */
export function byIds(request: FastifyRequest, records: Json[]): Json[] {
  const ids = (request.query as Record<string, string | undefined>)['filter[ids]'];
  if (!ids) return records;
  const wanted = new Set(ids.split(','));
  return records.filter((r) => wanted.has(String(r.id)));
}
