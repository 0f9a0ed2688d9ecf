/**
 * The subscription-creation ledger behind the org API: one Opportunity gets one subscription,
 * whatever retries, double clicks and re-fired flows happen. A claim is exclusive; the
 * idempotency key is stable per Opportunity, so even a lost ledger cannot make the provider
 * create twice (Maxio `uniqueness_token`, Chargebee `chargebee-idempotency-key`).
 */
import { createHash } from 'node:crypto';

export type CreationState = 'claimed' | 'in_progress' | 'done' | 'failed';

export interface CreationRecord {
  opportunityId: string;
  state: 'creating' | 'created' | 'failed';
  idempotencyKey: string;
  siteKey?: string;
  subscriptionId?: string;
  externalId?: string;
  status?: string;
  error?: { code: string; message: string };
}

export interface CreationLedger {
  /**
   * Exactly one concurrent caller gets 'claimed' (and must complete or fail); others get
   * 'in_progress' while it runs, 'done' once created. A failed creation can be claimed again.
   */
  claim(
    opportunityId: string,
    siteKey: string,
  ): Promise<{ state: CreationState; record: CreationRecord }>;
  complete(
    opportunityId: string,
    result: { subscriptionId: string; externalId: string; status: string },
  ): Promise<void>;
  fail(opportunityId: string, error: { code: string; message: string }): Promise<void>;
  get(opportunityId: string): Promise<CreationRecord | undefined>;
}

/** Stable per Opportunity: the same key on every attempt. */
export function idempotencyKeyFor(opportunityId: string): string {
  return `sfopp-${createHash('sha256').update(opportunityId).digest('hex').slice(0, 32)}`;
}

/** In-process ledger for one bridge process (tests, the local sandbox). */
export class MemoryCreationLedger implements CreationLedger {
  readonly #records = new Map<string, CreationRecord>();

  async claim(
    opportunityId: string,
    siteKey: string,
  ): Promise<{ state: CreationState; record: CreationRecord }> {
    const existing = this.#records.get(opportunityId);
    if (existing?.state === 'created') return { state: 'done', record: { ...existing } };
    if (existing?.state === 'creating') return { state: 'in_progress', record: { ...existing } };
    const record: CreationRecord = {
      opportunityId,
      state: 'creating',
      siteKey,
      idempotencyKey: idempotencyKeyFor(opportunityId),
    };
    this.#records.set(opportunityId, record);
    return { state: 'claimed', record: { ...record } };
  }

  async complete(
    opportunityId: string,
    result: { subscriptionId: string; externalId: string; status: string },
  ): Promise<void> {
    const record = this.#records.get(opportunityId);
    if (!record) throw new Error(`no claim for ${opportunityId}`);
    Object.assign(record, { state: 'created', error: undefined }, result);
  }

  async fail(opportunityId: string, error: { code: string; message: string }): Promise<void> {
    const record = this.#records.get(opportunityId);
    if (!record) throw new Error(`no claim for ${opportunityId}`);
    Object.assign(record, { state: 'failed', error });
  }

  async get(opportunityId: string): Promise<CreationRecord | undefined> {
    const record = this.#records.get(opportunityId);
    return record ? { ...record } : undefined;
  }
}
