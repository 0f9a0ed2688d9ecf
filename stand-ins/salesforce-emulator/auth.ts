/**
 * Users, sessions and the OAuth 2.0 token endpoint's grants: client credentials (runs as the
 * connected app's run-as user), JWT bearer (RS256 signature checked against the configured
 * public key or certificate; iss, sub, aud and exp checked), refresh token, username-password
 * and authorization code. Access tokens expire after `tokenTtlSeconds`, or on demand
 * (`expire`, `revoke`), so clients see 401 INVALID_SESSION_ID and refresh.
 */
import { createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { safeEqual } from '../common/auth.ts';

export interface UserConfig {
  username: string;
  password?: string;
  /** Appended to the password in the username-password flow, as Salesforce requires. */
  securityToken?: string;
  firstName?: string;
  /** Default: the part of the username before `@`. */
  lastName?: string;
  email?: string;
  /** Custom permissions held through permission sets (e.g. Billing_Integration_Bypass). */
  permissions?: string[];
  isActive?: boolean;
}

export interface ConnectedAppConfig {
  clientId: string;
  clientSecret: string;
  /** The user the client credentials flow runs as (default: the first configured user). */
  runAs?: string;
  /** PEM public key or X.509 certificate that JWT bearer assertions are verified with. */
  jwtPublicKey?: string;
}

export interface EmulatorUser {
  id: string;
  username: string;
  password?: string;
  securityToken?: string;
  permissions: ReadonlySet<string>;
  isActive: boolean;
}

export interface Session {
  token: string;
  userId: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  constructor(error: string, description: string, status = 400) {
    super(description);
    this.name = 'OAuthError';
    this.error = error;
    this.status = status;
  }
}

export interface TokenResponse {
  access_token: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
  signature: string;
  scope: string;
  refresh_token?: string;
}

/** The audiences Salesforce accepts in a JWT bearer assertion, plus the emulator's own URL. */
const AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];
const CLOCK_SKEW_SECONDS = 180;

function base64url(buffer: Buffer): string {
  return buffer.toString('base64url');
}

export class AuthService {
  readonly orgId: string;
  readonly #users = new Map<string, EmulatorUser>();
  readonly #byUsername = new Map<string, EmulatorUser>();
  readonly #sessions = new Map<string, Session>();
  readonly #refreshTokens = new Map<string, string>();
  readonly #codes = new Map<string, string>();
  readonly #apps: ConnectedAppConfig[];
  readonly #publicKeys = new Map<string, KeyObject>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  instanceUrl = '';
  /** Token endpoint calls by grant type, for stats and single-flight refresh tests. */
  readonly grants: Record<string, number> = {};

  constructor(options: {
    orgId: string;
    apps: ConnectedAppConfig[];
    tokenTtlSeconds: number;
    now?: () => number;
  }) {
    this.orgId = options.orgId;
    this.#apps = options.apps;
    this.#ttlMs = options.tokenTtlSeconds * 1000;
    this.#now = options.now ?? Date.now;
    for (const app of options.apps) {
      if (app.jwtPublicKey) this.#publicKeys.set(app.clientId, createPublicKey(app.jwtPublicKey));
    }
  }

  addUser(user: EmulatorUser): void {
    this.#users.set(user.id, user);
    this.#byUsername.set(user.username.toLowerCase(), user);
  }

  user(id: string): EmulatorUser | undefined {
    return this.#users.get(id);
  }

  userByName(username: string): EmulatorUser | undefined {
    return this.#byUsername.get(username.toLowerCase());
  }

