/**
 * Webhook delivery as the vendors do it: POST the body to the configured URL with signing
 * headers, and on a non-2xx answer or a transport failure retry after each delay of `schedule`
 * (so at most 1 + schedule.length attempts). Tests can force the awkward cases the vendors
 * warn about: duplicate deliveries (`duplicateNext`, or `duplicateRate` with a seeded rng) and
 * out-of-order delivery (`hold()` then `release('reverse' | 'shuffle')`).
 */
import type { Rng } from './prng.ts';

export interface WebhookEmitterOptions {
  url: string;
  /** Delays (ms) before retry 1, 2, … after a failed attempt. */
  schedule: number[];
  /** Headers that authenticate the body (Maxio HMAC signature, Chargebee Basic auth). */
  sign: (body: string) => Record<string, string>;
  contentType: string;
  /** Per-attempt timeout; default 10 s. */
  timeoutMs?: number;
  /** Probability that an emitted webhook is delivered twice (needs `rng`). */
  duplicateRate?: number;
  rng?: Rng;
  /** Called after every attempt. */
  onAttempt?: (attempt: DeliveryAttempt) => void;
}

export interface DeliveryAttempt {
  deliveryId: number;
  /** 1-based. */
  attempt: number;
  at: number;
  durationMs: number;
  ok: boolean;
  status?: number;
  error?: string;
}

export type DeliveryState = 'held' | 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface EmittedWebhook {
  id: number;
  body: string;
  headers: Record<string, string>;
  /** True for the extra copy of a duplicated delivery. */
  duplicateOf: number | null;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
}

export type ReleaseOrder = 'fifo' | 'reverse' | 'shuffle';

interface Pending {
  delivery: EmittedWebhook;
  resolve: (delivery: EmittedWebhook) => void;
  timer: NodeJS.Timeout | null;
  /** Ends the current retry wait early (on cancel). */
  wake: (() => void) | null;
  cancelled: boolean;
}

