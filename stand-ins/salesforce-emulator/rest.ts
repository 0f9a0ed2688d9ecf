/**
 * REST API routes under /services/data/vXX.X: describe, single-record CRUD and upsert by
 * external id, sObject Collections (create, update, upsert, delete, retrieve), query/queryAll with
 * nextRecordsUrl paging, and limits. Auth, API accounting and faults are hooks in index.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeGlobal, describeObject, objectBasics } from './describe.ts';
import type { Dml, DmlUser, InputRecord, ParsedRecord, WriteResult } from './dml.ts';
import { rolledBack } from './dml.ts';
import { SfRecordError, SfRequestError, notFound } from './errors.ts';
import type { RecordError } from './errors.ts';
import { makeId, toId18 } from './ids.ts';
import { fieldOf } from './schema-types.ts';
import type { FieldDef, ObjectDef } from './schema-types.ts';
import { runQuery } from './soql.ts';
import type { OutputRecord } from './soql.ts';
import type { SfRecord } from './store.ts';
import type { ApiUsage } from './usage.ts';

export const MAX_COLLECTION = 200;

export interface RestContext {
  dml: Dml;
  usage: ApiUsage;
  queryBatchSize: number;
  userOf: (request: FastifyRequest) => DmlUser;
  now: () => Date;
  /** Successful record writes, by path (stats). */
  written: (path: 'rest' | 'collections', count: number) => void;
}

type Params = Record<string, string>;

/** The API version in the path (`v62.0` → `62.0`), or 404 for anything else. */
export function versionOf(request: FastifyRequest): string {
  const raw = (request.params as Params).version ?? '';
  const m = /^v(\d{2,3}\.\d)$/.exec(raw);
  if (!m || Number(m[1]) < 20) throw notFound();
  return m[1] as string;
}

function recordOut(
  object: ObjectDef,
  record: SfRecord,
  version: string,
  fields?: string[],
): OutputRecord {
  const out: OutputRecord = {
    attributes: {
      type: object.name,
      url: `/services/data/v${version}/sobjects/${object.name}/${String(record.Id)}`,
    },
  };
  const names = fields ?? [...object.fields.keys()];
  for (const name of names) {
    const def = fieldOf(object, name);
    if (!def) {
      throw new SfRequestError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${object.name}'.`,
      );
    }
    out[def.name] = record[def.name] ?? null;
  }
  return out;
}

function errorsOf(error: unknown): RecordError[] {
  if (error instanceof SfRecordError) return [error.toJSON()];
  if (error instanceof SfRequestError) {
    return [{ statusCode: error.errorCode, message: error.message, fields: error.fields ?? [] }];
  }
  throw error;
}

interface Outcome {
  result?: WriteResult;
  errors?: RecordError[];
}

/**
 * Run each write; with allOrNone, any failure rolls every write back and the records that had
 * succeeded report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */
function runAll(
  dml: Dml,
  writes: (() => WriteResult)[],
  allOrNone: boolean,
  written: RestContext['written'] = () => {},
): Outcome[] {
  const outcomes = dml.store.transaction((rollback) => {
    const outcomes: Outcome[] = writes.map((write) => {
      try {
        return { result: write() };
      } catch (error) {
        return { errors: errorsOf(error) };
      }
    });
    if (allOrNone && outcomes.some((o) => o.errors)) {
      rollback();
      return outcomes.map((o) => (o.errors ? o : { errors: [rolledBack().toJSON()] }));
    }
    return outcomes;
  });
  written('collections', outcomes.filter((o) => o.result).length);
  return outcomes;
}

