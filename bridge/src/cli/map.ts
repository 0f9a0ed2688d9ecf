/**
 * `billing-bridge map --provider maxio|chargebee --resource R [--site S]`: an admin's dry run.
 * Reads one record as the billing platform's API returns it on stdin, turns it into the canonical
 * model with the provider adapter's own mapping, and prints as JSON the Salesforce records the
 * sync would upsert (object, external id, fields, lookups by external id). Writes nothing.
 * `--input canonical` skips the adapter and maps a canonical record (`{resource, record}`).
 */
import { Command, Option } from 'commander';
import type { CanonicalRecord, Provider, ResourceType, Site } from '../model/canonical.ts';
import { RESOURCE_ORDER, siteKeyOf } from '../model/canonical.ts';
import { MappingError, mapCanonical } from '../sync/mappings/index.ts';
import type { MappingOptions } from '../sync/mappings/index.ts';
import type { SalesforceRecord } from '../sync/records.ts';
import { CliError, defaultContext } from './context.ts';
import type { CliCommand, CliContext } from './context.ts';

export type PayloadMapper = (resource: ResourceType, payload: unknown, siteKey: string) => unknown;

/** Where each adapter's raw → canonical function lives, and the names it may have. */
const ADAPTERS: Record<Provider, { path: string; exports: string[] }> = {
  maxio: {
    path: '../providers/maxio/index.ts',
    exports: ['mapMaxioPayload', 'mapPayload', 'toCanonical'],
  },
  chargebee: {
    path: '../providers/chargebee/index.ts',
    exports: ['mapChargebeePayload', 'mapPayload', 'toCanonical'],
  },
};

export async function loadPayloadMapper(
  provider: Provider,
  ctx: CliContext,
): Promise<PayloadMapper> {
  const { path, exports } = ADAPTERS[provider];
  let mod: Record<string, unknown> | null;
  try {
    mod = (await ctx.importModule(new URL(path, import.meta.url).href)) as Record<
      string,
      unknown
    > | null;
  } catch (error) {
    throw new CliError(
      `the ${provider} adapter (bridge/src/providers/${provider}/index.ts) could not be loaded: ${(error as Error).message}. ` +
        'Use --input canonical to map a canonical record instead.',
    );
  }
  for (const name of exports) {
    const fn = mod?.[name];
    if (typeof fn === 'function') return fn as PayloadMapper;
  }
  throw new CliError(
    `the ${provider} adapter does not export ${exports[0]}(resource, payload, siteKey) yet. ` +
      'Use --input canonical to map a canonical record instead.',
  );
}

function isCanonical(value: unknown): value is CanonicalRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    'resource' in value &&
    'record' in value &&
    typeof (value as { record: unknown }).record === 'object'
  );
}

/** Whatever the adapter returned (one record, a list, tagged or bare) → tagged canonical records. */
export function toCanonicalRecords(value: unknown, resource: ResourceType): CanonicalRecord[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, index) => {
    if (isCanonical(item)) return item;
    if (typeof item === 'object' && item !== null && 'id' in item) {
      return { resource, record: item } as CanonicalRecord;
    }
    throw new CliError(
      `record ${index + 1} is not a canonical ${resource}: ${JSON.stringify(item)}`,
    );
  });
}

