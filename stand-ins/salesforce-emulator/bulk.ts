/**
 * Bulk API 2.0: ingest jobs (insert, update, upsert, delete, hardDelete) fed one CSV upload,
 * processed asynchronously after UploadComplete in chunks of 200 records through the same DML as
 * REST (so the same enforcement and record faults), with successfulResults / failedResults /
 * unprocessedrecords CSV; and query jobs (query, queryAll) answered with one CSV page.
 */
import { parseCsv, toCsv, DELIMITERS, LINE_ENDINGS } from './csv.ts';
import type { Dml, DmlUser, InputRecord, WriteResult } from './dml.ts';
import { SfRecordError, SfRequestError } from './errors.ts';
import { makeId } from './ids.ts';
import { fieldOf, objectOf } from './schema-types.ts';
import type { ObjectDef } from './schema-types.ts';
import { columnsOf, runQuery } from './soql.ts';
import type { OutputRecord } from './soql.ts';

const OPERATIONS = new Set(['insert', 'update', 'upsert', 'delete', 'hardDelete']);

type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface JobBase {
  id: string;
  operation: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  lineEnding: string;
  columnDelimiter: string;
  apiVersion: number;
  numberRecordsProcessed: number;
  errorMessage?: string;
  totalProcessingTime: number;
}

interface IngestJob extends JobBase {
  kind: 'ingest';
  externalIdFieldName?: string;
  objectDef: ObjectDef;
  user: DmlUser;
  numberRecordsFailed: number;
  csv: string[];
  header: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
}

interface QueryJob extends JobBase {
  kind: 'query';
  query: string;
  user: DmlUser;
  columns: string[];
  rows: string[][];
}

const invalidJob = (message: string) =>
  new SfRequestError(400, 'INVALIDJOB', `InvalidJob : ${message}`);