function collectionBody(request: FastifyRequest): { allOrNone: boolean; records: InputRecord[] } {
  const body = request.body as { allOrNone?: unknown; records?: unknown } | null;
  if (!body || !Array.isArray(body.records)) {
    throw new SfRequestError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be {"allOrNone": boolean, "records": [...]}',
    );
  }
  if (body.records.length > MAX_COLLECTION) {
    throw new SfRequestError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`,
    );
  }
  return { allOrNone: body.allOrNone === true, records: body.records as InputRecord[] };
}

function typeOf(dml: Dml, record: InputRecord): ObjectDef {
  const type = (record.attributes as { type?: unknown } | undefined)?.type;
  if (typeof type !== 'string' || !type) {
    throw new SfRequestError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
  }
  return dml.object(type);
}

const simple = (o: Outcome) =>
  o.result
    ? { id: o.result.id, success: true, errors: [] }
    : { success: false, errors: o.errors ?? [] };

export function registerRest(app: FastifyInstance, ctx: RestContext): void {
  const { dml } = ctx;
  const cursors = new Map<string, { records: OutputRecord[]; at: number; total: number }>();
  let cursorSequence = 1;
  const base = '/services/data/:version';
  const kind = (name: string) => ({ config: { kind: name } });

  app.get(base, kind('resources'), async (request) => {
    const v = versionOf(request);
    const p = `/services/data/v${v}`;
    return {
      sobjects: `${p}/sobjects`,
      query: `${p}/query`,
      queryAll: `${p}/queryAll`,
      composite: `${p}/composite`,
      limits: `${p}/limits`,
      jobs: `${p}/jobs`,
      identity: `${request.protocol}://${request.host}/id`,
    };
  });

  app.get(`${base}/limits`, kind('limits'), async (request) => {
    versionOf(request);
    return {
      DailyApiRequests: { Max: ctx.usage.max, Remaining: ctx.usage.remaining },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      DataStorageMB: { Max: 1024, Remaining: 1024 },
    };
  });

  app.get(`${base}/sobjects`, kind('describeGlobal'), async (request) =>
    describeGlobal(dml.schema, versionOf(request)),
  );

  app.get(`${base}/sobjects/:type`, kind('describe'), async (request) => {
    const version = versionOf(request);
    return objectBasics(dml.object((request.params as Params).type ?? ''), version);
  });

  app.get(`${base}/sobjects/:type/describe`, kind('describe'), async (request) => {
    const version = versionOf(request);
    return describeObject(dml.schema, dml.object((request.params as Params).type ?? ''), version);
  });

  // Single record: create.
  app.post(`${base}/sobjects/:type`, kind('create'), async (request, reply) => {
    versionOf(request);
    const object = dml.object((request.params as Params).type ?? '');
    const parsed = dml.parse(object, (request.body ?? {}) as InputRecord);
    const result = singleWrite(dml, () => dml.create(parsed, ctx.userOf(request)), ctx.written);
    return reply.code(201).send({ id: result.id, success: true, errors: [] });
  });

  const fieldsParam = (request: FastifyRequest) => {
    const fields = (request.query as Params).fields;
    return fields
      ? fields
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : undefined;
  };

  const liveRecord = (object: ObjectDef, id: string): SfRecord => {
    const id18 = toId18(id);
    const record = id18 ? dml.store.get(id18) : undefined;
    if (!record || dml.store.objectOfId(id18 as string) !== object) throw notFound();
    return record;
  };

  app.get(`${base}/sobjects/:type/:id`, kind('retrieve'), async (request) => {
    const version = versionOf(request);
    const params = request.params as Params;
    const object = dml.object(params.type ?? '');
    return recordOut(object, liveRecord(object, params.id ?? ''), version, fieldsParam(request));
  });

  app.patch(`${base}/sobjects/:type/:id`, kind('update'), async (request, reply) => {
    versionOf(request);
    const params = request.params as Params;
    const object = dml.object(params.type ?? '');
    liveRecord(object, params.id ?? '');
    const parsed = dml.parse(object, (request.body ?? {}) as InputRecord);
    singleWrite(dml, () => dml.update(parsed, params.id ?? '', ctx.userOf(request)), ctx.written);
    return reply.code(204).send();
  });

  app.delete(`${base}/sobjects/:type/:id`, kind('delete'), async (request, reply) => {
    versionOf(request);
    const params = request.params as Params;
    const object = dml.object(params.type ?? '');
    liveRecord(object, params.id ?? '');
    singleWrite(dml, () => dml.remove(object, params.id ?? '', ctx.userOf(request)), ctx.written);
    return reply.code(204).send();
  });

  const externalKey = (object: ObjectDef, name: string): FieldDef => {
    const def = fieldOf(object, name);
    if (!def || (!def.externalId && def.name !== 'Id')) {
      throw new SfRequestError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${name}`,
      );
    }
    return def;
  };

  app.get(`${base}/sobjects/:type/:field/:value`, kind('retrieve'), async (request, reply) => {
    const version = versionOf(request);
    const params = request.params as Params;
    const object = dml.object(params.type ?? '');
    const def = externalKey(object, params.field ?? '');
    const ids = dml.store.findBy(object, def, params.value ?? '');
    if (!ids.length) throw notFound();
    if (ids.length > 1) {
      return reply
        .code(300)
        .send(ids.map((id) => `/services/data/v${version}/sobjects/${object.name}/${id}`));
    }
    return recordOut(
      object,
      dml.store.get(ids[0] as string) as SfRecord,
      version,
      fieldsParam(request),
    );
  });

  app.patch(`${base}/sobjects/:type/:field/:value`, kind('upsert'), async (request, reply) => {
    const version = versionOf(request);
    const params = request.params as Params;
    const object = dml.object(params.type ?? '');
    const def = externalKey(object, params.field ?? '');
    const value = params.value ?? '';
    const ids = dml.store.findBy(object, def, value);
    if (ids.length > 1) {
      return reply
        .code(300)
        .send(ids.map((id) => `/services/data/v${version}/sobjects/${object.name}/${id}`));
    }
    const parsed = dml.parse(object, (request.body ?? {}) as InputRecord);
    const result = singleWrite(
      dml,
      () => dml.upsert(parsed, def, value, ctx.userOf(request)),
      ctx.written,
    );
    return reply
      .code(result.created ? 201 : 200)
      .send({ id: result.id, success: true, errors: [], created: result.created });
  });

  app.delete(`${base}/sobjects/:type/:field/:value`, kind('delete'), async (request, reply) => {
    versionOf(request);
    const params = request.params as Params;
    const object = dml.object(params.type ?? '');
    const def = externalKey(object, params.field ?? '');
    const ids = dml.store.findBy(object, def, params.value ?? '');
    if (ids.length !== 1) throw notFound();
    singleWrite(dml, () => dml.remove(object, ids[0] as string, ctx.userOf(request)), ctx.written);
    return reply.code(204).send();
  });

  // sObject Collections.
  app.post(`${base}/composite/sobjects`, kind('collections.create'), async (request) => {
    versionOf(request);
    const { allOrNone, records } = collectionBody(request);
    const user = ctx.userOf(request);
    const parsed = records.map((r) => dml.parse(typeOf(dml, r), r));
    return runAll(
      dml,
      parsed.map((p) => () => dml.create(p, user)),
      allOrNone,
      ctx.written,
    ).map(simple);
  });

  app.patch(`${base}/composite/sobjects`, kind('collections.update'), async (request) => {
    versionOf(request);
    const { allOrNone, records } = collectionBody(request);
    const user = ctx.userOf(request);
    const parsed = records.map((r) => dml.parse(typeOf(dml, r), r));
    return runAll(
      dml,
      parsed.map((p) => () => {
        if (!p.id)
          throw new SfRecordError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
        return dml.update(p, p.id, user);
      }),
      allOrNone,
      ctx.written,
    ).map((o, i) => (o.result ? simple(o) : { id: parsed[i]?.id ?? null, ...simple(o) }));
  });

  app.patch(
    `${base}/composite/sobjects/:type/:field`,
    kind('collections.upsert'),
    async (request) => {
      versionOf(request);
      const params = request.params as Params;
      const object = dml.object(params.type ?? '');
      const def = externalKey(object, params.field ?? '');
      const { allOrNone, records } = collectionBody(request);
      const user = ctx.userOf(request);
      const parsed: ParsedRecord[] = records.map((r) => {
        const type = typeOf(dml, r);
        if (type !== object) {
          throw new SfRequestError(
            400,
            'INVALID_TYPE',
            `Records must all be of type ${object.name}`,
          );
        }
        return dml.parse(object, r);
      });
      const keyOf = (p: ParsedRecord) => {
        const v = def.name === 'Id' ? p.id : p.changes[def.name];
        return v === null || v === undefined || v === '' ? null : String(v);
      };
      const seen = new Map<string, number>();
      for (const p of parsed) {
        const key = keyOf(p);
        if (key !== null) {
          const k = def.caseSensitive ? key : key.toLowerCase();
          seen.set(k, (seen.get(k) ?? 0) + 1);
        }
      }
      const outcomes = runAll(
        dml,
        parsed.map((p) => () => {
          const key = keyOf(p);
          if (key === null) {
            throw new SfRecordError('MISSING_ARGUMENT', `${def.name} not specified`, [def.name]);
          }
          if ((seen.get(def.caseSensitive ? key : key.toLowerCase()) ?? 0) > 1) {
            throw new SfRecordError(
              'DUPLICATE_EXTERNAL_ID',
              `Duplicate external id specified: ${key}`,
              [def.name],
            );
          }
          return dml.upsert(p, def, key, user);
        }),
        allOrNone,
        ctx.written,
      );
      return outcomes.map((o) =>
        o.result
          ? { id: o.result.id, success: true, errors: [], created: o.result.created }
          : { success: false, errors: o.errors ?? [] },
      );
    },
  );

  app.delete(`${base}/composite/sobjects`, kind('collections.delete'), async (request) => {
    versionOf(request);
    const query = request.query as Params;
    const ids = (query.ids ?? '').split(',').filter(Boolean);
    if (ids.length > MAX_COLLECTION) {
      throw new SfRequestError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`,
      );
    }
    const user = ctx.userOf(request);
    return runAll(
      dml,
      ids.map((id) => () => {
        const object = dml.store.objectOfId(id) ?? dml.store.objectOfId(toId18(id) ?? '');
        if (!object) throw new SfRecordError('MALFORMED_ID', `malformed id ${id}`, []);
        return dml.remove(object, id, user);
      }),
      query.allOrNone === 'true',
      ctx.written,
    ).map((o, i) => (o.result ? simple(o) : { id: ids[i] ?? null, ...simple(o) }));
  });

  const retrieveMany = async (request: FastifyRequest) => {
    const version = versionOf(request);
    const object = dml.object((request.params as Params).type ?? '');
    const source = {
      ...(request.query as Params),
      ...((request.body as Record<string, unknown> | null) ?? {}),
    };
    const ids = Array.isArray(source.ids)
      ? (source.ids as string[])
      : String(source.ids ?? '')
          .split(',')
          .filter(Boolean);
    const fieldsRaw = source.fields;
    const fields = Array.isArray(fieldsRaw)
      ? (fieldsRaw as string[])
      : String(fieldsRaw ?? '')
          .split(',')
          .filter(Boolean);
    if (!fields.length) throw new SfRequestError(400, 'MISSING_ARGUMENT', 'fields is required');
    return ids.map((id) => {
      const id18 = toId18(id);
      const record = id18 ? dml.store.get(id18) : undefined;
      return record && dml.store.objectOfId(id18 as string) === object
        ? recordOut(object, record, version, fields)
        : null;
    });
  };
  app.get(`${base}/composite/sobjects/:type`, kind('collections.retrieve'), retrieveMany);
  app.post(`${base}/composite/sobjects/:type`, kind('collections.retrieve'), retrieveMany);

  // SOQL.
  const query =
    (includeDeleted: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
      const version = versionOf(request);
      const q = (request.query as Params).q;
      if (!q) throw new SfRequestError(400, 'MALFORMED_QUERY', 'A query string (q) is required');
      const result = runQuery(q, {
        schema: dml.schema,
        store: dml.store,
        apiVersion: version,
        includeDeleted,
        now: ctx.now,
      });
      if (result.countOnly) return { totalSize: result.totalSize, done: true, records: [] };
      const batch = batchSizeOf(request, ctx.queryBatchSize);
      const cursor = `01g${makeId('000', cursorSequence++).slice(3, 15)}`;
      return reply.send(
        page(
          version,
          includeDeleted,
          cursor,
          { records: result.records, at: 0, total: result.totalSize },
          batch,
          cursors,
        ),
      );
    };
  const more = (includeDeleted: boolean) => async (request: FastifyRequest) => {
    const version = versionOf(request);
    const locator = (request.params as Params).locator ?? '';
    const [cursor = '', at = ''] = locator.split('-');
    const state = cursors.get(cursor);
    if (!state || Number(at) !== state.at) {
      throw new SfRequestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    return page(
      version,
      includeDeleted,
      cursor,
      state,
      batchSizeOf(request, ctx.queryBatchSize),
      cursors,
    );
  };
  app.get(`${base}/query`, kind('query'), query(false));
  app.get(`${base}/queryAll`, kind('query'), query(true));
  app.get(`${base}/query/:locator`, kind('queryMore'), more(false));
  app.get(`${base}/queryAll/:locator`, kind('queryMore'), more(true));
}

