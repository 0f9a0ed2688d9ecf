/**
 * `billing-bridge emulate-salesforce` in-process: it starts the real emulator, prints a URL and
 * an access token that jsforce can use while it runs, and stops on shutdown.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Connection } from 'jsforce';
import { main } from '../../src/cli.ts';
import type { CliContext } from '../../src/cli.ts';

async function run(args: string[], overrides: Partial<CliContext> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'billing-bridge', 'emulate-salesforce', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    waitForShutdown: async () => 'SIGTERM',
    ...overrides,
  });
  return { code, stdout: () => stdout, stderr: () => stderr };
}

describe('billing-bridge emulate-salesforce', () => {
  test('prints a URL and token that jsforce can query with, until shutdown', async () => {
    let output = '';
    let totalSize = -1;
    const { code } = await run(['--port', '0', '--json'], {
      stdout: (t) => (output += t),
      waitForShutdown: async () => {
        const info = JSON.parse(output) as { url: string; accessToken: string };
        const conn = new Connection({
          instanceUrl: info.url,
          accessToken: info.accessToken,
          version: '62.0',
        });
        totalSize = (await conn.query('SELECT Id FROM User')).totalSize;
        return 'SIGTERM';
      },
    });
    assert.equal(code, 0);
    assert.equal(totalSize, 2);
    const info = JSON.parse(output) as { url: string };
    await assert.rejects(
      fetch(`${info.url}/services/data`),
      'the emulator is closed after shutdown',
    );
  });

  test('the human output names the URL, token and client credentials', async () => {
    const result = await run(['--port', '0']);
    assert.equal(result.code, 0);
    assert.match(result.stdout(), /Salesforce emulator listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(result.stdout(), /Access token \(integration user\): \S+!\S+/);
    assert.match(result.stdout(), /"clientId": "billing-bridge-emulator"/);
  });
});
