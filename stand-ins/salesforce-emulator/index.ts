/**
 * A Salesforce org on 127.0.0.1 that jsforce talks to unchanged, built at start from the
 * package's force-app metadata. It serves what the bridge and its tests use:
 *
 * - OAuth 2.0 token endpoint: client credentials, JWT bearer (RS256 assertion checked against the
 *   configured certificate's public key), refresh token and password; tokens can be expired on
 *   demand (`INVALID_SESSION_ID`, so jsforce's refresh path runs);
 * - REST: versions, describe global and per object, single-record CRUD and upsert by external
 *   id, sObject Collections (insert/update/upsert, 200 records, allOrNone), SOQL query and
 *   queryMore, limits;
 * - Bulk API 2.0 ingest jobs (bulk.ts);
 * - every answer to a REST call carries `Sforce-Limit-Info: api-usage=used/limit`; calls are
 *   counted and the daily limit enforced (`REQUEST_LIMIT_EXCEEDED`);
 * - faults on demand: HTTP-level (stand-ins/common/faults.ts: status, delay, drop) and
 *   record-level (`failRecords`: the next N writes matching an object / external id fail with
 *   the given code, e.g. `UNABLE_TO_LOCK_ROW`, `FIELD_CUSTOM_VALIDATION_EXCEPTION`).
 *
 *   const sf = await startSalesforceEmulator({ port: 0 });
 *   const conn = new Connection({ instanceUrl: sf.url, accessToken: sf.accessToken });
 */
import { createPublicKey, createVerify, randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FaultInjector } from '../common/faults.ts';
import { BulkIngest } from './bulk.ts';
import { OrgData, RecordError, to18 } from './records.ts';
import type { SfError, SfRecord, UserContext } from './records.ts';
import { buildSchema, describeBody } from './schema.ts';
import { QueryEngine } from './soql.ts';

export interface EmulatorUser {
  username: string;
  /** Custom permissions the user holds (the integration user: Billing_Integration_Bypass). */
  permissions?: string[];
  password?: string;
}

export interface SalesforceEmulatorOptions {
  host?: string;
  port?: number;
  /** The SFDX project whose force-app is the org's schema; default this repository. */
  projectDir?: string;
  apiVersion?: string;
  /** Connected app credentials accepted by the token endpoint. */
  clientId?: string;
  clientSecret?: string;
  /** PEM certificate or public key that JWT bearer assertions are checked against. */
  jwtPublicKey?: string;
  /** Users; the first is the integration user (run-as user of client credentials). */
  users?: EmulatorUser[];
  /** Daily API request limit (DailyApiRequests.Max). Default 1,000,000 (a large org). */
  dailyApiLimit?: number;
  /** Records one query page holds (queryMore after). Default 2000. */
  queryBatchSize?: number;
  /** Rows a Bulk job processes per tick. Default 5000. */
  bulkChunk?: number;
  logger?: boolean;
}

export interface RecordFault {
  sobject: string;
  externalId?: string;
  statusCode: string;
  message?: string;
  times?: number;
}

export interface EmulatorStats {
  /** REST calls counted against the daily limit. */
  apiCalls: number;
  byKind: Record<string, number>;
  /** Records written through each path. */
  recordsWritten: { rest: number; collections: number; bulk: number };
  /** Token requests answered (not API calls: Salesforce does not count them either). */
  tokenRequests: number;
}

export interface SalesforceEmulator {
  url: string;
  /** A valid session of the integration user, for tests that skip OAuth. */
  accessToken: string;
  clientId: string;
  clientSecret: string;
  orgId: string;
  integrationUsername: string;
  faults: FaultInjector;
  stats: EmulatorStats;
  data: OrgData;
  /** Every record of an object, as stored. */
  records(sobject: string): SfRecord[];
  /** Create a record as the integration user, optionally with a known id (test data). */
  seed(sobject: string, fields: Record<string, unknown>, id?: string): string;
  /** Fail the next writes matching the rule, record by record. */
  failRecords(fault: RecordFault): void;
  /** Invalidate every issued token (the next call gets INVALID_SESSION_ID). */
  expireSessions(): void;
  /** Set the day's usage, e.g. to test the bridge's budget. */
  setApiUsage(used: number, limit?: number): void;
  close(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_PROJECT = resolve(here, '..', '..');

interface Session {
  user: UserContext & { username: string };
  valid: boolean;
}

const sfErrors = (errors: SfError[]) =>
  errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields }));

