/** Shared set-up of the emulator tests: an emulator and a jsforce Connection to it. */
import { Connection } from 'jsforce';
import { startSalesforceEmulator } from './index.ts';
import type { SalesforceEmulator, SalesforceEmulatorOptions } from './index.ts';

export const API_VERSION = '62.0';
export const INTEGRATION_USER = 'integration@billing-bridge.local';
export const REP_USER = 'rep@billing-bridge.local';

export interface Harness {
  sf: SalesforceEmulator;
  conn: Connection;
  /** A connection as another user. */
  connAs(username: string): Connection;
}

export async function startHarness(options: SalesforceEmulatorOptions = {}): Promise<Harness> {
  const sf = await startSalesforceEmulator({ port: 0, ...options });
  const connect = (accessToken: string) =>
    new Connection({ instanceUrl: sf.url, accessToken, version: API_VERSION });
  return {
    sf,
    conn: connect(sf.accessToken),
    connAs: (username) => connect(sf.tokenFor(username)),
  };
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(
  promise: PromiseLike<unknown>,
): Promise<{ errorCode?: string; name?: string; message: string; data?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { errorCode?: string; message: string };
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** A raw fetch to the emulator with the integration user's token. */
export async function raw(
  sf: SalesforceEmulator,
  method: string,
  path: string,
  body?: unknown,
  token = sf.accessToken,
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const response = await fetch(`${sf.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, json };
}

/**
 * The status code of a failed collection result. Salesforce names it `statusCode` (jsforce's
 * SaveError type says `errorCode`); 'ok' for a success.
 */
export function statusOf(result: { success: boolean; errors?: unknown[] } | undefined): string {
  if (!result) return 'missing';
  if (result.success) return 'ok';
  const error = result.errors?.[0] as { statusCode?: string } | undefined;
  return error?.statusCode ?? 'no error';
}

export function errorOf(result: { errors?: unknown[] } | undefined): {
  statusCode?: string;
  message?: string;
  fields?: string[];
} {
  return (result?.errors?.[0] ?? {}) as {
    statusCode?: string;
    message?: string;
    fields?: string[];
  };
}
