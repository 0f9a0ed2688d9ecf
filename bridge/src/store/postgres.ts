/**
 * The scale-out store: PostgreSQL, so that several bridge processes (`serve` on more than one
 * machine, or `serve --no-worker` plus workers) share one state. Same interface and rules as the
 * embedded SQLite store; the job queue is pg-boss (SKIP LOCKED fetching, retries with backoff,
 * expiry of jobs whose worker died, dead letters) rather than a queue of our own.
 *
 * Atomic decisions are single statements, so concurrent processes cannot both win:
 * - the version gate is one `INSERT … ON CONFLICT DO UPDATE … WHERE newer` per batch;
 * - the creation ledger claim is one `INSERT … ON CONFLICT DO UPDATE … WHERE free` per call;
 * - a delivery is stored or counted as a duplicate in one statement.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import { backoffDelayMs } from '../http/retry.ts';
import type { SiteKey } from '../model/canonical.ts';
import { idempotencyKeyFor } from '../org-api/ledger.ts';
import type { CreationLedger, CreationRecord, CreationState } from '../org-api/ledger.ts';
import type { LogSource, LogStatus, SyncFailureEntry } from '../sync/event-log.ts';
import type { DeliveryInput, DeliveryStatus } from '../sync/intake.ts';
import type { FailureInput, VersionEntry } from '../sync/pipeline.ts';
import type { SourceResource } from '../sync/records.ts';
import type { DueFailure, StoredDelivery } from '../sync/worker.ts';
import { FAILURE_RETRY } from './schema.ts';
import type { JobHandler, ServiceStore, StoreStats, Worker } from './service-store.ts';

const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS bridge_schema (version integer NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (
  id bigserial PRIMARY KEY, site_key text NOT NULL, event_id text NOT NULL, event_type text NOT NULL,
  received_at timestamptz NOT NULL, headers jsonb NOT NULL, raw_body text NOT NULL, status text NOT NULL,
  error text, duplicates integer NOT NULL DEFAULT 0, processed_at timestamptz, UNIQUE (site_key, event_id));
CREATE INDEX IF NOT EXISTS deliveries_status ON deliveries (status);
CREATE TABLE IF NOT EXISTS cursors (site_key text NOT NULL, stream text NOT NULL, value text, updated_at timestamptz NOT NULL, PRIMARY KEY (site_key, stream));
CREATE TABLE IF NOT EXISTS versions (key text PRIMARY KEY, updated_ms bigint, resource_version bigint);
CREATE TABLE IF NOT EXISTS failures (
  sobject text NOT NULL, external_id text NOT NULL, site_key text NOT NULL, source_resource text NOT NULL,
  source_id text NOT NULL, source text NOT NULL, error_code text NOT NULL, message text NOT NULL, payload text NOT NULL,
  event_id text, attempts integer NOT NULL, first_failed_at timestamptz NOT NULL, last_attempt_at timestamptz NOT NULL,
  next_retry_at timestamptz, status text NOT NULL, resolved_at timestamptz, PRIMARY KEY (sobject, external_id));
CREATE INDEX IF NOT EXISTS failures_due ON failures (status, next_retry_at);
CREATE TABLE IF NOT EXISTS creations (
  opportunity_id text PRIMARY KEY, state text NOT NULL, idempotency_key text NOT NULL, site_key text,
  claimed_ms bigint NOT NULL, subscription_id text, external_id text, status text, error_code text, error_message text);
`;

export interface PostgresStoreOptions {
  url: string;
  /** Seconds a job may run before pg-boss gives it to another worker (a crashed worker's jobs). */
  jobExpireSeconds?: number;
  jobRetryLimit?: number;
  /** How often pg-boss looks for expired jobs. */
  maintenanceIntervalSeconds?: number;
  creationLeaseMs?: number;
  poolSize?: number;
}

type Row = Record<string, unknown>;
const iso = (v: unknown): string | null =>
  v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v);

export class PostgresStore implements ServiceStore {
  readonly pool: pg.Pool;
  readonly boss: PgBoss;
  readonly #options: PostgresStoreOptions;
  readonly #queues = new Set<string>();

