/**
 * The OAuth 2.0 JWT bearer assertion Salesforce takes for server-to-server login
 * (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`): an RS256-signed JWT whose issuer is
 * the connected app's consumer key, subject the integration user's username and audience the
 * login host. Signed with node:crypto, so no JWT library is needed for three claims.
 */
import { createSign } from 'node:crypto';

export interface JwtBearerClaims {
  clientId: string;
  username: string;
  /** `https://login.salesforce.com`, `https://test.salesforce.com` or a My Domain login URL. */
  audience: string;
  /** Seconds the assertion is valid; Salesforce allows at most 3 minutes of clock skew. */
  lifetimeSeconds?: number;
  now?: number;
}

const base64url = (input: string | Buffer): string => Buffer.from(input).toString('base64url');

export function signJwtBearerAssertion(claims: JwtBearerClaims, privateKeyPem: string): string {
  const issuedAt = Math.floor((claims.now ?? Date.now()) / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iss: claims.clientId,
      sub: claims.username,
      aud: claims.audience,
      exp: issuedAt + (claims.lifetimeSeconds ?? 180),
    }),
  );
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${signer.sign(privateKeyPem).toString('base64url')}`;
}