function recordErrorText(error: unknown): string {
  if (error instanceof SfRecordError) {
    return `${error.statusCode}:${error.message}:${error.fields.join(',')} --`;
  }
  if (error instanceof SfRequestError) return `${error.errorCode}:${error.message}:--`;
  return `UNKNOWN_EXCEPTION:${(error as Error).message}:--`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

export interface BulkOptions {
  dml: Dml;
  apiVersion: string;
  now: () => string;
  /** Records written between yields to other requests. */
  chunk?: number;
  /** Called when a job changes state (tests and stats). */
  onRecords?: (object: string, processed: number, failed: number) => void;
}

export class BulkService {
  readonly #jobs = new Map<string, IngestJob | QueryJob>();
  readonly #options: BulkOptions;
  #sequence = 1;

  constructor(options: BulkOptions) {
    this.#options = options;
  }

  #newId(): string {
    return makeId('750', this.#sequence++);
  }

  #delimiter(name: unknown): string {
    const value = typeof name === 'string' ? name : 'COMMA';
    if (!(value in DELIMITERS)) throw invalidJob(`Invalid column delimiter: ${value}`);
    return value;
  }

  #lineEnding(name: unknown): string {
    const value = typeof name === 'string' ? name : 'LF';
    if (!(value in LINE_ENDINGS)) throw invalidJob(`Invalid line ending: ${value}`);
    return value;
  }

  createIngest(
    body: Record<string, unknown>,
    user: DmlUser,
    version: string,
  ): Record<string, unknown> {
    const operation = String(body.operation ?? '');
    if (!OPERATIONS.has(operation)) throw invalidJob(`Invalid operation: ${operation}`);
    const objectDef = objectOf(this.#options.dml.schema, String(body.object ?? ''));
    if (!objectDef) throw invalidJob(`Invalid object: ${String(body.object ?? '')}`);
    if (body.contentType !== undefined && body.contentType !== 'CSV') {
      throw invalidJob(`Invalid content type: ${String(body.contentType)}`);
    }
    let externalIdFieldName: string | undefined;
    if (operation === 'upsert') {
      const name = typeof body.externalIdFieldName === 'string' ? body.externalIdFieldName : '';
      const def = name ? fieldOf(objectDef, name) : undefined;
      if (!def)
        throw invalidJob(`External ID was blank or not a field of ${objectDef.name}: ${name}`);
      if (!def.externalId && def.name !== 'Id') {
        throw invalidJob(`Field ${def.name} is not an External ID field of ${objectDef.name}`);
      }
      externalIdFieldName = def.name;
    }
    const now = this.#options.now();
    const job: IngestJob = {
      kind: 'ingest',
      id: this.#newId(),
      operation,
      object: objectDef.name,
      objectDef,
      createdById: user.id,
      createdDate: now,
      systemModstamp: now,
      state: 'Open',
      lineEnding: this.#lineEnding(body.lineEnding),
      columnDelimiter: this.#delimiter(body.columnDelimiter),
      apiVersion: Number(version),
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      totalProcessingTime: 0,
      user,
      csv: [],
      header: [],
      successful: [],
      failed: [],
      unprocessed: [],
      ...(externalIdFieldName ? { externalIdFieldName } : {}),
    };
    this.#jobs.set(job.id, job);
    return this.ingestInfo(job.id);
  }

  #job(id: string, kind: 'ingest' | 'query'): IngestJob | QueryJob {
    const job = this.#jobs.get(id);
    if (!job || job.kind !== kind) {
      throw new SfRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    return job;
  }

  #ingest(id: string): IngestJob {
    return this.#job(id, 'ingest') as IngestJob;
  }

  ingestInfo(id: string): Record<string, unknown> {
    const job = this.#ingest(id);
    return {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: job.createdById,
      createdDate: job.createdDate,
      systemModstamp: job.systemModstamp,
      state: job.state,
      ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: job.apiVersion,
      contentUrl: `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`,
      jobType: 'V2Ingest',
      lineEnding: job.lineEnding,
      columnDelimiter: job.columnDelimiter,
      numberRecordsProcessed: job.numberRecordsProcessed,
      numberRecordsFailed: job.numberRecordsFailed,
      retries: 0,
      totalProcessingTime: job.totalProcessingTime,
      apiActiveProcessingTime: job.totalProcessingTime,
      apexProcessingTime: 0,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    };
  }

  listIngest(): Record<string, unknown> {
    const records = [...this.#jobs.values()]
      .filter((j) => j.kind === 'ingest')
      .map((j) => this.ingestInfo(j.id));
    return { done: true, records, nextRecordsUrl: null };
  }

  upload(id: string, csv: string): void {
    const job = this.#ingest(id);
    if (job.state !== 'Open') {
      throw new SfRequestError(
        409,
        'INVALIDJOBSTATE',
        `Job ${id} is not open for uploads (state ${job.state})`,
      );
    }
    job.csv.push(csv);
  }

  setState(id: string, state: unknown): Record<string, unknown> {
    const job = this.#ingest(id);
    if (state === 'Aborted') {
      if (job.state === 'JobComplete' || job.state === 'Failed') {
        throw new SfRequestError(409, 'INVALIDJOBSTATE', `Job ${id} is already ${job.state}`);
      }
      if (job.state === 'Open' && job.csv.length) {
        // Nothing was processed: every uploaded row is unprocessed.
        try {
          const rows = parseCsv(job.csv.join(''), DELIMITERS[job.columnDelimiter] ?? ',');
          job.header = rows.shift() ?? [];
          job.unprocessed = rows.filter((r) => !(r.length === 1 && r[0] === ''));
        } catch {
          // Unreadable upload: nothing to report as unprocessed.
        }
      }
      job.state = 'Aborted';
    } else if (state === 'UploadComplete') {
      if (job.state !== 'Open') {
        throw new SfRequestError(
          409,
          'INVALIDJOBSTATE',
          `Job ${id} is not open (state ${job.state})`,
        );
      }
      job.state = 'UploadComplete';
      job.systemModstamp = this.#options.now();
      setImmediate(() => void this.#process(job));
    } else {
      throw invalidJob(`Invalid state: ${String(state)}`);
    }
    return this.ingestInfo(id);
  }

  deleteJob(id: string, kind: 'ingest' | 'query'): void {
    const job = this.#job(id, kind);
    if (job.state === 'InProgress' || job.state === 'UploadComplete') {
      throw new SfRequestError(409, 'INVALIDJOBSTATE', `Job ${id} is still being processed`);
    }
    this.#jobs.delete(id);
  }

  /** Turn the uploaded CSV into records and write them, 200 at a time, yielding in between. */
  async #process(job: IngestJob): Promise<void> {
    const started = Date.now();
    if (job.state !== 'UploadComplete') return;
    job.state = 'InProgress';
    let rows: string[][];
    try {
      const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
      const lineEnding = LINE_ENDINGS[job.lineEnding] ?? '\n';
      const text = job.csv.join('');
      if (job.lineEnding === 'CRLF' && /[^\r]\n/.test(text.replace(/"[^"]*"/g, ''))) {
        throw new Error(
          `LineEnding is invalid on user data. Current LineEnding setting is ${lineEnding === '\r\n' ? 'CRLF' : 'LF'}`,
        );
      }
      rows = parseCsv(text, delimiter).filter((r) => !(r.length === 1 && r[0] === ''));
      if (!rows.length) throw new Error('No data to process');
      job.header = rows.shift() as string[];
      this.#checkHeader(job);
    } catch (error) {
      job.state = 'Failed';
      job.errorMessage = `InvalidBatch : ${(error as Error).message}`;
      return;
    }
    const size = this.#options.chunk ?? 200;
    for (let start = 0; start < rows.length; start += size) {
      if ((job.state as JobState) === 'Aborted') {
        job.unprocessed.push(...rows.slice(start));
        break;
      }
      let failed = 0;
      const chunk = rows.slice(start, start + size);
      for (const row of chunk) {
        try {
          const result = this.#writeRow(job, row);
          job.successful.push([result.id, String(result.created), ...row]);
        } catch (error) {
          failed++;
          job.failed.push(['', recordErrorText(error), ...row]);
        }
      }
      job.numberRecordsProcessed += chunk.length;
      job.numberRecordsFailed += failed;
      this.#options.onRecords?.(job.object, chunk.length, failed);
      await new Promise((resolve) => setImmediate(resolve));
    }
    job.totalProcessingTime += Date.now() - started;
    job.systemModstamp = this.#options.now();
    if ((job.state as JobState) !== 'Aborted') job.state = 'JobComplete';
  }

  #checkHeader(job: IngestJob): void {
    const object = job.objectDef;
    for (const column of job.header) {
      const [first = '', second] = column.split('.');
      if (second !== undefined) {
        const ref = object.relationshipsLower.get(first.toLowerCase());
        const target = ref
          ? objectOf(this.#options.dml.schema, ref.referenceTo[0] ?? '')
          : undefined;
        if (!ref || !target || !fieldOf(target, second)) {
          throw new Error(`Field name not found : ${column}`);
        }
      } else if (!fieldOf(object, first)) {
        throw new Error(`Field name not found : ${column}`);
      }
    }
    const needsId = job.operation !== 'insert' && job.operation !== 'upsert';
    if (needsId && !job.header.some((h) => h.toLowerCase() === 'id')) {
      throw new Error(`Id column is required for ${job.operation}`);
    }
    if (
      job.operation === 'upsert' &&
      !job.header.some((h) => h.toLowerCase() === job.externalIdFieldName?.toLowerCase())
    ) {
      throw new Error(
        `External ID field ${job.externalIdFieldName ?? ''} is missing from the data`,
      );
    }
  }

  #writeRow(job: IngestJob, row: string[]): WriteResult {
    const dml = this.#options.dml;
    const input: InputRecord = {};
    let id = '';
    let key = '';
    job.header.forEach((column, i) => {
      const raw = row[i] ?? '';
      // Bulk: an empty cell leaves the field alone; #N/A sets it to null.
      if (raw === '') return;
      const value = raw === '#N/A' ? null : raw;
      const [first = '', second] = column.split('.');
      if (second !== undefined) {
        input[first] = { [second]: value };
      } else if (first.toLowerCase() === 'id') {
        id = raw;
        if (job.operation === 'upsert' && job.externalIdFieldName === 'Id') key = raw;
      } else {
        input[first] = value;
        if (first.toLowerCase() === job.externalIdFieldName?.toLowerCase()) key = raw;
      }
    });
    switch (job.operation) {
      case 'insert':
        return dml.create(dml.parse(job.objectDef, input, 'csv'), job.user);
      case 'update':
        if (!id)
          throw new SfRecordError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
        return dml.update(dml.parse(job.objectDef, input, 'csv'), id, job.user);
      case 'upsert': {
        const keyField = fieldOf(job.objectDef, job.externalIdFieldName ?? '');
        if (!keyField || !key || key === '#N/A') {
          throw new SfRecordError(
            'MISSING_ARGUMENT',
            `${job.externalIdFieldName ?? ''} not specified`,
            [job.externalIdFieldName ?? ''],
          );
        }
        return dml.upsert(dml.parse(job.objectDef, input, 'csv'), keyField, key, job.user);
      }
      default:
        if (!id)
          throw new SfRecordError('MISSING_ARGUMENT', 'Id not specified in a delete call', ['Id']);
        return dml.remove(job.objectDef, id, job.user);
    }
  }

  /** successfulResults, failedResults or unprocessedrecords as CSV. */
  results(id: string, kind: 'successful' | 'failed' | 'unprocessed'): string {
    const job = this.#ingest(id);
    const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
    const lineEnding = LINE_ENDINGS[job.lineEnding] ?? '\n';
    if (kind === 'unprocessed') {
      if (!job.header.length) return '';
      return toCsv([job.header, ...job.unprocessed], delimiter, lineEnding);
    }
    const head = kind === 'successful' ? ['sf__Id', 'sf__Created'] : ['sf__Id', 'sf__Error'];
    const rows = kind === 'successful' ? job.successful : job.failed;
    return toCsv([[...head, ...job.header], ...rows], delimiter, lineEnding);
  }

  createQuery(
    body: Record<string, unknown>,
    user: DmlUser,
    version: string,
  ): Record<string, unknown> {
    const operation = String(body.operation ?? 'query');
    if (operation !== 'query' && operation !== 'queryAll')
      throw invalidJob(`Invalid operation: ${operation}`);
    const soql = typeof body.query === 'string' ? body.query : '';
    const dml = this.#options.dml;
    const columns = columnsOf(soql, dml.schema);
    const result = runQuery(soql, {
      schema: dml.schema,
      store: dml.store,
      apiVersion: version,
      includeDeleted: operation === 'queryAll',
    });
    const rows = result.records.map((record) => columns.map((c) => cell(readColumn(record, c))));
    const now = this.#options.now();
    const job: QueryJob = {
      kind: 'query',
      id: this.#newId(),
      operation,
      object: String(/\bfrom\s+(\w+)/i.exec(soql)?.[1] ?? ''),
      createdById: user.id,
      createdDate: now,
      systemModstamp: now,
      state: 'UploadComplete',
      lineEnding: this.#lineEnding(body.lineEnding),
      columnDelimiter: this.#delimiter(body.columnDelimiter),
      apiVersion: Number(version),
      numberRecordsProcessed: 0,
      totalProcessingTime: 0,
      query: soql,
      user,
      columns,
      rows,
    };
    this.#jobs.set(job.id, job);
    setImmediate(() => {
      if (job.state !== 'UploadComplete') return;
      job.state = 'JobComplete';
      job.numberRecordsProcessed = rows.length;
    });
    return this.queryInfo(job.id);
  }

  queryInfo(id: string): Record<string, unknown> {
    const job = this.#job(id, 'query') as QueryJob;
    return {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: job.createdById,
      createdDate: job.createdDate,
      systemModstamp: job.systemModstamp,
      state: job.state,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: job.apiVersion,
      jobType: 'V2Query',
      lineEnding: job.lineEnding,
      columnDelimiter: job.columnDelimiter,
      numberRecordsProcessed: job.numberRecordsProcessed,
      retries: 0,
      totalProcessingTime: job.totalProcessingTime,
    };
  }

  abortQuery(id: string): Record<string, unknown> {
    const job = this.#job(id, 'query');
    if (job.state === 'UploadComplete' || job.state === 'InProgress') job.state = 'Aborted';
    return this.queryInfo(id);
  }

  /** The query job's results: all rows in one page (Sforce-Locator: null). */
  queryResults(id: string): { csv: string; count: number } {
    const job = this.#job(id, 'query') as QueryJob;
    if (job.state !== 'JobComplete') {
      throw new SfRequestError(
        409,
        'INVALIDJOBSTATE',
        `Job ${id} is not complete (state ${job.state})`,
      );
    }
    const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
    const lineEnding = LINE_ENDINGS[job.lineEnding] ?? '\n';
    return {
      csv: toCsv([job.columns, ...job.rows], delimiter, lineEnding),
      count: job.rows.length,
    };
  }
}

function readColumn(record: OutputRecord, column: string): unknown {
  let current: unknown = record;
  for (const part of column.split('.')) {
    if (current === null || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