export async function startSalesforceEmulator(
  options: SalesforceEmulatorOptions = {},
): Promise<SalesforceEmulator> {
  const version = options.apiVersion ?? '62.0';
  const schema = buildSchema(join(options.projectDir ?? DEFAULT_PROJECT, 'force-app'));
  const data = new OrgData(schema);
  const query = new QueryEngine(data);
  const bulk = new BulkIngest(data, options.bulkChunk ?? 5000);
  const clientId = options.clientId ?? 'billing-bridge-emulator';
  const clientSecret = options.clientSecret ?? randomBytes(16).toString('hex');
  const batchSize = options.queryBatchSize ?? 2000;
  let dailyLimit = options.dailyApiLimit ?? 1_000_000;
  let usageOffset = 0;
  const stats: EmulatorStats = {
    apiCalls: 0,
    byKind: {},
    recordsWritten: { rest: 0, collections: 0, bulk: 0 },
    tokenRequests: 0,
  };

  // Users: the integration user holds the bypass permission; a sales rep does not.
  const users = (
    options.users ?? [
      { username: 'integration@billing-bridge.local', permissions: ['Billing_Integration_Bypass'] },
      { username: 'rep@billing-bridge.local', permissions: [], password: 'rep-password' },
    ]
  ).map((u) => {
    const { id } = data.insert(
      'User',
      { Username: u.username, Email: u.username },
      {
        id: '005000000000000AAA',
        permissions: new Set(),
      },
    );
    return { ...u, id, permissions: new Set(u.permissions ?? []) };
  });
  const integration = users[0] as (typeof users)[number];
  // A new org has its standard price book.
  const standardBook = data.insert(
    'Pricebook2',
    { Name: 'Standard Price Book', IsActive: true },
    {
      id: integration.id,
      permissions: new Set(),
    },
  );
  const stdRecord = data.get('Pricebook2', standardBook.id);
  if (stdRecord) stdRecord.IsStandard = true;

  const sessions = new Map<string, Session>();
  const refreshTokens = new Map<string, (typeof users)[number]>();
  const issue = (user: (typeof users)[number]): string => {
    const token = `00D000000000001!${randomBytes(24).toString('base64url')}`;
    sessions.set(token, {
      user: { id: user.id, permissions: user.permissions, username: user.username },
      valid: true,
    });
    return token;
  };
  const accessToken = issue(integration);

  const recordFaults: (RecordFault & { remaining: number })[] = [];
  const faults = new FaultInjector({
    defaultBody: (status) => [
      {
        message: status === 503 ? 'Service Unavailable' : `HTTP ${status}`,
        errorCode: status === 503 ? 'SERVER_UNAVAILABLE' : `ERROR_HTTP_${status}`,
      },
    ],
  });

  const app: FastifyInstance = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 150 * 1024 * 1024,
  });
  faults.fastifyHook(app);
  app.addContentTypeParser(
    ['text/csv', 'application/x-www-form-urlencoded'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  );

  let baseUrl = '';
  const tokenResponse = (user: (typeof users)[number], withRefresh: boolean) => {
    const token = issue(user);
    const body: Record<string, string> = {
      access_token: token,
      instance_url: baseUrl,
      id: `${baseUrl}/id/${data.orgId}/${user.id}`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      signature: randomBytes(32).toString('base64'),
      scope: 'api',
    };
    if (withRefresh) {
      const refresh = randomBytes(24).toString('base64url');
      refreshTokens.set(refresh, user);
      body.refresh_token = refresh;
    }
    return body;
  };

  // --------------------------------------------------------------------------------------------
  // OAuth

  app.post('/services/oauth2/token', async (request, reply) => {
    stats.tokenRequests += 1;
    const params = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const fail = (error: string, description: string) =>
      reply.code(400).send({ error, error_description: description });
    const grant = params.get('grant_type');
    if (grant === 'client_credentials') {
      if (params.get('client_id') !== clientId || params.get('client_secret') !== clientSecret) {
        return fail('invalid_client', 'invalid client credentials');
      }
      return tokenResponse(integration, false);
    }
    if (grant === 'password') {
      if (params.get('client_id') !== clientId || params.get('client_secret') !== clientSecret) {
        return fail('invalid_client', 'invalid client credentials');
      }
      const user = users.find((u) => u.username === params.get('username'));
      if (!user || !user.password || user.password !== params.get('password')) {
        return fail('invalid_grant', 'authentication failure');
      }
      return tokenResponse(user, true);
    }
    if (grant === 'refresh_token') {
      const user = refreshTokens.get(params.get('refresh_token') ?? '');
      if (!user || params.get('client_id') !== clientId) {
        return fail('invalid_grant', 'expired access/refresh token');
      }
      return tokenResponse(user, false);
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const assertion = params.get('assertion') ?? '';
      const checked = verifyJwt(assertion, options.jwtPublicKey, clientId, baseUrl);
      if ('error' in checked) return fail('invalid_grant', checked.error);
      const user = users.find((u) => u.username === checked.sub);
      if (!user) return fail('invalid_grant', "user hasn't approved this consumer");
      return tokenResponse(user, false);
    }
    return fail('unsupported_grant_type', 'grant type not supported');
  });

  // --------------------------------------------------------------------------------------------
  // REST: authentication, accounting, headers

  const sessionOf = (request: FastifyRequest): Session | null => {
    const header = request.headers.authorization ?? '';
    const match = /^(Bearer|OAuth)\s+(.+)$/i.exec(header);
    const session = match ? sessions.get(match[2] as string) : undefined;
    return session && session.valid ? session : null;
  };

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/services/data/v')) return;
    if (!sessionOf(request)) {
      return reply
        .code(401)
        .send([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    if (stats.apiCalls + usageOffset >= dailyLimit) {
      reply.header('Sforce-Limit-Info', `api-usage=${stats.apiCalls + usageOffset}/${dailyLimit}`);
      return reply.code(403).send([
        {
          message: `TotalRequests Limit exceeded.`,
          errorCode: 'REQUEST_LIMIT_EXCEEDED',
        },
      ]);
    }
    stats.apiCalls += 1;
    const kind = kindOf(request.method, path);
    stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
    reply.header('Sforce-Limit-Info', `api-usage=${stats.apiCalls + usageOffset}/${dailyLimit}`);
    return undefined;
  });

  const userOf = (request: FastifyRequest): UserContext => (sessionOf(request) as Session).user;
  const v = '/services/data/:version';

  const fail = (reply: FastifyReply, error: unknown, status = 400) => {
    if (error instanceof RecordError) return reply.code(status).send(sfErrors(error.errors));
    throw error;
  };

  /** A write, unless a record fault says it fails. */
  const guarded = <T>(sobject: string, externalId: string | undefined, write: () => T): T => {
    const fault = recordFaults.find(
      (f) =>
        f.remaining > 0 &&
        f.sobject.toLowerCase() === sobject.toLowerCase() &&
        (f.externalId === undefined || f.externalId === externalId),
    );
    if (fault) {
      fault.remaining -= 1;
      throw new RecordError([
        {
          statusCode: fault.statusCode,
          message: fault.message ?? `${fault.statusCode} (injected by the emulator)`,
          fields: [],
        },
      ]);
    }
    return write();
  };

  app.get('/services/data', async () => [
    { label: "Winter '25", url: `/services/data/v${version}`, version },
  ]);
  app.get('/services/data/', async () => [
    { label: "Winter '25", url: `/services/data/v${version}`, version },
  ]);
  app.get(`${v}`, async () => ({
    sobjects: `/services/data/v${version}/sobjects`,
    query: `/services/data/v${version}/query`,
    composite: `/services/data/v${version}/composite`,
    limits: `/services/data/v${version}/limits`,
    jobs: `/services/data/v${version}/jobs`,
  }));
  app.get(`${v}/limits`, async () => ({
    DailyApiRequests: {
      Max: dailyLimit,
      Remaining: Math.max(0, dailyLimit - stats.apiCalls - usageOffset),
    },
    DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
  }));
  app.get(`${v}/sobjects`, async () => ({
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...schema.values()].map((os) => ({
      name: os.name,
      label: os.label,
      labelPlural: os.labelPlural,
      custom: os.custom,
      keyPrefix: os.keyPrefix,
      createable: true,
      updateable: true,
      queryable: true,
      urls: { sobject: `/services/data/v${version}/sobjects/${os.name}` },
    })),
  }));
  app.get<{ Params: { type: string } }>(`${v}/sobjects/:type/describe`, async (request, reply) => {
    try {
      return describeBody(data.object(request.params.type), version);
    } catch (error) {
      return fail(reply, error, 404);
    }
  });

  app.get<{ Params: { type: string; id: string }; Querystring: { fields?: string } }>(
    `${v}/sobjects/:type/:id`,
    async (request, reply) => {
      try {
        const os = data.object(request.params.type);
        const record = data.get(os.name, request.params.id);
        if (!record) {
          return reply
            .code(404)
            .send([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
        }
        const wanted = request.query.fields?.split(',').map((f) => f.trim()) ?? [
          ...os.fields.keys(),
        ];
        const out: Record<string, unknown> = {
          attributes: {
            type: os.name,
            url: `/services/data/v${version}/sobjects/${os.name}/${record.Id}`,
          },
        };
        for (const name of wanted) {
          const f = os.byLowerName.get(name.toLowerCase());
          if (f) out[f.name] = record[f.name] ?? null;
        }
        return out;
      } catch (error) {
        return fail(reply, error, 404);
      }
    },
  );

  app.post<{ Params: { type: string } }>(`${v}/sobjects/:type`, async (request, reply) => {
    try {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const { id } = guarded(request.params.type, undefined, () =>
        data.insert(request.params.type, body, userOf(request)),
      );
      stats.recordsWritten.rest += 1;
      return reply.code(201).send({ id, success: true, errors: [] });
    } catch (error) {
      return fail(reply, error);
    }
  });

  app.patch<{ Params: { type: string; id: string } }>(
    `${v}/sobjects/:type/:id`,
    async (request, reply) => {
      try {
        guarded(request.params.type, undefined, () =>
          data.update(
            request.params.type,
            request.params.id,
            (request.body ?? {}) as Record<string, unknown>,
            userOf(request),
          ),
        );
        stats.recordsWritten.rest += 1;
        return reply.code(204).send();
      } catch (error) {
        return fail(reply, error);
      }
    },
  );

  app.delete<{ Params: { type: string; id: string } }>(
    `${v}/sobjects/:type/:id`,
    async (request, reply) => {
      try {
        data.delete(request.params.type, request.params.id);
        return reply.code(204).send();
      } catch (error) {
        return fail(reply, error, 404);
      }
    },
  );

  app.patch<{ Params: { type: string; field: string; value: string } }>(
    `${v}/sobjects/:type/:field/:value`,
    async (request, reply) => {
      try {
        const { type, field, value } = request.params;
        const outcome = guarded(type, value, () =>
          data.upsert(
            type,
            field,
            decodeURIComponent(value),
            (request.body ?? {}) as Record<string, unknown>,
            userOf(request),
          ),
        );
        stats.recordsWritten.rest += 1;
        return reply
          .code(outcome.created ? 201 : 200)
          .send({ id: outcome.id, success: true, errors: [], created: outcome.created });
      } catch (error) {
        return fail(reply, error);
      }
    },
  );

  // --------------------------------------------------------------------------------------------
  // sObject Collections

  type CollectionBody = { allOrNone?: boolean; records?: Record<string, unknown>[] };
  const collection = (
    request: FastifyRequest,
    reply: FastifyReply,
    op: (record: Record<string, unknown>, user: UserContext) => { id: string; created: boolean },
    keyOf: (record: Record<string, unknown>) => string | undefined,
  ) => {
    const body = (request.body ?? {}) as CollectionBody;
    const records = body.records ?? [];
    if (records.length > 200) {
      return reply.code(400).send([
        {
          message: 'Maximum number of records is 200',
          errorCode: 'EXCEEDED_ID_LIMIT',
          fields: [],
        },
      ]);
    }
    const user = userOf(request);
    const undo: { sobject: string; id: string; before: SfRecord | undefined }[] = [];
    const results = records.map((record) => {
      const sobject = (record.attributes as { type?: string } | undefined)?.type ?? '';
      try {
        const key = keyOf(record);
        const existingId = typeof record.Id === 'string' ? to18(record.Id) : undefined;
        const before = existingId ? data.get(sobject, existingId) : undefined;
        const outcome = guarded(sobject, key, () => op(record, user));
        undo.push({ sobject, id: outcome.id, before: before ? { ...before } : undefined });
        return { id: outcome.id, success: true, errors: [] as unknown[], created: outcome.created };
      } catch (error) {
        if (!(error instanceof RecordError)) throw error;
        return { id: null, success: false, errors: error.errors as unknown[] };
      }
    });
    if (body.allOrNone && results.some((r) => !r.success)) {
      for (const u of undo.reverse()) data.restore(u.sobject, u.before, u.id);
      return results.map((r) =>
        r.success
          ? {
              id: null,
              success: false,
              errors: [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message:
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: [],
                },
              ],
            }
          : r,
      );
    }
    stats.recordsWritten.collections += results.filter((r) => r.success).length;
    return results;
  };

  app.post(`${v}/composite/sobjects`, async (request, reply) =>
    collection(
      request,
      reply,
      (record, user) =>
        data.insert(String((record.attributes as { type?: string }).type ?? ''), record, user),
      () => undefined,
    ),
  );
  app.patch(`${v}/composite/sobjects`, async (request, reply) =>
    collection(
      request,
      reply,
      (record, user) =>
        data.update(
          String((record.attributes as { type?: string }).type ?? ''),
          String(record.Id ?? ''),
          record,
          user,
        ),
      () => undefined,
    ),
  );
  app.patch<{ Params: { type: string; field: string } }>(
    `${v}/composite/sobjects/:type/:field`,
    async (request, reply) => {
      const { type, field } = request.params;
      const keyOf = (record: Record<string, unknown>) => {
        const entry = Object.entries(record).find(([k]) => k.toLowerCase() === field.toLowerCase());
        return entry ? String(entry[1]) : undefined;
      };
      return collection(
        request,
        reply,
        (record, user) => {
          const key = keyOf(record);
          if (key === undefined) {
            throw new RecordError([
              {
                statusCode: 'MISSING_ARGUMENT',
                message: `${field} not specified`,
                fields: [field],
              },
            ]);
          }
          const recordType = (record.attributes as { type?: string } | undefined)?.type ?? type;
          if (recordType.toLowerCase() !== type.toLowerCase()) {
            throw new RecordError([
              {
                statusCode: 'INVALID_TYPE',
                message: `Record type ${recordType} does not match ${type}`,
                fields: [],
              },
            ]);
          }
          return data.upsert(type, field, key, record, user);
        },
        keyOf,
      );
    },
  );
  app.delete<{ Querystring: { ids?: string } }>(`${v}/composite/sobjects`, async (request) =>
    (request.query.ids ?? '')
      .split(',')
      .filter(Boolean)
      .map((id) => {
        const found = data.findById(id);
        if (!found) {
          return {
            id,
            success: false,
            errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
          };
        }
        data.delete(found.os.name, found.record.Id);
        return { id: found.record.Id, success: true, errors: [] };
      }),
  );

  // --------------------------------------------------------------------------------------------
  // Query

  const cursors = new Map<string, { records: Record<string, unknown>[]; at: number }>();
  const page = (records: Record<string, unknown>[], at: number, locator: string | null) => {
    const slice = records.slice(at, at + batchSize);
    const done = at + batchSize >= records.length;
    return {
      totalSize: records.length,
      done,
      ...(done
        ? {}
        : { nextRecordsUrl: `/services/data/v${version}/query/${locator}-${at + batchSize}` }),
      records: slice,
    };
  };
  const runQuery = (
    request: FastifyRequest<{ Querystring: { q?: string } }>,
    reply: FastifyReply,
  ) => {
    try {
      const result = query.run(request.query.q ?? '');
      if (result.count !== undefined) return { totalSize: result.count, done: true, records: [] };
      if (result.records.length <= batchSize)
        return { totalSize: result.totalSize, done: true, records: result.records };
      const locator = `01g${randomBytes(6).toString('hex')}`;
      cursors.set(locator, { records: result.records, at: 0 });
      return page(result.records, 0, locator);
    } catch (error) {
      return fail(reply, error);
    }
  };
  app.get<{ Querystring: { q?: string } }>(`${v}/query`, async (request, reply) =>
    runQuery(request, reply),
  );
  app.get<{ Querystring: { q?: string } }>(`${v}/queryAll`, async (request, reply) =>
    runQuery(request, reply),
  );
  app.get<{ Params: { locator: string } }>(`${v}/query/:locator`, async (request, reply) => {
    const [locator, at] = request.params.locator.split('-');
    const cursor = cursors.get(locator ?? '');
    if (!cursor) {
      return reply
        .code(400)
        .send([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
    }
    const result = page(cursor.records, Number(at), locator ?? '');
    if (result.done) cursors.delete(locator ?? '');
    return result;
  });

  // --------------------------------------------------------------------------------------------
  // Bulk API 2.0 ingest

  app.post(`${v}/jobs/ingest`, async (request, reply) => {
    try {
      return bulk.info(
        bulk.create((request.body ?? {}) as Record<string, unknown>, userOf(request)),
        version,
      );
    } catch (error) {
      return fail(reply, error);
    }
  });
  const jobOr404 = (id: string, reply: FastifyReply) => {
    const job = bulk.jobs.get(id);
    if (!job) {
      void reply
        .code(404)
        .send([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      return null;
    }
    return job;
  };
  app.put<{ Params: { id: string } }>(`${v}/jobs/ingest/:id/batches`, async (request, reply) => {
    const job = jobOr404(request.params.id, reply);
    if (!job) return reply;
    try {
      bulk.upload(job, typeof request.body === 'string' ? request.body : '');
      return reply.code(201).send();
    } catch (error) {
      return fail(reply, error);
    }
  });
  app.patch<{ Params: { id: string } }>(`${v}/jobs/ingest/:id`, async (request, reply) => {
    const job = jobOr404(request.params.id, reply);
    if (!job) return reply;
    const state = (request.body as { state?: string } | undefined)?.state;
    try {
      if (state === 'UploadComplete') {
        const user = userOf(request);
        bulk.complete(job, user);
        // Count what the job writes, once it is done.
        const count = () => {
          if (job.state === 'JobComplete') stats.recordsWritten.bulk += job.successful.length;
          else if (job.state === 'InProgress' || job.state === 'UploadComplete')
            setTimeout(count, 5);
        };
        count();
      } else if (state === 'Aborted') bulk.abort(job);
      else
        throw new RecordError([
          {
            statusCode: 'INVALIDJOBSTATE',
            message: `Cannot set state ${String(state)}`,
            fields: [],
          },
        ]);
      return bulk.info(job, version);
    } catch (error) {
      return fail(reply, error);
    }
  });
  app.get<{ Params: { id: string } }>(`${v}/jobs/ingest/:id`, async (request, reply) => {
    const job = jobOr404(request.params.id, reply);
    return job ? bulk.info(job, version) : reply;
  });
  app.delete<{ Params: { id: string } }>(`${v}/jobs/ingest/:id`, async (request, reply) => {
    if (!jobOr404(request.params.id, reply)) return reply;
    bulk.jobs.delete(request.params.id);
    return reply.code(204).send();
  });
  for (const [path, kind] of [
    ['successfulResults', 'successful'],
    ['failedResults', 'failed'],
    ['unprocessedrecords', 'unprocessed'],
  ] as const) {
    app.get<{ Params: { id: string } }>(`${v}/jobs/ingest/:id/${path}`, async (request, reply) => {
      const job = jobOr404(request.params.id, reply);
      if (!job) return reply;
      return reply.type('text/csv').send(bulk.results(job, kind));
    });
  }

  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  baseUrl = `http://${host}:${port}`;

  return {
    url: baseUrl,
    accessToken,
    clientId,
    clientSecret,
    orgId: data.orgId,
    integrationUsername: integration.username,
    faults,
    stats,
    data,
    records: (sobject) => data.all(sobject),
    seed: (sobject, fields, id) =>
      data.insert(
        sobject,
        fields,
        { id: integration.id, permissions: integration.permissions },
        id ? { id } : {},
      ).id,
    failRecords(fault) {
      recordFaults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    expireSessions() {
      for (const s of sessions.values()) s.valid = false;
    },
    setApiUsage(used, limit) {
      if (limit !== undefined) dailyLimit = limit;
      usageOffset = used - stats.apiCalls;
    },
    close: () => app.close(),
  };
}

function kindOf(method: string, path: string): string {
  if (path.includes('/composite/sobjects')) return 'collections';
  if (path.includes('/jobs/ingest')) return 'bulk';
  if (/\/query(All)?(\/|$)/.test(path)) return 'query';
  if (path.endsWith('/describe') || path.endsWith('/sobjects')) return 'describe';
  if (path.includes('/sobjects/')) return method === 'GET' ? 'read' : 'write';
  return 'other';
}

/** Check a JWT bearer assertion: RS256 signature, issuer, audience, expiry. */
function verifyJwt(
  assertion: string,
  publicKeyPem: string | undefined,
  clientId: string,
  baseUrl: string,
): { sub: string } | { error: string } {
  if (!publicKeyPem) return { error: 'JWT bearer is not configured on this connected app' };
  const parts = assertion.split('.');
  if (parts.length !== 3) return { error: 'invalid assertion' };
  const [header, payload, signature] = parts as [string, string, string];
  let claims: { iss?: string; sub?: string; aud?: string; exp?: number };
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
    if (head.alg !== 'RS256') return { error: 'invalid assertion: alg must be RS256' };
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as typeof claims;
  } catch {
    return { error: 'invalid assertion' };
  }
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${header}.${payload}`);
  if (!verifier.verify(createPublicKey(publicKeyPem), Buffer.from(signature, 'base64url'))) {
    return { error: 'invalid assertion: signature' };
  }
  if (claims.iss !== clientId) return { error: 'invalid assertion: client identifier invalid' };
  const audiences = ['https://login.salesforce.com', 'https://test.salesforce.com', baseUrl];
  if (!claims.aud || !audiences.includes(claims.aud))
    return { error: 'invalid assertion: audience' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) {
    return { error: 'invalid assertion: expired' };
  }
  if (!claims.sub) return { error: 'invalid assertion: subject' };
  return { sub: claims.sub };
}
