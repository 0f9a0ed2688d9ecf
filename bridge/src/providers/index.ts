/**
 * One `BillingProvider` per connected site, from its configuration.
 */
import type { SiteConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import { siteKeyOf } from '../model/canonical.ts';
import type { Site } from '../model/canonical.ts';
import { ChargebeeProvider } from './chargebee/index.ts';
import { MaxioProvider } from './maxio/index.ts';
import type { BillingProvider } from './provider.ts';

export function siteOf(config: SiteConfig): Site {
  return {
    key: siteKeyOf(config.provider, config.name),
    provider: config.provider,
    name: config.name,
    ...(config.provider === 'maxio' ? { region: config.region } : {}),
    defaultCurrency: config.defaultCurrency,
  };
}

export function createProvider(
  config: SiteConfig,
  options: { logger?: Logger } = {},
): BillingProvider {
  const common = {
    siteName: config.name,
    apiKey: config.apiKey,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  if (config.provider === 'maxio') {
    return new MaxioProvider({
      ...common,
      region: config.region,
      ...(config.webhook.secret ? { webhookSecret: config.webhook.secret } : {}),
    });
  }
  return new ChargebeeProvider({
    ...common,
    ...(config.webhook.username ? { webhookUsername: config.webhook.username } : {}),
    ...(config.webhook.password ? { webhookPassword: config.webhook.password } : {}),
  });
}
