/**
 * `billing-bridge simulate maxio|chargebee`: run a billing simulator on 127.0.0.1 until SIGINT
 * or SIGTERM. The simulator modules are imported only here, when the command runs.
 */
import { Argument, Option } from 'commander';
import type { Command } from 'commander';
import type { FaultInjector } from '../../../stand-ins/common/faults.ts';
import type { WebhookEmitter } from '../../../stand-ins/common/webhooks.ts';
import { CliError } from './context.ts';
import type { CliCommand, CliContext } from './context.ts';
import { parseNonNegativeInt, parsePort, parsePositiveNumber, parseUrl } from './options.ts';

export type SimulatedProvider = 'maxio' | 'chargebee';

/** The options both simulators take (conventions: "Simulators export"). */
export interface SimulatorOptions {
  host?: string;
  port?: number;
  seed?: number;
  scale?: number;
  apiKey?: string;
  site?: string;
  webhook?: { url: string; secret?: string; username?: string; password?: string };
  logger?: boolean;
}

export interface RunningSimulator {
  url: string;
  site: string;
  faults: FaultInjector;
  webhooks: WebhookEmitter | null;
  close(): Promise<void>;
}

export type StartSimulator = (options: SimulatorOptions) => Promise<RunningSimulator>;

const MODULES: Record<SimulatedProvider, { path: string; exportName: string; label: string }> = {
  maxio: {
    path: '../../../stand-ins/maxio-simulator/index.ts',
    exportName: 'startMaxioSimulator',
    label: 'Maxio Advanced Billing',
  },
  chargebee: {
    path: '../../../stand-ins/chargebee-simulator/index.ts',
    exportName: 'startChargebeeSimulator',
    label: 'Chargebee',
  },
};

export async function loadSimulator(
  provider: SimulatedProvider,
  ctx: CliContext,
): Promise<StartSimulator> {
  const { path, exportName } = MODULES[provider];
  const specifier = new URL(path, import.meta.url).href;
  let mod: unknown;
  try {
    mod = await ctx.importModule(specifier);
  } catch (error) {
    throw new CliError(
      `The ${provider} simulator could not be loaded (stand-ins/${provider}-simulator/index.ts): ${(error as Error).message}`,
    );
  }
  const start = (mod as Record<string, unknown> | null)?.[exportName];
  if (typeof start !== 'function') {
    throw new CliError(`stand-ins/${provider}-simulator/index.ts does not export ${exportName}()`);
  }
  return start as StartSimulator;
}

interface SimulateFlags {
  host: string;
  port: number;
  seed: number;
  scale?: number;
  apiKey?: string;
  site?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  webhookUser?: string;
  webhookPassword?: string;
  json?: boolean;
  log?: boolean;
}

/** Check the flag combinations commander cannot express, then build the simulator options. */
export function simulatorOptions(
  provider: SimulatedProvider,
  flags: SimulateFlags,
): SimulatorOptions {
  const options: SimulatorOptions = { host: flags.host, port: flags.port, seed: flags.seed };
  if (flags.scale !== undefined) options.scale = flags.scale;
  if (flags.apiKey !== undefined) {
    if (flags.apiKey === '') throw new CliError('--api-key must not be empty', 2);
    options.apiKey = flags.apiKey;
  }
  if (flags.site !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(flags.site)) {
      throw new CliError(
        '--site must be letters, digits and hyphens (a subdomain or site name)',
        2,
      );
    }
    options.site = flags.site;
  }
  if (flags.log) options.logger = true;
  const hasSecret = flags.webhookSecret !== undefined;
  const hasBasic = flags.webhookUser !== undefined || flags.webhookPassword !== undefined;
  if (!flags.webhookUrl) {
    if (hasSecret || hasBasic) {
      throw new CliError(
        '--webhook-secret/--webhook-user/--webhook-password need --webhook-url',
        2,
      );
    }
    return options;
  }
  if (provider === 'maxio') {
    if (hasBasic) {
      throw new CliError(
        'Maxio signs webhooks with a shared key: use --webhook-secret, not --webhook-user/--webhook-password',
        2,
      );
    }
    if (!hasSecret)
      throw new CliError('Maxio webhooks need --webhook-secret (the site shared key)', 2);
    options.webhook = { url: flags.webhookUrl, secret: flags.webhookSecret as string };
    return options;
  }
  if (hasSecret) {
    throw new CliError(
      'Chargebee protects webhooks with Basic auth: use --webhook-user and --webhook-password, not --webhook-secret',
      2,
    );
  }
  if ((flags.webhookUser === undefined) !== (flags.webhookPassword === undefined)) {
    throw new CliError('--webhook-user and --webhook-password go together', 2);
  }
  options.webhook = { url: flags.webhookUrl };
  if (flags.webhookUser !== undefined) options.webhook.username = flags.webhookUser;
  if (flags.webhookPassword !== undefined) options.webhook.password = flags.webhookPassword;
  return options;
}

