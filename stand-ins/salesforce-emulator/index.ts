/**
 * A stand-in for a Salesforce org that jsforce 3 talks to unchanged: OAuth 2.0 token endpoint,
 * REST (describe, records, upsert by external id, sObject Collections, SOQL query with paging,
 * limits) and Bulk API 2.0, over an org schema built from the package's force-app metadata, with
 * Salesforce's enforcement and error codes, API call accounting and faults on demand.
 *
 *   const sf = await startSalesforceEmulator({ port: 0 });
 *   const conn = new Connection({ instanceUrl: sf.url, accessToken: sf.accessToken, version: '62.0' });
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService, OAuthError } from './auth.ts';
import type { ConnectedAppConfig, EmulatorUser, Session, UserConfig } from './auth.ts';
import { BulkService } from './bulk.ts';
import { Dml } from './dml.ts';
import type { DmlUser } from './dml.ts';
import {
  SfRecordError,
  SfRequestError,
  limitExceeded,
  notFound,
  sessionInvalid,
} from './errors.ts';
import { SalesforceFaults } from './faults.ts';
import { makeId, toId18 } from './ids.ts';
import { registerRest, versionOf } from './rest.ts';
import { IMPLEMENTED_RULES } from './rules.ts';
import { buildSchema } from './schema.ts';
import type { Schema } from './schema-types.ts';
import { RecordStore } from './store.ts';
import type { FieldValue, SfRecord } from './store.ts';
import { ApiUsage } from './usage.ts';

export type { UserConfig, ConnectedAppConfig } from './auth.ts';
export type { SfRecord } from './store.ts';
export { SalesforceFaults } from './faults.ts';

export interface SalesforceEmulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The SFDX source folder the schema is read from (default: this repository's force-app). */
  forceApp?: string;
  /** An SFDX project whose force-app/main/default is the schema (instead of `forceApp`). */
  projectDir?: string;
  /** The default connected app's credentials (default id `billing-bridge-emulator`, random secret). */
  clientId?: string;
  clientSecret?: string;
  /** PEM public key or certificate the default app checks JWT bearer assertions with. */
  jwtPublicKey?: string;
  /** Records a Bulk 2.0 job writes between yields to other requests (default 200). */
  bulkChunk?: number;
  multiCurrency?: boolean;
  currencies?: string[];
  /** Users of the org; default: an integration user (Billing_Integration_Bypass) and a rep. */
  users?: UserConfig[];
  /** Connected apps; default: one from clientId/clientSecret/jwtPublicKey. */
  connectedApps?: ConnectedAppConfig[];
  /** Daily API request limit (DailyApiRequests.Max), default 100000. */
  dailyApiLimit?: number;
  /** Access token lifetime, default 2 hours. */
  tokenTtlSeconds?: number;
  /** Records per query page (nextRecordsUrl), default 2000 as in Salesforce. */
  queryBatchSize?: number;
  /** Clock, for tests of date literals and timestamps. */
  now?: () => Date;
  logger?: boolean;
}

export interface EmulatorStats {
  /** API calls counted against the daily limit. */
  apiCalls: number;
  byKind: Record<string, number>;
  /** Calls by username. */
  byUser: Record<string, number>;
  /** Live records per object. */
  records: Record<string, number>;
  /** Successful writes per object and kind (create/update/delete), all APIs together. */
  writes: Record<string, { create: number; update: number; delete: number }>;
  /** Token endpoint calls by grant type, and in all (not API calls, as in Salesforce). */
  tokenGrants: Record<string, number>;
  tokenRequests: number;
  /** Records written, by path. */
  recordsWritten: { rest: number; collections: number; bulk: number };
  /** Bulk 2.0 ingest records processed and failed, per object. */
  bulkRecords: Record<string, { processed: number; failed: number }>;
}