  private constructor(options: PostgresStoreOptions) {
    this.#options = options;
    this.pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    this.boss = new PgBoss({
      connectionString: options.url,
      max: 4,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
      schedule: false,
    });
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    const client = await store.pool.connect();
    try {
      // One process migrates at a time.
      await client.query('SELECT pg_advisory_lock(7242001)');
      await client.query(SCHEMA_V1);
      const { rows } = await client.query('SELECT MAX(version) AS v FROM bridge_schema');
      if (!rows[0]?.v) await client.query('INSERT INTO bridge_schema (version) VALUES (1)');
      await client.query('SELECT pg_advisory_unlock(7242001)');
    } finally {
      client.release();
    }
    store.boss.on('error', () => undefined);
    await store.boss.start();
    return store;
  }

  async #queue(name: string): Promise<void> {
    if (this.#queues.has(name)) return;
    await this.boss.createQueue(name, {
      name,
      policy: 'stately',
      retryLimit: this.#options.jobRetryLimit ?? 10,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: this.#options.jobExpireSeconds ?? 60,
    });
    this.#queues.add(name);
  }

  // -- deliveries ------------------------------------------------------------------------------

  async recordDelivery(
    d: DeliveryInput,
  ): Promise<{ id: string; duplicate: boolean; status?: DeliveryStatus }> {
    const { rows } = await this.pool.query(
      `INSERT INTO deliveries (site_key, event_id, event_type, received_at, headers, raw_body, status, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (site_key, event_id) DO UPDATE SET duplicates = deliveries.duplicates + 1
       RETURNING id, (xmax = 0) AS inserted, status`,
      [
        d.siteKey,
        d.eventId,
        d.eventType,
        d.receivedAt,
        JSON.stringify(d.headers),
        d.rawBody,
        d.status,
        d.error ?? null,
      ],
    );
    const row = rows[0] as { id: string; inserted: boolean; status: DeliveryStatus };
    return { id: String(row.id), duplicate: !row.inserted, status: row.status };
  }

  async getDelivery(id: string): Promise<StoredDelivery | null> {
    const { rows } = await this.pool.query('SELECT * FROM deliveries WHERE id = $1', [id]);
    return rows[0] ? deliveryOf(rows[0] as Row) : null;
  }

  async markDelivery(id: string, status: DeliveryStatus, error?: string | null): Promise<void> {
    await this.pool.query(
      'UPDATE deliveries SET status = $2, error = $3, processed_at = now() WHERE id = $1',
      [id, status, error ?? null],
    );
  }

  async listDeliveries(
    filter: { status?: DeliveryStatus; limit?: number } = {},
  ): Promise<StoredDelivery[]> {
    const { rows } = filter.status
      ? await this.pool.query('SELECT * FROM deliveries WHERE status = $1 ORDER BY id LIMIT $2', [
          filter.status,
          filter.limit ?? 100,
        ])
      : await this.pool.query('SELECT * FROM deliveries ORDER BY id LIMIT $1', [
          filter.limit ?? 100,
        ]);
    return rows.map((r) => deliveryOf(r as Row));
  }

  // -- cursors ---------------------------------------------------------------------------------

  async getCursor(siteKey: SiteKey, stream: string): Promise<string | null> {
    const { rows } = await this.pool.query(
      'SELECT value FROM cursors WHERE site_key = $1 AND stream = $2',
      [siteKey, stream],
    );
    return (rows[0]?.value as string | null | undefined) ?? null;
  }

