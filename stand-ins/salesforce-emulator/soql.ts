/**
 * The SOQL the bridge and its tests run, evaluated over the emulator's records. Parsing is
 * @jetstreamapp/soql-parser-js; this module evaluates the parsed query: field lists with parent
 * relationship paths (`Site__r.Site_Key__c`, `Parent.Name`), `COUNT()`, WHERE with = != < <= > >=
 * LIKE IN NOT IN, AND/OR/NOT with parentheses, null, booleans, numbers, dates and date literals
 * (TODAY, YESTERDAY, LAST_N_DAYS:n, NEXT_N_DAYS:n, and NOW()), ORDER BY (ASC/DESC, NULLS
 * FIRST/LAST), LIMIT and OFFSET. Anything else is a MALFORMED_QUERY, never a silent wrong answer.
 */
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { ObjectSchema } from './schema.ts';
import type { OrgData, SfRecord, SfValue } from './records.ts';
import { RecordError } from './records.ts';

export interface QueryResult {
  totalSize: number;
  records: Record<string, unknown>[];
  /** Set for COUNT() queries. */
  count?: number;
}

const malformed = (message: string): RecordError =>
  new RecordError([{ statusCode: 'MALFORMED_QUERY', message, fields: [] }]);

interface Condition {
  field: string;
  operator: string;
  value?: string | string[];
  literalType?: string | string[];
  dateLiteralVariable?: number;
  fn?: string;
}

type Token =
  | { kind: 'cond'; cond: Condition }
  | { kind: 'op'; op: 'AND' | 'OR' | 'NOT' }
  | { kind: '(' }
  | { kind: ')' };
type Expr =
  | { kind: 'cond'; cond: Condition }
  | { kind: 'not'; expr: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr };

/** The parser's right-linked WHERE chain (with paren counts) → tokens. */
function tokens(node: unknown, out: Token[] = []): Token[] {
  if (!node || typeof node !== 'object') return out;
  const n = node as { left?: Record<string, unknown> | null; operator?: string; right?: unknown };
  if (n.left) {
    const left = n.left;
    for (let i = 0; i < Number(left.openParen ?? 0); i++) out.push({ kind: '(' });
    const fn = left.fn as { functionName?: string } | undefined;
    out.push({
      kind: 'cond',
      cond: {
        field: String(left.field ?? ''),
        operator: String(left.operator ?? ''),
        value: left.value as string | string[],
        literalType: left.literalType as string | string[],
        ...(typeof left.dateLiteralVariable === 'number'
          ? { dateLiteralVariable: left.dateLiteralVariable }
          : {}),
        ...(fn?.functionName ? { fn: fn.functionName } : {}),
      },
    });
    for (let i = 0; i < Number(left.closeParen ?? 0); i++) out.push({ kind: ')' });
  }
  if (n.operator === 'AND' || n.operator === 'OR' || n.operator === 'NOT') {
    out.push({ kind: 'op', op: n.operator });
  }
  if (n.right) tokens(n.right, out);
  return out;
}

