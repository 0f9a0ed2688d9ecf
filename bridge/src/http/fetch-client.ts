/**
 * The default `HttpClient`: global fetch (undici) with a per-attempt timeout through
 * `AbortSignal`. It resolves for every HTTP status and rejects only with `ConnectionError`
 * (refused, reset, DNS, timeout), so retry and error mapping stay in one place above it.
 */
import { ConnectionError, redact } from '../errors.ts';
import type { HttpClient, HttpRequest, HttpResponse } from './types.ts';

export interface FetchHttpClientOptions {
  /** Used when a request has no `timeoutMs`. Default 30 s. */
  defaultTimeoutMs?: number;
  /** Headers added to every request (request headers win). */
  defaultHeaders?: Record<string, string>;
  /** Injectable fetch, for tests; defaults to the global one. */
  fetch?: typeof fetch;
}

export class FetchHttpClient implements HttpClient {
  readonly defaultTimeoutMs: number;
  readonly #defaultHeaders: Record<string, string>;
  readonly #fetch: typeof fetch;

  constructor(options: FetchHttpClientOptions = {}) {
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
    this.#defaultHeaders = options.defaultHeaders ?? {};
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = request.timeoutMs ?? this.defaultTimeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    const where = `${request.method} ${safeUrl(request.url)}`;
    const { url, authorization } = splitUserinfo(request.url);
    const headers: Record<string, string> = { ...this.#defaultHeaders, ...request.headers };
    if (authorization && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers['authorization'] = authorization;
    }
    try {
      const response = await this.#fetch(url, {
        method: request.method,
        headers,
        body: request.body,
        signal,
        redirect: 'manual',
      });
      const body = await response.text();
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name.toLowerCase()] = value;
      });
      return { status: response.status, headers: responseHeaders, body };
    } catch (error) {
      if (signal.aborted) {
        throw new ConnectionError(`${where} timed out after ${timeoutMs} ms`, {
          code: 'timeout',
          cause: error,
        });
      }
      const detail = describeTransportError(error);
      throw new ConnectionError(`${where} failed: ${detail.message}`, {
        ...(detail.code === undefined ? {} : { code: detail.code }),
        cause: error,
      });
    }
  }
}

/**
 * fetch refuses URLs with userinfo; turn `https://key:x@host/…` into the URL without it and the
 * matching Basic `Authorization` header.
 */
function splitUserinfo(url: string): { url: string; authorization?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url };
  }
  if (parsed.username === '' && parsed.password === '') return { url };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const token = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
  return { url: parsed.toString(), authorization: `Basic ${token}` };
}

/** The URL without userinfo or query values that could carry secrets. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return redact(parsed.toString());
  } catch {
    return redact(url);
  }
}

function describeTransportError(error: unknown): { message: string; code?: string } {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as Error & { code?: unknown }).code;
      return {
        message: cause.message || error.message,
        ...(typeof code === 'string' ? { code } : {}),
      };
    }
    const code = (error as Error & { code?: unknown }).code;
    return { message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: String(error) };
}
