/**
 * One `BillingProvider` per connected site, from its configuration. The adapters are loaded on
 * first use, so a bridge serving only Chargebee sites never loads the Maxio client.
 */
import type { SiteConfig } from '../config/schema.ts';
import { ConfigurationError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { siteKeyOf } from '../model/canonical.ts';
import type { Site } from '../model/canonical.ts';
import type { BillingProvider } from './provider.ts';

type AdapterClass = new (options: Record<string, unknown>) => BillingProvider;

const ADAPTERS = {
  maxio: { path: './maxio/index.ts', exportName: 'MaxioProvider' },
  chargebee: { path: './chargebee/index.ts', exportName: 'ChargebeeProvider' },
} as const;

async function adapterClass(provider: SiteConfig['provider']): Promise<AdapterClass> {
  const { path, exportName } = ADAPTERS[provider];
  const mod = (await import(new URL(path, import.meta.url).href)) as Record<string, unknown>;
  const cls = mod[exportName];
  if (typeof cls !== 'function') {
    throw new ConfigurationError(`the ${provider} adapter does not export ${exportName}`);
  }
  return cls as AdapterClass;
}

export function siteOf(config: SiteConfig): Site {
  return {
    key: siteKeyOf(config.provider, config.name),
    provider: config.provider,
    name: config.name,
    ...(config.provider === 'maxio' ? { region: config.region } : {}),
    defaultCurrency: config.defaultCurrency,
  };
}

export async function createProvider(
  config: SiteConfig,
  options: { logger?: Logger } = {},
): Promise<BillingProvider> {
  const Adapter = await adapterClass(config.provider);
  return new Adapter({
    siteName: config.name,
    apiKey: config.apiKey,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...(config.provider === 'maxio' ? { region: config.region } : {}),
    ...(config.webhook.secret ? { webhookSecret: config.webhook.secret } : {}),
    ...(config.webhook.username ? { webhookUsername: config.webhook.username } : {}),
    ...(config.webhook.password ? { webhookPassword: config.webhook.password } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
