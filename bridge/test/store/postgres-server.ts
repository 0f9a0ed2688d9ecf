/**
 * A throwaway PostgreSQL server for tests: `BRIDGE_TEST_PG_URL` when set, otherwise a fresh
 * cluster from Debian's binaries (`/usr/lib/postgresql/<v>/bin`) in a temporary directory, on a
 * free port, stopped and removed afterwards. PostgreSQL refuses to run as root, so as root the
 * server runs as the `postgres` user (`runuser`). No binaries is a clear failure (`.ci/run`
 * installs Debian's `postgresql`), unless `BRIDGE_SKIP_PG=1` says to skip knowingly.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../stand-ins/common/net.ts';

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

function findBinDir(base = '/usr/lib/postgresql'): string | null {
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], 'bin');
  }
  return null;
}

/**
 * Why the Postgres tests are skipped, or `null` to run them: only when no server is given, no
 * binaries exist and `BRIDGE_SKIP_PG=1` (never by accident: without that variable they fail).
 */
export function postgresSkipReason(
  env: NodeJS.ProcessEnv = process.env,
  binRoot?: string,
): string | null {
  if (env.BRIDGE_TEST_PG_URL || findBinDir(binRoot)) return null;
  return env.BRIDGE_SKIP_PG === '1' ? 'no PostgreSQL binaries and BRIDGE_SKIP_PG=1' : null;
}

function binDir(): string {
  const found = findBinDir();
  if (found) return found;
  throw new Error(
    "PostgreSQL binaries not found in /usr/lib/postgresql/*/bin: install Debian's postgresql (.ci/run does), set BRIDGE_TEST_PG_URL, or set BRIDGE_SKIP_PG=1 to skip these tests knowingly",
  );
}

export async function startTestPostgres(): Promise<TestPostgres> {
  if (process.env.BRIDGE_TEST_PG_URL)
    return { url: process.env.BRIDGE_TEST_PG_URL, stop: async () => undefined };
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'bb-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    if (asRoot)
      execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' });
    else execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chmodSync(dir, 0o755);
    chownSync(dir, uid, gid);
  }
  run('initdb', ['-D', data, '-U', 'bridge', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    'start',
  ]);
  return {
    url: `postgres://bridge@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
