/**
 * The bridge's configuration: where it keeps data, which billing sites it serves (with their
 * credentials), how it reaches Salesforce, and which orgs may call its API. Validated with zod;
 * secrets are plain strings here and masked by `toSafeJSON` wherever the config is shown.
 */
import { z } from 'zod';

export const providerSchema = z.enum(['maxio', 'chargebee']);

const siteName = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9-]*$/,
    'letters, digits and hyphens (a Maxio subdomain or Chargebee site)',
  );

export const siteSchema = z
  .object({
    provider: providerSchema,
    /** Maxio subdomain or Chargebee site name. */
    name: siteName,
    /** Maxio region: `us` (chargify.com) or `eu` (ebilling.maxio.com). */
    region: z.enum(['us', 'eu']).default('us'),
    apiKey: z.string().min(1, 'apiKey is required (file or environment)'),
    /** Overrides the vendor URL, e.g. a local simulator. */
    baseUrl: z.url().optional(),
    defaultCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
      .default('USD'),
    webhook: z
      .object({
        /** Maxio: the site's webhook shared key (HMAC-SHA256). */
        secret: z.string().min(1).optional(),
        /** Chargebee: the Basic auth credentials configured on the webhook. */
        username: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
      })
      .default({}),
  })
  .superRefine((site, ctx) => {
    if (site.provider === 'chargebee' && site.webhook.secret !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhook', 'secret'],
        message: 'Chargebee webhooks use Basic auth: set webhook.username and webhook.password',
      });
    }
    if (
      site.provider === 'maxio' &&
      (site.webhook.username ?? site.webhook.password) !== undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhook'],
        message: 'Maxio webhooks are signed with a shared key: set webhook.secret',
      });
    }
    if ((site.webhook.username === undefined) !== (site.webhook.password === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhook'],
        message: 'webhook.username and webhook.password go together',
      });
    }
    if (site.provider === 'chargebee' && site.region === 'eu') {
      ctx.addIssue({
        code: 'custom',
        path: ['region'],
        message: 'region applies to Maxio sites only',
      });
    }
  });

export const salesforceSchema = z
  .object({
    loginUrl: z.url().default('https://login.salesforce.com'),
    /** Set when talking to a known instance (or the local emulator). */
    instanceUrl: z.url().optional(),
    apiVersion: z
      .string()
      .regex(/^\d+\.0$/)
      .default('62.0'),
    /** OAuth: JWT bearer (clientId + username + privateKey/privateKeyFile) or client credentials (clientId + clientSecret). */
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    privateKey: z.string().min(1).optional(),
    privateKeyFile: z.string().min(1).optional(),
  })
  .superRefine((sf, ctx) => {
    if (sf.privateKey !== undefined && sf.privateKeyFile !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['privateKey'],
        message: 'set privateKey or privateKeyFile, not both',
      });
    }
  });

export const orgSchema = z.object({
  /** Salesforce org id (15 or 18 characters). */
  id: z.string().regex(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, 'a Salesforce org id (00D…)'),
  /** The per-org token the org's External Credential sends. */
  token: z.string().min(16, 'at least 16 characters'),
});

/**
 * Where the bridge keeps its state: the embedded SQLite file (default, `<dataDir>/bridge.db`), or
 * PostgreSQL for several worker processes.
 */
export const storeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), path: z.string().min(1).optional() }),
  z.object({ kind: z.literal('postgres'), url: z.string().min(1, 'a postgres:// connection URL') }),
]);

/** How the sync engine paces itself. */
export const syncSchema = z
  .object({
    /** Read each site's event feed every … seconds (0 = off). */
    pollIntervalSeconds: z.number().int().min(0).default(60),
    /** Look for failures due for retry every … seconds (0 = off). */
    retryIntervalSeconds: z.number().int().min(0).default(30),
    /** Jobs one process works on at once. */
    workerConcurrency: z.number().int().min(1).max(64).default(4),
    /** Records of one object from which a write goes through Bulk API 2.0. */
    bulkThreshold: z.number().int().min(1).default(2000),
    /** Share of the org's daily API limit after which backfills stop (live sync goes on). */
    backfillStopAt: z.number().min(0.1).max(1).default(0.85),
    /** Share after which live sync stops too. */
    liveStopAt: z.number().min(0.1).max(1).default(0.95),
    /** The org has multi-currency on (CurrencyIsoCode is written). */
    multiCurrency: z.boolean().default(false),
    /** How long a worker holds a job before another process may take it (crash recovery). */
    jobLeaseSeconds: z.number().int().min(1).default(60),
  })
  .default({
    pollIntervalSeconds: 60,
    retryIntervalSeconds: 30,
    workerConcurrency: 4,
    bulkThreshold: 2000,
    backfillStopAt: 0.85,
    liveStopAt: 0.95,
    multiCurrency: false,
    jobLeaseSeconds: 60,
  });

export const bridgeConfigSchema = z
  .object({
    dataDir: z.string().min(1).default('.billing-bridge'),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8787),
      })
      .default({ host: '127.0.0.1', port: 8787 }),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    sites: z.array(siteSchema).default([]),
    salesforce: salesforceSchema.optional(),
    store: storeSchema.default({ kind: 'sqlite' }),
    sync: syncSchema,
    orgs: z.array(orgSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.sites.forEach((site, i) => {
      const key = `${site.provider}:${site.name}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sites', i, 'name'],
          message: `duplicate site ${key}`,
        });
      }
      seen.add(key);
    });
  });

export type BridgeConfig = z.infer<typeof bridgeConfigSchema>;
export type SiteConfig = z.infer<typeof siteSchema>;
export type SalesforceConfig = z.infer<typeof salesforceSchema>;
export type OrgConfig = z.infer<typeof orgSchema>;
export type StoreConfig = z.infer<typeof storeSchema>;
export type SyncConfig = z.infer<typeof syncSchema>;
/** The config as written in a file or built from the environment (defaults not yet applied). */
export type BridgeConfigInput = z.input<typeof bridgeConfigSchema>;

/** Field names whose values are secrets, wherever they appear in the config. */
export const SECRET_FIELDS = new Set([
  'apiKey',
  'secret',
  'password',
  'clientSecret',
  'privateKey',
  'token',
]);