export const simulateCommand: CliCommand = {
  name: 'simulate',
  register(program: Command, ctx: CliContext) {
    program
      .command('simulate')
      .description('run a local Maxio or Chargebee simulator (seeded data, real HTTP) until Ctrl-C')
      .addArgument(new Argument('<provider>', 'which billing API').choices(['maxio', 'chargebee']))
      .addOption(new Option('--host <host>', 'interface to bind').default('127.0.0.1'))
      .addOption(
        new Option('-p, --port <port>', 'port to listen on (0 = any free port)')
          .argParser(parsePort)
          .default(0),
      )
      .addOption(
        new Option('-s, --seed <n>', 'seed of the generated data')
          .argParser(parseNonNegativeInt)
          .default(1),
      )
      .addOption(new Option('--scale <n>', 'data volume multiplier').argParser(parsePositiveNumber))
      .addOption(
        new Option('--api-key <key>', 'the only API key accepted (default: any non-empty key)'),
      )
      .addOption(new Option('--site <name>', 'Maxio subdomain / Chargebee site name'))
      .addOption(new Option('--webhook-url <url>', 'where to send webhooks').argParser(parseUrl))
      .addOption(new Option('--webhook-secret <key>', 'Maxio: webhook shared key (HMAC-SHA256)'))
      .addOption(new Option('--webhook-user <user>', 'Chargebee: webhook Basic auth user'))
      .addOption(
        new Option('--webhook-password <password>', 'Chargebee: webhook Basic auth password'),
      )
      .addOption(new Option('--json', 'print one JSON line {provider,url,site} when ready'))
      .addOption(new Option('--log', "print the simulator's request log"))
      .addHelpText(
        'after',
        '\nExamples:\n  billing-bridge simulate maxio --port 4010 --seed 7 --site acme\n  billing-bridge simulate chargebee --port 4020 --webhook-url http://127.0.0.1:8787/webhooks/chargebee:acme-test --webhook-user cb --webhook-password s3cret',
      )
      .action(async (provider: SimulatedProvider, flags: SimulateFlags) => {
        const options = simulatorOptions(provider, flags);
        const start = await loadSimulator(provider, ctx);
        let sim: RunningSimulator;
        try {
          sim = await start(options);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const hint =
            code === 'EADDRINUSE'
              ? ` (port ${options.port} is in use; try --port 0 for any free port)`
              : '';
          throw new CliError(
            `The ${provider} simulator did not start: ${(error as Error).message}${hint}`,
          );
        }
        const { label } = MODULES[provider];
        if (flags.json) {
          ctx.stdout(`${JSON.stringify({ provider, url: sim.url, site: sim.site })}\n`);
        } else {
          ctx.stdout(`${label} simulator listening on ${sim.url}\n`);
          ctx.stdout(`  site:     ${sim.site}\n`);
          ctx.stdout(
            `  seed:     ${options.seed}${options.scale ? `, scale ${options.scale}` : ''}\n`,
          );
          ctx.stdout(
            `  API key:  ${options.apiKey ? 'only the one given with --api-key' : 'any non-empty key (none → 401)'}\n`,
          );
          ctx.stdout(`  webhooks: ${options.webhook ? options.webhook.url : 'off'}\n`);
          ctx.stdout('Press Ctrl-C to stop.\n');
        }
        const signal = await ctx.waitForShutdown();
        if (!flags.json) ctx.stdout(`\n${signal}: stopping the ${provider} simulator…\n`);
        await sim.close();
      });
  },
};
