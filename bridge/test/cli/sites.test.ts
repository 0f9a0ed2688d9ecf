/**
 * `billing-bridge sites`: keys come from stdin, land in the 0600 config file that loadConfig
 * accepts, and are never printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.ts';

const BIN = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'bin',
  'billing-bridge.js',
);

function cli(
  args: string[],
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, BILLING_BRIDGE_CONFIG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

test('sites add reads secrets from stdin; list hides them; the config loads; remove disconnects', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bb-sites-'));
  const file = join(dir, 'bridge.json');
  const maxioKey = 'maxio-key-0123456789abcdef';
  const maxioShared = 'maxio-shared-key-xyz';
  const cbKey = 'test_abcdefghijklmnopqrstuvwxyz012345';
  try {
    const maxio = await cli(
      [
        'sites',
        'add',
        '--provider',
        'maxio',
        '--name',
        'acme',
        '--with-webhook-secret',
        '--config',
        file,
      ],
      `${maxioKey}\n${maxioShared}\n`,
    );
    assert.equal(maxio.code, 0, maxio.stderr);
    assert.match(maxio.stdout, /maxio:acme connected/);
    assert.match(maxio.stdout, /\/webhooks\/maxio:acme/);
    const cb = await cli(
      [
        'sites',
        'add',
        '--provider',
        'chargebee',
        '--name',
        'acme-test',
        '--webhook-user',
        'cbhook',
        '--base-url',
        'http://127.0.0.1:4020/api/v2',
        '--config',
        file,
      ],
      `${cbKey}\ncb-hook-password\n`,
    );
    assert.equal(cb.code, 0, cb.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const config = await loadConfig({ path: file, env: {} });
    assert.deepEqual(
      config.sites.map((s) => [s.provider, s.name, s.apiKey, s.webhook]),
      [
        ['maxio', 'acme', maxioKey, { secret: maxioShared }],
        ['chargebee', 'acme-test', cbKey, { username: 'cbhook', password: 'cb-hook-password' }],
      ],
    );

    const listed = await cli(['sites', 'list', '--config', file]);
    assert.equal(listed.stdout, 'maxio:acme\nchargebee:acme-test  http://127.0.0.1:4020/api/v2\n');
    for (const secret of [maxioKey, maxioShared, cbKey, 'cb-hook-password']) {
      assert.ok(
        !(maxio.stdout + cb.stdout + listed.stdout).includes(secret),
        'a secret was printed',
      );
    }

    const dup = await cli(
      ['sites', 'add', '--provider', 'maxio', '--name', 'acme', '--config', file],
      'k\n',
    );
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already connected/);

    const noKey = await cli(
      ['sites', 'add', '--provider', 'maxio', '--name', 'other', '--config', file],
      '',
    );
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /API key on standard input/);

    const wrongAuth = await cli(
      [
        'sites',
        'add',
        '--provider',
        'maxio',
        '--name',
        'other',
        '--webhook-user',
        'u',
        '--config',
        file,
      ],
      'k\np\n',
    );
    assert.equal(wrongAuth.code, 2);
    assert.match(wrongAuth.stderr, /shared key/);

    const removed = await cli(['sites', 'remove', '--site', 'maxio:acme', '--config', file]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(
      JSON.parse(readFileSync(file, 'utf8')).sites.map((s: { name: string }) => s.name),
      ['acme-test'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
