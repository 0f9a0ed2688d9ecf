/**
 * `billing-bridge emulate-salesforce`: the local Salesforce emulator (stand-ins/), built from this
 * package's metadata, until Ctrl-C. Prints what a bridge config needs to reach it. The client
 * secret printed is the emulator's own, made up at start; it opens nothing but this emulator.
 */
import { Option } from 'commander';
import { CliError } from './context.ts';
import type { CliCommand, CliContext } from './context.ts';
import { parsePort } from './options.ts';

interface EmulatorHandle {
  url: string;
  /** A session of the integration user, for a jsforce Connection without OAuth. */
  accessToken: string;
  clientId: string;
  clientSecret: string;
  integrationUsername: string;
  close(): Promise<void>;
}

export const emulateSalesforceCommand: CliCommand = {
  name: 'emulate-salesforce',
  register(program, ctx: CliContext) {
    program
      .command('emulate-salesforce')
      .description('run the local Salesforce emulator (REST, Bulk API 2.0, OAuth) until Ctrl-C')
      .addOption(new Option('--host <host>', 'interface to bind').default('127.0.0.1'))
      .addOption(
        new Option('-p, --port <port>', 'port (0 = any free port)').argParser(parsePort).default(0),
      )
      .option('--daily-limit <n>', 'daily API request limit', (v) => Number(v))
      .option('--json', 'print one JSON line when ready')
      .action(
        async (flags: { host: string; port: number; dailyLimit?: number; json?: boolean }) => {
          const specifier = new URL(
            '../../../stand-ins/salesforce-emulator/index.ts',
            import.meta.url,
          ).href;
          const mod = (await ctx.importModule(specifier)) as {
            startSalesforceEmulator?: (o: Record<string, unknown>) => Promise<EmulatorHandle>;
          };
          if (typeof mod.startSalesforceEmulator !== 'function') {
            throw new CliError(
              'stand-ins/salesforce-emulator does not export startSalesforceEmulator',
            );
          }
          const sf = await mod.startSalesforceEmulator({
            host: flags.host,
            port: flags.port,
            ...(flags.dailyLimit ? { dailyApiLimit: flags.dailyLimit } : {}),
          });
          const connection = {
            loginUrl: sf.url,
            instanceUrl: sf.url,
            clientId: sf.clientId,
            clientSecret: sf.clientSecret,
          };
          if (flags.json)
            ctx.stdout(
              `${JSON.stringify({ url: sf.url, accessToken: sf.accessToken, salesforce: connection })}\n`,
            );
          else {
            ctx.stdout(
              `Salesforce emulator listening on ${sf.url} (integration user ${sf.integrationUsername})\n` +
                `Access token (integration user): ${sf.accessToken}\n` +
                `Bridge config "salesforce" for it:\n${JSON.stringify(connection, null, 2)}\n`,
            );
          }
          await ctx.waitForShutdown();
          await sf.close();
        },
      );
  },
};
