/**
 * Shared, non-exposed helpers. `reduceErrors` flattens every error shape a component can meet
 * into readable strings: UI API / Lightning Data Service errors, JS errors, Flow fault messages,
 * and the bridge's org API error body (`{ error: { message, code } }`) relayed by a Flow.
 */

type UnknownRecord = Record<string, unknown>;

function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null;
}

function messagesOf(list: unknown): string[] {
  if (!Array.isArray(list)) {
    return [];
  }
  return list
    .map((entry) => (isRecord(entry) && typeof entry.message === 'string' ? entry.message : ''))
    .filter((message) => message.length > 0);
}

function fieldErrorMessages(fieldErrors: unknown): string[] {
  if (!isRecord(fieldErrors)) {
    return [];
  }
  return Object.values(fieldErrors).flatMap((errorsOfField) => messagesOf(errorsOfField));
}

function reduceOne(error: unknown): string[] {
  if (error === null || error === undefined) {
    return [];
  }
  if (typeof error === 'string') {
    return error.trim().length > 0 ? [error] : [];
  }
  if (!isRecord(error)) {
    return [String(error)];
  }
  const body = error.body;
  // UI API read errors: body is an array of { message }.
  if (Array.isArray(body)) {
    return messagesOf(body);
  }
  if (isRecord(body)) {
    // UI API DML errors: body.output.errors / body.output.fieldErrors.
    const output = body.output;
    if (isRecord(output)) {
      const fromOutput = [...messagesOf(output.errors), ...fieldErrorMessages(output.fieldErrors)];
      if (fromOutput.length > 0) {
        return fromOutput;
      }
    }
    // Page-level and field-level errors (record-edit-form, uiRecordApi updates).
    const pageAndField = [...messagesOf(body.pageErrors), ...fieldErrorMessages(body.fieldErrors)];
    if (pageAndField.length > 0) {
      return pageAndField;
    }
    // The bridge's org API error body, relayed by a Flow.
    if (isRecord(body.error) && typeof body.error.message === 'string') {
      return [body.error.message];
    }
    if (typeof body.message === 'string') {
      return [body.message];
    }
  }
  if (isRecord(error.error) && typeof error.error.message === 'string') {
    return [error.error.message];
  }
  // JS errors and anything else carrying a message.
  if (typeof error.message === 'string') {
    return [error.message];
  }
  if (typeof error.statusText === 'string') {
    return [error.statusText];
  }
  return [];
}

/** Flattens one error or a list of errors into readable, de-duplicated messages. */
export function reduceErrors(errors: unknown): string[] {
  const list = Array.isArray(errors) ? errors : [errors];
  return [...new Set(list.flatMap((error) => reduceOne(error)))];
}

/**
 * Fills a custom label's `{0}`, `{1}`… placeholders (the platform's label format), so a label
 * can carry a count or a record name in the translator's word order.
 */
export function formatLabel(label: string, ...values: (string | number)[]): string {
  return label.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = values[Number(index)];
    return value === undefined ? match : String(value);
  });
}