/** What is printed for each record: no source bookkeeping, just what Salesforce would get. */
export function printable(record: SalesforceRecord) {
  return {
    sobject: record.sobject,
    externalIdField: record.externalIdField,
    externalId: record.externalId,
    fields: record.fields,
    references: record.references,
    ...(record.insertOnly ? { insertOnly: record.insertOnly } : {}),
    ...(record.link ? { link: true } : {}),
  };
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface MapFlags {
  provider: Provider;
  resource: ResourceType;
  site: string;
  currency: string;
  region?: 'us' | 'eu';
  input: 'provider' | 'canonical';
  priceBookEntries: boolean;
  opportunities: boolean;
  multiCurrency?: boolean;
}

export interface MapCommandDeps {
  /** The payload text; defaults to reading stdin to the end. */
  readInput?: () => Promise<string>;
}

/** The `map` command, ready to add to a program (or to run alone in tests). */
export function mapCommand(
  ctx: CliContext = defaultContext('0.0.0'),
  deps: MapCommandDeps = {},
): Command {
  const readInput = deps.readInput ?? (() => readAll(process.stdin));
  return new Command('map')
    .description(
      'dry run: read one billing API record on stdin, print the Salesforce records the sync would write (JSON)',
    )
    .addOption(
      new Option('-p, --provider <provider>', 'billing platform the payload comes from')
        .choices(['maxio', 'chargebee'])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('-r, --resource <resource>', 'what the payload is')
        .choices([...RESOURCE_ORDER])
        .makeOptionMandatory(),
    )
    .option(
      '-s, --site <name>',
      'Maxio subdomain or Chargebee site name, for external ids (default: the canonical record\'s site, else "example")',
    )
    .option('--currency <code>', "the site's default currency", 'USD')
    .addOption(new Option('--region <region>', 'Maxio region').choices(['us', 'eu']))
    .addOption(
      new Option('--input <kind>', 'stdin holds a provider API payload or a canonical record')
        .choices(['provider', 'canonical'])
        .default('provider'),
    )
    .option('--no-price-book-entries', 'leave out Price Book Entries')
    .option('--no-opportunities', 'leave out the Opportunity a subscription came from')
    .option('--multi-currency', 'the org has multi-currency on')
    .addHelpText(
      'after',
      '\nExample:\n  curl -su "$KEY:x" https://acme.chargify.com/subscriptions/123.json \\\n' +
        '    | billing-bridge map --provider maxio --resource subscription --site acme\n',
    )
    .action(async (flags: MapFlags) => {
      if (flags.site !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(flags.site)) {
        throw new CliError('--site must be lower-case letters, digits and hyphens', 2);
      }
      if (!/^[A-Z]{3}$/.test(flags.currency)) {
        throw new CliError('--currency must be an ISO 4217 code such as USD', 2);
      }
      const text = (await readInput()).trim();
      if (!text) throw new CliError('no payload on stdin', 2);
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch (error) {
        throw new CliError(`stdin is not JSON: ${(error as Error).message}`, 2);
      }

      let records: CanonicalRecord[];
      let siteName = flags.site ?? 'example';
      if (flags.input === 'canonical') {
        records = toCanonicalRecords(payload, flags.resource);
        const recordSite = records[0]?.record.siteKey;
        if (flags.site === undefined && recordSite?.startsWith(`${flags.provider}:`)) {
          siteName = recordSite.slice(flags.provider.length + 1);
        }
      } else {
        const mapPayload = await loadPayloadMapper(flags.provider, ctx);
        let mapped: unknown;
        try {
          mapped = await mapPayload(flags.resource, payload, siteKeyOf(flags.provider, siteName));
        } catch (error) {
          throw new CliError(
            `the ${flags.provider} adapter could not read this ${flags.resource}: ${(error as Error).message}`,
          );
        }
        records = toCanonicalRecords(mapped, flags.resource);
      }
      const site: Site = {
        key: siteKeyOf(flags.provider, siteName),
        provider: flags.provider,
        name: siteName,
        defaultCurrency: flags.currency,
        ...(flags.provider === 'maxio' ? { region: flags.region ?? 'us' } : {}),
      };
      const options: MappingOptions = {
        priceBookEntries: flags.priceBookEntries,
        opportunities: flags.opportunities,
        multiCurrency: flags.multiCurrency === true,
      };
      let output: SalesforceRecord[];
      try {
        output = records.flatMap((record) => mapCanonical(record, { site, options }));
      } catch (error) {
        if (error instanceof MappingError) throw new CliError(`cannot map: ${error.message}`);
        throw error;
      }
      ctx.stdout(
        `${JSON.stringify({ site: site.key, resource: flags.resource, records: output.map(printable) }, null, 2)}\n`,
      );
    });
}

/** Registration for the command registry (bridge/src/cli/commands.ts). */
export const mapCliCommand: CliCommand = {
  name: 'map',
  register(program: Command, ctx: CliContext) {
    program.addCommand(mapCommand(ctx));
  },
};
