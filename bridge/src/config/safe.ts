/** Showing a config without its secrets. */
import { SECRET_FIELDS } from './schema.ts';

/** A connection URL's password (`postgres://user:secret@host/db`) is a secret too. */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/i;

export const MASKED = '********';

function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (typeof value === 'string') return value.replace(URL_PASSWORD, `$1${MASKED}@`);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      SECRET_FIELDS.has(key) && v !== undefined && v !== null && v !== '' ? MASKED : mask(v);
  }
  return out;
}

/** A deep copy with every secret field replaced by `********` (absent ones stay absent). */
export function toSafeJSON<T>(config: T): unknown {
  return mask(config);
}
