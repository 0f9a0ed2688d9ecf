/**
 * OAuth 2.0 against the emulator through jsforce: client credentials, username-password,
 * authorization code, JWT bearer (a generated RSA key pair), refresh on INVALID_SESSION_ID
 * (jsforce's single-flight refresh), revocation, and the rep/integration users' permissions.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { Connection } from 'jsforce';
import { startSalesforceEmulator } from './index.ts';
import type { SalesforceEmulator } from './index.ts';
import { API_VERSION, INTEGRATION_USER, REP_USER, raw, rejection } from './test-support.ts';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

function jwt(claims: Record<string, unknown>, key = privateKey): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('OAuth 2.0 token endpoint through jsforce', () => {
  let sf: SalesforceEmulator;
  const app = { clientId: 'bridge-app', clientSecret: 'bridge-secret' };
  const oauthConn = (extra: Record<string, unknown> = {}) =>
    new Connection({
      oauth2: { ...app, loginUrl: sf.url, ...extra },
      version: API_VERSION,
    });

  before(async () => {
    sf = await startSalesforceEmulator({
      port: 0,
      connectedApps: [
        {
          ...app,
          runAs: INTEGRATION_USER,
          jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
      ],
      users: [
        {
          username: INTEGRATION_USER,
          password: 'pw',
          securityToken: 'TOKEN',
          lastName: 'Integration',
          permissions: ['Billing_Integration_Bypass'],
        },
        { username: REP_USER, password: 'rep-pw', lastName: 'Rep' },
      ],
    });
  });
  after(() => sf.close());

  test('client credentials run as the app user and return the token response fields', async () => {
    const conn = oauthConn();
    const info = await conn.authorize({ grant_type: 'client_credentials' });
    assert.equal(info.id, sf.userId(INTEGRATION_USER));
    assert.equal(info.organizationId, sf.orgId);
    assert.equal(conn.instanceUrl, sf.url);
    const identity = await conn.identity();
    assert.equal(identity.username, INTEGRATION_USER);

    const response = await fetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
      }),
    });
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), [
      'access_token',
      'id',
      'instance_url',
      'issued_at',
      'scope',
      'signature',
      'token_type',
    ]);
    assert.equal(body.token_type, 'Bearer');
  });

  test('a wrong client secret is invalid_client', async () => {
    const error = await rejection(
      oauthConn({ clientSecret: 'nope' }).authorize({ grant_type: 'client_credentials' }),
    );
    assert.equal(error.name, 'invalid_client');
  });

  test('username-password needs the password followed by the security token', async () => {
    const conn = oauthConn();
    const error = await rejection(conn.login(INTEGRATION_USER, 'pw'));
    assert.equal(error.name, 'invalid_grant');
    const info = await conn.login(INTEGRATION_USER, 'pwTOKEN');
    assert.equal(info.id, sf.userId(INTEGRATION_USER));
    const result = await conn.query('SELECT Id FROM User');
    assert.equal(result.totalSize, 2);
  });

  test('authorization code grants an access and a refresh token', async () => {
    const conn = oauthConn({ redirectUri: 'http://localhost/callback' });
    await conn.authorize(sf.authorizationCodeFor(REP_USER));
    assert.ok(conn.refreshToken, 'no refresh token');
    assert.equal(conn.userInfo?.id, sf.userId(REP_USER));
    const again = await rejection(
      oauthConn({ redirectUri: 'http://localhost/callback' }).authorize('used-or-unknown-code'),
    );
    assert.equal(again.name, 'invalid_grant');
  });

  describe('JWT bearer', () => {
    const claims = () => ({
      iss: app.clientId,
      sub: INTEGRATION_USER,
      aud: 'https://login.salesforce.com',
      exp: Math.floor(Date.now() / 1000) + 120,
    });

    test('a signed assertion logs the subject in', async () => {
      const conn = oauthConn({ clientSecret: undefined });
      const info = await conn.authorize({ grant_type: JWT_GRANT, assertion: jwt(claims()) });
      assert.equal(info.id, sf.userId(INTEGRATION_USER));
      const described = await conn.sobject('Account').describe();
      assert.equal(described.name, 'Account');
    });

    const bad: [string, () => string, string][] = [
      ['signed with another key', () => jwt(claims(), other.privateKey), 'invalid assertion'],
      [
        'for another audience',
        () => jwt({ ...claims(), aud: 'https://evil.example' }),
        'audience is invalid',
      ],
      [
        'expired',
        () => jwt({ ...claims(), exp: Math.floor(Date.now() / 1000) - 600 }),
        'expired assertion',
      ],
      [
        'for an unknown user',
        () => jwt({ ...claims(), sub: 'nobody@example.com' }),
        "user hasn't approved this consumer",
      ],
      [
        'from an unknown app',
        () => jwt({ ...claims(), iss: 'other-app' }),
        'client identifier invalid',
      ],
      [
        'tampered with',
        () => {
          const [h, , s] = jwt(claims()).split('.');
          const forged = Buffer.from(JSON.stringify({ ...claims(), sub: REP_USER })).toString(
            'base64url',
          );
          return `${h}.${forged}.${s}`;
        },
        'invalid assertion',
      ],
    ];
    for (const [name, assertion, message] of bad) {
      test(`an assertion ${name} is refused`, async () => {
        const error = await rejection(
          oauthConn({ clientSecret: undefined }).authorize({
            grant_type: JWT_GRANT,
            assertion: assertion(),
          }),
        );
        assert.equal(error.message, message);
      });
    }
  });

  test('an expired token is refreshed once for concurrent calls (single-flight), then calls succeed', async () => {
    const refreshToken = sf.refreshTokenFor(INTEGRATION_USER);
    const conn = new Connection({
      oauth2: { ...app, loginUrl: sf.url },
      instanceUrl: sf.url,
      accessToken: sf.tokenFor(INTEGRATION_USER),
      refreshToken,
      version: API_VERSION,
    });
    await conn.query('SELECT Id FROM User');
    const before = sf.stats.tokenGrants.refresh_token ?? 0;
    const oldToken = conn.accessToken;
    assert.equal(sf.expireTokens(oldToken ?? ''), 1);
    let refreshed = 0;
    conn.on('refresh', () => refreshed++);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => conn.query('SELECT Id FROM User')),
    );
    assert.ok(results.every((r) => r.totalSize === 2));
    assert.equal((sf.stats.tokenGrants.refresh_token ?? 0) - before, 1);
    assert.equal(refreshed, 1);
    assert.notEqual(conn.accessToken, oldToken);
  });

  test('an expired or revoked token answers 401 INVALID_SESSION_ID without a refresh path', async () => {
    const token = sf.tokenFor(REP_USER);
    const conn = new Connection({ instanceUrl: sf.url, accessToken: token, version: API_VERSION });
    await conn.query('SELECT Id FROM Account');
    assert.equal(sf.revokeToken(token), true);
    const error = await rejection(conn.query('SELECT Id FROM Account'));
    assert.equal(error.errorCode, 'INVALID_SESSION_ID');
    const plain = await raw(
      sf,
      'GET',
      `/services/data/v${API_VERSION}/limits`,
      undefined,
      'made-up',
    );
    assert.equal(plain.status, 401);
    assert.deepEqual(plain.json, [
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  test('a revoked refresh token cannot refresh', async () => {
    const refreshToken = sf.refreshTokenFor(REP_USER);
    const conn = oauthConn();
    const ok = await conn.oauth2.refreshToken(refreshToken);
    assert.ok(ok.access_token);
    sf.revokeToken(refreshToken);
    const error = await rejection(conn.oauth2.refreshToken(refreshToken));
    assert.equal(error.name, 'invalid_grant');
  });
});
