/**
 * Bulk API 2.0 ingest jobs, as jsforce's `conn.bulk2` drives them: create a job, PUT one CSV
 * upload, PATCH `UploadComplete`, poll the job until `JobComplete`, then read
 * `successfulResults` / `failedResults` / `unprocessedrecords` as CSV. Rows are processed after
 * the upload completes, off the request path, with the same checks as the REST API; relationship
 * columns (`Account__r.Billing_External_Id__c`) and `#N/A` (set to null) are understood.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { OrgData, UserContext } from './records.ts';
import { RecordError } from './records.ts';

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete';

export interface IngestJob {
  id: string;
  object: string;
  operation: IngestOperation;
  externalIdFieldName?: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted' | 'Failed';
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  csv: string;
  processed: number;
  failed: number;
  successful: Record<string, string>[];
  failures: Record<string, string>[];
  unprocessed: Record<string, string>[];
  columns: string[];
  errorMessage?: string;
}

const DELIMITERS: Record<string, string> = {
  COMMA: ',',
  TAB: '\t',
  PIPE: '|',
  SEMICOLON: ';',
  CARET: '^',
  BACKQUOTE: '`',
};

export class BulkIngest {
  readonly jobs = new Map<string, IngestJob>();
  readonly #data: OrgData;
  #counter = 0;
  /** Records processed per tick, so a big job stays InProgress for a few polls like a real org. */
  readonly chunk: number;

  constructor(data: OrgData, chunk = 5000) {
    this.#data = data;
    this.chunk = chunk;
  }

  create(body: Record<string, unknown>, user: UserContext): IngestJob {
    const object = String(body.object ?? '');
    this.#data.object(object);
    const operation = String(body.operation ?? '') as IngestOperation;
    if (!['insert', 'update', 'upsert', 'delete'].includes(operation)) {
      throw new RecordError([
        { statusCode: 'INVALIDJOB', message: `Unsupported operation: ${operation}`, fields: [] },
      ]);
    }
    if (operation === 'upsert' && !body.externalIdFieldName) {
      throw new RecordError([
        { statusCode: 'INVALIDJOB', message: 'External ID was blank for upsert', fields: [] },
      ]);
    }
    this.#counter += 1;
    const now = new Date().toISOString().replace('Z', '+0000');
    const job: IngestJob = {
      id: `750000000000${String(this.#counter).padStart(3, '0')}AAA`,
      object,
      operation,
      ...(body.externalIdFieldName
        ? { externalIdFieldName: String(body.externalIdFieldName) }
        : {}),
      state: 'Open',
      lineEnding: body.lineEnding === 'CRLF' ? 'CRLF' : 'LF',
      columnDelimiter: String(body.columnDelimiter ?? 'COMMA'),
      createdById: user.id,
      createdDate: now,
      systemModstamp: now,
      csv: '',
      processed: 0,
      failed: 0,
      successful: [],
      failures: [],
      unprocessed: [],
      columns: [],
    };
    this.jobs.set(job.id, job);
    return job;
  }

  upload(job: IngestJob, csv: string): void {
    if (job.state !== 'Open') {
      throw new RecordError([
        {
          statusCode: 'INVALIDJOBSTATE',
          message: `Job state ${job.state} does not accept data`,
          fields: [],
        },
      ]);
    }
    job.csv += csv;
  }

  /** UploadComplete: parse the CSV and process it in chunks on later ticks. */
  complete(job: IngestJob, user: UserContext): void {
    if (job.state !== 'Open') {
      throw new RecordError([
        {
          statusCode: 'INVALIDJOBSTATE',
          message: `Job state ${job.state} cannot be closed`,
          fields: [],
        },
      ]);
    }
    job.state = 'UploadComplete';
    let rows: Record<string, string>[];
    try {
      rows = parse(job.csv, {
        columns: (header: string[]) => {
          job.columns = header;
          return header;
        },
        delimiter: DELIMITERS[job.columnDelimiter] ?? ',',
        skip_empty_lines: true,
        relax_quotes: false,
      }) as Record<string, string>[];
    } catch (error) {
      job.state = 'Failed';
      job.errorMessage = `InvalidBatch : ${(error as Error).message}`;
      return;
    }
    job.unprocessed = rows;
    const tick = () => {
      if (job.state === 'Aborted') return;
      job.state = 'InProgress';
      const batch = job.unprocessed.splice(0, this.chunk);
      for (const row of batch) this.#processRow(job, row, user);
      if (job.unprocessed.length > 0) setImmediate(tick);
      else job.state = 'JobComplete';
    };
    setImmediate(tick);
  }

  abort(job: IngestJob): void {
    job.state = 'Aborted';
  }

  #processRow(job: IngestJob, row: Record<string, string>, user: UserContext): void {
    const body: Record<string, unknown> = {};
    for (const [column, raw] of Object.entries(row)) {
      const value = raw === '#N/A' ? null : raw;
      if (raw === '') continue; // an empty cell leaves the field as it is
      const dot = column.indexOf('.');
      if (dot > 0) {
        body[column.slice(0, dot)] = { [column.slice(dot + 1)]: value };
      } else {
        body[column] = value;
      }
    }
    job.processed += 1;
    try {
      let outcome: { id: string; created: boolean };
      const os = this.#data.object(job.object);
      const typed = coerceCsv(os, body);
      switch (job.operation) {
        case 'insert':
          outcome = this.#data.insert(job.object, typed, user);
          break;
        case 'update':
          outcome = this.#data.update(job.object, String(row.Id ?? ''), typed, user);
          break;
        case 'upsert': {
          const key = job.externalIdFieldName as string;
          const keyValue =
            row[key] ??
            row[Object.keys(row).find((k) => k.toLowerCase() === key.toLowerCase()) ?? ''] ??
            '';
          outcome = this.#data.upsert(job.object, key, keyValue, typed, user);
          break;
        }
        case 'delete':
          this.#data.delete(job.object, String(row.Id ?? ''));
          outcome = { id: String(row.Id), created: false };
          break;
      }
      job.successful.push({ sf__Id: outcome.id, sf__Created: String(outcome.created), ...row });
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      job.failed += 1;
      const e = error.errors[0];
      job.failures.push({
        sf__Id: '',
        sf__Error: `${e?.statusCode ?? 'UNKNOWN_EXCEPTION'}:${e?.message ?? ''}:${(e?.fields ?? []).join(',')} --`,
        ...row,
      });
    }
  }

  info(job: IngestJob, version: string): Record<string, unknown> {
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
      apiVersion: Number(version),
      jobType: 'V2Ingest',
      contentUrl: `services/data/v${version}/jobs/ingest/${job.id}/batches`,
      lineEnding: job.lineEnding,
      columnDelimiter: job.columnDelimiter,
      numberRecordsProcessed: job.processed,
      numberRecordsFailed: job.failed,
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    };
  }

  results(job: IngestJob, kind: 'successful' | 'failed' | 'unprocessed'): string {
    const rows =
      kind === 'successful' ? job.successful : kind === 'failed' ? job.failures : job.unprocessed;
    const lead =
      kind === 'successful'
        ? ['sf__Id', 'sf__Created']
        : kind === 'failed'
          ? ['sf__Id', 'sf__Error']
          : [];
    return stringify(rows, { header: true, columns: [...lead, ...job.columns] });
  }
}

/** CSV cells are text: turn them into the JSON types the REST checks expect. */
function coerceCsv(
  os: { byLowerName: Map<string, { type: string }> },
  body: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const f = os.byLowerName.get(key.toLowerCase());
    if (value === null || typeof value !== 'string' || !f) {
      out[key] = value;
      continue;
    }
    if (f.type === 'boolean') out[key] = value.toLowerCase() === 'true' || value === '1';
    else if (['double', 'currency', 'percent', 'int'].includes(f.type)) out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}
