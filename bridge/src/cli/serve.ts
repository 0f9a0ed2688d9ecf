/**
 * `billing-bridge serve`: the bridge as a service: webhook intake, the org API, the sync worker,
 * the event poller and the failure retrier, until SIGINT/SIGTERM (then it drains and exits).
 * `--no-worker` runs intake and the org API only (scale-out: workers elsewhere).
 */
import { loadConfig } from '../config/load.ts';
import { createLogger } from '../log.ts';
import { openRuntime } from '../runtime.ts';
import { startBridgeService } from '../service.ts';
import type { CliCommand, CliContext } from './context.ts';

export const serveCommand: CliCommand = {
  name: 'serve',
  register(program, ctx: CliContext) {
    program
      .command('serve')
      .description('run the bridge: webhooks, org API, sync worker, event poller, retries')
      .option('-c, --config <file>', 'config file (default: $BILLING_BRIDGE_CONFIG)')
      .option('--no-worker', 'do not sync in this process (intake and org API only)')
      .action(async (flags: { config?: string; worker: boolean }) => {
        const config = await loadConfig({
          env: ctx.env,
          cwd: ctx.cwd,
          ...(flags.config ? { path: flags.config } : {}),
        });
        const logger = createLogger({ name: 'billing-bridge', level: config.logLevel });
        const runtime = await openRuntime(config, { logger });
        const service = await startBridgeService({
          ...runtime,
          orgs: config.orgs,
          version: ctx.version,
          logger,
          mapping: { multiCurrency: config.sync.multiCurrency },
          host: config.server.host,
          port: config.server.port,
          worker: flags.worker,
          workerConcurrency: config.sync.workerConcurrency,
          pollIntervalMs: config.sync.pollIntervalSeconds * 1000,
          retryIntervalMs: config.sync.retryIntervalSeconds * 1000,
        });
        ctx.stdout(
          `billing-bridge ${ctx.version} listening on ${service.url}\n` +
            runtime.sites
              .map((s) => `  webhooks for ${s.site.key}: ${service.url}/webhooks/${s.site.key}\n`)
              .join('') +
            `  org API: ${service.url}/org/v1/openapi.json\n`,
        );
        const signal = await ctx.waitForShutdown();
        ctx.stdout(`${signal}: draining\n`);
        await service.close();
        await runtime.close();
      });
  },
};