/** Precedence: NOT, then AND, then OR. */
function parseExpr(list: Token[]): Expr {
  let pos = 0;
  const peek = () => list[pos];
  const primary = (): Expr => {
    const t = list[pos++];
    if (!t) throw malformed('unexpected end of WHERE clause');
    if (t.kind === '(') {
      const e = or();
      if (list[pos++]?.kind !== ')') throw malformed('unbalanced parentheses in WHERE clause');
      return e;
    }
    if (t.kind === 'op' && t.op === 'NOT') return { kind: 'not', expr: primary() };
    if (t.kind === 'cond') return t;
    throw malformed('unexpected token in WHERE clause');
  };
  const and = (): Expr => {
    let left = primary();
    while (peek()?.kind === 'op' && (peek() as { op: string }).op === 'AND') {
      pos++;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Expr => {
    let left = and();
    while (peek()?.kind === 'op' && (peek() as { op: string }).op === 'OR') {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const e = or();
  if (pos !== list.length) throw malformed('could not read the whole WHERE clause');
  return e;
}

const DAY = 86_400_000;
function startOfDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

/** A literal as a comparable value, or a [from, to) range for date literals. */
function literal(
  raw: string,
  type: string | undefined,
  variable?: number,
): SfValue | { from: number; to: number } {
  if (type === 'NULL' || raw.toUpperCase() === 'NULL') return null;
  if (type === 'STRING')
    return raw.replace(/^'|'$/g, '').replace(/\\'/g, "'").replace(/\\\\/g, '\\');
  if (type === 'BOOLEAN') return raw.toLowerCase() === 'true';
  if (type === 'INTEGER' || type === 'DECIMAL' || type === 'DECIMAL_WITH_CURRENCY_PREFIX')
    return Number(raw);
  if (type === 'DATE') return Date.parse(`${raw}T00:00:00Z`);
  if (type === 'DATETIME') return Date.parse(raw);
  const now = Date.now();
  const today = startOfDay(now);
  if (type === 'DATE_LITERAL') {
    switch (raw.toUpperCase()) {
      case 'TODAY':
        return { from: today, to: today + DAY };
      case 'YESTERDAY':
        return { from: today - DAY, to: today };
      case 'TOMORROW':
        return { from: today + DAY, to: today + 2 * DAY };
      default:
        throw malformed(`date literal ${raw} is not supported by the emulator`);
    }
  }
  if (type === 'DATE_N_LITERAL') {
    const n = variable ?? 0;
    const name = raw.split(':')[0]?.toUpperCase();
    if (name === 'LAST_N_DAYS') return { from: today - n * DAY, to: today + DAY };
    if (name === 'NEXT_N_DAYS') return { from: today + DAY, to: today + (n + 1) * DAY };
    throw malformed(`date literal ${raw} is not supported by the emulator`);
  }
  throw malformed(`literal ${raw} (${String(type)}) is not supported by the emulator`);
}

export class QueryEngine {
  readonly #data: OrgData;
  constructor(data: OrgData) {
    this.#data = data;
  }

  /** A field path's value on a record: `Name`, `Parent.Name`, `Site__r.Site_Key__c`. */
  #value(os: ObjectSchema, record: SfRecord | undefined, path: string[]): SfValue | undefined {
    if (!record) return null;
    const [head, ...rest] = path;
    if (head === undefined) return null;
    if (rest.length === 0) {
      const f = os.byLowerName.get(head.toLowerCase());
      if (!f) throw malformed(`No such column '${head}' on entity '${os.name}'`);
      return record[f.name] ?? null;
    }
    const rel = os.relationships.get(head.toLowerCase());
    if (!rel) throw malformed(`Didn't understand relationship '${head}' in field path`);
    const id = record[rel.name];
    if (!id) return null;
    const parent = this.#data.findById(String(id));
    if (!parent) return null;
    return this.#value(parent.os, parent.record, rest);
  }

  #compare(actual: SfValue | undefined, cond: Condition, os: ObjectSchema): boolean {
    const field = os.byLowerName.get(cond.field.split('.').pop()?.toLowerCase() ?? '');
    const isTime = field?.type === 'datetime' || field?.type === 'date';
    const toNum = (v: SfValue | undefined) =>
      v === null || v === undefined
        ? null
        : isTime
          ? Date.parse(String(v).replace('+0000', 'Z'))
          : typeof v === 'number'
            ? v
            : v;
    const op = cond.operator.toUpperCase();
    if (op === 'IN' || op === 'NOT IN') {
      const values = (Array.isArray(cond.value) ? cond.value : [cond.value ?? '']).map((v, i) =>
        literal(v, Array.isArray(cond.literalType) ? cond.literalType[i] : cond.literalType),
      );
      const hit = values.some((v) => eq(actual, v as SfValue));
      return op === 'IN' ? hit : !hit;
    }
    const raw = Array.isArray(cond.value) ? (cond.value[0] ?? '') : (cond.value ?? '');
    const lit =
      cond.fn === 'NOW' || raw.toUpperCase() === 'NOW()'
        ? Date.now()
        : literal(
            raw,
            Array.isArray(cond.literalType) ? cond.literalType[0] : cond.literalType,
            cond.dateLiteralVariable,
          );
    const a = toNum(actual);
    if (lit !== null && typeof lit === 'object') {
      if (a === null || typeof a !== 'number') return false;
      switch (op) {
        case '=':
          return a >= lit.from && a < lit.to;
        case '!=':
          return !(a >= lit.from && a < lit.to);
        case '<':
          return a < lit.from;
        case '<=':
          return a < lit.to;
        case '>':
          return a >= lit.to;
        case '>=':
          return a >= lit.from;
        default:
          throw malformed(`operator ${op} with a date literal`);
      }
    }
    switch (op) {
      case '=':
        return eq(actual, lit);
      case '!=':
      case '<>':
        return !eq(actual, lit);
      case 'LIKE': {
        if (typeof actual !== 'string' || typeof lit !== 'string') return false;
        const re = new RegExp(
          `^${lit
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            .replace(/%/g, '.*')
            .replace(/_/g, '.')}$`,
          'is',
        );
        return re.test(actual);
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (a === null || lit === null) return false;
        const x = a as number | string;
        const y = (typeof lit === 'boolean' ? Number(lit) : lit) as number | string;
        if (op === '<') return x < y;
        if (op === '<=') return x <= y;
        if (op === '>') return x > y;
        return x >= y;
      }
      default:
        throw malformed(`operator ${op} is not supported by the emulator`);
    }
  }

  #matches(expr: Expr | null, os: ObjectSchema, record: SfRecord): boolean {
    if (!expr) return true;
    switch (expr.kind) {
      case 'cond':
        return this.#compare(this.#value(os, record, expr.cond.field.split('.')), expr.cond, os);
      case 'not':
        return !this.#matches(expr.expr, os, record);
      case 'and':
        return this.#matches(expr.left, os, record) && this.#matches(expr.right, os, record);
      case 'or':
        return this.#matches(expr.left, os, record) || this.#matches(expr.right, os, record);
    }
  }

  run(soql: string, options: { includeDeleted?: boolean } = {}): QueryResult {
    void options;
    let parsed;
    try {
      parsed = parseQuery(soql);
    } catch (error) {
      throw malformed((error as Error).message);
    }
    const sobject = String(parsed.sObject ?? '');
    let os: ObjectSchema;
    try {
      os = this.#data.object(sobject);
    } catch {
      throw new RecordError([
        {
          statusCode: 'INVALID_TYPE',
          message: `sObject type '${sobject}' is not supported.`,
          fields: [],
        },
      ]);
    }
    const where = parsed.where ? parseExpr(tokens(parsed.where)) : null;
    let rows = this.#data.all(os.name).filter((r) => this.#matches(where, os, r));
    const fields = parsed.fields ?? [];
    const isCount = fields.some(
      (f) =>
        f.type === 'FieldFunctionExpression' &&
        (f as { functionName?: string }).functionName === 'COUNT',
    );
    if (isCount) return { totalSize: rows.length, records: [], count: rows.length };
    for (const order of [
      ...(parsed.orderBy
        ? Array.isArray(parsed.orderBy)
          ? parsed.orderBy
          : [parsed.orderBy]
        : []),
    ].reverse()) {
      const o = order as { field?: string; order?: string; nulls?: string };
      if (!o.field) continue;
      const path = o.field.split('.');
      const desc = o.order === 'DESC';
      const nullsLast = o.nulls ? o.nulls === 'LAST' : desc;
      rows = [...rows].sort((x, y) => {
        const a = this.#value(os, x, path);
        const b = this.#value(os, y, path);
        if (a === null || a === undefined)
          return b === null || b === undefined ? 0 : nullsLast ? 1 : -1;
        if (b === null || b === undefined) return nullsLast ? -1 : 1;
        const c = a < b ? -1 : a > b ? 1 : 0;
        return desc ? -c : c;
      });
    }
    const offset = parsed.offset ?? 0;
    rows = rows.slice(offset, parsed.limit !== undefined ? offset + parsed.limit : undefined);
    const records = rows.map((r) =>
      this.#shape(os, r, fields as { type: string; field?: string; relationships?: string[] }[]),
    );
    return { totalSize: records.length, records };
  }

  /** One result row, nested like the REST API: `{attributes, Id, Site__r: {attributes, Site_Key__c}}`. */
  #shape(
    os: ObjectSchema,
    record: SfRecord,
    fields: { type: string; field?: string; relationships?: string[] }[],
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {
      attributes: { type: os.name, url: `/services/data/v62.0/sobjects/${os.name}/${record.Id}` },
    };
    for (const f of fields) {
      if (f.type === 'Field' && f.field) {
        const schema = os.byLowerName.get(f.field.toLowerCase());
        if (!schema) throw malformed(`No such column '${f.field}' on entity '${os.name}'`);
        out[schema.name] = record[schema.name] ?? null;
      } else if (f.type === 'FieldRelationship' && f.field && f.relationships) {
        let target: Record<string, unknown> = out;
        let currentOs = os;
        let current: SfRecord | undefined = record;
        for (const relName of f.relationships) {
          const rel = currentOs.relationships.get(relName.toLowerCase());
          if (!rel) throw malformed(`Didn't understand relationship '${relName}' in field path`);
          const parent: { os: ObjectSchema; record: SfRecord } | undefined = current?.[rel.name]
            ? this.#data.findById(String(current[rel.name]))
            : undefined;
          const key = rel.relationshipName as string;
          if (!parent) {
            target[key] = null;
            current = undefined;
            break;
          }
          const existing = target[key] as Record<string, unknown> | null | undefined;
          const next: Record<string, unknown> = existing ?? {
            attributes: {
              type: parent.os.name,
              url: `/services/data/v62.0/sobjects/${parent.os.name}/${parent.record.Id}`,
            },
          };
          target[key] = next;
          target = next;
          currentOs = parent.os;
          current = parent.record;
        }
        if (current) {
          const leaf = currentOs.byLowerName.get(f.field.toLowerCase());
          if (!leaf) throw malformed(`No such column '${f.field}' on entity '${currentOs.name}'`);
          target[leaf.name] = current[leaf.name] ?? null;
        }
      } else {
        throw malformed(`${f.type} in SELECT is not supported by the emulator`);
      }
    }
    return out;
  }
}

function eq(actual: SfValue | undefined, expected: unknown): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  if (typeof actual === 'string' && typeof expected === 'string') {
    return actual.toLowerCase() === expected.toLowerCase();
  }
  if (typeof expected === 'number' && typeof actual === 'string') {
    const t = Date.parse(actual.replace('+0000', 'Z'));
    return !Number.isNaN(t) && t === expected;
  }
  return actual === expected;
}