function batchSizeOf(request: FastifyRequest, fallback: number): number {
  const header = request.headers['sforce-query-options'];
  const m = typeof header === 'string' ? /batchSize=(\d+)/i.exec(header) : null;
  if (!m) return fallback;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

function page(
  version: string,
  includeDeleted: boolean,
  cursor: string,
  state: { records: OutputRecord[]; at: number; total: number },
  batch: number,
  cursors: Map<string, { records: OutputRecord[]; at: number; total: number }>,
): Record<string, unknown> {
  const records = state.records.slice(state.at, state.at + batch);
  const next = state.at + records.length;
  const done = next >= state.records.length;
  if (done) cursors.delete(cursor);
  else cursors.set(cursor, { ...state, at: next });
  return {
    totalSize: state.total,
    done,
    ...(done
      ? {}
      : {
          nextRecordsUrl: `/services/data/v${version}/${includeDeleted ? 'queryAll' : 'query'}/${cursor}-${next}`,
        }),
    records,
  };
}

/** A single-record write: a record error becomes the 400 `[{message, errorCode, fields}]`. */
function singleWrite(
  dml: Dml,
  write: () => WriteResult,
  written: RestContext['written'] = () => {},
): WriteResult {
  try {
    const result = dml.store.transaction(() => write());
    written('rest', 1);
    return result;
  } catch (error) {
    if (error instanceof SfRecordError) {
      throw new SfRequestError(400, error.statusCode, error.message, { fields: error.fields });
    }
    throw error;
  }
}
