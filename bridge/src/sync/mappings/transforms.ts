/**
 * Value transforms used by the mapping tables. Each declares what it produces (kind, length,
 * scale, picklist values) so `checkMappings` can compare it with the Salesforce field, and
 * `apply` turns a canonical value into the JSON value Salesforce takes. `null`/`undefined`/""
 * always become `null`.
 */
import { isDecimal, roundDecimal } from '../../money.ts';
import { MappingError } from './types.ts';
import type { MappingContext, Transform } from './types.ts';

export const DEFAULT_TRUNCATION_MARKER = '…';

function isBlank(value: unknown): value is null | undefined | '' {
  return value === null || value === undefined || value === '';
}

function asText(value: unknown, label: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  throw new MappingError(`${label}: expected text, got ${JSON.stringify(value)}`);
}

/** Cut `text` to `max` characters (code points), ending with the marker, when it is longer. */
export function truncate(text: string, max: number, marker = DEFAULT_TRUNCATION_MARKER): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const keep = Math.max(0, max - Array.from(marker).length);
  return chars.slice(0, keep).join('') + marker;
}

/** Free text cut to `max` characters with a marker. */
export function text(max: number): Transform {
  return {
    kind: 'text',
    maxLength: max,
    label: `text(${max})`,
    apply(value, ctx: MappingContext) {
      if (isBlank(value)) return null;
      return truncate(asText(value, `text(${max})`), max, ctx.options.truncationMarker);
    },
  };
}

/** An identifier: never cut; longer than `max` is a mapping error (a cut id would be wrong). */
export function key(max: number): Transform {
  return {
    kind: 'text',
    maxLength: max,
    label: `key(${max})`,
    apply(value) {
      if (isBlank(value)) return null;
      const result = asText(value, `key(${max})`);
      if (Array.from(result).length > max) {
        throw new MappingError(`identifier longer than ${max} characters: ${result.slice(0, 40)}…`);
      }
      return result;
    },
  };
}

/** An ISO 4217 code, upper-cased. */
export const currencyCode: Transform = {
  kind: 'text',
  maxLength: 3,
  label: 'currency code',
  apply(value) {
    if (isBlank(value)) return null;
    const code = asText(value, 'currency code').trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) throw new MappingError(`not a currency code: ${code}`);
    return code;
  },
};

/** `CurrencyIsoCode` (multi-currency orgs): a picklist of the org's active currencies. */
export const isoCurrencyPicklist: Transform = {
  kind: 'picklist',
  maxLength: 3,
  valuesFromOrg: true,
  label: 'org currency',
  apply: (value, ctx) => currencyCode.apply(value, ctx),
};

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An e-mail address (Salesforce Email: 80); one Salesforce would reject becomes null. */
export const email: Transform = {
  kind: 'email',
  maxLength: 80,
  label: 'email',
  apply(value) {
    if (isBlank(value)) return null;
    const address = asText(value, 'email').trim();
    return EMAIL_RE.test(address) && address.length <= 80 ? address : null;
  },
};

/** A phone number (Salesforce Phone: 40), cut to fit. */
export const phone: Transform = {
  kind: 'phone',
  maxLength: 40,
  label: 'phone',
  apply(value, ctx) {
    if (isBlank(value)) return null;
    return truncate(asText(value, 'phone').trim(), 40, ctx.options.truncationMarker);
  },
};

function toNumber(value: unknown, scale: number, label: string): number {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new MappingError(`${label}: not a finite number: ${value}`);
  }
  if (!isDecimal(value)) throw new MappingError(`${label}: not a number: ${JSON.stringify(value)}`);
  // Exact decimal rounding first, then one conversion: "12.50" → 12.5, "0.125" → 0.13.
  return Number(roundDecimal(value, scale));
}

/** A canonical Decimal (major units) → a Currency(16,2) number, rounded half up at 2 dp. */
export const money: Transform = {
  kind: 'money',
  scale: 2,
  label: 'money',
  apply(value) {
    return isBlank(value) ? null : toNumber(value, 2, 'money');
  },
};

/** A decimal quantity → a Number field with `scale` decimals. */
export function decimal(scale: number): Transform {
  return {
    kind: 'number',
    scale,
    label: `decimal(${scale})`,
    apply(value) {
      return isBlank(value) ? null : toNumber(value, scale, `decimal(${scale})`);
    },
  };
}

/** A whole number (counts, days, versions). */
export const integer: Transform = {
  kind: 'number',
  scale: 0,
  label: 'integer',
  apply(value) {
    if (isBlank(value)) return null;
    const result = toNumber(value, 0, 'integer');
    if (!Number.isSafeInteger(result)) throw new MappingError(`integer out of range: ${result}`);
    return result;
  },
};

/** A percentage as a number ("12.5" → 12.5), for a Percent field. */
export const percent: Transform = {
  kind: 'percent',
  scale: 2,
  label: 'percent',
  apply(value) {
    return isBlank(value) ? null : toNumber(value, 2, 'percent');
  },
};

/** A checkbox: null/absent is false (Salesforce checkboxes are never null). */
export const bool: Transform = {
  kind: 'boolean',
  label: 'boolean',
  apply(value) {
    if (isBlank(value)) return false;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 1) return true;
    if (value === 'false' || value === 0) return false;
    throw new MappingError(`not a boolean: ${JSON.stringify(value)}`);
  },
};

function toIsoTimestamp(value: unknown): string {
  const date =
    typeof value === 'number' ? new Date(value * 1000) : new Date(asText(value, 'datetime'));
  if (Number.isNaN(date.getTime())) {
    throw new MappingError(`not a timestamp: ${JSON.stringify(value)}`);
  }
  return date.toISOString();
}

/** An ISO timestamp (or epoch seconds) → a DateTime value `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export const dateTime: Transform = {
  kind: 'datetime',
  label: 'datetime',
  apply(value) {
    return isBlank(value) ? null : toIsoTimestamp(value);
  },
};

/** A calendar date, or the UTC date of a timestamp → a Date value `YYYY-MM-DD`. */
export const dateOnly: Transform = {
  kind: 'date',
  label: 'date',
  apply(value) {
    if (isBlank(value)) return null;
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    return toIsoTimestamp(value).slice(0, 10);
  },
};

/**
 * A closed picklist: the canonical value, renamed through `map` when given, must be one of
 * `values` (the field's API names); anything else becomes null rather than a rejected record.
 */
export function picklist(values: readonly string[], map: Record<string, string> = {}): Transform {
  const allowed = new Set(values);
  return {
    kind: 'picklist',
    values,
    label: `picklist(${values.join('|')})`,
    apply(value) {
      if (isBlank(value)) return null;
      const raw = asText(value, 'picklist');
      const mapped = map[raw] ?? raw;
      return allowed.has(mapped) ? mapped : null;
    },
  };
}

/** An open picklist: the provider's own value, for unrestricted picklists (up to 255 chars). */
export const providerValue: Transform = {
  kind: 'picklist',
  maxLength: 255,
  label: 'provider value',
  apply(value) {
    if (isBlank(value)) return null;
    const result = asText(value, 'provider value');
    if (result.length > 255) throw new MappingError(`picklist value longer than 255: ${result}`);
    return result;
  },
};

/** A Salesforce record id that came back from the billing platform (e.g. the Opportunity id). */
export const salesforceId: Transform = {
  kind: 'id',
  maxLength: 18,
  label: 'salesforce id',
  apply(value) {
    if (isBlank(value)) return null;
    const id = asText(value, 'salesforce id').trim();
    return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id) ? id : null;
  },
};
