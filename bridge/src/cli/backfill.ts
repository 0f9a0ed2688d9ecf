/**
 * `billing-bridge backfill --site maxio:acme`: copy everything a site holds into Salesforce,
 * resource by resource, with a progress bar per resource. Resumes where a killed run stopped
 * unless `--restart`. Prints what was written and what failed (failures are in the Event Log).
 */
import { MultiBar, Presets } from 'cli-progress';
import { Option } from 'commander';
import { loadConfig } from '../config/load.ts';
import { createLogger } from '../log.ts';
import { RESOURCE_ORDER } from '../model/canonical.ts';
import type { ResourceType, SiteKey } from '../model/canonical.ts';
import { openRuntime } from '../runtime.ts';
import { SyncPipeline } from '../sync/pipeline.ts';
import type { SyncSummary } from '../sync/pipeline.ts';
import { backfillSite } from '../sync/backfill.ts';
import { CliError } from './context.ts';
import type { CliCommand, CliContext } from './context.ts';

interface BackfillFlags {
  site: string;
  config?: string;
  restart?: boolean;
  resource?: ResourceType[];
  progress: boolean;
}

export function formatSummary(summary: SyncSummary): string {
  const rows = Object.entries(summary.written).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(10, ...rows.map(([k]) => k.length));
  const lines = rows.map(([k, n]) => `  ${k.padEnd(width)} ${String(n).padStart(8)}`);
  const failed = Object.values(summary.failed).reduce((a, b) => a + b, 0);
  return (
    `Written to Salesforce:\n${lines.join('\n')}\n` +
    `Failed: ${failed} (in the Event Log, retried automatically)` +
    (summary.stale > 0 ? `; skipped as older than what Salesforce has: ${summary.stale}` : '') +
    '\n'
  );
}

export const backfillCommand: CliCommand = {
  name: 'backfill',
  register(program, ctx: CliContext) {
    program
      .command('backfill')
      .description('copy every record of a billing site into Salesforce (resumable)')
      .requiredOption('--site <key>', 'the site key, e.g. maxio:acme or chargebee:acme-test')
      .option('-c, --config <file>', 'config file (default: $BILLING_BRIDGE_CONFIG)')
      .option('--restart', 'start over instead of resuming')
      .addOption(
        new Option('--resource <resource...>', 'only these resources').choices([...RESOURCE_ORDER]),
      )
      .option('--no-progress', 'no progress bars (logs only)')
      .action(async (flags: BackfillFlags) => {
        const config = await loadConfig({
          env: ctx.env,
          cwd: ctx.cwd,
          ...(flags.config ? { path: flags.config } : {}),
        });
        const logger = createLogger({ name: 'billing-bridge', level: config.logLevel });
        const runtime = await openRuntime(config, { logger });
        try {
          const connected = runtime.sites.find((s) => s.site.key === flags.site);
          if (!connected) {
            throw new CliError(
              `${flags.site} is not connected; connected: ${runtime.sites.map((s) => s.site.key).join(', ')}`,
              2,
            );
          }
          const pipeline = new SyncPipeline({
            writer: runtime.writer,
            state: runtime.store,
            sites: new Map(
              runtime.sites.map((s) => [s.site.key, s.site] as [SiteKey, typeof s.site]),
            ),
            mapping: { multiCurrency: config.sync.multiCurrency },
            logger,
          });
          const bars = flags.progress
            ? new MultiBar(
                {
                  format: '{resource} |{bar}| {value} read, {written} written, {failed} failed',
                  hideCursor: true,
                  clearOnComplete: false,
                  stopOnComplete: false,
                },
                Presets.shades_classic,
              )
            : null;
          const perResource = new Map<string, ReturnType<MultiBar['create']>>();
          const summary = await backfillSite(connected.provider, pipeline, runtime.store, {
            ...(flags.resource ? { resources: flags.resource } : {}),
            ...(flags.restart ? { restart: true } : {}),
            onProgress: (p) => {
              const written = Object.values(p.summary.written).reduce((a, b) => a + b, 0);
              const failed = Object.values(p.summary.failed).reduce((a, b) => a + b, 0);
              if (bars) {
                let bar = perResource.get(p.resource);
                if (!bar) {
                  bar = bars.create(0, 0, { resource: p.resource.padEnd(13), written, failed });
                  perResource.set(p.resource, bar);
                }
                bar.setTotal(Math.max(p.read, 1));
                bar.update(p.read, { written, failed });
              } else if (p.done) {
                ctx.stdout(`${p.resource}: ${p.read} read, ${written} written, ${failed} failed\n`);
              }
            },
          });
          bars?.stop();
          ctx.stdout(formatSummary(summary));
        } finally {
          await runtime.close();
        }
      });
  },
};
