import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli.ts';
import type { CliContext } from '../../src/cli.ts';
import type { SimulatorOptions } from '../../src/cli/simulate.ts';
import { FaultInjector } from '../../../stand-ins/common/faults.ts';

const BIN = fileURLToPath(new URL('../../bin/billing-bridge.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Run main() in-process with captured output and a fake simulator module. */
async function runInProcess(args: string[], overrides: Partial<CliContext> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'billing-bridge', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    waitForShutdown: async () => 'SIGTERM',
    ...overrides,
  });
  return { code, stdout, stderr };
}

function fakeSimulator(exportName: string) {
  const calls: SimulatorOptions[] = [];
  let closed = 0;
  const importModule = async (specifier: string) => {
    assert.match(specifier, /stand-ins\/(maxio|chargebee)-simulator\/index\.ts$/);
    return {
      [exportName]: async (options: SimulatorOptions) => {
        calls.push(options);
        return {
          url: 'http://127.0.0.1:4010',
          site: options.site ?? 'acme',
          faults: new FaultInjector(),
          webhooks: null,
          close: async () => {
            closed++;
          },
        };
      },
    };
  };
  return { calls, importModule, closed: () => closed };
}

describe('billing-bridge CLI (spawned)', () => {
  it('--help lists the commands and exits 0', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Usage: billing-bridge/);
    assert.match(run.stdout, /simulate \[options\] <provider>/);
    assert.match(run.stdout, /BILLING_BRIDGE_CONFIG/);
  });

  it('--version prints the package version', async () => {
    const run = await runCli(['--version']);
    assert.equal(run.code, 0);
    assert.match(run.stdout.trim(), /^\d+\.\d+\.\d+/);
  });

  it('simulate --help documents the flags', async () => {
    const run = await runCli(['simulate', '--help']);
    assert.equal(run.code, 0);
    for (const flag of [
      '--port',
      '--seed',
      '--scale',
      '--api-key',
      '--site',
      '--webhook-url',
      '--webhook-secret',
      '--webhook-user',
      '--webhook-password',
    ]) {
      assert.ok(run.stdout.includes(flag), `${flag} not in help`);
    }
  });

  it('simulate with a bogus provider exits non-zero and names the choices', async () => {
    const run = await runCli(['simulate', 'stripe', '--port', '0']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /'stripe' is invalid/);
    assert.match(run.stderr, /maxio, chargebee/);
  });

  it('an unknown command and a bad port are usage errors (exit 2)', async () => {
    const unknown = await runCli(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
    const port = await runCli(['simulate', 'maxio', '--port', '99999']);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /port number/);
  });

  it('config show prints the effective config with secrets masked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bb-cli-'));
    const path = join(dir, 'bridge.json');
    await writeFile(
      path,
      JSON.stringify({ sites: [{ provider: 'maxio', name: 'acme', apiKey: 'file-key' }] }),
    );
    const run = await runCli(['config', 'show'], {
      BILLING_BRIDGE_CONFIG: path,
      BILLING_BRIDGE_SITE_MAXIO_ACME_WEBHOOK_SECRET: 'env-shared-key',
    });
    assert.equal(run.code, 0, run.stderr);
    const shown = JSON.parse(run.stdout) as {
      sites: { apiKey: string; webhook: { secret: string } }[];
    };
    assert.equal(shown.sites[0]?.apiKey, '********');
    assert.equal(shown.sites[0]?.webhook.secret, '********');
    assert.ok(!run.stdout.includes('file-key') && !run.stdout.includes('env-shared-key'));
  });

  it('config check fails clearly on an invalid config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bb-cli-'));
    const path = join(dir, 'bridge.json');
    await writeFile(
      path,
      JSON.stringify({ sites: [{ provider: 'maxio', name: 'a b', apiKey: 'secret-value' }] }),
    );
    const run = await runCli(['config', 'check', '--config', path]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /ConfigurationError: Invalid config/);
    assert.match(run.stderr, /sites\.0\.name/);
    assert.ok(!run.stderr.includes('secret-value'));
  });

  for (const provider of ['maxio', 'chargebee'] as const) {
    const module = join(ROOT, `stand-ins/${provider}-simulator/index.ts`);
    it(
      `simulate ${provider} serves until SIGTERM`,
      { skip: !existsSync(module) && `${module} not written yet`, timeout: 60_000 },
      async () => {
        const child = spawn(
          process.execPath,
          [BIN, 'simulate', provider, '--port', '0', '--seed', '3', '--site', 'clitest', '--json'],
          {
            cwd: ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const ready = await new Promise<{ url: string; site: string }>((resolve, reject) => {
          let buffer = '';
          child.stdout.on('data', (d: Buffer) => {
            buffer += d.toString();
            const line = buffer.split('\n')[0];
            if (buffer.includes('\n') && line)
              resolve(JSON.parse(line) as { url: string; site: string });
          });
          child.on('close', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
        });
        assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+/);
        assert.equal(ready.site, 'clitest');
        const response = await fetch(ready.url, { method: 'GET' });
        assert.ok(response.status > 0);
        const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
        child.kill('SIGTERM');
        assert.equal(await closed, 0, stderr);
      },
    );
  }
});

