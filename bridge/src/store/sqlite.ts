/**
 * The embedded store: one SQLite file in the bridge's data directory (node:sqlite, built into
 * Node 22, so no server and no native add-on). It holds what must survive a crash: webhook
 * deliveries, cursors, the last written version of every record, failures, the subscription
 * creation ledger, and the job queue.
 *
 * - WAL mode and `synchronous=NORMAL`: a committed delivery survives a killed process.
 * - Every multi-statement change runs in `BEGIN IMMEDIATE`, so several processes sharing the file
 *   (a CLI backfill next to `serve`) serialise their writes instead of failing.
 * - Jobs are leased: a worker that dies holding one leaves it to be taken again when the lease
 *   runs out (at-least-once; the pipeline makes a second run harmless).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import { backoffDelayMs } from '../http/retry.ts';
import type { RetryPolicy } from '../http/retry.ts';
import type { SiteKey } from '../model/canonical.ts';
import { idempotencyKeyFor } from '../org-api/ledger.ts';
import type { CreationLedger, CreationRecord, CreationState } from '../org-api/ledger.ts';
import type { LogSource, LogStatus, SyncFailureEntry } from '../sync/event-log.ts';
import type { DeliveryInput, DeliveryStatus } from '../sync/intake.ts';
import type { FailureInput, VersionEntry } from '../sync/pipeline.ts';
import type { SourceResource } from '../sync/records.ts';
import type { DueFailure, StoredDelivery } from '../sync/worker.ts';
import type { JobHandler, ServiceStore, StoreStats, Worker } from './service-store.ts';
import { FAILURE_RETRY, JOB_RETRY, MIGRATIONS, isNewer } from './schema.ts';

export interface SqliteStoreOptions {
  path: string;
  /** How long a taken job stays with its worker before another may take it. Default 60 s. */
  leaseMs?: number;
  /** Attempts before a job is dead-lettered. Default 10. */
  maxJobAttempts?: number;
  /** How often an idle worker looks for jobs. Default 50 ms. */
  pollMs?: number;
  /** How long a creation claim blocks others before it counts as abandoned. Default 5 min. */
  creationLeaseMs?: number;
  /** Backoff between attempts of a failing job. Default 1 s doubling to 5 min. */
  jobRetry?: RetryPolicy;
}

type Row = Record<string, SQLInputValue>;

