/**
 * Salesforce's error shapes. A request-level failure is an `SfRequestError` (the REST body is
 * `[{message, errorCode, fields?}]`); a record-level failure inside a DML result is an
 * `SfRecordError` (`{statusCode, message, fields}`), as sObject Collections and Bulk 2.0 report it.
 */

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** Thrown for a failed record write: carries the Salesforce status code and fields. */
export class SfRecordError extends Error {
  readonly statusCode: string;
  readonly fields: string[];
  constructor(statusCode: string, message: string, fields: string[] = []) {
    super(message);
    this.name = 'SfRecordError';
    this.statusCode = statusCode;
    this.fields = fields;
  }

  toJSON(): RecordError {
    return { statusCode: this.statusCode, message: this.message, fields: this.fields };
  }
}

/** Thrown for a failed request: answered with `status` and `[{message, errorCode}]`. */
export class SfRequestError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly fields?: string[];
  readonly headers?: Record<string, string>;
  constructor(
    status: number,
    errorCode: string,
    message: string,
    extra: { fields?: string[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'SfRequestError';
    this.status = status;
    this.errorCode = errorCode;
    if (extra.fields) this.fields = extra.fields;
    if (extra.headers) this.headers = extra.headers;
  }

  body(): { message: string; errorCode: string; fields?: string[] }[] {
    return [
      {
        message: this.message,
        errorCode: this.errorCode,
        ...(this.fields ? { fields: this.fields } : {}),
      },
    ];
  }
}

export const notFound = (message = 'The requested resource does not exist'): SfRequestError =>
  new SfRequestError(404, 'NOT_FOUND', message);

export const sessionInvalid = (): SfRequestError =>
  new SfRequestError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const limitExceeded = (): SfRequestError =>
  new SfRequestError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
