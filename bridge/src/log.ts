/**
 * The bridge's logger: pino, with three layers so no secret reaches log output:
 * 1. pino `redact` paths for the usual places (headers.authorization, apiKey, password, …);
 * 2. a `formatters.log` pass that masks any secret-looking key at any depth and free-text
 *    credentials in string values (`redact` from errors.ts);
 * 3. a `logMethod` hook that runs the message string through `redact`.
 */
import { format } from 'node:util';
import { pino } from 'pino';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import { isSecretKey, redact } from './errors.ts';

export type { Logger };

export interface CreateLoggerOptions {
  name?: string;
  /** pino level; default `info`, or `LOG_LEVEL` from the environment. */
  level?: string;
  /** Where lines go (tests pass a stream to capture output); default stdout. */
  destination?: DestinationStream;
  /** Extra bindings on every line (e.g. `{ site: 'maxio:acme' }`). */
  base?: Record<string, unknown>;
}

const MASK = '[REDACTED]';

/** Paths pino's fast-redact masks before serialising. */
export const REDACT_PATHS = [
  'authorization',
  'password',
  'apiKey',
  'api_key',
  'secret',
  'token',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.password',
  '*.apiKey',
  '*.api_key',
  '*.secret',
  '*.webhookSecret',
  '*.clientSecret',
  '*.accessToken',
  '*.refreshToken',
  '*.privateKey',
];

const MAX_DEPTH = 8;

/** Deep copy with secret keys masked and credentials in strings redacted. */
export function scrub(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[Object]';
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
  if (value instanceof Error) {
    const out: Record<string, unknown> = {
      type: value.name,
      message: redact(value.message),
      stack: value.stack ? redact(value.stack) : undefined,
    };
    for (const [key, v] of Object.entries(value)) {
      out[key] = isSecretKey(key) ? MASK : scrub(v, depth + 1, seen);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = isSecretKey(key) && v !== undefined && v !== null ? MASK : scrub(v, depth + 1, seen);
  }
  return out;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: MASK },
    formatters: {
      log: (object) => scrub(object) as Record<string, unknown>,
    },
    serializers: {
      err: (error: unknown) => scrub(error),
    },
    hooks: {
      logMethod(args, method) {
        // Interpolate printf-style arguments first so `'key=%s', secret` is redacted as a whole.
        const at = typeof args[0] === 'string' ? 0 : 1;
        const template = args[at];
        if (typeof template === 'string') {
          const message = redact(format(template, ...args.slice(at + 1)));
          const scrubbed = at === 0 ? [message] : [args[0], message];
          return method.apply(this, scrubbed as Parameters<typeof method>);
        }
        return method.apply(this, args);
      },
    },
  };
  if (options.name !== undefined) config.name = options.name;
  if (options.base !== undefined) config.base = { ...options.base };
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** A logger that discards everything (tests, library defaults). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
