/**
 * The injectable transport (stripe-node's HttpClient idea): provider clients and the Salesforce
 * client take an `HttpClient`, so tests swap transports without monkey-patching.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Per-attempt timeout. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

export interface HttpClient {
  /** Resolves for every HTTP status; rejects only on transport failure (ConnectionError). */
  request(request: HttpRequest): Promise<HttpResponse>;
}