  async setCursor(siteKey: SiteKey, stream: string, value: string | null): Promise<void> {
    await this.pool.query(
      `INSERT INTO cursors (site_key, stream, value, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (site_key, stream) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [siteKey, stream, value],
    );
  }

  // -- versions --------------------------------------------------------------------------------

  async claimVersions(entries: VersionEntry[]): Promise<Map<string, { existed: boolean }>> {
    const accepted = new Map<string, { existed: boolean }>();
    if (entries.length === 0) return accepted;
    const keys = entries.map((e) => e.key);
    const updated = entries.map((e) => {
      const t = e.updatedAt ? Date.parse(e.updatedAt) : NaN;
      return Number.isNaN(t) ? null : t;
    });
    const versions = entries.map((e) => e.resourceVersion ?? null);
    // Same rule as isNewer() in schema.ts: resource_version when both have one, else updated_at;
    // equal is accepted; no marker on either side is accepted.
    const { rows } = await this.pool.query(
      `INSERT INTO versions (key, updated_ms, resource_version)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
       ON CONFLICT (key) DO UPDATE SET updated_ms = EXCLUDED.updated_ms, resource_version = EXCLUDED.resource_version
       WHERE CASE
         WHEN EXCLUDED.resource_version IS NOT NULL AND versions.resource_version IS NOT NULL
           THEN EXCLUDED.resource_version >= versions.resource_version
         ELSE EXCLUDED.updated_ms IS NULL OR versions.updated_ms IS NULL OR EXCLUDED.updated_ms >= versions.updated_ms
       END
       RETURNING key, (xmax = 0) AS inserted`,
      [keys, updated, versions],
    );
    for (const row of rows as { key: string; inserted: boolean }[])
      accepted.set(row.key, { existed: !row.inserted });
    return accepted;
  }

  // -- failures --------------------------------------------------------------------------------

  async recordFailures(failures: FailureInput[], now: Date): Promise<SyncFailureEntry[]> {
    const out: SyncFailureEntry[] = [];
    const at = now.toISOString();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const f of failures) {
        const { rows } = await client.query(
          'SELECT attempts, first_failed_at, status FROM failures WHERE sobject = $1 AND external_id = $2 FOR UPDATE',
          [f.sobject, f.externalId],
        );
        const prior = rows[0] as
          { attempts: number; first_failed_at: Date; status: string } | undefined;
        const open = prior && prior.status !== 'Resolved' && prior.status !== 'Ignored';
        const attempts = open ? prior.attempts + 1 : 1;
        const firstFailedAt = open ? (iso(prior.first_failed_at) as string) : at;
        const retrying = attempts < FAILURE_RETRY.maxAttempts;
        const nextRetryAt = retrying
          ? new Date(now.getTime() + backoffDelayMs(attempts, FAILURE_RETRY)).toISOString()
          : null;
        const status: LogStatus = retrying ? 'Retrying' : 'Open';
        await client.query(
          `INSERT INTO failures (sobject, external_id, site_key, source_resource, source_id, source, error_code, message, payload, event_id, attempts, first_failed_at, last_attempt_at, next_retry_at, status, resolved_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,NULL)
           ON CONFLICT (sobject, external_id) DO UPDATE SET site_key = EXCLUDED.site_key, source_resource = EXCLUDED.source_resource,
             source_id = EXCLUDED.source_id, source = EXCLUDED.source, error_code = EXCLUDED.error_code, message = EXCLUDED.message,
             payload = EXCLUDED.payload, event_id = EXCLUDED.event_id, attempts = EXCLUDED.attempts, first_failed_at = EXCLUDED.first_failed_at,
             last_attempt_at = EXCLUDED.last_attempt_at, next_retry_at = EXCLUDED.next_retry_at, status = EXCLUDED.status, resolved_at = NULL`,
          [
            f.sobject,
            f.externalId,
            f.siteKey,
            f.sourceResource,
            f.sourceId,
            f.source,
            f.errorCode,
            f.message,
            f.payload,
            f.eventId ?? null,
            attempts,
            firstFailedAt,
            at,
            nextRetryAt,
            status,
          ],
        );
        out.push({
          siteKey: f.siteKey,
          sobject: f.sobject,
          externalId: f.externalId,
          source: f.source,
          errorCode: f.errorCode,
          message: f.message,
          payload: f.payload,
          attempts,
          firstFailedAt,
          lastAttemptAt: at,
          nextRetryAt,
          status,
          eventId: f.eventId ?? null,
        });
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    return out;
  }

  async resolveFailures(
    keys: { sobject: string; externalId: string }[],
    now: Date,
  ): Promise<SyncFailureEntry[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.pool.query(
      `UPDATE failures f SET status = 'Resolved', resolved_at = $3, next_retry_at = NULL, last_attempt_at = $3
       FROM unnest($1::text[], $2::text[]) AS k(sobject, external_id)
       WHERE f.sobject = k.sobject AND f.external_id = k.external_id AND f.status IN ('Open', 'Retrying')
       RETURNING f.*`,
      [keys.map((k) => k.sobject), keys.map((k) => k.externalId), now.toISOString()],
    );
    return rows.map((r) => failureOf(r as Row));
  }

  async dueFailures(now: Date, limit: number): Promise<DueFailure[]> {
    const { rows } = await this.pool.query(
      "SELECT site_key, source_resource, source_id, sobject, external_id FROM failures WHERE status = 'Retrying' AND next_retry_at <= $1 ORDER BY next_retry_at LIMIT $2",
      [now.toISOString(), limit],
    );
    return (rows as Row[]).map((r) => ({
      siteKey: r.site_key as SiteKey,
      sourceResource: r.source_resource as SourceResource,
      sourceId: String(r.source_id),
      sobject: String(r.sobject),
      externalId: String(r.external_id),
    }));
  }

  async ignoreFailures(
    keys: { sobject: string; externalId: string }[],
    reason: string,
  ): Promise<void> {
    if (keys.length === 0) return;
    await this.pool.query(
      `UPDATE failures f SET status = 'Ignored', next_retry_at = NULL, message = f.message || ' — ' || $3
       FROM unnest($1::text[], $2::text[]) AS k(sobject, external_id) WHERE f.sobject = k.sobject AND f.external_id = k.external_id`,
      [keys.map((k) => k.sobject), keys.map((k) => k.externalId), reason],
    );
  }

  async requestRetry(keys: { sobject: string; externalId: string }[], now: Date): Promise<number> {
    if (keys.length === 0) return 0;
    const result = await this.pool.query(
      `UPDATE failures f SET status = 'Retrying', next_retry_at = $3
       FROM unnest($1::text[], $2::text[]) AS k(sobject, external_id)
       WHERE f.sobject = k.sobject AND f.external_id = k.external_id AND f.status IN ('Open', 'Retrying')`,
      [keys.map((k) => k.sobject), keys.map((k) => k.externalId), now.toISOString()],
    );
    return result.rowCount ?? 0;
  }

  async listFailures(
    filter: { status?: LogStatus; limit?: number } = {},
  ): Promise<SyncFailureEntry[]> {
    const { rows } = filter.status
      ? await this.pool.query(
          'SELECT * FROM failures WHERE status = $1 ORDER BY last_attempt_at LIMIT $2',
          [filter.status, filter.limit ?? 100],
        )
      : await this.pool.query('SELECT * FROM failures ORDER BY last_attempt_at LIMIT $1', [
          filter.limit ?? 100,
        ]);
    return rows.map((r) => failureOf(r as Row));
  }

  // -- queue (pg-boss) ------------------------------------------------------------------------

  async enqueue(
    queue: string,
    payload: Record<string, string>,
    options: { singletonKey?: string } = {},
  ): Promise<void> {
    await this.#queue(queue);
    await this.boss.send(
      queue,
      payload,
      options.singletonKey ? { singletonKey: options.singletonKey } : {},
    );
  }

  async work(
    queue: string,
    options: { concurrency: number },
    handler: JobHandler,
  ): Promise<Worker> {
    await this.#queue(queue);
    const ids: string[] = [];
    for (let i = 0; i < Math.max(1, options.concurrency); i++) {
      ids.push(
        await this.boss.work<Record<string, string>>(
          queue,
          { batchSize: 1, pollingIntervalSeconds: 0.5 },
          async (jobs) => {
            for (const job of jobs) await handler(job.data);
          },
        ),
      );
    }
    return {
      stop: async () => {
        for (const id of ids) await this.boss.offWork({ id } as never);
      },
    };
  }

  /** Jobs by state: queued (created/retry), active, done, dead (failed). */
  async jobCounts(queue: string): Promise<Record<string, number>> {
    const { rows } = await this.pool.query(
      'SELECT state, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY state',
      [queue],
    );
    const out: Record<string, number> = {};
    for (const r of rows as { state: string; n: number }[]) {
      const key =
        r.state === 'created' || r.state === 'retry'
          ? 'queued'
          : r.state === 'completed'
            ? 'done'
            : r.state === 'failed'
              ? 'dead'
              : r.state;
      out[key] = (out[key] ?? 0) + r.n;
    }
    return out;
  }

  // -- creation ledger ------------------------------------------------------------------------

  creationLedger(): CreationLedger {
    const lease = this.#options.creationLeaseMs ?? 5 * 60_000;
    return {
      claim: async (
        opportunityId,
        siteKey,
      ): Promise<{ state: CreationState; record: CreationRecord }> => {
        const now = Date.now();
        const key = idempotencyKeyFor(opportunityId);
        const { rows } = await this.pool.query(
          `INSERT INTO creations (opportunity_id, state, idempotency_key, site_key, claimed_ms) VALUES ($1, 'creating', $2, $3, $4)
           ON CONFLICT (opportunity_id) DO UPDATE SET state = 'creating', site_key = EXCLUDED.site_key, claimed_ms = EXCLUDED.claimed_ms, error_code = NULL, error_message = NULL
           WHERE creations.state = 'failed' OR (creations.state = 'creating' AND creations.claimed_ms + $5 < $4)
           RETURNING opportunity_id`,
          [opportunityId, key, siteKey, now, lease],
        );
        if (rows.length === 1)
          return {
            state: 'claimed',
            record: { opportunityId, state: 'creating', siteKey, idempotencyKey: key },
          };
        const existing = await this.pool.query(
          'SELECT * FROM creations WHERE opportunity_id = $1',
          [opportunityId],
        );
        const record = creationOf(existing.rows[0] as Row);
        return { state: record.state === 'created' ? 'done' : 'in_progress', record };
      },
      complete: async (opportunityId, result) => {
        const r = await this.pool.query(
          "UPDATE creations SET state = 'created', subscription_id = $2, external_id = $3, status = $4, error_code = NULL, error_message = NULL WHERE opportunity_id = $1",
          [opportunityId, result.subscriptionId, result.externalId, result.status],
        );
        if (r.rowCount === 0) throw new Error(`no claim for ${opportunityId}`);
      },
      fail: async (opportunityId, error) => {
        const r = await this.pool.query(
          "UPDATE creations SET state = 'failed', error_code = $2, error_message = $3 WHERE opportunity_id = $1",
          [opportunityId, error.code, error.message],
        );
        if (r.rowCount === 0) throw new Error(`no claim for ${opportunityId}`);
      },
      get: async (opportunityId) => {
        const { rows } = await this.pool.query(
          'SELECT * FROM creations WHERE opportunity_id = $1',
          [opportunityId],
        );
        return rows[0] ? creationOf(rows[0] as Row) : undefined;
      },
    };
  }

  async stats(): Promise<StoreStats> {
    const one = async (sql: string) =>
      Number(((await this.pool.query(sql)).rows[0] as { n: number }).n);
    return {
      deliveries: await one('SELECT count(*)::int AS n FROM deliveries'),
      openFailures: await one(
        "SELECT count(*)::int AS n FROM failures WHERE status IN ('Open', 'Retrying')",
      ),
      resolvedFailures: await one(
        "SELECT count(*)::int AS n FROM failures WHERE status = 'Resolved'",
      ),
      versions: await one('SELECT count(*)::int AS n FROM versions'),
      jobs: {},
    };
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true } as never);
    await this.pool.end();
  }
}

/** `config.store.kind = 'postgres'`: the store the runtime opens. */
export async function openPostgresStore(url: string): Promise<ServiceStore> {
  return PostgresStore.open({ url });
}

function deliveryOf(row: Row): StoredDelivery {
  return {
    id: String(row.id),
    siteKey: row.site_key as SiteKey,
    eventId: String(row.event_id),
    eventType: String(row.event_type),
    headers: row.headers as Record<string, string>,
    rawBody: String(row.raw_body),
    status: row.status as DeliveryStatus,
  };
}

function failureOf(row: Row): SyncFailureEntry {
  return {
    siteKey: row.site_key as SiteKey,
    sobject: String(row.sobject),
    externalId: String(row.external_id),
    source: row.source as LogSource,
    errorCode: String(row.error_code),
    message: String(row.message),
    payload: String(row.payload),
    attempts: Number(row.attempts),
    firstFailedAt: iso(row.first_failed_at) as string,
    lastAttemptAt: iso(row.last_attempt_at) as string,
    nextRetryAt: iso(row.next_retry_at),
    status: row.status as LogStatus,
    eventId: (row.event_id as string | null) ?? null,
    resolvedAt: iso(row.resolved_at),
  };
}

function creationOf(row: Row): CreationRecord {
  const record: CreationRecord = {
    opportunityId: String(row.opportunity_id),
    state: row.state as CreationRecord['state'],
    idempotencyKey: String(row.idempotency_key),
  };
  if (row.site_key) record.siteKey = String(row.site_key);
  if (row.subscription_id) record.subscriptionId = String(row.subscription_id);
  if (row.external_id) record.externalId = String(row.external_id);
  if (row.status) record.status = String(row.status);
  if (row.error_code)
    record.error = { code: String(row.error_code), message: String(row.error_message ?? '') };
  return record;
}
