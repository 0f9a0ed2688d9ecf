/**
 * Every `billing-bridge` command, in help order. A new command is one file under
 * bridge/src/cli/ exporting a `CliCommand`, plus one line here.
 */
import { configCommand } from './config.ts';
import type { CliCommand } from './context.ts';
import { mapCliCommand } from './map.ts';
import { orgsCommand } from './orgs.ts';
import { simulateCommand } from './simulate.ts';
import { sitesCommand } from './sites.ts';

export const COMMANDS: readonly CliCommand[] = [
  simulateCommand,
  mapCliCommand,
  sitesCommand,
  orgsCommand,
  configCommand,
];
