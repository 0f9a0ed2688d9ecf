/**
 * Per-test fault injection for the simulators: answer with a status (e.g. 429 + Retry-After,
 * 503), delay the response, or drop the connection, for requests matching a method/path, a
 * limited number of `times` or until cleared. Rules are checked in the order added; the first
 * matching rule with uses left applies.
 *
 * Install with `faults.fastifyHook(app)` on the root instance before `listen`/`ready` (it then
 * covers every route, plugins included). It is an `onRequest` hook, so a
 * fault happens before auth and body parsing, like a proxy or the vendor's rate limiter would;
 * `dropResponse` uses an `onSend` hook to cut the connection after the route ran).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type FaultAction =
  | {
      type: 'status';
      status: number;
      retryAfterSeconds?: number;
      body?: unknown;
      headers?: Record<string, string>;
    }
  | { type: 'delay'; ms: number }
  /** Destroy the connection before the route runs: nothing was processed. */
  | { type: 'drop' }
  /**
   * Let the route run (the write happens), then destroy the connection instead of answering:
   * the client sees a transport error for a request that did succeed (the idempotency case).
   */
  | { type: 'dropResponse' };

export interface FaultRule {
  match?: { method?: string; path?: string | RegExp };
  /** How many matching requests the rule applies to; unlimited when absent. */
  times?: number;
  action: FaultAction;
}

export interface FaultRecord {
  ruleId: number;
  method: string;
  path: string;
  action: FaultAction['type'];
  at: number;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  remaining: number;
  hits: number;
}

/** Anything with fastify's addHook: lets simulators pass their own typed instance. */
type HookHost = Pick<FastifyInstance, 'addHook'>;

export interface FaultInjectorOptions {
  /** The error body for a `status` action without `body`, in the vendor's error shape. */
  defaultBody?: (status: number) => unknown;
}

export class FaultInjector {
  readonly #rules: ActiveRule[] = [];
  readonly #defaultBody: (status: number) => unknown;
  #nextId = 1;
  /** Faults applied so far, oldest first. */
  readonly applied: FaultRecord[] = [];

  constructor(options: FaultInjectorOptions = {}) {
    this.#defaultBody = options.defaultBody ?? defaultBody;
  }

  /** Add a rule; returns its id (for `remove`). */
  add(rule: FaultRule): number {
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
      throw new RangeError(`FaultRule.times must be a positive integer, got ${rule.times}`);
    }
    const id = this.#nextId++;
    this.#rules.push({ id, rule, remaining: rule.times ?? Infinity, hits: 0 });
    return id;
  }

  remove(id: number): boolean {
    const index = this.#rules.findIndex((r) => r.id === id);
    if (index < 0) return false;
    this.#rules.splice(index, 1);
    return true;
  }

  /** Remove every rule (the applied log is kept; `reset()` clears both). */
  clear(): void {
    this.#rules.length = 0;
  }

  reset(): void {
    this.clear();
    this.applied.length = 0;
  }

  /** Rules with uses left. */
  get size(): number {
    return this.#rules.filter((r) => r.remaining > 0).length;
  }

  /** Hits of one rule so far. */
  hits(id: number): number {
    return this.#rules.find((r) => r.id === id)?.hits ?? 0;
  }

  /** The action for a request, consuming one use of the rule; null when no rule matches. */
  take(method: string, path: string): FaultAction | null {
    for (const active of this.#rules) {
      if (active.remaining <= 0 || !matches(active.rule, method, path)) continue;
      active.remaining--;
      active.hits++;
      this.applied.push({
        ruleId: active.id,
        method,
        path,
        action: active.rule.action.type,
        at: Date.now(),
      });
      if (active.remaining <= 0) this.#rules.splice(this.#rules.indexOf(active), 1);
      return active.rule.action;
    }
    return null;
  }

  fastifyHook(app: HookHost): void {
    const dropAfter = new WeakSet<FastifyRequest>();
    app.addHook(
      'onSend',
      async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        if (dropAfter.has(request)) {
          reply.hijack();
          request.raw.socket.destroy();
        }
        return payload;
      },
    );
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?', 1)[0] ?? request.url;
      const action = this.take(request.method, path);
      if (!action) return;
      if (action.type === 'delay') {
        await new Promise((resolve) => setTimeout(resolve, action.ms));
        return;
      }
      if (action.type === 'dropResponse') {
        dropAfter.add(request);
        return;
      }
      if (action.type === 'drop') {
        reply.hijack();
        request.raw.socket.destroy();
        return;
      }
      if (action.retryAfterSeconds !== undefined) {
        reply.header('retry-after', String(action.retryAfterSeconds));
      }
      for (const [name, value] of Object.entries(action.headers ?? {})) reply.header(name, value);
      const body = action.body ?? this.#defaultBody(action.status);
      await reply.code(action.status).send(body);
    });
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  const m = rule.match;
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path === undefined) return true;
  if (m.path instanceof RegExp) {
    m.path.lastIndex = 0;
    return m.path.test(path);
  }
  if (m.path.endsWith('*')) return path.startsWith(m.path.slice(0, -1));
  return path === m.path;
}

function defaultBody(status: number): Record<string, unknown> {
  if (status === 429)
    return {
      errors: ['Too many requests'],
      message: 'Too many requests',
      api_error_code: 'api_request_limit_exceeded',
      type: 'request_limit',
    };
  return {
    errors: [`Injected fault ${status}`],
    message: `Injected fault ${status}`,
    api_error_code: status >= 500 ? 'internal_error' : 'injected_fault',
  };
}
