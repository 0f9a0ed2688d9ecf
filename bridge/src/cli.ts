/**
 * The product CLI, `billing-bridge`. `main(argv)` builds the commander program from the
 * command registry (bridge/src/cli/commands.ts) and returns the exit code; bridge/bin runs it.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { BillingBridgeError } from './errors.ts';
import { COMMANDS } from './cli/commands.ts';
import { CliError, defaultContext } from './cli/context.ts';
import type { CliCommand, CliContext } from './cli/context.ts';

export type { CliCommand, CliContext };

export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

export function createProgram(
  ctx: CliContext,
  commands: readonly CliCommand[] = COMMANDS,
): Command {
  const program = new Command('billing-bridge')
    .description(
      'Maxio Advanced Billing and Chargebee ⇄ Salesforce bridge: simulators, sync and the org API.\n' +
        'Configuration: a JSON file named by $BILLING_BRIDGE_CONFIG, overridden by environment variables.',
    )
    .version(ctx.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout(text),
      writeErr: (text) => ctx.stderr(text),
    });
  for (const command of commands) command.register(program, ctx);
  // Every (nested) sub-command writes through ctx and throws instead of exiting.
  const wire = (command: Command) => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput({
        writeOut: (text) => ctx.stdout(text),
        writeErr: (text) => ctx.stderr(text),
      });
      wire(sub);
    }
  };
  wire(program);
  return program;
}

/** Run the CLI; resolves with the process exit code. `argv` as in `process.argv`. */
export async function main(
  argv: string[] = process.argv,
  context?: Partial<CliContext>,
): Promise<number> {
  const ctx: CliContext = { ...defaultContext(context?.version ?? packageVersion()), ...context };
  const program = createProgram(ctx);
  if (argv.length <= 2) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version arrive here with exit code 0; usage errors (already printed) exit 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      ctx.stderr(`billing-bridge: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof BillingBridgeError) {
      ctx.stderr(`billing-bridge: ${error.name}: ${error.message}\n`);
      return 1;
    }
    ctx.stderr(
      `billing-bridge: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
