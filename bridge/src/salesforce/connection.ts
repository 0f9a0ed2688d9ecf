/**
 * The bridge's Salesforce connection: a jsforce `Connection` logged in as the integration user.
 *
 * Login is OAuth server-to-server, never a stored session: the JWT bearer flow (connected app +
 * certificate) or the client credentials flow (connected app with a run-as user). The same function
 * is jsforce's `refreshFn`, so an expired session (`INVALID_SESSION_ID`) is refreshed by jsforce's
 * own SessionRefreshDelegate: one token request in flight, every waiting call replayed after it.
 */
import { readFileSync } from 'node:fs';
import { Connection } from 'jsforce';
import type { SalesforceConfig } from '../config/schema.ts';
import { ConfigurationError } from '../errors.ts';
import { toSalesforceError } from './errors.ts';
import { signJwtBearerAssertion } from './jwt.ts';

export type SalesforceAuthFlow = 'jwt-bearer' | 'client-credentials';

interface TokenResponse {
  access_token: string;
  instance_url: string;
  id?: string;
}

/** Which OAuth flow the config describes; throws ConfigurationError when it is incomplete. */
export function authFlowOf(config: SalesforceConfig): SalesforceAuthFlow {
  if (!config.clientId) {
    throw new ConfigurationError(
      'salesforce.clientId (the connected app consumer key) is required',
    );
  }
  if (config.privateKey !== undefined || config.privateKeyFile !== undefined) {
    if (!config.username) {
      throw new ConfigurationError(
        'salesforce.username (the integration user) is required for the JWT bearer flow',
      );
    }
    return 'jwt-bearer';
  }
  if (config.clientSecret) return 'client-credentials';
  throw new ConfigurationError(
    'salesforce: set privateKey/privateKeyFile + username (JWT bearer) or clientSecret (client credentials)',
  );
}

function privateKeyOf(config: SalesforceConfig): string {
  if (config.privateKey !== undefined) return config.privateKey;
  try {
    return readFileSync(config.privateKeyFile as string, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `salesforce.privateKeyFile could not be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

/** One token request for the configured flow (the refresh function jsforce calls). */
async function requestToken(conn: Connection, config: SalesforceConfig): Promise<TokenResponse> {
  const flow = authFlowOf(config);
  const params: { grant_type: string; [name: string]: string } =
    flow === 'jwt-bearer'
      ? {
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: signJwtBearerAssertion(
            {
              clientId: config.clientId as string,
              username: config.username as string,
              audience: config.loginUrl,
            },
            privateKeyOf(config),
          ),
        }
      : { grant_type: 'client_credentials' };
  try {
    return (await conn.oauth2.requestToken(params)) as unknown as TokenResponse;
  } catch (error) {
    throw toSalesforceError(error);
  }
}

export interface SalesforceConnectionOptions {
  /** Maximum concurrent requests jsforce sends (its `maxRequest`); default 10. */
  maxRequest?: number;
}

/**
 * A jsforce Connection for the config, not yet logged in: the first call (or `login`) fetches a
 * token through the refresh function.
 */
export function createSalesforceConnection(
  config: SalesforceConfig,
  options: SalesforceConnectionOptions = {},
): Connection {
  authFlowOf(config);
  const conn: Connection = new Connection({
    loginUrl: config.loginUrl,
    ...(config.instanceUrl ? { instanceUrl: config.instanceUrl } : {}),
    version: config.apiVersion,
    maxRequest: options.maxRequest ?? 10,
    oauth2: {
      loginUrl: config.loginUrl,
      clientId: config.clientId as string,
      ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
      redirectUri: 'http://localhost:1717/OauthRedirect',
    },
    refreshFn: (c, callback) => {
      requestToken(c as Connection, config).then(
        (res) => {
          (c as Connection)._establish({
            instanceUrl: config.instanceUrl ?? res.instance_url,
            accessToken: res.access_token,
          });
          callback(undefined, res.access_token, res as never);
        },
        (error: unknown) => callback(error as Error),
      );
    },
  });
  return conn;
}

/** Log in now (rather than on the first call), so a bad config fails at start. */
export async function loginSalesforce(conn: Connection, config: SalesforceConfig): Promise<void> {
  const res = await requestToken(conn, config);
  conn._establish({
    instanceUrl: config.instanceUrl ?? res.instance_url,
    accessToken: res.access_token,
  });
}
