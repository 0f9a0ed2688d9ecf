/**
 * What a CLI command may touch. Commands get it injected, so tests run them in-process with
 * captured output, a fake simulator module and an immediate shutdown.
 */
import type { Command } from 'commander';

export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  version: string;
  /** Resolves with the signal name when the process is asked to stop (SIGINT/SIGTERM). */
  waitForShutdown: () => Promise<string>;
  /** Where secrets are read from (`sites add`); process.stdin when absent. */
  stdin?: NodeJS.ReadableStream;
  /** Dynamic import (so the CLI loads even when an optional module is missing). */
  importModule: (specifier: string) => Promise<unknown>;
}

/** A command module: one file under bridge/src/cli/, registered in commands.ts. */
export interface CliCommand {
  name: string;
  register: (program: Command, ctx: CliContext) => void;
}

/** An expected failure: printed as `billing-bridge: <message>` and exits with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function waitForSignal(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Promise<string> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, handler);
      resolve(signal);
    };
    for (const s of signals) process.on(s, handler);
  });
}

export function defaultContext(version: string): CliContext {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    version,
    waitForShutdown: () => waitForSignal(),
    importModule: (specifier) => import(specifier) as Promise<unknown>,
  };
}