export interface SalesforceEmulator {
  url: string;
  /** A valid access token of the integration user (the first configured user). */
  accessToken: string;
  /** The integration user's refresh token (as the authorization code flow would grant). */
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  orgId: string;
  /** Username of the integration user (the first user; run-as user of client credentials). */
  integrationUsername: string;
  schema: Schema;
  faults: SalesforceFaults;
  readonly stats: EmulatorStats;
  usage: ApiUsage;
  /** Live records of an object (copies), for assertions. */
  records(object: string, options?: { includeDeleted?: boolean }): SfRecord[];
  /** One live record by id, or undefined. */
  record(object: string, id: string): SfRecord | undefined;
  /**
   * Insert a record directly (no API call, no enforcement), optionally with a known id, as the
   * integration user: test and sandbox data. Returns its id.
   */
  seed(object: string, fields: Record<string, FieldValue>, id?: string): string;
  seedMany(object: string, records: Record<string, FieldValue>[]): string[];
  /** Fail the next writes of matching records with a record error (see faults.failRecords). */
  failRecords(fault: {
    sobject: string;
    externalId?: string;
    statusCode: string;
    message?: string;
    times?: number;
  }): void;
  /** Expire every issued access token (the next call gets INVALID_SESSION_ID). */
  expireSessions(): void;
  /** Set the day's API usage (and the limit), e.g. to test a caller's budget. */
  setApiUsage(used: number, limit?: number): void;
  /** The user record id of a username. */
  userId(username: string): string;
  /** A fresh access token of a user. */
  tokenFor(username: string): string;
  refreshTokenFor(username: string): string;
  authorizationCodeFor(username: string): string;
  /** Expire one access token, or all: the next call with it answers 401 INVALID_SESSION_ID. */
  expireTokens(token?: string): number;
  revokeToken(token: string): boolean;
  /** Validation rules of the package the emulator does not evaluate (`Object.Rule`). */
  unimplementedRules(): string[];
  close(): Promise<void>;
}

const DEFAULT_USERS: UserConfig[] = [
  {
    username: 'integration@billing-bridge.local',
    password: 'integration-password',
    firstName: 'Billing',
    lastName: 'Integration',
    permissions: ['Billing_Integration_Bypass'],
  },
  {
    username: 'rep@billing-bridge.local',
    password: 'rep-password',
    firstName: 'Sales',
    lastName: 'Rep',
    permissions: [],
  },
];

declare module 'fastify' {
  interface FastifyRequest {
    sfSession?: Session;
    /** Counted against the daily limit (so its kind is counted too). */
    sfCounted?: boolean;
  }
  interface FastifyContextConfig {
    kind?: string;
  }
}

