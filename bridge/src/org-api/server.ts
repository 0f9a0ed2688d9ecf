/**
 * The org API: what the package's Flows call through the Billing Bridge Named Credential. Its
 * contract is openapi.json (served at /org/v1/openapi.json and embedded in the package's External
 * Service Registration). JSON only; every other answer is an `Error` body a rep can read.
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  BillingBridgeError,
  InvalidRequestError,
  NotFoundError,
  createApiError,
} from '../errors.ts';
import {
  externalIdOf,
  type BillingManifest,
  type ResourceMap,
  type Site,
  type SiteKey,
  type SubscriptionRequest,
} from '../model/canonical.ts';
import type { BillingProvider, Page } from '../providers/provider.ts';
import type { CreationLedger } from './ledger.ts';
import type { PreviewSource } from './preview-source.ts';
import { orgApiSpecRoute } from './spec.ts';

export interface ConnectedSite {
  site: Site;
  provider: BillingProvider;
}

export interface OrgApiOptions {
  orgs: { id: string; token: string }[];
  sites: ConnectedSite[];
  ledger: CreationLedger;
  /** Reads saved previews from Salesforce, for creation by `previewId` alone. */
  previewSource?: PreviewSource;
  version: string;
  /** Most catalog records fetched per resource (a catalog is for a picker, not a backfill). */
  catalogLimit?: number;
  logger?: boolean;
}

const TOKEN_HEADER = 'x-billing-bridge-token';
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string such as "1" or "2.50"');

const customerSchema = z.object({
  accountId: z.string().optional(),
  customerId: z.string().optional(),
  company: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  country: z.string().optional(),
  state: z.string().optional(),
  zip: z.string().optional(),
});

export const previewRequestSchema = z.object({
  siteKey: z.string().min(1),
  customer: customerSchema,
  productId: z.string().optional(),
  pricePointId: z.string().optional(),
  planQuantity: decimal.optional(),
  items: z
    .array(
      z.object({
        productId: z.string().optional(),
        pricePointId: z.string().optional(),
        quantity: decimal,
      }),
    )
    .default([]),
  // Flows cannot build a list of objects: they send items as two parallel lists.
  itemPricePointIds: z.array(z.string().min(1)).default([]),
  itemQuantities: z.array(decimal).default([]),
  couponCodes: z.array(z.string().min(1)).default([]),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
});

