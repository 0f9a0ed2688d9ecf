/**
 * The org's daily API budget, read from `Sforce-Limit-Info: api-usage=used/limit` on every
 * response (jsforce keeps the last value in `conn.limitInfo`). The bridge shares the org with
 * every other integration, so it slows down before the budget runs out rather than after:
 *
 * - below `slowAt` of the limit: full speed;
 * - between `slowAt` and the class's stop line: each call waits, longer as usage grows;
 * - past `backfillStopAt`: backfills stop (ApiBudgetError) and resume when the budget allows;
 * - past `liveStopAt`: live sync stops too, leaving the rest of the day's budget to the org.
 *
 * Stopping throws, it never drops work: the caller's job is retried later with its cursor kept.
 */
import { RateLimitError } from '../errors.ts';
import { sleep } from '../http/retry.ts';

export type CallClass = 'live' | 'backfill';

export interface ApiBudgetOptions {
  /** Share of the daily limit after which calls are spaced out. Default 0.7. */
  slowAt?: number;
  /** Share after which backfills stop. Default 0.85. */
  backfillStopAt?: number;
  /** Share after which live sync stops. Default 0.95. */
  liveStopAt?: number;
  /** The longest wait added before one call when slowing down. Default 2000 ms. */
  maxDelayMs?: number;
  /** How long a stopped caller should wait before trying again. Default 15 min. */
  retryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ApiUsage {
  used: number;
  limit: number;
}

export class ApiBudgetError extends RateLimitError {}

export class ApiBudget {
  readonly options: Required<Omit<ApiBudgetOptions, 'sleep'>>;
  readonly #sleep: (ms: number) => Promise<void>;
  #usage: ApiUsage | null = null;
  /** Calls this process made, whatever the org's header says. */
  calls = 0;
  delayedMs = 0;

  constructor(options: ApiBudgetOptions = {}) {
    this.options = {
      slowAt: options.slowAt ?? 0.7,
      backfillStopAt: options.backfillStopAt ?? 0.85,
      liveStopAt: options.liveStopAt ?? 0.95,
      maxDelayMs: options.maxDelayMs ?? 2000,
      retryAfterMs: options.retryAfterMs ?? 15 * 60_000,
    };
    this.#sleep = options.sleep ?? sleep;
  }

  /** The last usage Salesforce reported, or null before the first response. */
  get usage(): ApiUsage | null {
    return this.#usage;
  }

  /** Record what a response said (`conn.limitInfo.apiUsage`). */
  observe(usage: ApiUsage | undefined | null): void {
    if (usage && usage.limit > 0) this.#usage = { used: usage.used, limit: usage.limit };
  }

  /** Share of the daily limit used, 0 when unknown. */
  get ratio(): number {
    return this.#usage ? this.#usage.used / this.#usage.limit : 0;
  }

  /** Wait or refuse before one call of the given class. */
  async beforeCall(callClass: CallClass): Promise<void> {
    this.calls += 1;
    const ratio = this.ratio;
    const stopAt = callClass === 'live' ? this.options.liveStopAt : this.options.backfillStopAt;
    if (ratio >= stopAt) {
      const usage = this.#usage as ApiUsage;
      throw new ApiBudgetError(
        `Salesforce API budget: ${usage.used} of ${usage.limit} daily calls used; ${callClass} sync pauses at ${Math.round(stopAt * 100)}%`,
        {
          provider: 'salesforce',
          code: 'API_BUDGET_RESERVED',
          retryAfterMs: this.options.retryAfterMs,
        },
      );
    }
    if (ratio > this.options.slowAt) {
      const share = (ratio - this.options.slowAt) / (stopAt - this.options.slowAt);
      const ms = Math.round(Math.min(1, share) * this.options.maxDelayMs);
      if (ms > 0) {
        this.delayedMs += ms;
        await this.#sleep(ms);
      }
    }
  }
}