export async function startSalesforceEmulator(
  options: SalesforceEmulatorOptions = {},
): Promise<SalesforceEmulator> {
  const now = options.now ?? (() => new Date());
  const schema = buildSchema({
    ...(options.forceApp
      ? { forceApp: options.forceApp }
      : options.projectDir
        ? { forceApp: join(options.projectDir, 'force-app', 'main', 'default') }
        : {}),
    multiCurrency: options.multiCurrency === true,
    ...(options.currencies ? { currencies: options.currencies } : {}),
    implementedRules: IMPLEMENTED_RULES,
  });
  const store = new RecordStore(schema, now);
  const dml = new Dml(schema, store);
  const faults = new SalesforceFaults();
  dml.recordFault = (object, keys) => faults.recordFault(object, keys);
  const writes: EmulatorStats['writes'] = {};
  dml.onWrite = (object, kind) => {
    const entry = (writes[object] ??= { create: 0, update: 0, delete: 0 });
    entry[kind]++;
  };

  const orgId = makeId('00D', 1);
  const apps = options.connectedApps ?? [
    {
      clientId: options.clientId ?? 'billing-bridge-emulator',
      // Made up at start: it opens nothing but this emulator.
      clientSecret: options.clientSecret ?? randomBytes(16).toString('hex'),
      ...(options.jwtPublicKey ? { jwtPublicKey: options.jwtPublicKey } : {}),
    },
  ];
  const auth = new AuthService({
    orgId,
    apps,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
    now: () => now().getTime(),
  });
  const usage = new ApiUsage(options.dailyApiLimit ?? 100_000);
  const bulkRecords: EmulatorStats['bulkRecords'] = {};
  const recordsWritten = { rest: 0, collections: 0, bulk: 0 };

  // Users are User records too (lookups to OwnerId/CreatedById resolve).
  const userObject = schema.objects.get('User');
  const userConfigs = options.users ?? DEFAULT_USERS;
  if (!userObject || userConfigs.length === 0)
    throw new Error('the emulator needs at least one user');
  for (const config of userConfigs) {
    const id = store.newId(userObject);
    const user: EmulatorUser = {
      id,
      username: config.username,
      permissions: new Set(config.permissions ?? []),
      isActive: config.isActive ?? true,
      ...(config.password !== undefined ? { password: config.password } : {}),
      ...(config.securityToken !== undefined ? { securityToken: config.securityToken } : {}),
    };
    for (const p of user.permissions) {
      if (!schema.customPermissions.has(p)) {
        throw new Error(`user ${config.username}: no custom permission ${p} in the package`);
      }
    }
    auth.addUser(user);
    store.insert(
      userObject,
      {
        Username: config.username,
        Email: config.email ?? config.username,
        FirstName: config.firstName ?? null,
        LastName: config.lastName ?? config.username.split('@')[0] ?? config.username,
        Name: [config.firstName, config.lastName ?? config.username.split('@')[0]]
          .filter(Boolean)
          .join(' '),
        IsActive: user.isActive,
      },
      id,
      id,
    );
  }
  const integration = auth.users()[0] as EmulatorUser;
  // Every org has a standard price book; the bridge stamps its key on it.
  const pricebook = schema.objects.get('Pricebook2');
  if (pricebook) {
    store.insert(
      pricebook,
      { Name: 'Standard Price Book', IsActive: true, IsStandard: true },
      integration.id,
    );
  }

  const bulk = new BulkService({
    dml,
    apiVersion: '62.0',
    now: () => store.now(),
    chunk: options.bulkChunk ?? 200,
    onRecords: (object, processed, failed) => {
      recordsWritten.bulk += processed - failed;
      const entry = (bulkRecords[object] ??= { processed: 0, failed: 0 });
      entry.processed += processed;
      entry.failed += failed;
    },
  });

  const app = Fastify({ logger: options.logger === true, bodyLimit: 150 * 1024 * 1024 });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  faults.fastifyHook(app);

  const userOf = (request: FastifyRequest): DmlUser => {
    const session = request.sfSession;
    const user = session ? auth.user(session.userId) : undefined;
    if (!user) throw sessionInvalid();
    return { id: user.id, permissions: user.permissions };
  };

  const bearer = (request: FastifyRequest): string | undefined => {
    const header = request.headers.authorization;
    const m = typeof header === 'string' ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header) : null;
    if (m) return m[1]?.trim();
    const token = (request.query as Record<string, string> | undefined)?.oauth_token;
    return token || undefined;
  };

  // Auth, the daily limit and call accounting, for every API call (not OAuth, not the version list).
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    const api =
      /^\/services\/data\/v[^/]+/.test(path) ||
      path.startsWith('/id/') ||
      path === '/services/oauth2/userinfo';
    if (!api) return;
    const session = auth.session(bearer(request));
    if (!session) {
      const error = sessionInvalid();
      return reply.code(error.status).send(error.body());
    }
    request.sfSession = session;
    if (path.startsWith('/services/data/')) {
      if (usage.exhausted) {
        reply.header('Sforce-Limit-Info', usage.header());
        const error = limitExceeded();
        return reply.code(error.status).send(error.body());
      }
      usage.count(session.userId);
      request.sfCounted = true;
      reply.header('Sforce-Limit-Info', usage.header());
    }
  });
  app.addHook('onResponse', async (request) => {
    if (request.sfCounted) {
      usage.kind(request.routeOptions.config.kind ?? 'other');
    }
  });

  app.setErrorHandler(async (error: unknown, _request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof OAuthError) {
      return reply
        .code(error.status)
        .send({ error: error.error, error_description: error.message });
    }
    if (error instanceof SfRequestError) {
      for (const [k, v] of Object.entries(error.headers ?? {})) reply.header(k, v);
      return reply.code(error.status).send(error.body());
    }
    if (error instanceof SfRecordError) {
      return reply
        .code(400)
        .send([{ message: error.message, errorCode: error.statusCode, fields: error.fields }]);
    }
    const e = error as { statusCode?: number; code?: string; message?: string };
    if (e.statusCode && e.statusCode < 500) {
      const code =
        e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : 'JSON_PARSER_ERROR';
      return reply
        .code(e.statusCode === 415 ? 415 : 400)
        .send([{ message: e.message ?? 'Bad request', errorCode: code }]);
    }
    reply.log.error(error);
    return reply
      .code(500)
      .send([{ message: 'An unexpected error occurred.', errorCode: 'UNKNOWN_EXCEPTION' }]);
  });
  app.setNotFoundHandler(async (_request, reply) => reply.code(404).send(notFound().body()));

  // OAuth 2.0.
  app.post('/services/oauth2/token', async (request) => {
    const params = (request.body ?? {}) as Record<string, string | undefined>;
    return auth.token(params);
  });
  app.post('/services/oauth2/revoke', async (request, reply) => {
    const params = {
      ...(request.query as Record<string, string>),
      ...((request.body as Record<string, string> | null) ?? {}),
    };
    if (!params.token || !auth.revoke(params.token)) {
      return reply.code(400).send({
        error: 'unsupported_token_type',
        error_description: 'this token type is not supported',
      });
    }
    return reply.code(200).send();
  });
  const identity = (userId: string) => {
    const user = auth.user(userId) as EmulatorUser;
    const record = store.get(userId) ?? {};
    return {
      id: `${auth.instanceUrl}/id/${orgId}/${userId}`,
      asserted_user: true,
      user_id: userId,
      organization_id: orgId,
      username: user.username,
      display_name: record.Name ?? user.username,
      email: record.Email ?? user.username,
      active: user.isActive,
      user_type: 'STANDARD',
      urls: {
        rest: `${auth.instanceUrl}/services/data/v{version}/`,
        sobjects: `${auth.instanceUrl}/services/data/v{version}/sobjects/`,
        query: `${auth.instanceUrl}/services/data/v{version}/query/`,
      },
    };
  };
  app.get('/id/:org/:user', async (request) => {
    const params = request.params as Record<string, string>;
    if (params.org !== orgId || !auth.user(params.user ?? '')) throw notFound();
    return identity(params.user as string);
  });
  app.get('/services/oauth2/userinfo', async (request) => {
    const info = identity(request.sfSession?.userId ?? '');
    return {
      sub: info.id,
      user_id: info.user_id,
      organization_id: orgId,
      preferred_username: info.username,
      name: info.display_name,
      email: info.email,
    };
  });
  app.get('/services/data', async () =>
    ['55.0', '58.0', '59.0', '60.0', '61.0', '62.0'].map((version) => ({
      label: `API ${version}`,
      url: `/services/data/v${version}`,
      version,
    })),
  );
  app.get('/services/data/', async (_request, reply) => reply.redirect('/services/data'));

  registerRest(app, {
    dml,
    usage,
    queryBatchSize: options.queryBatchSize ?? 2000,
    userOf,
    now,
    written: (path, count) => {
      recordsWritten[path] += count;
    },
  });

  // Bulk API 2.0.
  const base = '/services/data/:version/jobs';
  const kind = (name: string) => ({ config: { kind: name } });
  const id = (request: FastifyRequest) => (request.params as Record<string, string>).id ?? '';
  app.post(`${base}/ingest`, kind('bulk2.create'), async (request) =>
    bulk.createIngest(
      (request.body ?? {}) as Record<string, unknown>,
      userOf(request),
      versionOf(request),
    ),
  );
  app.get(`${base}/ingest`, kind('bulk2.list'), async (request) => {
    versionOf(request);
    return bulk.listIngest();
  });
  app.get(`${base}/ingest/:id`, kind('bulk2.info'), async (request) => {
    versionOf(request);
    return bulk.ingestInfo(id(request));
  });
  app.put(`${base}/ingest/:id/batches`, kind('bulk2.upload'), async (request, reply) => {
    versionOf(request);
    if (typeof request.body !== 'string') {
      throw new SfRequestError(
        400,
        'INVALIDJOB',
        'InvalidJob : upload CSV with Content-Type: text/csv',
      );
    }
    bulk.upload(id(request), request.body);
    return reply.code(201).send();
  });
  app.patch(`${base}/ingest/:id`, kind('bulk2.state'), async (request) => {
    versionOf(request);
    return bulk.setState(id(request), (request.body as { state?: unknown } | null)?.state);
  });
  app.delete(`${base}/ingest/:id`, kind('bulk2.delete'), async (request, reply) => {
    versionOf(request);
    bulk.deleteJob(id(request), 'ingest');
    return reply.code(204).send();
  });
  const csv = (reply: FastifyReply, text: string) =>
    reply.header('content-type', 'text/csv').send(text);
  app.get(`${base}/ingest/:id/successfulResults`, kind('bulk2.results'), async (request, reply) =>
    csv(reply, bulk.results(id(request), 'successful')),
  );
  app.get(`${base}/ingest/:id/failedResults`, kind('bulk2.results'), async (request, reply) =>
    csv(reply, bulk.results(id(request), 'failed')),
  );
  app.get(`${base}/ingest/:id/unprocessedrecords`, kind('bulk2.results'), async (request, reply) =>
    csv(reply, bulk.results(id(request), 'unprocessed')),
  );
  app.post(`${base}/query`, kind('bulk2.query'), async (request) =>
    bulk.createQuery(
      (request.body ?? {}) as Record<string, unknown>,
      userOf(request),
      versionOf(request),
    ),
  );
  app.get(`${base}/query/:id`, kind('bulk2.info'), async (request) => {
    versionOf(request);
    return bulk.queryInfo(id(request));
  });
  app.patch(`${base}/query/:id`, kind('bulk2.state'), async (request) => {
    versionOf(request);
    return bulk.abortQuery(id(request));
  });
  app.delete(`${base}/query/:id`, kind('bulk2.delete'), async (request, reply) => {
    versionOf(request);
    bulk.deleteJob(id(request), 'query');
    return reply.code(204).send();
  });
  app.get(`${base}/query/:id/results`, kind('bulk2.results'), async (request, reply) => {
    versionOf(request);
    const { csv: text, count } = bulk.queryResults(id(request));
    return reply
      .header('Sforce-Locator', 'null')
      .header('Sforce-NumberOfRecords', String(count))
      .header('content-type', 'text/csv')
      .send(text);
  });

  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const url = address.replace('[::1]', '127.0.0.1');
  auth.instanceUrl = url;

  const userId = (username: string) => {
    const user = auth.userByName(username);
    if (!user) throw new Error(`no user ${username}`);
    return user.id;
  };

  return {
    url,
    accessToken: auth.issue(integration.id).token,
    refreshToken: auth.issueRefreshToken(integration.username),
    clientId: apps[0]?.clientId ?? '',
    clientSecret: apps[0]?.clientSecret ?? '',
    orgId,
    integrationUsername: integration.username,
    schema,
    faults,
    usage,
    get stats(): EmulatorStats {
      const byUser: Record<string, number> = {};
      for (const [uid, n] of usage.byUser) byUser[auth.user(uid)?.username ?? uid] = n;
      return {
        apiCalls: usage.used,
        byKind: Object.fromEntries(usage.byKind),
        byUser,
        records: store.counts(),
        writes: structuredClone(writes),
        tokenGrants: { ...auth.grants },
        tokenRequests: Object.values(auth.grants).reduce((a, b) => a + b, 0),
        recordsWritten: { ...recordsWritten },
        bulkRecords: structuredClone(bulkRecords),
      };
    },
    records: (object, opts = {}) => {
      const def = schema.objectsLower.get(object.toLowerCase());
      if (!def) throw new Error(`no object ${object}`);
      return store.all(def.name, opts.includeDeleted === true).map((r) => ({ ...r }));
    },
    record: (object, id) => {
      const record = store.get(id);
      const def = record ? store.objectOfId(String(record.Id)) : undefined;
      return record && def?.name.toLowerCase() === object.toLowerCase() ? { ...record } : undefined;
    },
    seed: (object, fields, id) => {
      const def = schema.objectsLower.get(object.toLowerCase());
      if (!def) throw new Error(`no object ${object}`);
      const given = id === undefined ? undefined : (toId18(id) ?? undefined);
      if (id !== undefined && (!given || given.slice(0, 3) !== def.keyPrefix)) {
        throw new Error(`seed: ${id} is not a ${def.name} id (key prefix ${def.keyPrefix})`);
      }
      return store.insert(def, { ...fields }, integration.id, given).Id as string;
    },
    seedMany: (object, records) => {
      const def = schema.objectsLower.get(object.toLowerCase());
      if (!def) throw new Error(`no object ${object}`);
      return records.map((r) => store.insert(def, { ...r }, integration.id).Id as string);
    },
    failRecords: (fault) =>
      faults.failRecords({
        object: fault.sobject,
        errorCode: fault.statusCode,
        ...(fault.externalId !== undefined ? { externalId: fault.externalId } : {}),
        ...(fault.message !== undefined ? { message: fault.message } : {}),
        ...(fault.times !== undefined ? { times: fault.times } : {}),
      }),
    expireSessions: () => {
      auth.expire();
    },
    setApiUsage: (used, limit) => {
      if (limit !== undefined) usage.max = limit;
      usage.used = used;
    },
    userId,
    tokenFor: (username) => auth.issue(userId(username)).token,
    refreshTokenFor: (username) => auth.issueRefreshToken(username),
    authorizationCodeFor: (username) => auth.issueAuthorizationCode(username),
    expireTokens: (token) => auth.expire(token),
    revokeToken: (token) => auth.revoke(token),
    unimplementedRules: () =>
      [...schema.objects.values()].flatMap((o) =>
        o.validationRules.filter((r) => !r.implemented).map((r) => `${o.name}.${r.name}`),
      ),
    close: () => app.close(),
  };
}
