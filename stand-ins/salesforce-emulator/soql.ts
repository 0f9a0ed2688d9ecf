/**
 * A SOQL engine over the record store, parsed with @jetstreamapp/soql-parser-js: SELECT of fields,
 * parent relationship paths (Account.Owner.Name), child subqueries, COUNT() and COUNT(field);
 * WHERE with =, !=, <, <=, >, >=, LIKE, IN, NOT IN, INCLUDES/EXCLUDES, AND/OR/NOT and parentheses,
 * NULL, date/datetime values and date literals (TODAY, LAST_N_DAYS:n, THIS_MONTH…); ORDER BY
 * (ASC/DESC, NULLS FIRST/LAST), LIMIT and OFFSET. String comparisons are case-insensitive, and
 * ids compare in their 15- or 18-character forms, as in Salesforce. GROUP BY, HAVING, TYPEOF,
 * semi-joins and aggregate functions other than COUNT answer MALFORMED_QUERY.
 */
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type {
  Condition,
  FieldType as SoqlField,
  OrderByClause,
  Query,
  Subquery,
  WhereClause,
} from '@jetstreamapp/soql-parser-js';
import { SfRequestError } from './errors.ts';
import { toId18 } from './ids.ts';
import { childRelationshipOf } from './schema.ts';
import { fieldOf, objectOf } from './schema-types.ts';
import type { FieldDef, ObjectDef, Schema } from './schema-types.ts';
import type { FieldValue, RecordStore, SfRecord } from './store.ts';

export type OutputRecord = Record<string, unknown>;

export interface QueryResult {
  totalSize: number;
  records: OutputRecord[];
  /** True for COUNT() queries: totalSize is the count and there are no records. */
  countOnly: boolean;
}

export interface QueryContext {
  schema: Schema;
  store: RecordStore;
  apiVersion: string;
  includeDeleted?: boolean;
  now?: () => Date;
}

const malformed = (message: string) => new SfRequestError(400, 'MALFORMED_QUERY', message);

/** A resolved field path: reference fields to follow, then the field read. */
interface Path {
  steps: FieldDef[];
  field: FieldDef;
  /** Names as they appear in output: relationship names, then the field name. */
  names: string[];
}

