/**
 * Field value checks and conversions, as Salesforce applies them on write: JSON values from REST
 * (typed) or strings from Bulk CSV, into the stored form (strings, numbers, booleans, dates as
 * `YYYY-MM-DD`, datetimes as `…+0000`). Type mismatches are `TypeMismatch` (the caller decides
 * whether that fails the request, as REST's JSON parser does, or one record, as Bulk does);
 * range, length, picklist and e-mail problems are record errors with Salesforce's codes.
 */
import { SfRecordError } from './errors.ts';
import { isIdShaped, toId18 } from './ids.ts';
import type { FieldDef } from './schema-types.ts';
import { sfDateTime } from './store.ts';
import type { FieldValue } from './store.ts';

export class TypeMismatch extends Error {
  readonly field: string;
  constructor(field: FieldDef, value: unknown) {
    super(`${field.label}: value not of required type: ${String(value)}`);
    this.name = 'TypeMismatch';
    this.field = field.name;
  }
}

const TEXT = new Set(['string', 'textarea', 'email', 'url', 'phone', 'picklist', 'multipicklist']);
const NUMBER = new Set(['int', 'double', 'currency', 'percent']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkDate(def: FieldDef, value: string): string {
  const m = DATE.exec(value.slice(0, 10));
  if (!m) throw new TypeMismatch(def, value);
  const d = new Date(`${m[0]}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== m[0]) {
    throw new TypeMismatch(def, value);
  }
  return m[0];
}

function roundTo(value: number, scale: number): number {
  const factor = 10 ** scale;
  return Math.round((value + Number.EPSILON * Math.sign(value)) * factor) / factor;
}

/**
 * Convert and check one value. `fromCsv` means every value is a string (Bulk API) and an
 * unparseable one is a type mismatch for that record. Null clears the field.
 */
export function coerceValue(def: FieldDef, raw: unknown, fromCsv = false): FieldValue {
  if (raw === null || raw === undefined) return def.type === 'boolean' ? false : null;
  if (typeof raw === 'object') throw new TypeMismatch(def, JSON.stringify(raw));
  if (TEXT.has(def.type)) {
    const value = String(raw);
    if (value === '') return null;
    if (def.length && [...value].length > def.length) {
      throw new SfRecordError(
        'STRING_TOO_LONG',
        `${def.label}: data value too large: ${value.length > 80 ? `${value.slice(0, 80)}…` : value} (max length=${def.length})`,
        [def.name],
      );
    }
    if (def.type === 'email' && !EMAIL.test(value)) {
      throw new SfRecordError(
        'INVALID_EMAIL_ADDRESS',
        `${def.label}: invalid email address: ${value}`,
        [def.name],
      );
    }
    if (def.restrictedPicklist) {
      const values = def.type === 'multipicklist' ? value.split(';') : [value];
      const bad = values.find((v) => !def.picklistValues.includes(v));
      if (bad !== undefined) {
        throw new SfRecordError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${def.label}: bad value for restricted picklist field: ${bad}`,
          [def.name],
        );
      }
    }
    return value;
  }
  if (def.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    const s = String(raw).toLowerCase();
    if (s === 'true' || (fromCsv && s === '1')) return true;
    if (s === 'false' || (fromCsv && (s === '0' || s === ''))) return false;
    throw new TypeMismatch(def, raw);
  }
  if (NUMBER.has(def.type)) {
    if (typeof raw === 'boolean') throw new TypeMismatch(def, raw);
    const s = String(raw).trim();
    if (s === '') return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new TypeMismatch(def, raw);
    const n = Number(s);
    if (!Number.isFinite(n)) throw new TypeMismatch(def, raw);
    const scale = def.type === 'int' ? 0 : def.scale;
    const integerDigits = def.type === 'int' ? def.digits || 9 : def.precision - def.scale;
    // Rounding to the scale is exact only while the scaled value fits a double's integer range.
    const rounded = Math.abs(n) * 10 ** scale < Number.MAX_SAFE_INTEGER ? roundTo(n, scale) : n;
    const whole = Math.trunc(Math.abs(rounded));
    const digits = whole === 0 ? 0 : whole >= 1e21 ? 22 : String(whole).length;
    if (digits > integerDigits) {
      throw new SfRecordError(
        'NUMBER_OUTSIDE_VALID_RANGE',
        `${def.label}: value outside of valid range on numeric field: ${s}`,
        [def.name],
      );
    }
    if (def.type === 'int' && !Number.isInteger(n)) throw new TypeMismatch(def, raw);
    return rounded;
  }
  if (def.type === 'date') {
    if (typeof raw !== 'string') throw new TypeMismatch(def, raw);
    if (raw === '') return null;
    return checkDate(def, raw);
  }
  if (def.type === 'datetime') {
    if (typeof raw !== 'string') throw new TypeMismatch(def, raw);
    if (raw === '') return null;
    // ISO 8601 with a zone (Z or ±hh:mm / ±hhmm), or a bare date (midnight UTC).
    const normalized = raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    const d = DATE.test(raw) ? new Date(`${raw}T00:00:00Z`) : new Date(normalized);
    if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(raw)) {
      throw new TypeMismatch(def, raw);
    }
    return sfDateTime(d);
  }
  if (def.type === 'reference' || def.type === 'id') {
    const s = String(raw);
    if (s === '') return null;
    if (!isIdShaped(s)) {
      throw new SfRecordError('MALFORMED_ID', `${def.label}: id value of incorrect type: ${s}`, [
        def.name,
      ]);
    }
    return toId18(s);
  }
  throw new TypeMismatch(def, raw);
}
