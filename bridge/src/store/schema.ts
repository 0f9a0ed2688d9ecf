/**
 * The store's tables, versioned (one migration per entry, applied in order, never edited once
 * released), and the rules both store implementations share.
 */
import type { RetryPolicy } from '../http/retry.ts';

const SQLITE_V1 = `
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site_key TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  received_at TEXT NOT NULL,
  headers TEXT NOT NULL,
  raw_body TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  duplicates INTEGER NOT NULL DEFAULT 0,
  processed_at TEXT,
  UNIQUE (site_key, event_id)
);
CREATE INDEX deliveries_status ON deliveries (status);
CREATE TABLE cursors (
  site_key TEXT NOT NULL,
  stream TEXT NOT NULL,
  value TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (site_key, stream)
);
CREATE TABLE versions (
  key TEXT PRIMARY KEY,
  updated_ms INTEGER,
  resource_version INTEGER
);
CREATE TABLE failures (
  sobject TEXT NOT NULL,
  external_id TEXT NOT NULL,
  site_key TEXT NOT NULL,
  source_resource TEXT NOT NULL,
  source_id TEXT NOT NULL,
  source TEXT NOT NULL,
  error_code TEXT NOT NULL,
  message TEXT NOT NULL,
  payload TEXT NOT NULL,
  event_id TEXT,
  attempts INTEGER NOT NULL,
  first_failed_at TEXT NOT NULL,
  last_attempt_at TEXT NOT NULL,
  next_retry_at TEXT,
  status TEXT NOT NULL,
  resolved_at TEXT,
  PRIMARY KEY (sobject, external_id)
);
CREATE INDEX failures_due ON failures (status, next_retry_at);
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  payload TEXT NOT NULL,
  singleton_key TEXT,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  run_after INTEGER NOT NULL,
  lease_until INTEGER,
  last_error TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX jobs_take ON jobs (queue, state, run_after);
CREATE TABLE creations (
  opportunity_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  site_key TEXT,
  claimed_ms INTEGER NOT NULL,
  subscription_id TEXT,
  external_id TEXT,
  status TEXT,
  error_code TEXT,
  error_message TEXT
);
`;

export const MIGRATIONS = { sqlite: [SQLITE_V1] } as const;

/** Failed records: retried with backoff from 30 s up to 1 h, ten times, then left Open. */
export const FAILURE_RETRY: RetryPolicy & { maxAttempts: number } = {
  maxRetries: 10,
  maxAttempts: 10,
  initialDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
};

/** Jobs (a delivery whose sync threw): 1 s doubling up to 5 min, or the server's Retry-After. */
export const JOB_RETRY: RetryPolicy = {
  maxRetries: 10,
  initialDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
};

export interface VersionMarker {
  updatedMs: number | null;
  resourceVersion: number | null;
}

/**
 * Whether an incoming change may be written over what was written last: yes when nothing was, or
 * when it is not older. `resource_version` decides when both have one (Chargebee), else
 * `updated_at` (Maxio). Equal is accepted: redelivery after a crash must be able to finish.
 * A change with no marker at all is accepted (nothing to compare; the upsert is idempotent).
 */
export function isNewer(incoming: VersionMarker, prior: VersionMarker | null): boolean {
  if (!prior) return true;
  if (incoming.resourceVersion !== null && prior.resourceVersion !== null) {
    return incoming.resourceVersion >= prior.resourceVersion;
  }
  const a = incoming.updatedMs;
  const b = prior.updatedMs;
  if (a === null || Number.isNaN(a) || b === null) return true;
  return a >= b;
}
