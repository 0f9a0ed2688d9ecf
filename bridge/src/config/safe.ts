/** Showing a config without its secrets. */
import { SECRET_FIELDS } from './schema.ts';

export const MASKED = '********';

function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
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