function resolvePath(object: ObjectDef, dotted: string, schema: Schema): Path {
  const parts = dotted.split('.');
  // A leading object name or alias (`Account.Name` in `FROM Account`) is allowed in SOQL.
  if (parts.length > 1 && parts[0]?.toLowerCase() === object.name.toLowerCase()) parts.shift();
  const steps: FieldDef[] = [];
  const names: string[] = [];
  let current = object;
  for (let i = 0; i < parts.length - 1; i++) {
    const name = parts[i] as string;
    const ref = current.relationshipsLower.get(name.toLowerCase());
    const target = ref ? objectOf(schema, ref.referenceTo[0] ?? '') : undefined;
    if (!ref || !target) {
      throw new SfRequestError(
        400,
        'INVALID_FIELD',
        `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`,
      );
    }
    steps.push(ref);
    names.push(ref.relationshipName as string);
    current = target;
  }
  const last = parts[parts.length - 1] as string;
  const field = fieldOf(current, last);
  if (!field) {
    throw new SfRequestError(
      400,
      'INVALID_FIELD',
      `No such column '${last}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
    );
  }
  names.push(field.name);
  return { steps, field, names };
}

function readPath(store: RecordStore, record: SfRecord, path: Path): FieldValue {
  let current: SfRecord | undefined = record;
  for (const step of path.steps) {
    const id: FieldValue | undefined = current[step.name];
    current = id ? store.get(String(id)) : undefined;
    if (!current) return null;
  }
  return current[path.field.name] ?? null;
}

function unquote(literal: string): string {
  const body = literal.replace(/^'/, '').replace(/'$/, '');
  return body.replace(/\\(.)/g, (_m, c: string) =>
    c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c,
  );
}

type Range = { start: number; end: number };

const DAY = 86_400_000;

function utcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function monthStart(date: Date, offset: number): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1);
}

function yearStart(date: Date, offset: number): number {
  return Date.UTC(date.getUTCFullYear() + offset, 0, 1);
}

/** The [start, end) range in ms (UTC) of a date literal such as TODAY or LAST_N_DAYS:7. */
export function dateLiteralRange(literal: string, now: Date): Range {
  const [name = '', nText] = literal.toUpperCase().split(':');
  const n = nText === undefined ? 0 : Number(nText);
  const today = utcDay(now);
  const weekStart = today - new Date(today).getUTCDay() * DAY;
  const q = Math.floor(now.getUTCMonth() / 3) * 3;
  const quarter = (k: number) => ({
    start: Date.UTC(now.getUTCFullYear(), q + 3 * k, 1),
    end: Date.UTC(now.getUTCFullYear(), q + 3 * k + 3, 1),
  });
  switch (name) {
    case 'TODAY':
      return { start: today, end: today + DAY };
    case 'YESTERDAY':
      return { start: today - DAY, end: today };
    case 'TOMORROW':
      return { start: today + DAY, end: today + 2 * DAY };
    case 'LAST_WEEK':
      return { start: weekStart - 7 * DAY, end: weekStart };
    case 'THIS_WEEK':
      return { start: weekStart, end: weekStart + 7 * DAY };
    case 'NEXT_WEEK':
      return { start: weekStart + 7 * DAY, end: weekStart + 14 * DAY };
    case 'LAST_MONTH':
      return { start: monthStart(now, -1), end: monthStart(now, 0) };
    case 'THIS_MONTH':
      return { start: monthStart(now, 0), end: monthStart(now, 1) };
    case 'NEXT_MONTH':
      return { start: monthStart(now, 1), end: monthStart(now, 2) };
    case 'LAST_90_DAYS':
      return { start: today - 90 * DAY, end: today + DAY };
    case 'NEXT_90_DAYS':
      return { start: today + DAY, end: today + 91 * DAY };
    case 'THIS_QUARTER':
      return quarter(0);
    case 'LAST_QUARTER':
      return quarter(-1);
    case 'NEXT_QUARTER':
      return quarter(1);
    case 'THIS_YEAR':
      return { start: yearStart(now, 0), end: yearStart(now, 1) };
    case 'LAST_YEAR':
      return { start: yearStart(now, -1), end: yearStart(now, 0) };
    case 'NEXT_YEAR':
      return { start: yearStart(now, 1), end: yearStart(now, 2) };
    case 'LAST_N_DAYS':
      return { start: today - n * DAY, end: today + DAY };
    case 'NEXT_N_DAYS':
      return { start: today + DAY, end: today + (n + 1) * DAY };
    case 'N_DAYS_AGO':
      return { start: today - n * DAY, end: today - (n - 1) * DAY };
    case 'LAST_N_WEEKS':
      return { start: weekStart - 7 * n * DAY, end: weekStart };
    case 'NEXT_N_WEEKS':
      return { start: weekStart + 7 * DAY, end: weekStart + 7 * (n + 1) * DAY };
    case 'LAST_N_MONTHS':
      return { start: monthStart(now, -n), end: monthStart(now, 0) };
    case 'NEXT_N_MONTHS':
      return { start: monthStart(now, 1), end: monthStart(now, n + 1) };
    case 'LAST_N_YEARS':
      return { start: yearStart(now, -n), end: yearStart(now, 0) };
    case 'NEXT_N_YEARS':
      return { start: yearStart(now, 1), end: yearStart(now, n + 1) };
    default:
      throw malformed(`unsupported date literal: ${literal}`);
  }
}

type Literal = string | number | boolean | null | Range;

const isRange = (v: Literal): v is Range => typeof v === 'object' && v !== null;

function literalOf(raw: string, type: string | undefined, def: FieldDef, now: Date): Literal {
  switch (type) {
    case 'STRING': {
      const s = unquote(raw);
      if (def.type === 'id' || def.type === 'reference') return toId18(s) ?? s;
      return s;
    }
    case 'INTEGER':
    case 'DECIMAL':
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX':
      return Number(raw.replace(/^[A-Z]{3}/, ''));
    case 'BOOLEAN':
      return raw.toUpperCase() === 'TRUE';
    case 'NULL':
      return null;
    case 'DATE':
      return def.type === 'datetime' ? Date.parse(`${raw}T00:00:00Z`) : raw;
    case 'DATETIME': {
      const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isNaN(ms)) throw malformed(`invalid datetime: ${raw}`);
      return def.type === 'date' ? new Date(ms).toISOString().slice(0, 10) : ms;
    }
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL':
      return dateLiteralRange(raw, now);
    default:
      throw malformed(`unsupported value ${raw}`);
  }
}

/** A stored value in comparable form: lower-case text, numbers, ms for dates. */
function comparable(def: FieldDef, value: FieldValue): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (def.type === 'date') return Date.parse(`${String(value)}T00:00:00Z`);
  if (def.type === 'datetime') return Date.parse(String(value).replace('+0000', 'Z'));
  if (typeof value === 'string') return value.toLowerCase();
  return value;
}

function literalComparable(def: FieldDef, value: Literal): string | number | boolean | null {
  if (value === null || isRange(value)) return null;
  if (def.type === 'date' && typeof value === 'string') return Date.parse(`${value}T00:00:00Z`);
  if (typeof value === 'string') return value.toLowerCase();
  return value;
}

function likeRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      out += pattern.charAt(++i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '%') out += '[\\s\\S]*';
    else if (c === '_') out += '[\\s\\S]';
    else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 'i');
}

type Predicate = (record: SfRecord) => boolean;

function compileCondition(object: ObjectDef, condition: Condition, ctx: QueryContext): Predicate {
  if (!('field' in condition)) {
    throw malformed('functions in WHERE are not supported by the emulator');
  }
  if ('valueQuery' in condition)
    throw malformed('semi-join subqueries are not supported by the emulator');
  const path = resolvePath(object, condition.field, ctx.schema);
  const def = path.field;
  const now = (ctx.now ?? (() => new Date()))();
  const types = condition.literalType;
  const typeAt = (i: number) => (Array.isArray(types) ? types[i] : types);
  const op = condition.operator.toUpperCase();
  const read = (r: SfRecord) => readPath(ctx.store, r, path);

  if (op === 'IN' || op === 'NOT IN' || op === 'INCLUDES' || op === 'EXCLUDES') {
    const raw = Array.isArray(condition.value) ? condition.value : [condition.value];
    const values = raw.map((v, i) => literalComparable(def, literalOf(v, typeAt(i), def, now)));
    if (op === 'INCLUDES' || op === 'EXCLUDES') {
      const wanted = values.map((v) => String(v).split(';').sort().join(';'));
      const includes = (r: SfRecord) => {
        const stored = read(r);
        if (stored === null) return false;
        const have = new Set(String(stored).toLowerCase().split(';'));
        return wanted.some((w) => w.split(';').every((x) => have.has(x)));
      };
      return op === 'INCLUDES' ? includes : (r) => !includes(r);
    }
    const set = new Set(values);
    const inSet = (r: SfRecord) => set.has(comparable(def, read(r)));
    return op === 'IN' ? inSet : (r) => !inSet(r);
  }

  const rawValue = Array.isArray(condition.value) ? (condition.value[0] ?? '') : condition.value;
  const literal = literalOf(rawValue, typeAt(0), def, now);
  if (isRange(literal)) {
    const { start, end } = literal;
    return (r) => {
      const v = comparable(def, read(r));
      if (typeof v !== 'number') return op === '!=';
      switch (op) {
        case '=':
          return v >= start && v < end;
        case '!=':
          return v < start || v >= end;
        case '<':
          return v < start;
        case '<=':
          return v < end;
        case '>':
          return v >= end;
        case '>=':
          return v >= start;
        default:
          throw malformed(`operator ${op} cannot take a date literal`);
      }
    };
  }
  if (op === 'LIKE') {
    if (typeof literal !== 'string') throw malformed('LIKE needs a string value');
    const regex = likeRegex(literal);
    return (r) => {
      const v = read(r);
      return v !== null && regex.test(String(v));
    };
  }
  const expected = literalComparable(def, literal);
  return (r) => {
    const v = comparable(def, read(r));
    switch (op) {
      case '=':
        return v === expected;
      case '!=':
        return v !== expected;
    }
    if (v === null || expected === null) return false;
    switch (op) {
      case '<':
        return v < expected;
      case '<=':
        return v <= expected;
      case '>':
        return v > expected;
      case '>=':
        return v >= expected;
      default:
        throw malformed(`unsupported operator ${op}`);
    }
  };
}

type Token =
  | { kind: 'cond'; condition: Condition }
  | { kind: 'and' }
  | { kind: 'or' }
  | { kind: 'not' }
  | { kind: 'open' }
  | { kind: 'close' };

/** The parser gives a right-leaning list with parenthesis counts: turn it back into tokens. */
function tokens(where: WhereClause | undefined, out: Token[] = []): Token[] {
  if (!where) return out;
  const clause = where as {
    left: Record<string, unknown> | null;
    operator?: string;
    right?: WhereClause;
  };
  const left = clause.left;
  if (clause.operator === 'NOT' && (left === null || !('field' in left || 'fn' in left))) {
    const opens = (left?.openParen as number | undefined) ?? 0;
    for (let i = 0; i < opens; i++) out.push({ kind: 'open' });
    out.push({ kind: 'not' });
    return tokens(clause.right, out);
  }
  if (left) {
    const opens = (left.openParen as number | undefined) ?? 0;
    const closes = (left.closeParen as number | undefined) ?? 0;
    for (let i = 0; i < opens; i++) out.push({ kind: 'open' });
    out.push({ kind: 'cond', condition: left as unknown as Condition });
    for (let i = 0; i < closes; i++) out.push({ kind: 'close' });
  }
  if (clause.operator === 'AND') out.push({ kind: 'and' });
  else if (clause.operator === 'OR') out.push({ kind: 'or' });
  return tokens(clause.right, out);
}

function compileWhere(
  object: ObjectDef,
  where: WhereClause | undefined,
  ctx: QueryContext,
): Predicate {
  if (!where) return () => true;
  const list = tokens(where);
  let at = 0;
  const peek = () => list[at];
  const orExpr = (): Predicate => {
    const parts = [andExpr()];
    while (peek()?.kind === 'or') {
      at++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (r) => parts.some((p) => p(r));
  };
  const andExpr = (): Predicate => {
    const parts = [unary()];
    while (peek()?.kind === 'and') {
      at++;
      parts.push(unary());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (r) => parts.every((p) => p(r));
  };
  const unary = (): Predicate => {
    const token = list[at++];
    if (!token) throw malformed('unexpected end of WHERE clause');
    if (token.kind === 'not') {
      const inner = unary();
      return (r) => !inner(r);
    }
    if (token.kind === 'open') {
      const inner = orExpr();
      if (list[at++]?.kind !== 'close') throw malformed('unbalanced parentheses in WHERE');
      return inner;
    }
    if (token.kind === 'cond') return compileCondition(object, token.condition, ctx);
    throw malformed('unexpected operator in WHERE clause');
  };
  const predicate = orExpr();
  if (at !== list.length) throw malformed('could not read the WHERE clause');
  return predicate;
}

function compareValues(
  a: string | number | boolean | null,
  b: string | number | boolean | null,
): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

interface Selection {
  object: ObjectDef;
  paths: Path[];
  subqueries: { name: string; child: ObjectDef; field: FieldDef; query: Subquery }[];
}

function recordUrl(ctx: QueryContext, object: ObjectDef, id: string): string {
  return `/services/data/v${ctx.apiVersion}/sobjects/${object.name}/${id}`;
}

function shape(ctx: QueryContext, selection: Selection, record: SfRecord): OutputRecord {
  const out: OutputRecord = {
    attributes: {
      type: selection.object.name,
      url: recordUrl(ctx, selection.object, String(record.Id)),
    },
  };
  for (const path of selection.paths) {
    let target = out;
    let current: SfRecord | undefined = record;
    let broken = false;
    for (let i = 0; i < path.steps.length; i++) {
      const step = path.steps[i] as FieldDef;
      const name = path.names[i] as string;
      const id: FieldValue | undefined = current?.[step.name];
      current = id ? ctx.store.get(String(id)) : undefined;
      if (!current) {
        if (!(name in target)) target[name] = null;
        broken = true;
        break;
      }
      let nested = target[name] as OutputRecord | null | undefined;
      if (!nested) {
        const parent = ctx.schema.objects.get(step.referenceTo[0] ?? '') as ObjectDef;
        nested = {
          attributes: { type: parent.name, url: recordUrl(ctx, parent, String(current.Id)) },
        };
        target[name] = nested;
      }
      target = nested;
    }
    if (!broken) target[path.field.name] = current?.[path.field.name] ?? null;
  }
  for (const sub of selection.subqueries) {
    const children = runSelect(ctx, sub.child, sub.query, (r) => r[sub.field.name] === record.Id);
    out[sub.name] = children.records.length
      ? { totalSize: children.records.length, done: true, records: children.records }
      : null;
  }
  return out;
}

function runSelect(
  ctx: QueryContext,
  object: ObjectDef,
  query: Query | Subquery,
  scope: Predicate = () => true,
): QueryResult {
  if (query.groupBy || query.having)
    throw malformed('GROUP BY and HAVING are not supported by the emulator');
  const selection: Selection = { object, paths: [], subqueries: [] };
  const counts: { alias: string; path: Path | null }[] = [];
  let countAll = false;
  for (const f of (query.fields ?? []) as SoqlField[]) {
    switch (f.type) {
      case 'Field':
        selection.paths.push(resolvePath(object, f.field, ctx.schema));
        break;
      case 'FieldRelationship':
        selection.paths.push(
          resolvePath(object, [...f.relationships, f.field].join('.'), ctx.schema),
        );
        break;
      case 'FieldSubquery': {
        const rel = childRelationshipOf(ctx.schema, object, f.subquery.relationshipName);
        if (!rel) {
          throw new SfRequestError(
            400,
            'INVALID_TYPE',
            `Didn't understand relationship '${f.subquery.relationshipName}' in FROM part of query call.`,
          );
        }
        selection.subqueries.push({
          name: f.subquery.relationshipName,
          child: rel.child,
          field: rel.field,
          query: f.subquery,
        });
        break;
      }
      case 'FieldFunctionExpression': {
        if (f.functionName.toUpperCase() !== 'COUNT') {
          throw malformed(`${f.functionName}() is not supported by the emulator`);
        }
        const param = f.parameters[0];
        if (param === undefined) countAll = true;
        else if (typeof param === 'string') {
          counts.push({
            alias: f.alias ?? `expr${counts.length}`,
            path: resolvePath(object, param, ctx.schema),
          });
        } else throw malformed('nested functions are not supported');
        break;
      }
      default:
        throw malformed(`field type ${f.type} is not supported by the emulator`);
    }
  }
  const where = compileWhere(object, query.where, ctx);
  let rows = ctx.store
    .all(object.name, ctx.includeDeleted === true)
    .filter((r) => scope(r) && where(r));

  if (countAll) return { totalSize: rows.length, records: [], countOnly: true };
  if (counts.length) {
    const aggregate: OutputRecord = { attributes: { type: 'AggregateResult' } };
    for (const c of counts) {
      aggregate[c.alias] = rows.filter(
        (r) => c.path && readPath(ctx.store, r, c.path) !== null,
      ).length;
    }
    return { totalSize: 1, records: [aggregate], countOnly: false };
  }

  const orderBy = (
    query.orderBy ? (Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy]) : []
  ) as OrderByClause[];
  if (orderBy.length) {
    const keys = orderBy.map((o) => {
      if (!('field' in o)) throw malformed('ORDER BY functions are not supported by the emulator');
      const path = resolvePath(object, o.field, ctx.schema);
      const desc = o.order === 'DESC';
      const nullsFirst = o.nulls ? o.nulls === 'FIRST' : !desc;
      return { path, desc, nullsFirst };
    });
    rows = [...rows].sort((a, b) => {
      for (const key of keys) {
        const va = comparable(key.path.field, readPath(ctx.store, a, key.path));
        const vb = comparable(key.path.field, readPath(ctx.store, b, key.path));
        if (va === vb) continue;
        if (va === null) return key.nullsFirst ? -1 : 1;
        if (vb === null) return key.nullsFirst ? 1 : -1;
        const c = compareValues(va, vb);
        return key.desc ? -c : c;
      }
      return 0;
    });
  }
  if (query.offset !== undefined) {
    if (query.offset > 2000) {
      throw new SfRequestError(
        400,
        'NUMBER_OUTSIDE_VALID_RANGE',
        'Maximum SOQL offset allowed is 2000',
      );
    }
    rows = rows.slice(query.offset);
  }
  if (query.limit !== undefined) rows = rows.slice(0, query.limit);
  return {
    totalSize: rows.length,
    records: rows.map((r) => shape(ctx, selection, r)),
    countOnly: false,
  };
}

