/**
 * At most `max` tasks in flight; the rest wait in FIFO order (Maxio allows 4 concurrent requests
 * per site). A task that throws still frees its slot.
 */
export class ConcurrencyLimiter {
  readonly max: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`ConcurrencyLimiter max must be a positive integer, got ${max}`);
    }
    this.max = max;
  }

  /** Tasks running now. */
  get active(): number {
    return this.#active;
  }

  /** Tasks waiting for a slot. */
  get pending(): number {
    return this.#waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.max) {
      await new Promise<void>((resolve) => {
        this.#waiting.push(resolve);
      });
    } else {
      this.#active++;
    }
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) {
        // Hand the slot over directly: #active stays the same.
        next();
      } else {
        this.#active--;
      }
    }
  }
}

/** One limiter per key (e.g. per site), created on first use. */
export class KeyedLimiter {
  readonly max: number;
  readonly #limiters = new Map<string, ConcurrencyLimiter>();

  constructor(max: number) {
    this.max = max;
  }

  for(key: string): ConcurrencyLimiter {
    let limiter = this.#limiters.get(key);
    if (!limiter) {
      limiter = new ConcurrencyLimiter(this.max);
      this.#limiters.set(key, limiter);
    }
    return limiter;
  }
}
