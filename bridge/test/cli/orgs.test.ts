import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/load.ts';
import { buildOrgApi } from '../../src/org-api/server.ts';
import { MemoryCreationLedger } from '../../src/org-api/ledger.ts';

const run = promisify(execFile);
const BIN = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'bin',
  'billing-bridge.js',
);
const ORG = '00Dxx0000001gPFEAY';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, BILLING_BRIDGE_CONFIG: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('orgs add issues a token the org API accepts; list hides it; remove revokes it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bb-orgs-'));
  const file = join(dir, 'bridge.json');
  try {
    const added = await cli(['orgs', 'add', '--org-id', ORG, '--config', file]);
    assert.equal(added.code, 0, added.stderr);
    const token = added.stdout.trim().split('\n').pop() ?? '';
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).orgs, [{ id: ORG, token }]);

    const listed = await cli(['orgs', 'list', '--config', file]);
    assert.equal(listed.stdout, `${ORG}\n`);
    assert.ok(!listed.stdout.includes(token));

    const again = await cli(['orgs', 'add', '--org-id', ORG, '--config', file]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already allowed/);

    const config = await loadConfig({ path: file, env: {} });
    const app = buildOrgApi({
      orgs: config.orgs,
      sites: [],
      ledger: new MemoryCreationLedger(),
      version: 't',
    });
    const ok = await app.inject({
      url: '/org/v1/health',
      headers: { 'x-billing-bridge-token': token },
    });
    assert.equal(ok.statusCode, 200);

    const removed = await cli(['orgs', 'remove', '--org-id', ORG, '--config', file]);
    assert.equal(removed.code, 0, removed.stderr);
    const reloaded = await loadConfig({ path: file, env: {} });
    const revoked = buildOrgApi({
      orgs: reloaded.orgs,
      sites: [],
      ledger: new MemoryCreationLedger(),
      version: 't',
    });
    const refused = await revoked.inject({
      url: '/org/v1/health',
      headers: { 'x-billing-bridge-token': token },
    });
    assert.equal(refused.statusCode, 401);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('orgs add rejects a malformed org id and a missing config path as usage errors', async () => {
  const bad = await cli([
    'orgs',
    'add',
    '--org-id',
    'not-an-org',
    '--config',
    join(tmpdir(), 'never-written.json'),
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /00D/);
  const noConfig = await cli(['orgs', 'list']);
  assert.equal(noConfig.code, 2);
  assert.match(noConfig.stderr, /--config/);
});
