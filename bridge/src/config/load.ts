/**
 * Loading the bridge config: the JSON file named by `BILLING_BRIDGE_CONFIG` (or an explicit
 * path), then environment overrides, then validation. Secrets can live only in the environment:
 *
 *   BILLING_BRIDGE_DATA_DIR, BILLING_BRIDGE_HOST, BILLING_BRIDGE_PORT, BILLING_BRIDGE_LOG_LEVEL
 *   BILLING_BRIDGE_SITE_<PROVIDER>_<NAME>_API_KEY          e.g. BILLING_BRIDGE_SITE_MAXIO_ACME_API_KEY
 *   BILLING_BRIDGE_SITE_<PROVIDER>_<NAME>_WEBHOOK_SECRET   (Maxio shared key)
 *   BILLING_BRIDGE_SITE_<PROVIDER>_<NAME>_WEBHOOK_USERNAME / _WEBHOOK_PASSWORD (Chargebee)
 *   SALESFORCE_LOGIN_URL, SALESFORCE_INSTANCE_URL, SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET,
 *   SALESFORCE_USERNAME, SALESFORCE_PRIVATE_KEY_FILE
 *
 * (<NAME> upper-cased, every character other than A–Z and 0–9 turned into `_`.) Errors are
 * `ConfigurationError`s that name the field and never echo its value.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigurationError } from '../errors.ts';
import { bridgeConfigSchema } from './schema.ts';
import type { BridgeConfig } from './schema.ts';

export const CONFIG_ENV = 'BILLING_BRIDGE_CONFIG';

export interface LoadConfigOptions {
  /** Overrides `BILLING_BRIDGE_CONFIG`. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  /** Relative `dataDir` and the config path are resolved against this; default cwd. */
  cwd?: string;
}

type Json = Record<string, unknown>;

export function siteEnvPrefix(provider: string, name: string): string {
  return `BILLING_BRIDGE_SITE_${provider}_${name}_`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

async function readJson(path: string): Promise<Json> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigurationError(`Cannot read config file ${path}${code ? ` (${code})` : ''}`, {
      code: 'config_unreadable',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(
      `Config file ${path} is not valid JSON: ${(error as Error).message}`,
      {
        code: 'config_invalid_json',
      },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError(`Config file ${path} must hold a JSON object`, {
      code: 'config_invalid',
    });
  }
  return parsed as Json;
}

function asObject(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : {};
}

/** Apply environment overrides to a raw (unvalidated) config object. */
export function applyEnv(raw: Json, env: NodeJS.ProcessEnv): Json {
  const out: Json = { ...raw };
  if (env.BILLING_BRIDGE_DATA_DIR) out.dataDir = env.BILLING_BRIDGE_DATA_DIR;
  if (env.BILLING_BRIDGE_LOG_LEVEL) out.logLevel = env.BILLING_BRIDGE_LOG_LEVEL;
  if (env.BILLING_BRIDGE_DATABASE_URL) {
    out.store = { kind: 'postgres', url: env.BILLING_BRIDGE_DATABASE_URL };
  }
  if (env.BILLING_BRIDGE_HOST || env.BILLING_BRIDGE_PORT) {
    const server = { ...asObject(out.server) };
    if (env.BILLING_BRIDGE_HOST) server.host = env.BILLING_BRIDGE_HOST;
    if (env.BILLING_BRIDGE_PORT) {
      const port = Number(env.BILLING_BRIDGE_PORT);
      server.port = Number.isInteger(port) ? port : env.BILLING_BRIDGE_PORT;
    }
    out.server = server;
  }
  if (Array.isArray(out.sites)) {
    out.sites = out.sites.map((entry: unknown) => {
      const site = { ...asObject(entry) };
      if (typeof site.provider !== 'string' || typeof site.name !== 'string') return site;
      const prefix = siteEnvPrefix(site.provider, site.name);
      const webhook = { ...asObject(site.webhook) };
      if (env[`${prefix}API_KEY`]) site.apiKey = env[`${prefix}API_KEY`];
      if (env[`${prefix}BASE_URL`]) site.baseUrl = env[`${prefix}BASE_URL`];
      if (env[`${prefix}WEBHOOK_SECRET`]) webhook.secret = env[`${prefix}WEBHOOK_SECRET`];
      if (env[`${prefix}WEBHOOK_USERNAME`]) webhook.username = env[`${prefix}WEBHOOK_USERNAME`];
      if (env[`${prefix}WEBHOOK_PASSWORD`]) webhook.password = env[`${prefix}WEBHOOK_PASSWORD`];
      if (Object.keys(webhook).length > 0) site.webhook = webhook;
      return site;
    });
  }
  const sfEnv: [string, string][] = [
    ['SALESFORCE_LOGIN_URL', 'loginUrl'],
    ['SALESFORCE_INSTANCE_URL', 'instanceUrl'],
    ['SALESFORCE_CLIENT_ID', 'clientId'],
    ['SALESFORCE_CLIENT_SECRET', 'clientSecret'],
    ['SALESFORCE_USERNAME', 'username'],
    ['SALESFORCE_PRIVATE_KEY_FILE', 'privateKeyFile'],
  ];
  if (sfEnv.some(([name]) => env[name])) {
    const salesforce = { ...asObject(out.salesforce) };
    for (const [name, key] of sfEnv) if (env[name]) salesforce[key] = env[name];
    out.salesforce = salesforce;
  }
  return out;
}

/** Validate a raw config object; throws ConfigurationError listing every problem by path. */
export function parseConfig(raw: unknown, source = 'config'): BridgeConfig {
  const result = bridgeConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    // "path → message" (not "path: message"), so redaction does not mistake a field name for a secret.
    return `  - ${path} → ${issue.message}`;
  });
  throw new ConfigurationError(`Invalid ${source}:\n${problems.join('\n')}`, {
    code: 'config_invalid',
  });
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<BridgeConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const path = options.path ?? env[CONFIG_ENV];
  const raw = path ? await readJson(resolve(cwd, path)) : {};
  const config = parseConfig(applyEnv(raw, env), path ? `config ${path}` : 'config');
  return { ...config, dataDir: resolve(cwd, config.dataDir) };
}
