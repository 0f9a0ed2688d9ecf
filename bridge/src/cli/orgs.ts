/**
 * `billing-bridge orgs add|list|remove`: which Salesforce orgs may call the org API. `add` issues
 * a random per-org token, stores it in the config file (created 0600 if absent) and prints it once,
 * for the admin to enter on the package's Billing Bridge external credential. `list` never prints
 * tokens.
 */
import { randomBytes } from 'node:crypto';
import { orgSchema } from '../config/schema.ts';
import { CONFIG_ENV } from '../config/load.ts';
import { configPath, readRawConfig, writeRawConfig } from './config-file.ts';
import { CliError, type CliCommand } from './context.ts';

interface OrgEntry {
  id: string;
  token: string;
}

type RawConfig = Record<string, unknown> & { orgs?: OrgEntry[] };

const readRaw = (path: string) => readRawConfig(path, 'orgs') as Promise<RawConfig>;
const writeRaw = writeRawConfig;

/** 15-character org ids are compared by their 18-character-insensitive 15-character prefix. */
const sameOrg = (a: string, b: string): boolean => a.slice(0, 15) === b.slice(0, 15);

export const orgsCommand: CliCommand = {
  name: 'orgs',
  register(program, ctx) {
    const orgs = program
      .command('orgs')
      .description('the Salesforce orgs allowed to call the org API');
    orgs
      .command('add')
      .description('allow an org: issue its token (printed once) and save it in the config file')
      .requiredOption('--org-id <id>', 'the Salesforce org id (00D…)')
      .option('-c, --config <file>', `config file (default: $${CONFIG_ENV})`)
      .action(async (flags: { orgId: string; config?: string }) => {
        const path = configPath(ctx, flags.config);
        const raw = await readRaw(path);
        const entry = { id: flags.orgId, token: randomBytes(32).toString('base64url') };
        const checked = orgSchema.safeParse(entry);
        if (!checked.success)
          throw new CliError(`--org-id: ${checked.error.issues[0]?.message ?? 'invalid'}`, 2);
        const list = raw.orgs ?? [];
        if (list.some((org) => sameOrg(org.id, entry.id))) {
          throw new CliError(
            `Org ${entry.id} is already allowed. Remove it first to issue a new token.`,
          );
        }
        await writeRaw(path, { ...raw, orgs: [...list, entry] });
        ctx.stdout(
          `Org ${entry.id} may now call the org API.\n` +
            `Token (shown once; enter it on the Billing Bridge external credential's Org Token principal as OrgToken):\n` +
            `${entry.token}\n`,
        );
      });
    orgs
      .command('list')
      .description('list the allowed orgs (tokens are never shown)')
      .option('-c, --config <file>', `config file (default: $${CONFIG_ENV})`)
      .action(async (flags: { config?: string }) => {
        const raw = await readRaw(configPath(ctx, flags.config));
        const list = raw.orgs ?? [];
        ctx.stdout(
          list.length === 0
            ? 'No org is allowed yet: billing-bridge orgs add --org-id 00D…\n'
            : list.map((org) => `${org.id}\n`).join(''),
        );
      });
    orgs
      .command('remove')
      .description(
        'revoke an org: its token stops working when the bridge reloads its configuration',
      )
      .requiredOption('--org-id <id>', 'the Salesforce org id (00D…)')
      .option('-c, --config <file>', `config file (default: $${CONFIG_ENV})`)
      .action(async (flags: { orgId: string; config?: string }) => {
        const path = configPath(ctx, flags.config);
        const raw = await readRaw(path);
        const list = raw.orgs ?? [];
        const kept = list.filter((org) => !sameOrg(org.id, flags.orgId));
        if (kept.length === list.length)
          throw new CliError(`Org ${flags.orgId} is not in ${path}.`);
        await writeRaw(path, { ...raw, orgs: kept });
        ctx.stdout(`Org ${flags.orgId} removed.\n`);
      });
  },
};
