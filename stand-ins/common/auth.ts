/**
 * HTTP Basic auth helpers for the simulators (Maxio `api_key:x`, Chargebee `api_key:` and
 * Chargebee's webhook Basic auth) and an HMAC helper. Comparisons are constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface BasicCredentials {
  username: string;
  password: string;
}

/** Parse an `Authorization: Basic …` header; null when absent or malformed. */
export function parseBasicAuth(
  header: string | string[] | undefined | null,
): BasicCredentials | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const match = /^\s*Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(value);
  if (!match?.[1]) return null;
  let decoded: string;
  try {
    decoded = Buffer.from(match[1], 'base64').toString('utf8');
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** `Basic base64(user:password)`. */
export function basicAuthHeader(username: string, password = ''): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Constant-time string equality (false for different lengths without leaking where). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

export type ApiKeyCheck =
  { ok: true; apiKey: string } | { ok: false; reason: 'missing' | 'malformed' | 'wrong_key' };

/**
 * Check an API-key-as-Basic-username header. With `expectedKey` the username must equal it;
 * without, any non-empty key is accepted (the simulators' default).
 */
export function checkApiKey(
  header: string | string[] | undefined | null,
  expectedKey?: string | null,
): ApiKeyCheck {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return { ok: false, reason: 'missing' };
  const credentials = parseBasicAuth(value);
  if (!credentials || credentials.username === '') return { ok: false, reason: 'malformed' };
  if (expectedKey && !safeEqual(credentials.username, expectedKey)) {
    return { ok: false, reason: 'wrong_key' };
  }
  return { ok: true, apiKey: credentials.username };
}

/** True when the header carries exactly these Basic credentials. */
export function checkBasicCredentials(
  header: string | string[] | undefined | null,
  expected: BasicCredentials,
): boolean {
  const credentials = parseBasicAuth(header);
  if (!credentials) return false;
  const userOk = safeEqual(credentials.username, expected.username);
  const passOk = safeEqual(credentials.password, expected.password);
  return userOk && passOk;
}

/** Hex HMAC-SHA256 of `body` with `key` (Maxio's webhook signature). */
export function hmacSha256Hex(key: string, body: string | Buffer): string {
  return createHmac('sha256', key).update(body).digest('hex');
}