  users(): EmulatorUser[] {
    return [...this.#users.values()];
  }

  /** A new access token for a user. */
  issue(userId: string): Session {
    const token = `${this.orgId.slice(0, 15)}!${base64url(randomBytes(36))}`;
    const issuedAt = this.#now();
    const session = { token, userId, issuedAt, expiresAt: issuedAt + this.#ttlMs, revoked: false };
    this.#sessions.set(token, session);
    return session;
  }

  /** A refresh token for a user (as the authorization code flow would have granted). */
  issueRefreshToken(username: string): string {
    const user = this.userByName(username);
    if (!user) throw new Error(`no user ${username}`);
    const token = `5Aep${base64url(randomBytes(40))}`;
    this.#refreshTokens.set(token, user.id);
    return token;
  }

  /** An authorization code for a user, redeemable once at the token endpoint. */
  issueAuthorizationCode(username: string): string {
    const user = this.userByName(username);
    if (!user) throw new Error(`no user ${username}`);
    const code = `aPrx${base64url(randomBytes(24))}`;
    this.#codes.set(code, user.id);
    return code;
  }

  /** The live session of a bearer token, or null (unknown, expired or revoked). */
  session(token: string | undefined): Session | null {
    if (!token) return null;
    const session = this.#sessions.get(token);
    if (!session || session.revoked || session.expiresAt <= this.#now()) return null;
    const user = this.#users.get(session.userId);
    return user?.isActive ? session : null;
  }

  /** Make one token (or every token) expire now: the next call with it gets 401. */
  expire(token?: string): number {
    let n = 0;
    for (const session of this.#sessions.values()) {
      if (token === undefined || session.token === token) {
        session.expiresAt = Math.min(session.expiresAt, this.#now());
        n++;
      }
    }
    return n;
  }

  /** Revoke an access or refresh token (POST /services/oauth2/revoke). */
  revoke(token: string): boolean {
    const session = this.#sessions.get(token);
    if (session) {
      session.revoked = true;
      return true;
    }
    if (this.#refreshTokens.delete(token)) {
      return true;
    }
    return false;
  }

  #app(clientId: string | undefined, clientSecret?: string, needSecret = true): ConnectedAppConfig {
    const app = this.#apps.find((a) => clientId !== undefined && safeEqual(a.clientId, clientId));
    if (!app) throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (needSecret && (clientSecret === undefined || !safeEqual(app.clientSecret, clientSecret))) {
      throw new OAuthError('invalid_client', 'invalid client credentials');
    }
    return app;
  }

  #active(user: EmulatorUser | undefined): EmulatorUser {
    if (!user) throw new OAuthError('invalid_grant', 'authentication failure');
    if (!user.isActive) throw new OAuthError('invalid_grant', 'inactive user');
    return user;
  }

  #respond(app: ConnectedAppConfig, user: EmulatorUser, refreshToken?: string): TokenResponse {
    const session = this.issue(user.id);
    const id = `${this.instanceUrl}/id/${this.orgId}/${user.id}`;
    const issuedAt = String(session.issuedAt);
    return {
      access_token: session.token,
      instance_url: this.instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      signature: createHmac('sha256', app.clientSecret)
        .update(id + issuedAt)
        .digest('base64'),
      scope: 'api refresh_token',
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  }

  /** POST /services/oauth2/token with form parameters. */
  token(params: Record<string, string | undefined>): TokenResponse {
    const grant = params.grant_type ?? '';
    this.grants[grant] = (this.grants[grant] ?? 0) + 1;
    switch (grant) {
      case 'client_credentials': {
        const app = this.#app(params.client_id, params.client_secret);
        const user = app.runAs ? this.userByName(app.runAs) : this.users()[0];
        return this.#respond(app, this.#active(user));
      }
      case 'password': {
        const app = this.#app(params.client_id, params.client_secret);
        const user = this.userByName(params.username ?? '');
        const expected = `${user?.password ?? ''}${user?.securityToken ?? ''}`;
        if (!user?.password || !safeEqual(expected, params.password ?? '')) {
          throw new OAuthError('invalid_grant', 'authentication failure');
        }
        return this.#respond(app, this.#active(user));
      }
      case 'refresh_token': {
        const app = this.#app(params.client_id, params.client_secret, false);
        if (params.client_secret !== undefined) this.#app(params.client_id, params.client_secret);
        const userId = this.#refreshTokens.get(params.refresh_token ?? '');
        if (!userId) throw new OAuthError('invalid_grant', 'expired access/refresh token');
        return this.#respond(app, this.#active(this.#users.get(userId)));
      }
      case 'authorization_code': {
        const app = this.#app(params.client_id, params.client_secret);
        const userId = this.#codes.get(params.code ?? '');
        if (!userId) throw new OAuthError('invalid_grant', 'invalid authorization code');
        this.#codes.delete(params.code ?? '');
        const user = this.#active(this.#users.get(userId));
        return this.#respond(app, user, this.issueRefreshToken(user.username));
      }
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
        return this.#jwtBearer(params.assertion ?? '');
      default:
        throw new OAuthError('unsupported_grant_type', 'grant type not supported');
    }
  }

  #jwtBearer(assertion: string): TokenResponse {
    const parts = assertion.split('.');
    if (parts.length !== 3) throw new OAuthError('invalid_grant', 'invalid assertion');
    const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
    let header: { alg?: string };
    let claims: { iss?: string; sub?: string; aud?: string | string[]; exp?: number };
    try {
      header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as typeof header;
      claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      throw new OAuthError('invalid_grant', 'invalid assertion');
    }
    if (header.alg !== 'RS256') throw new OAuthError('invalid_grant', 'invalid assertion');
    const app = this.#app(claims.iss, undefined, false);
    const key = this.#publicKeys.get(app.clientId);
    if (!key) throw new OAuthError('invalid_client', 'no certificate configured for this app');
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${headerPart}.${payloadPart}`),
      key,
      Buffer.from(signaturePart, 'base64url'),
    );
    if (!signed) throw new OAuthError('invalid_grant', 'invalid assertion');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const allowed = [...AUDIENCES, this.instanceUrl];
    if (!audiences.some((a) => a !== undefined && allowed.includes(a.replace(/\/$/, '')))) {
      throw new OAuthError('invalid_grant', 'audience is invalid');
    }
    if (
      typeof claims.exp !== 'number' ||
      claims.exp * 1000 + CLOCK_SKEW_SECONDS * 1000 < this.#now()
    ) {
      throw new OAuthError('invalid_grant', 'expired assertion');
    }
    const user = this.userByName(claims.sub ?? '');
    if (!user) throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
    return this.#respond(app, this.#active(user));
  }
}
