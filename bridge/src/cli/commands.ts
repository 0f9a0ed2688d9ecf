/**
 * Every `billing-bridge` command, in help order. A new command is one file under
 * bridge/src/cli/ exporting a `CliCommand`, plus one line here.
 */
import { backfillCommand } from './backfill.ts';
import { configCommand } from './config.ts';
import type { CliCommand } from './context.ts';
import { emulateSalesforceCommand } from './emulate-salesforce.ts';
import { mapCliCommand } from './map.ts';
import { orgsCommand } from './orgs.ts';
import { serveCommand } from './serve.ts';
import { simulateCommand } from './simulate.ts';
import { sitesCommand } from './sites.ts';

export const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  backfillCommand,
  simulateCommand,
  emulateSalesforceCommand,
  mapCliCommand,
  sitesCommand,
  orgsCommand,
  configCommand,
];