export class SqliteStore implements ServiceStore {
  readonly db: DatabaseSync;
  readonly #leaseMs: number;
  readonly #maxJobAttempts: number;
  readonly #pollMs: number;
  readonly #creationLeaseMs: number;
  readonly #jobRetry: RetryPolicy;
  readonly #statements = new Map<string, StatementSync>();

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new DatabaseSync(options.path);
    // The busy timeout first: several processes opening one file at once all switch it to WAL.
    this.db.exec('PRAGMA busy_timeout = 10000');
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
    this.db.exec('PRAGMA foreign_keys = ON');
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#maxJobAttempts = options.maxJobAttempts ?? 10;
    this.#pollMs = options.pollMs ?? 50;
    this.#creationLeaseMs = options.creationLeaseMs ?? 5 * 60_000;
    this.#jobRetry = options.jobRetry ?? JOB_RETRY;
    this.#migrate();
  }

  #migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as
      { v: number | null } | undefined;
    const current = row?.v ?? 0;
    for (const [index, sql] of MIGRATIONS.sqlite.entries()) {
      const version = index + 1;
      if (version <= current) continue;
      this.#tx(() => {
        this.db.exec(sql);
        this.db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(version);
      });
    }
  }

  #stmt(sql: string): StatementSync {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  #tx<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const value = fn();
      this.db.exec('COMMIT');
      return value;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Deliveries

  async recordDelivery(
    d: DeliveryInput,
  ): Promise<{ id: string; duplicate: boolean; status?: DeliveryStatus }> {
    return this.#tx(() => {
      const existing = this.#stmt(
        'SELECT id, status FROM deliveries WHERE site_key = ? AND event_id = ?',
      ).get(d.siteKey, d.eventId) as { id: number; status: DeliveryStatus } | undefined;
      if (existing) {
        this.#stmt('UPDATE deliveries SET duplicates = duplicates + 1 WHERE id = ?').run(
          existing.id,
        );
        return { id: String(existing.id), duplicate: true, status: existing.status };
      }
      const result = this.#stmt(
        `INSERT INTO deliveries (site_key, event_id, event_type, received_at, headers, raw_body, status, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        d.siteKey,
        d.eventId,
        d.eventType,
        d.receivedAt,
        JSON.stringify(d.headers),
        d.rawBody,
        d.status,
        d.error ?? null,
      );
      return { id: String(result.lastInsertRowid), duplicate: false };
    });
  }

  async getDelivery(id: string): Promise<StoredDelivery | null> {
    const row = this.#stmt('SELECT * FROM deliveries WHERE id = ?').get(Number(id)) as
      Row | undefined;
    return row ? deliveryOf(row) : null;
  }

  async markDelivery(id: string, status: DeliveryStatus, error?: string | null): Promise<void> {
    this.#stmt('UPDATE deliveries SET status = ?, error = ?, processed_at = ? WHERE id = ?').run(
      status,
      error ?? null,
      new Date().toISOString(),
      Number(id),
    );
  }

  async listDeliveries(
    filter: { status?: DeliveryStatus; limit?: number } = {},
  ): Promise<StoredDelivery[]> {
    const rows = (
      filter.status
        ? this.#stmt('SELECT * FROM deliveries WHERE status = ? ORDER BY id LIMIT ?').all(
            filter.status,
            filter.limit ?? 100,
          )
        : this.#stmt('SELECT * FROM deliveries ORDER BY id LIMIT ?').all(filter.limit ?? 100)
    ) as Row[];
    return rows.map(deliveryOf);
  }

  // -------------------------------------------------------------------------------------------
  // Cursors

  async getCursor(siteKey: SiteKey, stream: string): Promise<string | null> {
    const row = this.#stmt('SELECT value FROM cursors WHERE site_key = ? AND stream = ?').get(
      siteKey,
      stream,
    ) as { value: string | null } | undefined;
    return row?.value ?? null;
  }

  async setCursor(siteKey: SiteKey, stream: string, value: string | null): Promise<void> {
    this.#stmt(
      `INSERT INTO cursors (site_key, stream, value, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (site_key, stream) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ).run(siteKey, stream, value, new Date().toISOString());
  }

  // -------------------------------------------------------------------------------------------
  // Versions

  async claimVersions(entries: VersionEntry[]): Promise<Map<string, { existed: boolean }>> {
    const accepted = new Map<string, { existed: boolean }>();
    if (entries.length === 0) return accepted;
    this.#tx(() => {
      const select = this.#stmt('SELECT updated_ms, resource_version FROM versions WHERE key = ?');
      const upsert = this.#stmt(
        `INSERT INTO versions (key, updated_ms, resource_version) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET updated_ms = excluded.updated_ms, resource_version = excluded.resource_version`,
      );
      for (const entry of entries) {
        const stored = select.get(entry.key) as
          { updated_ms: number | null; resource_version: number | null } | undefined;
        const incoming = {
          updatedMs: entry.updatedAt ? Date.parse(entry.updatedAt) : null,
          resourceVersion: entry.resourceVersion ?? null,
        };
        const prior = stored
          ? { updatedMs: stored.updated_ms, resourceVersion: stored.resource_version }
          : null;
        if (!isNewer(incoming, prior)) continue;
        upsert.run(
          entry.key,
          Number.isNaN(incoming.updatedMs) ? null : incoming.updatedMs,
          incoming.resourceVersion,
        );
        accepted.set(entry.key, { existed: stored !== undefined });
      }
    });
    return accepted;
  }

  // -------------------------------------------------------------------------------------------
  // Failures

  async recordFailures(failures: FailureInput[], now: Date): Promise<SyncFailureEntry[]> {
    const at = now.toISOString();
    return this.#tx(() =>
      failures.map((f) => {
        const prior = this.#stmt(
          'SELECT attempts, first_failed_at, status FROM failures WHERE sobject = ? AND external_id = ?',
        ).get(f.sobject, f.externalId) as
          { attempts: number; first_failed_at: string; status: string } | undefined;
        const attempts =
          prior && prior.status !== 'Resolved' && prior.status !== 'Ignored'
            ? prior.attempts + 1
            : 1;
        const firstFailedAt =
          prior && prior.status !== 'Resolved' && prior.status !== 'Ignored'
            ? prior.first_failed_at
            : at;
        const retrying = attempts < FAILURE_RETRY.maxAttempts;
        const nextRetryAt = retrying
          ? new Date(now.getTime() + backoffDelayMs(attempts, FAILURE_RETRY)).toISOString()
          : null;
        const status: LogStatus = retrying ? 'Retrying' : 'Open';
        this.#stmt(
          `INSERT INTO failures (sobject, external_id, site_key, source_resource, source_id, source, error_code, message, payload, event_id, attempts, first_failed_at, last_attempt_at, next_retry_at, status, resolved_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
           ON CONFLICT (sobject, external_id) DO UPDATE SET
             site_key = excluded.site_key, source_resource = excluded.source_resource, source_id = excluded.source_id,
             source = excluded.source, error_code = excluded.error_code, message = excluded.message, payload = excluded.payload,
             event_id = excluded.event_id, attempts = excluded.attempts, first_failed_at = excluded.first_failed_at,
             last_attempt_at = excluded.last_attempt_at, next_retry_at = excluded.next_retry_at, status = excluded.status,
             resolved_at = NULL`,
        ).run(
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
        );
        return {
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
        };
      }),
    );
  }

  async resolveFailures(
    keys: { sobject: string; externalId: string }[],
    now: Date,
  ): Promise<SyncFailureEntry[]> {
    if (keys.length === 0) return [];
    const at = now.toISOString();
    return this.#tx(() => {
      const resolved: SyncFailureEntry[] = [];
      const select = this.#stmt(
        "SELECT * FROM failures WHERE sobject = ? AND external_id = ? AND status IN ('Open', 'Retrying')",
      );
      const update = this.#stmt(
        "UPDATE failures SET status = 'Resolved', resolved_at = ?, next_retry_at = NULL, last_attempt_at = ? WHERE sobject = ? AND external_id = ?",
      );
      for (const key of keys) {
        const row = select.get(key.sobject, key.externalId) as Row | undefined;
        if (!row) continue;
        update.run(at, at, key.sobject, key.externalId);
        resolved.push({
          ...failureOf(row),
          status: 'Resolved',
          resolvedAt: at,
          lastAttemptAt: at,
          nextRetryAt: null,
        });
      }
      return resolved;
    });
  }

  async dueFailures(now: Date, limit: number): Promise<DueFailure[]> {
    const rows = this.#stmt(
      "SELECT site_key, source_resource, source_id, sobject, external_id FROM failures WHERE status = 'Retrying' AND next_retry_at <= ? ORDER BY next_retry_at LIMIT ?",
    ).all(now.toISOString(), limit) as Row[];
    return rows.map((r) => ({
      siteKey: r.site_key as SiteKey,
      sourceResource: r.source_resource as SourceResource,
      sourceId: r.source_id as string,
      sobject: r.sobject as string,
      externalId: r.external_id as string,
    }));
  }

  async ignoreFailures(
    keys: { sobject: string; externalId: string }[],
    reason: string,
  ): Promise<void> {
    this.#tx(() => {
      const update = this.#stmt(
        "UPDATE failures SET status = 'Ignored', next_retry_at = NULL, message = message || ' — ' || ? WHERE sobject = ? AND external_id = ?",
      );
      for (const key of keys) update.run(reason, key.sobject, key.externalId);
    });
  }

  async requestRetry(keys: { sobject: string; externalId: string }[], now: Date): Promise<number> {
    return this.#tx(() => {
      let changed = 0;
      const update = this.#stmt(
        "UPDATE failures SET status = 'Retrying', next_retry_at = ? WHERE sobject = ? AND external_id = ? AND status IN ('Open', 'Retrying')",
      );
      for (const key of keys) {
        changed += Number(update.run(now.toISOString(), key.sobject, key.externalId).changes);
      }
      return changed;
    });
  }

  async listFailures(
    filter: { status?: LogStatus; limit?: number } = {},
  ): Promise<SyncFailureEntry[]> {
    const rows = (
      filter.status
        ? this.#stmt(
            'SELECT * FROM failures WHERE status = ? ORDER BY last_attempt_at LIMIT ?',
          ).all(filter.status, filter.limit ?? 100)
        : this.#stmt('SELECT * FROM failures ORDER BY last_attempt_at LIMIT ?').all(
            filter.limit ?? 100,
          )
    ) as Row[];
    return rows.map(failureOf);
  }

  // -------------------------------------------------------------------------------------------
  // Queue

  async enqueue(
    queue: string,
    payload: Record<string, string>,
    options: { singletonKey?: string } = {},
  ): Promise<void> {
    this.#tx(() => {
      if (options.singletonKey) {
        const open = this.#stmt(
          "SELECT id FROM jobs WHERE queue = ? AND singleton_key = ? AND state IN ('queued', 'active')",
        ).get(queue, options.singletonKey);
        if (open) return;
      }
      this.#stmt(
        "INSERT INTO jobs (queue, payload, singleton_key, state, attempts, run_after, created_at) VALUES (?, ?, ?, 'queued', 0, ?, ?)",
      ).run(
        queue,
        JSON.stringify(payload),
        options.singletonKey ?? null,
        Date.now(),
        new Date().toISOString(),
      );
    });
  }

  /** Take up to `limit` jobs that are due (or whose lease ran out) and lease them. */
  #take(queue: string, limit: number): { id: number; payload: string; attempts: number }[] {
    const now = Date.now();
    return this.#tx(() => {
      const rows = this.#stmt(
        `SELECT id, payload, attempts FROM jobs
         WHERE queue = ? AND ((state = 'queued' AND run_after <= ?) OR (state = 'active' AND lease_until < ?))
         ORDER BY run_after, id LIMIT ?`,
      ).all(queue, now, now, limit) as { id: number; payload: string; attempts: number }[];
      const lease = this.#stmt(
        "UPDATE jobs SET state = 'active', lease_until = ?, attempts = attempts + 1 WHERE id = ?",
      );
      for (const row of rows) lease.run(now + this.#leaseMs, row.id);
      return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
    });
  }

  #finish(id: number): void {
    this.#stmt(
      "UPDATE jobs SET state = 'done', lease_until = NULL, last_error = NULL WHERE id = ?",
    ).run(id);
  }

  #retryLater(id: number, attempts: number, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const retryAfterMs = (error as { retryAfterMs?: number } | null)?.retryAfterMs;
    if (attempts >= this.#maxJobAttempts) {
      this.#stmt(
        "UPDATE jobs SET state = 'dead', lease_until = NULL, last_error = ? WHERE id = ?",
      ).run(message, id);
      return;
    }
    const delay = backoffDelayMs(attempts, this.#jobRetry, Math.random, retryAfterMs);
    this.#stmt(
      "UPDATE jobs SET state = 'queued', lease_until = NULL, run_after = ?, last_error = ? WHERE id = ?",
    ).run(Date.now() + delay, message, id);
  }

  async work(
    queue: string,
    options: { concurrency: number },
    handler: JobHandler,
  ): Promise<Worker> {
    let stopping = false;
    let active = 0;
    let idle: Promise<void> = Promise.resolve();
    const loop = async () => {
      while (!stopping) {
        const free = options.concurrency - active;
        const jobs = free > 0 ? this.#take(queue, free) : [];
        if (jobs.length === 0) {
          await new Promise((r) => setTimeout(r, this.#pollMs));
          continue;
        }
        for (const job of jobs) {
          active += 1;
          const run = (async () => {
            try {
              await handler(JSON.parse(job.payload) as Record<string, string>);
              this.#finish(job.id);
            } catch (error) {
              this.#retryLater(job.id, job.attempts, error);
            } finally {
              active -= 1;
            }
          })();
          idle = idle.then(() => run);
        }
      }
    };
    const running = loop();
    return {
      async stop() {
        stopping = true;
        await running;
        await idle;
      },
    };
  }

  /** Jobs by state, for the summary and for tests. */
  jobCounts(queue?: string): Record<string, number> {
    const rows = (
      queue
        ? this.#stmt('SELECT state, COUNT(*) AS n FROM jobs WHERE queue = ? GROUP BY state').all(
            queue,
          )
        : this.#stmt('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all()
    ) as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  async requeueDead(queue: string): Promise<number> {
    return Number(
      this.#stmt(
        "UPDATE jobs SET state = 'queued', attempts = 0, run_after = ? WHERE queue = ? AND state = 'dead'",
      ).run(Date.now(), queue).changes,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Creation ledger

  creationLedger(): CreationLedger {
    return {
      claim: async (opportunityId, siteKey) => this.#claimCreation(opportunityId, siteKey),
      complete: async (opportunityId, result) => {
        const changed = this.#stmt(
          "UPDATE creations SET state = 'created', subscription_id = ?, external_id = ?, status = ?, error_code = NULL, error_message = NULL WHERE opportunity_id = ?",
        ).run(result.subscriptionId, result.externalId, result.status, opportunityId).changes;
        if (Number(changed) === 0) throw new Error(`no claim for ${opportunityId}`);
      },
      fail: async (opportunityId, error) => {
        const changed = this.#stmt(
          "UPDATE creations SET state = 'failed', error_code = ?, error_message = ? WHERE opportunity_id = ?",
        ).run(error.code, error.message, opportunityId).changes;
        if (Number(changed) === 0) throw new Error(`no claim for ${opportunityId}`);
      },
      get: async (opportunityId) => {
        const row = this.#stmt('SELECT * FROM creations WHERE opportunity_id = ?').get(
          opportunityId,
        ) as Row | undefined;
        return row ? creationOf(row) : undefined;
      },
    };
  }

  #claimCreation(
    opportunityId: string,
    siteKey: string,
  ): { state: CreationState; record: CreationRecord } {
    return this.#tx(() => {
      const now = Date.now();
      const row = this.#stmt('SELECT * FROM creations WHERE opportunity_id = ?').get(
        opportunityId,
      ) as Row | undefined;
      if (row?.state === 'created') return { state: 'done', record: creationOf(row) };
      if (row?.state === 'creating' && Number(row.claimed_ms) + this.#creationLeaseMs > now) {
        return { state: 'in_progress', record: creationOf(row) };
      }
      // New, failed, or abandoned by a crashed process: the same idempotency key goes to the
      // provider, so a creation that did happen is returned, not repeated.
      this.#stmt(
        `INSERT INTO creations (opportunity_id, state, idempotency_key, site_key, claimed_ms)
         VALUES (?, 'creating', ?, ?, ?)
         ON CONFLICT (opportunity_id) DO UPDATE SET state = 'creating', site_key = excluded.site_key,
           claimed_ms = excluded.claimed_ms, error_code = NULL, error_message = NULL`,
      ).run(opportunityId, idempotencyKeyFor(opportunityId), siteKey, now);
      const record: CreationRecord = {
        opportunityId,
        state: 'creating',
        siteKey,
        idempotencyKey: idempotencyKeyFor(opportunityId),
      };
      return { state: 'claimed', record };
    });
  }

  // -------------------------------------------------------------------------------------------

  async stats(): Promise<StoreStats> {
    const count = (sql: string) => Number((this.db.prepare(sql).get() as { n: number }).n);
    return {
      deliveries: count('SELECT COUNT(*) AS n FROM deliveries'),
      openFailures: count(
        "SELECT COUNT(*) AS n FROM failures WHERE status IN ('Open', 'Retrying')",
      ),
      resolvedFailures: count("SELECT COUNT(*) AS n FROM failures WHERE status = 'Resolved'"),
      versions: count('SELECT COUNT(*) AS n FROM versions'),
      jobs: this.jobCounts(),
    };
  }

  async close(): Promise<void> {
    this.#statements.clear();
    this.db.close();
  }
}

