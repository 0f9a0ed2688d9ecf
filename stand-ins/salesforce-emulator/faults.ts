/**
 * Faults on demand, in Salesforce's shapes. Request faults reuse the stand-ins' FaultInjector
 * (status, delay, drop), with Salesforce's `[{message, errorCode}]` bodies; record faults fail
 * the next N writes of records of an object (optionally one id or external id) with a record
 * error such as UNABLE_TO_LOCK_ROW, wherever they are written (REST, Collections, Bulk 2.0).
 */
import { FaultInjector } from '../common/faults.ts';
import type { FaultRule } from '../common/faults.ts';
import { SfRecordError } from './errors.ts';
import type { ObjectDef } from './schema-types.ts';

export type RequestFaultKind =
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'UNABLE_TO_LOCK_ROW'
  | 'SERVER_UNAVAILABLE'
  | 'INVALID_SESSION_ID'
  | 'FIELD_CUSTOM_VALIDATION_EXCEPTION';

const REQUEST_FAULTS: Record<RequestFaultKind, { status: number; message: string }> = {
  REQUEST_LIMIT_EXCEEDED: { status: 403, message: 'TotalRequests Limit exceeded.' },
  UNABLE_TO_LOCK_ROW: {
    status: 400,
    message: 'unable to obtain exclusive access to this record or 1 records',
  },
  SERVER_UNAVAILABLE: { status: 503, message: 'Server unavailable, please try again later.' },
  INVALID_SESSION_ID: { status: 401, message: 'Session expired or invalid' },
  FIELD_CUSTOM_VALIDATION_EXCEPTION: { status: 400, message: 'Injected validation failure' },
};

export interface RecordFaultRule {
  /** Object API name the fault applies to. */
  object: string;
  /** Only the record with this external id value (any external id field) or this id. */
  externalId?: string;
  id?: string;
  /** How many record writes fail (default 1). */
  times?: number;
  errorCode?: 'UNABLE_TO_LOCK_ROW' | 'FIELD_CUSTOM_VALIDATION_EXCEPTION' | string;
  message?: string;
}

interface ActiveRecordRule extends RecordFaultRule {
  remaining: number;
}

export interface CallFaultOptions {
  /** How many matching calls fail (default 1). */
  times?: number;
  method?: string;
  /** Path or prefix ending in `*` (e.g. `/services/data/v62.0/composite/*`) or a RegExp. */
  path?: string | RegExp;
  message?: string;
  retryAfterSeconds?: number;
}

function salesforceBody(status: number): unknown {
  if (status === 503)
    return [
      { message: 'Server unavailable, please try again later.', errorCode: 'SERVER_UNAVAILABLE' },
    ];
  if (status === 403)
    return [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
  return [
    {
      message: `Injected fault ${status}`,
      errorCode: status >= 500 ? 'UNKNOWN_EXCEPTION' : 'INJECTED_FAULT',
    },
  ];
}

export class SalesforceFaults extends FaultInjector {
  readonly #records: ActiveRecordRule[] = [];
  /** Record faults applied so far (object, key, error code). */
  readonly recordFaultsApplied: { object: string; key: string; errorCode: string }[] = [];

  constructor() {
    super({ defaultBody: salesforceBody });
  }

  /** Fail the next `times` calls (matching method/path) with a Salesforce error. */
  failCalls(kind: RequestFaultKind, options: CallFaultOptions = {}): number {
    const spec = REQUEST_FAULTS[kind];
    const rule: FaultRule = {
      times: options.times ?? 1,
      action: {
        type: 'status',
        status: spec.status,
        body: [{ message: options.message ?? spec.message, errorCode: kind }],
        ...(options.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: options.retryAfterSeconds }
          : {}),
      },
    };
    if (options.method || options.path) {
      rule.match = {
        ...(options.method ? { method: options.method } : {}),
        ...(options.path ? { path: options.path } : {}),
      };
    }
    return this.add(rule);
  }

  /** Answer the next `times` calls with 503 Service Unavailable. */
  unavailable(options: Omit<CallFaultOptions, 'message'> = {}): number {
    return this.failCalls('SERVER_UNAVAILABLE', options);
  }

  /** Delay the next `times` calls by `ms` (all calls when `times` is absent). */
  slow(
    ms: number,
    options: { times?: number; method?: string; path?: string | RegExp } = {},
  ): number {
    return this.add({
      ...(options.times !== undefined ? { times: options.times } : {}),
      ...(options.method || options.path
        ? {
            match: {
              ...(options.method ? { method: options.method } : {}),
              ...(options.path ? { path: options.path } : {}),
            },
          }
        : {}),
      action: { type: 'delay', ms },
    });
  }

  /** Fail the next writes of matching records with a record error (e.g. UNABLE_TO_LOCK_ROW). */
  failRecords(rule: RecordFaultRule): void {
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`failRecords times must be a positive integer, got ${times}`);
    }
    this.#records.push({ ...rule, remaining: times });
  }

  /** Consulted by the DML layer before each record write. */
  recordFault(
    object: ObjectDef,
    keys: { id?: string; externalIds: string[] },
  ): SfRecordError | null {
    for (const rule of this.#records) {
      if (rule.remaining <= 0 || rule.object.toLowerCase() !== object.name.toLowerCase()) continue;
      if (rule.externalId !== undefined && !keys.externalIds.includes(rule.externalId)) continue;
      if (rule.id !== undefined && keys.id?.slice(0, 15) !== rule.id.slice(0, 15)) continue;
      rule.remaining--;
      const errorCode = rule.errorCode ?? 'UNABLE_TO_LOCK_ROW';
      const key = keys.externalIds[0] ?? keys.id ?? '(new record)';
      this.recordFaultsApplied.push({ object: object.name, key, errorCode });
      const message =
        rule.message ??
        (errorCode === 'UNABLE_TO_LOCK_ROW'
          ? `unable to obtain exclusive access to this record or 1 records: ${keys.id ?? key}`
          : 'Injected validation failure');
      return new SfRecordError(errorCode, message, []);
    }
    return null;
  }

  override clear(): void {
    super.clear();
    this.#records.length = 0;
  }

  override reset(): void {
    super.reset();
    this.#records.length = 0;
    this.recordFaultsApplied.length = 0;
  }
}
