/**
 * The config file as the `orgs` and `sites` commands edit it: raw JSON (defaults not applied, so
 * nothing is written back that the admin did not write), created and kept at mode 0600 because it
 * holds secrets.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CONFIG_ENV } from '../config/load.ts';
import { CliError } from './context.ts';
import type { CliContext } from './context.ts';

export type RawConfig = Record<string, unknown>;

export function configPath(ctx: CliContext, flag?: string): string {
  const path = flag ?? ctx.env[CONFIG_ENV];
  if (!path) throw new CliError(`Name the config file with --config or $${CONFIG_ENV}.`, 2);
  return resolve(ctx.cwd, path);
}

export async function readRawConfig(path: string, what: string): Promise<RawConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as RawConfig;
  } catch {
    throw new CliError(`${path} is not a JSON object; fix it before changing ${what}.`);
  }
}

export async function writeRawConfig(path: string, raw: RawConfig): Promise<void> {
  await writeFile(path, `${JSON.stringify(raw, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
}