/** Run one SOQL statement. */
export function runQuery(soql: string, ctx: QueryContext): QueryResult {
  let query: Query;
  try {
    query = parseQuery(soql);
  } catch (error) {
    throw malformed(`unexpected token in query: ${(error as Error).message.split('\n')[0]}`);
  }
  const object = objectOf(ctx.schema, query.sObject ?? '');
  if (!object) {
    throw new SfRequestError(
      400,
      'INVALID_TYPE',
      `sObject type '${query.sObject ?? ''}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return runSelect(ctx, object, query);
}

/** The selected column names of a query, as Bulk API 2.0 CSV headers (Account.Name...). */
export function columnsOf(soql: string, schema: Schema): string[] {
  const query = parseQuery(soql);
  const object = objectOf(schema, query.sObject ?? '');
  if (!object) return [];
  const out: string[] = [];
  for (const f of (query.fields ?? []) as SoqlField[]) {
    if (f.type === 'Field') out.push(resolvePath(object, f.field, schema).names.join('.'));
    else if (f.type === 'FieldRelationship') {
      out.push(
        resolvePath(object, [...f.relationships, f.field].join('.'), schema).names.join('.'),
      );
    } else throw malformed('Bulk API 2.0 queries take plain and parent fields only');
  }
  return out;
}
