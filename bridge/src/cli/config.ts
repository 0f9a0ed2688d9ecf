/** `billing-bridge config show|check`: the effective configuration, secrets masked. */
import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import { toSafeJSON } from '../config/safe.ts';
import type { CliCommand, CliContext } from './context.ts';

export const configCommand: CliCommand = {
  name: 'config',
  register(program: Command, ctx: CliContext) {
    const config = program
      .command('config')
      .description('inspect the configuration (file from $BILLING_BRIDGE_CONFIG plus environment)');
    const load = (flags: { config?: string }) =>
      loadConfig({ env: ctx.env, cwd: ctx.cwd, ...(flags.config ? { path: flags.config } : {}) });
    config
      .command('show')
      .description('print the effective configuration as JSON, secrets masked')
      .option('-c, --config <file>', 'config file (default: $BILLING_BRIDGE_CONFIG)')
      .action(async (flags: { config?: string }) => {
        const loaded = await load(flags);
        ctx.stdout(`${JSON.stringify(toSafeJSON(loaded), null, 2)}\n`);
      });
    config
      .command('check')
      .description('validate the configuration; exit 1 with the problems if invalid')
      .option('-c, --config <file>', 'config file (default: $BILLING_BRIDGE_CONFIG)')
      .action(async (flags: { config?: string }) => {
        const loaded = await load(flags);
        ctx.stdout(
          `Configuration OK: ${loaded.sites.length} site(s)${loaded.salesforce ? ', Salesforce connection set' : ''}, data in ${loaded.dataDir}\n`,
        );
      });
  },
};