function deliveryOf(row: Row): StoredDelivery {
  return {
    id: String(row.id),
    siteKey: row.site_key as SiteKey,
    eventId: row.event_id as string,
    eventType: row.event_type as string,
    headers: JSON.parse(row.headers as string) as Record<string, string>,
    rawBody: row.raw_body as string,
    status: row.status as DeliveryStatus,
  };
}

function failureOf(row: Row): SyncFailureEntry {
  return {
    siteKey: row.site_key as SiteKey,
    sobject: row.sobject as string,
    externalId: row.external_id as string,
    source: row.source as LogSource,
    errorCode: row.error_code as string,
    message: row.message as string,
    payload: row.payload as string,
    attempts: Number(row.attempts),
    firstFailedAt: row.first_failed_at as string,
    lastAttemptAt: row.last_attempt_at as string,
    nextRetryAt: (row.next_retry_at as string | null) ?? null,
    status: row.status as LogStatus,
    eventId: (row.event_id as string | null) ?? null,
    resolvedAt: (row.resolved_at as string | null) ?? null,
  };
}

function creationOf(row: Row): CreationRecord {
  const record: CreationRecord = {
    opportunityId: row.opportunity_id as string,
    state: row.state as CreationRecord['state'],
    idempotencyKey: row.idempotency_key as string,
  };
  if (row.site_key) record.siteKey = row.site_key as string;
  if (row.subscription_id) record.subscriptionId = row.subscription_id as string;
  if (row.external_id) record.externalId = row.external_id as string;
  if (row.status) record.status = row.status as string;
  if (row.error_code) {
    record.error = { code: row.error_code as string, message: (row.error_message as string) ?? '' };
  }
  return record;
}