export const createSubscriptionSchema = z
  .object({
    opportunityId: z.string().min(15).max(18),
    previewId: z.string().optional(),
    preview: previewRequestSchema.optional(),
    poNumber: z.string().optional(),
    startDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .refine((body) => body.preview !== undefined || body.previewId !== undefined, {
    message: 'give the preview, or the previewId of a saved Subscription Preview',
    path: ['preview'],
  });

type PreviewBody = z.infer<typeof previewRequestSchema>;

interface ErrorBody {
  code: string;
  message: string;
  provider?: string;
  param?: string;
  requestId?: string;
}

function statusForError(error: BillingBridgeError): number {
  const status = error.status ?? 500;
  if (error.provider && error.provider !== 'salesforce') {
    // The provider's answer about our request: 4xx that the rep can fix stay 4xx; the provider
    // refusing the bridge's own credentials or failing is a bad gateway.
    if (status === 400 || status === 404 || status === 409 || status === 422 || status === 429)
      return status === 422 ? 400 : status;
    return 502;
  }
  return status >= 400 && status < 600 ? status : 500;
}

function errorBody(error: BillingBridgeError): ErrorBody {
  return {
    code: error.code ?? error.name,
    message: error.message,
    ...(error.provider ? { provider: error.provider } : { provider: 'bridge' }),
    ...(error.param ? { param: error.param } : {}),
    ...(error.requestId ? { requestId: error.requestId } : {}),
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** items plus the parallel-list form Flows send; the two lists must line up. */
function itemsOf(body: PreviewBody): PreviewBody['items'] {
  if (body.itemPricePointIds.length !== body.itemQuantities.length) {
    throw createApiError({
      provider: undefined,
      status: 400,
      code: 'invalid_request',
      message: `itemQuantities: ${body.itemQuantities.length} quantities for ${body.itemPricePointIds.length} itemPricePointIds; send one quantity per price point`,
      param: 'itemQuantities',
    });
  }
  return [
    ...body.items,
    ...body.itemPricePointIds.map((pricePointId, i) => ({
      pricePointId,
      quantity: body.itemQuantities[i] ?? '',
    })),
  ];
}

function toSubscriptionRequest(body: PreviewBody, opportunityId?: string): SubscriptionRequest {
  const { customer } = body;
  const address =
    customer.country || customer.state || customer.zip
      ? {
          country: customer.country ?? null,
          state: customer.state ?? null,
          zip: customer.zip ?? null,
        }
      : null;
  return {
    customer: {
      id: customer.customerId ?? null,
      reference: customer.accountId ?? null,
      company: customer.company ?? null,
      firstName: customer.firstName ?? null,
      lastName: customer.lastName ?? null,
      email: customer.email ?? null,
      phone: customer.phone ?? null,
      billingAddress: address,
    },
    productId: body.productId ?? null,
    pricePointId: body.pricePointId ?? null,
    planQuantity: body.planQuantity ?? null,
    items: itemsOf(body).map((item) => ({
      productId: item.productId ?? null,
      pricePointId: item.pricePointId ?? null,
      quantity: item.quantity,
    })),
    couponCodes: body.couponCodes,
    currency: body.currency ?? null,
    opportunityId: opportunityId ?? null,
  };
}

function manifestBody(manifest: BillingManifest) {
  return {
    currency: manifest.currency,
    lines: manifest.lines.map((line) => ({
      kind: line.kind,
      description: line.description,
      ...(line.quantity ? { quantity: line.quantity } : {}),
      ...(line.unitPrice ? { unitPrice: line.unitPrice } : {}),
      amount: line.amount,
      discount: line.discount,
      tax: line.tax,
      ...(line.periodStart ? { periodStart: line.periodStart } : {}),
      ...(line.periodEnd ? { periodEnd: line.periodEnd } : {}),
    })),
    subtotal: manifest.subtotal,
    discount: manifest.discount,
    tax: manifest.tax,
    total: manifest.total,
    ...(manifest.periodStart ? { periodStart: manifest.periodStart } : {}),
    ...(manifest.periodEnd ? { periodEnd: manifest.periodEnd } : {}),
  };
}

export function buildOrgApi(options: OrgApiOptions): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false });
  const sites = new Map<string, ConnectedSite>(options.sites.map((s) => [s.site.key, s]));
  const catalogLimit = options.catalogLimit ?? 1000;

  const siteOf = (siteKey: string): ConnectedSite => {
    const connected = sites.get(siteKey);
    if (!connected)
      throw new NotFoundError(`No billing site ${siteKey} is connected to this bridge.`, {
        status: 404,
        code: 'site_not_found',
        param: 'siteKey',
      });
    return connected;
  };

  const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const param = issue?.path.join('.') ?? '';
    throw createApiError({
      provider: undefined,
      status: 400,
      code: 'invalid_request',
      message: `${param || 'body'}: ${issue?.message ?? 'invalid'}`,
      param,
    });
  };

  app.setErrorHandler((error: unknown, _request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof BillingBridgeError) {
      return reply.status(statusForError(error)).send(errorBody(error));
    }
    const fastifyError = error as { statusCode?: number; message?: string };
    if (fastifyError.statusCode && fastifyError.statusCode < 500) {
      return reply.status(fastifyError.statusCode).send({
        code: 'invalid_request',
        message: fastifyError.message ?? 'Invalid request',
        provider: 'bridge',
      });
    }
    app.log.error(error);
    return reply.status(500).send({
      code: 'internal_error',
      message: 'The bridge failed unexpectedly.',
      provider: 'bridge',
    });
  });

  orgApiSpecRoute(app);

  app.addHook('onRequest', async (request, reply) => {
    // The org API is /org/v1/*; its OpenAPI document is public (it holds no secret).
    if (!request.url.startsWith('/org/v1/') || request.url === '/org/v1/openapi.json') return;
    const given = request.headers[TOKEN_HEADER];
    const token = Array.isArray(given) ? given[0] : given;
    if (!token || !options.orgs.some((org) => sameToken(token, org.token))) {
      await reply.status(401).send({
        code: 'unauthorized',
        message: 'The org token is missing or wrong. Check the Billing Bridge external credential.',
        provider: 'bridge',
      });
    }
  });

  app.get('/org/v1/health', async () => ({
    status: 'ok',
    version: options.version,
    sites: sites.size,
  }));

  app.get('/org/v1/sites', async () => ({
    sites: [...sites.values()].map(({ site }) => ({
      siteKey: site.key,
      provider: site.provider,
      name: site.name,
      defaultCurrency: site.defaultCurrency,
      ...(site.region ? { region: site.region } : {}),
    })),
  }));

  app.get<{ Params: { siteKey: string } }>('/org/v1/sites/:siteKey/catalog', async (request) => {
    const { provider } = siteOf(request.params.siteKey);
    const all = async <R extends 'product' | 'pricePoint' | 'coupon'>(
      resource: R,
    ): Promise<ResourceMap[R][]> => {
      const records: ResourceMap[R][] = [];
      let cursor: string | null = null;
      do {
        const page: Page<ResourceMap[R]> = await provider.list(resource, { cursor, pageSize: 100 });
        records.push(...page.records);
        cursor = page.nextCursor;
      } while (cursor && records.length < catalogLimit);
      return records.slice(0, catalogLimit);
    };
    const [products, pricePoints, coupons] = await Promise.all([
      all('product'),
      all('pricePoint'),
      all('coupon'),
    ]);
    const active = <T extends { status?: string | null }>(r: T) =>
      !r.status || r.status === 'active';
    return {
      siteKey: provider.siteKey,
      products: products.filter(active).map((p) => ({
        id: p.id,
        kind: p.kind,
        name: p.name,
        ...(p.handle ? { handle: p.handle } : {}),
        ...(p.familyName ? { family: p.familyName } : {}),
        ...(p.defaultPricePointId ? { defaultPricePointId: p.defaultPricePointId } : {}),
      })),
      pricePoints: pricePoints.filter(active).map((pp) => ({
        id: pp.id,
        productId: pp.productId,
        name: pp.name,
        currency: pp.currency,
        pricingModel: pp.pricingModel,
        price: pp.price,
        ...(pp.period ? { period: pp.period } : {}),
        ...(pp.periodUnit ? { periodUnit: pp.periodUnit } : {}),
        ...(pp.trialPeriod ? { trialPeriod: pp.trialPeriod } : {}),
        ...(pp.trialPeriodUnit ? { trialPeriodUnit: pp.trialPeriodUnit } : {}),
      })),
      coupons: coupons.filter(active).map((c) => ({
        code: c.code,
        name: c.name,
        discountType: c.discountType,
        ...(c.discountPercentage ? { discountPercentage: c.discountPercentage } : {}),
        ...(c.discountAmount ? { discountAmount: c.discountAmount } : {}),
        durationType: c.durationType,
      })),
      currencies: [...new Set(pricePoints.map((pp) => pp.currency))].sort(),
    };
  });

  app.post('/org/v1/previews', async (request) => {
    const body = parse(previewRequestSchema, request.body);
    const { provider } = siteOf(body.siteKey);
    const preview = await provider.previewSubscription(toSubscriptionRequest(body));
    return {
      siteKey: preview.siteKey,
      currency: preview.currency,
      current: manifestBody(preview.current),
      ...(preview.next ? { next: manifestBody(preview.next) } : {}),
      pricedAt: new Date().toISOString(),
    };
  });

  app.post('/org/v1/subscriptions', async (request, reply) => {
    const body = parse(createSubscriptionSchema, request.body);
    let preview: PreviewBody;
    if (body.preview) preview = body.preview;
    else if (options.previewSource) {
      preview = parse(
        previewRequestSchema,
        await options.previewSource.readPreview(body.previewId as string, body.opportunityId),
      );
    } else {
      throw new InvalidRequestError(
        'this bridge has no Salesforce connection to read saved previews from: send the preview',
        { status: 400, param: 'preview' },
      );
    }
    const { provider } = siteOf(preview.siteKey);
    const { state, record } = await options.ledger.claim(body.opportunityId, provider.siteKey);
    if (state === 'done') {
      return {
        opportunityId: body.opportunityId,
        state: 'created',
        siteKey: record.siteKey,
        subscriptionId: record.subscriptionId,
        externalId: record.externalId,
        status: record.status,
        created: false,
      };
    }
    if (state === 'in_progress') {
      return reply.status(409).send({
        code: 'creation_in_progress',
        message: 'The subscription for this opportunity is being created; try again in a moment.',
        provider: 'bridge',
      });
    }
    try {
      const subscriptionRequest = {
        ...toSubscriptionRequest(preview, body.opportunityId),
        poNumber: body.poNumber ?? null,
        startDate: body.startDate ?? null,
      };
      const subscription = await provider.createSubscription(
        subscriptionRequest,
        record.idempotencyKey,
      );
      const result = {
        subscriptionId: subscription.id,
        externalId: externalIdOf(provider.siteKey as SiteKey, subscription.id),
        status: subscription.status,
      };
      await options.ledger.complete(body.opportunityId, result);
      return {
        opportunityId: body.opportunityId,
        state: 'created',
        siteKey: provider.siteKey,
        ...result,
        created: true,
      };
    } catch (error) {
      const bridgeError =
        error instanceof BillingBridgeError
          ? error
          : createApiError({
              status: 500,
              code: 'internal_error',
              message: 'The bridge failed unexpectedly.',
            });
      await options.ledger.fail(body.opportunityId, {
        code: bridgeError.code ?? bridgeError.name,
        message: bridgeError.message,
      });
      throw bridgeError;
    }
  });

  app.get<{ Params: { opportunityId: string } }>(
    '/org/v1/subscriptions/:opportunityId',
    async (request) => {
      const record = await options.ledger.get(request.params.opportunityId);
      if (!record) return { opportunityId: request.params.opportunityId, state: 'not_requested' };
      return {
        opportunityId: record.opportunityId,
        state: record.state,
        ...(record.siteKey ? { siteKey: record.siteKey } : {}),
        ...(record.subscriptionId
          ? {
              subscriptionId: record.subscriptionId,
              externalId: record.externalId,
              status: record.status,
            }
          : {}),
        ...(record.error ? { error: { ...record.error, provider: 'bridge' } } : {}),
      };
    },
  );

  return app;
}
