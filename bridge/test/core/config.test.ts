import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../src/errors.ts';
import {
  MASKED,
  loadConfig,
  parseConfig,
  siteEnvPrefix,
  toSafeJSON,
} from '../../src/config/index.ts';

async function tempConfig(content: unknown): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'bb-config-'));
  const path = join(dir, 'bridge.json');
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return { dir, path };
}

const FILE = {
  dataDir: 'data',
  sites: [
    {
      provider: 'maxio',
      name: 'acme',
      apiKey: 'file-maxio-key',
      webhook: { secret: 'file-shared' },
    },
    { provider: 'chargebee', name: 'acme-test', apiKey: 'from-env-please' },
  ],
  salesforce: { loginUrl: 'https://test.salesforce.com', clientId: 'cid' },
};

describe('bridge config', () => {
  it('applies defaults to an empty config', () => {
    const config = parseConfig({});
    assert.equal(config.dataDir, '.billing-bridge');
    assert.deepEqual(config.server, { host: '127.0.0.1', port: 8787 });
    assert.equal(config.logLevel, 'info');
    assert.deepEqual(config.sites, []);
    assert.deepEqual(config.orgs, []);
    assert.equal(config.salesforce, undefined);
  });

  it('loads the file named by BILLING_BRIDGE_CONFIG, then environment overrides', async () => {
    const { dir } = await tempConfig(FILE);
    const config = await loadConfig({
      cwd: dir,
      env: {
        BILLING_BRIDGE_CONFIG: 'bridge.json',
        BILLING_BRIDGE_PORT: '9090',
        BILLING_BRIDGE_SITE_CHARGEBEE_ACME_TEST_API_KEY: 'env-cb-key',
        BILLING_BRIDGE_SITE_CHARGEBEE_ACME_TEST_WEBHOOK_USERNAME: 'hook',
        BILLING_BRIDGE_SITE_CHARGEBEE_ACME_TEST_WEBHOOK_PASSWORD: 'env-hook-pw',
        SALESFORCE_CLIENT_SECRET: 'env-sf-secret',
      },
    });
    assert.equal(config.dataDir, join(dir, 'data'), 'dataDir resolved against cwd');
    assert.equal(config.server.port, 9090);
    assert.equal(config.sites[0]?.apiKey, 'file-maxio-key');
    assert.equal(config.sites[0]?.region, 'us');
    assert.equal(config.sites[0]?.defaultCurrency, 'USD');
    assert.equal(config.sites[1]?.apiKey, 'env-cb-key');
    assert.deepEqual(config.sites[1]?.webhook, { username: 'hook', password: 'env-hook-pw' });
    assert.equal(config.salesforce?.clientSecret, 'env-sf-secret');
    assert.equal(config.salesforce?.clientId, 'cid');
    assert.equal(config.salesforce?.apiVersion, '62.0');
  });

  it('works from the environment alone', async () => {
    const config = await loadConfig({ env: { BILLING_BRIDGE_DATA_DIR: '/var/lib/bb' }, cwd: '/' });
    assert.equal(config.dataDir, '/var/lib/bb');
  });

  it('siteEnvPrefix upper-cases and replaces non-alphanumerics', () => {
    assert.equal(
      siteEnvPrefix('chargebee', 'acme-test'),
      'BILLING_BRIDGE_SITE_CHARGEBEE_ACME_TEST_',
    );
  });

  it('reports every invalid field by path, without echoing secrets', () => {
    assert.throws(
      () =>
        parseConfig({
          server: { port: 70000 },
          sites: [
            { provider: 'stripe', name: 'x', apiKey: 'sk_live_leakme' },
            {
              provider: 'maxio',
              name: 'acme',
              apiKey: 'k',
              webhook: { username: 'u', password: 'pw-leak' },
            },
            { provider: 'chargebee', name: 'c', apiKey: 'k', webhook: { secret: 'shared-leak' } },
            { provider: 'maxio', name: 'acme', apiKey: '' },
          ],
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigurationError);
        assert.equal(error.code, 'config_invalid');
        for (const [path, message] of [
          ['server.port', 'Too big'],
          ['sites.0.provider', 'expected one of "maxio"|"chargebee"'],
          ['sites.1.webhook', 'Maxio webhooks are signed with a shared key'],
          ['sites.2.webhook.secret', 'Chargebee webhooks use Basic auth'],
          ['sites.3.apiKey', 'apiKey is required'],
        ]) {
          assert.ok(
            error.message.includes(`- ${path} → `) && error.message.includes(message as string),
            `${path}: ${message} missing in:\n${error.message}`,
          );
        }
        for (const secret of ['sk_live_leakme', 'pw-leak', 'shared-leak']) {
          assert.ok(!error.message.includes(secret), `${secret} leaked`);
        }
        return true;
      },
    );
  });

  it('refuses two sites with the same key', () => {
    assert.throws(
      () =>
        parseConfig({
          sites: [
            { provider: 'maxio', name: 'acme', apiKey: 'a' },
            { provider: 'maxio', name: 'acme', apiKey: 'b' },
          ],
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigurationError);
        assert.match(error.message, /sites\.1\.name → duplicate site maxio:acme/);
        return true;
      },
    );
  });

  it('a missing file or bad JSON is a clear ConfigurationError', async () => {
    await assert.rejects(
      loadConfig({ path: '/nonexistent/bridge.json', env: {} }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigurationError);
        assert.match(
          error.message,
          /Cannot read config file \/nonexistent\/bridge.json \(ENOENT\)/,
        );
        return true;
      },
    );
    const { path } = await tempConfig('{ "sites": [ ');
    await assert.rejects(loadConfig({ path, env: {} }), /is not valid JSON/);
    const array = await tempConfig('[]');
    await assert.rejects(loadConfig({ path: array.path, env: {} }), /must hold a JSON object/);
  });

  it('toSafeJSON masks every secret and keeps everything else', async () => {
    const { path } = await tempConfig({
      ...FILE,
      orgs: [{ id: '00D000000000001AAA', token: 'org-token-0123456789' }],
      salesforce: { clientId: 'cid', clientSecret: 'sf-secret', privateKey: '-----BEGIN KEY-----' },
    });
    const config = await loadConfig({ path, env: {} });
    const safe = toSafeJSON(config);
    const text = JSON.stringify(safe);
    for (const secret of [
      'file-maxio-key',
      'file-shared',
      'from-env-please',
      'sf-secret',
      'BEGIN KEY',
      'org-token-0123456789',
    ]) {
      assert.ok(!text.includes(secret), `${secret} shown`);
    }
    const s = safe as {
      sites: { name: string; apiKey: string }[];
      salesforce: { clientId: string };
    };
    assert.equal(s.sites[0]?.apiKey, MASKED);
    assert.equal(s.sites[0]?.name, 'acme');
    assert.equal(s.salesforce.clientId, 'cid');
    assert.equal(config.sites[0]?.apiKey, 'file-maxio-key', 'the original is untouched');
  });
});
