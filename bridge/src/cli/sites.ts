/**
 * `billing-bridge sites add|list|remove`: connect billing sites (a Maxio subdomain or a Chargebee
 * site) to the bridge. The API key and the webhook secret are read from standard input, never
 * from flags, so they stay out of shell history and process lists; `list` never prints them.
 *
 *   printf '%s\n' "$MAXIO_API_KEY" "$MAXIO_WEBHOOK_KEY" | billing-bridge sites add --provider maxio --name acme --with-webhook-secret
 */
import { Option } from 'commander';
import { siteSchema } from '../config/schema.ts';
import { CONFIG_ENV } from '../config/load.ts';
import { configPath, readRawConfig, writeRawConfig } from './config-file.ts';
import { CliError } from './context.ts';
import type { CliCommand, CliContext } from './context.ts';

interface SiteEntry {
  provider: 'maxio' | 'chargebee';
  name: string;
  [key: string]: unknown;
}

type RawConfig = Record<string, unknown> & { sites?: SiteEntry[] };

interface AddFlags {
  provider: 'maxio' | 'chargebee';
  name: string;
  region?: 'us' | 'eu';
  baseUrl?: string;
  currency?: string;
  withWebhookSecret?: boolean;
  webhookUser?: string;
  config?: string;
}

/** Lines from stdin (the secrets), read once. */
async function readSecretLines(stdin: NodeJS.ReadableStream | undefined): Promise<string[]> {
  if (!stdin) return [];
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function siteKeyLabel(site: { provider: string; name: string }): string {
  return `${site.provider}:${site.name}`;
}

export const sitesCommand: CliCommand = {
  name: 'sites',
  register(program, ctx: CliContext) {
    const sites = program.command('sites').description('the billing sites this bridge syncs');
    sites
      .command('add')
      .description(
        'connect a site; stdin gives the API key, then the webhook secret (Maxio shared key or Chargebee password)',
      )
      .addOption(
        new Option('--provider <provider>', 'billing platform')
          .choices(['maxio', 'chargebee'])
          .makeOptionMandatory(),
      )
      .requiredOption('--name <name>', 'Maxio subdomain or Chargebee site name')
      .addOption(new Option('--region <region>', 'Maxio region').choices(['us', 'eu']))
      .option('--base-url <url>', 'API base URL override (a local simulator, a proxy)')
      .option('--currency <code>', 'default currency (ISO 4217)')
      .option('--with-webhook-secret', 'Maxio: read the webhook shared key from stdin')
      .option('--webhook-user <user>', 'Chargebee: webhook Basic auth user (password from stdin)')
      .option('-c, --config <file>', `config file (default: $${CONFIG_ENV})`)
      .action(async (flags: AddFlags) => {
        const path = configPath(ctx, flags.config);
        const raw = (await readRawConfig(path, 'sites')) as RawConfig;
        const list = raw.sites ?? [];
        if (list.some((s) => s.provider === flags.provider && s.name === flags.name)) {
          throw new CliError(
            `${flags.provider}:${flags.name} is already connected. Remove it first to change its keys.`,
          );
        }
        const secrets = await readSecretLines(ctx.stdin ?? process.stdin);
        const [apiKey, webhookSecret] = secrets;
        if (!apiKey) throw new CliError('Give the API key on standard input.', 2);
        const entry: SiteEntry = { provider: flags.provider, name: flags.name, apiKey };
        if (flags.region) entry.region = flags.region;
        if (flags.baseUrl) entry.baseUrl = flags.baseUrl;
        if (flags.currency) entry.defaultCurrency = flags.currency;
        if (flags.withWebhookSecret) {
          if (!webhookSecret)
            throw new CliError('Give the webhook shared key on the second stdin line.', 2);
          entry.webhook = { secret: webhookSecret };
        } else if (flags.webhookUser) {
          if (!webhookSecret)
            throw new CliError('Give the webhook password on the second stdin line.', 2);
          entry.webhook = { username: flags.webhookUser, password: webhookSecret };
        }
        const checked = siteSchema.safeParse(entry);
        if (!checked.success) {
          const issue = checked.error.issues[0];
          throw new CliError(
            `${issue?.path.join('.') ?? 'site'}: ${issue?.message ?? 'invalid'}`,
            2,
          );
        }
        await writeRawConfig(path, { ...raw, sites: [...list, entry] });
        const webhookPath = `/webhooks/${siteKeyLabel(entry)}`;
        ctx.stdout(
          `${siteKeyLabel(entry)} connected.\n` +
            `Point the site's webhooks at https://<this bridge>${webhookPath}` +
            (flags.provider === 'chargebee'
              ? ' with the Basic auth user and password you gave.\n'
              : ' (Maxio signs them with the site shared key).\n') +
            `Then: billing-bridge backfill --site ${siteKeyLabel(entry)}\n`,
        );
      });
    sites
      .command('list')
      .description('list connected sites (keys are never shown)')
      .option('-c, --config <file>', `config file (default: $${CONFIG_ENV})`)
      .action(async (flags: { config?: string }) => {
        const raw = (await readRawConfig(configPath(ctx, flags.config), 'sites')) as RawConfig;
        const list = raw.sites ?? [];
        ctx.stdout(
          list.length === 0
            ? 'No site is connected yet: billing-bridge sites add --provider maxio|chargebee --name …\n'
            : list
                .map(
                  (s) =>
                    `${siteKeyLabel(s)}${typeof s.baseUrl === 'string' ? `  ${s.baseUrl}` : ''}\n`,
                )
                .join(''),
        );
      });
    sites
      .command('remove')
      .description('disconnect a site (its synced Salesforce records stay)')
      .requiredOption('--site <key>', 'the site key, e.g. maxio:acme')
      .option('-c, --config <file>', `config file (default: $${CONFIG_ENV})`)
      .action(async (flags: { site: string; config?: string }) => {
        const path = configPath(ctx, flags.config);
        const raw = (await readRawConfig(path, 'sites')) as RawConfig;
        const list = raw.sites ?? [];
        const kept = list.filter((s) => siteKeyLabel(s) !== flags.site);
        if (kept.length === list.length) throw new CliError(`${flags.site} is not in ${path}.`);
        await writeRawConfig(path, { ...raw, sites: kept });
        ctx.stdout(`${flags.site} disconnected.\n`);
      });
  },
};