describe('billing-bridge simulate (in-process)', () => {
  it('passes the flags to the simulator, prints URL and site, closes on shutdown', async () => {
    const fake = fakeSimulator('startMaxioSimulator');
    const run = await runInProcess(
      [
        'simulate',
        'maxio',
        '--port',
        '4010',
        '--seed',
        '7',
        '--scale',
        '2.5',
        '--site',
        'acme',
        '--api-key',
        'k-secret-1',
        '--webhook-url',
        'http://127.0.0.1:8787/webhooks/maxio:acme',
        '--webhook-secret',
        'shh',
      ],
      { importModule: fake.importModule },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fake.calls, [
      {
        host: '127.0.0.1',
        port: 4010,
        seed: 7,
        scale: 2.5,
        site: 'acme',
        apiKey: 'k-secret-1',
        webhook: { url: 'http://127.0.0.1:8787/webhooks/maxio:acme', secret: 'shh' },
      },
    ]);
    assert.equal(fake.closed(), 1);
    assert.match(run.stdout, /listening on http:\/\/127\.0\.0\.1:4010/);
    assert.match(run.stdout, /site: +acme/);
    assert.ok(
      !run.stdout.includes('k-secret-1') && !run.stdout.includes('shh'),
      'a secret was printed',
    );
  });

  it('chargebee takes Basic auth webhook credentials', async () => {
    const fake = fakeSimulator('startChargebeeSimulator');
    const run = await runInProcess(
      [
        'simulate',
        'chargebee',
        '--webhook-url',
        'http://127.0.0.1:1/h',
        '--webhook-user',
        'u',
        '--webhook-password',
        'p',
        '--json',
      ],
      { importModule: fake.importModule },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fake.calls[0]?.webhook, {
      url: 'http://127.0.0.1:1/h',
      username: 'u',
      password: 'p',
    });
    assert.deepEqual(JSON.parse(run.stdout), {
      provider: 'chargebee',
      url: 'http://127.0.0.1:4010',
      site: 'acme',
    });
  });

  const misuse: [string, string[], RegExp][] = [
    [
      'maxio with Basic auth',
      ['maxio', '--webhook-url', 'http://x/', '--webhook-user', 'u', '--webhook-password', 'p'],
      /use --webhook-secret/,
    ],
    ['maxio without a secret', ['maxio', '--webhook-url', 'http://x/'], /need --webhook-secret/],
    [
      'chargebee with a secret',
      ['chargebee', '--webhook-url', 'http://x/', '--webhook-secret', 's'],
      /Basic auth/,
    ],
    [
      'chargebee user without password',
      ['chargebee', '--webhook-url', 'http://x/', '--webhook-user', 'u'],
      /go together/,
    ],
    ['credentials without a URL', ['maxio', '--webhook-secret', 's'], /need --webhook-url/],
    ['a bad site name', ['maxio', '--site', 'a b'], /--site must be/],
  ];
  for (const [label, args, message] of misuse) {
    it(`refuses ${label} (exit 2) without starting anything`, async () => {
      const fake = fakeSimulator('startMaxioSimulator');
      const run = await runInProcess(['simulate', ...args], { importModule: fake.importModule });
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.equal(fake.calls.length, 0);
    });
  }

  it('a simulator that cannot start is a clear error with a hint', async () => {
    const run = await runInProcess(['simulate', 'chargebee', '--port', '4020'], {
      importModule: async () => ({
        startChargebeeSimulator: async () => {
          throw Object.assign(
            new Error('listen EADDRINUSE: address already in use 127.0.0.1:4020'),
            {
              code: 'EADDRINUSE',
            },
          );
        },
      }),
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /chargebee simulator did not start: listen EADDRINUSE/);
    assert.match(run.stderr, /port 4020 is in use; try --port 0/);
  });

  it('a simulator module without the expected export is a clear error', async () => {
    const run = await runInProcess(['simulate', 'maxio'], { importModule: async () => ({}) });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /does not export startMaxioSimulator\(\)/);
  });
});