export class WebhookEmitter {
  url: string;
  readonly schedule: readonly number[];
  readonly contentType: string;
  readonly #sign: (body: string) => Record<string, string>;
  readonly #timeoutMs: number;
  readonly #rng: Rng | undefined;
  readonly #onAttempt: ((attempt: DeliveryAttempt) => void) | undefined;
  duplicateRate: number;
  /** Every delivery (including duplicates), in emit order. */
  readonly deliveries: EmittedWebhook[] = [];
  /** Every attempt, in the order they finished. */
  readonly attempts: DeliveryAttempt[] = [];
  #nextId = 1;
  #duplicateNext = 0;
  #holding = false;
  #held: Pending[] = [];
  readonly #active = new Set<Pending>();
  readonly #inflight = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: WebhookEmitterOptions) {
    this.url = options.url;
    this.schedule = [...options.schedule];
    this.contentType = options.contentType;
    this.#sign = options.sign;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#rng = options.rng;
    this.#onAttempt = options.onAttempt;
    this.duplicateRate = options.duplicateRate ?? 0;
  }

  /**
   * Deliver `body` (with retries). Resolves when the delivery ends: delivered, failed after the
   * last retry, or cancelled by `close()`. When duplicated, resolves with the original.
   */
  emit(body: string, extraHeaders: Record<string, string> = {}): Promise<EmittedWebhook> {
    if (this.#closed) throw new Error('WebhookEmitter is closed');
    const headers = { 'content-type': this.contentType, ...this.#sign(body), ...extraHeaders };
    const original = this.#enqueue(body, headers, null);
    let duplicate = false;
    if (this.#duplicateNext > 0) {
      this.#duplicateNext--;
      duplicate = true;
    } else if (this.duplicateRate > 0 && this.#rng?.bool(this.duplicateRate)) {
      duplicate = true;
    }
    if (duplicate) void this.#enqueue(body, headers, original.id).promise;
    return original.promise;
  }

  /** The next `count` emits are each delivered twice. */
  duplicateNext(count = 1): void {
    this.#duplicateNext += count;
  }

  /** Hold new emits until `release()`. */
  hold(): void {
    this.#holding = true;
  }

  /**
   * Send the held deliveries in `order`. Each starts after the previous one's first attempt
   * finished, so the receiver sees them in exactly that order.
   */
  async release(order: ReleaseOrder = 'reverse'): Promise<void> {
    this.#holding = false;
    let batch = this.#held;
    this.#held = [];
    if (order === 'reverse') batch = batch.reverse();
    if (order === 'shuffle') {
      if (!this.#rng) throw new Error("release('shuffle') needs the emitter's rng option");
      batch = this.#rng.shuffle(batch);
    }
    for (const pending of batch) {
      if (pending.cancelled) continue;
      await this.#start(pending, true);
    }
  }

  /** Deliveries held now. */
  get heldCount(): number {
    return this.#held.length;
  }

  /** Resolves when nothing is in flight or waiting for a retry (held ones excluded). */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) {
      await Promise.allSettled([...this.#inflight]);
    }
  }

  /** Cancel pending retries and held deliveries; later `emit` calls throw. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of [...this.#held, ...this.#active]) this.#cancel(pending);
    this.#held = [];
    await this.idle();
  }

  #enqueue(
    body: string,
    headers: Record<string, string>,
    duplicateOf: number | null,
  ): { id: number; promise: Promise<EmittedWebhook> } {
    const delivery: EmittedWebhook = {
      id: this.#nextId++,
      body,
      headers,
      duplicateOf,
      state: this.#holding ? 'held' : 'pending',
      attempts: [],
    };
    this.deliveries.push(delivery);
    let resolve!: (delivery: EmittedWebhook) => void;
    const promise = new Promise<EmittedWebhook>((r) => {
      resolve = r;
    });
    const pending: Pending = { delivery, resolve, timer: null, wake: null, cancelled: false };
    if (this.#holding) {
      this.#held.push(pending);
    } else {
      void this.#start(pending, false);
    }
    return { id: delivery.id, promise };
  }

  /** Run the delivery; when `awaitFirst`, resolve after the first attempt, else after the last. */
  #start(pending: Pending, awaitFirst: boolean): Promise<void> {
    pending.delivery.state = 'pending';
    this.#active.add(pending);
    let firstDone!: () => void;
    const first = new Promise<void>((r) => {
      firstDone = r;
    });
    const run = this.#run(pending, firstDone).finally(() => {
      this.#active.delete(pending);
      this.#inflight.delete(run);
      firstDone();
    });
    this.#inflight.add(run);
    return awaitFirst ? first : run;
  }

  async #run(pending: Pending, firstDone: () => void): Promise<void> {
    const { delivery } = pending;
    for (let attempt = 1; attempt <= this.schedule.length + 1; attempt++) {
      if (pending.cancelled) break;
      if (attempt > 1) {
        const delay = this.schedule[attempt - 2] ?? 0;
        await new Promise<void>((resolve) => {
          pending.wake = resolve;
          pending.timer = setTimeout(resolve, delay);
        });
        pending.timer = null;
        pending.wake = null;
        if (pending.cancelled) break;
      }
      const result = await this.#attempt(delivery, attempt);
      firstDone();
      if (result.ok) {
        delivery.state = 'delivered';
        pending.resolve(delivery);
        return;
      }
    }
    delivery.state = pending.cancelled ? 'cancelled' : 'failed';
    pending.resolve(delivery);
  }

  async #attempt(delivery: EmittedWebhook, attempt: number): Promise<DeliveryAttempt> {
    const started = Date.now();
    let record: DeliveryAttempt;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      record = {
        deliveryId: delivery.id,
        attempt,
        at: started,
        durationMs: Date.now() - started,
        ok: response.status >= 200 && response.status < 300,
        status: response.status,
      };
    } catch (error) {
      const cause = error instanceof Error ? ((error.cause as Error | undefined) ?? error) : null;
      record = {
        deliveryId: delivery.id,
        attempt,
        at: started,
        durationMs: Date.now() - started,
        ok: false,
        error: cause ? cause.message : String(error),
      };
    }
    delivery.attempts.push(record);
    this.attempts.push(record);
    this.#onAttempt?.(record);
    return record;
  }

  #cancel(pending: Pending): void {
    pending.cancelled = true;
    if (pending.timer) {
      clearTimeout(pending.timer);
      pending.timer = null;
    }
    pending.wake?.();
    if (pending.delivery.state === 'held') {
      pending.delivery.state = 'cancelled';
      pending.resolve(pending.delivery);
    }
  }
}
