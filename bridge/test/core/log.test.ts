import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createApiError } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { lines, stream, text: () => lines.join('\n') };
}

const SECRETS = [
  'sk_basic_dGVzdDp4',
  'my-api-key-123',
  'hunter2-password',
  'whsec-shared-key',
  'oauth-access-tok',
  'test_AbCdEfGhIjKlMnOpQr',
  'userpass99',
];

describe('createLogger redaction', () => {
  it('never writes Authorization, API keys or passwords, wherever they are', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, level: 'debug' });
    log.info({ headers: { authorization: `Basic ${SECRETS[0]}`, accept: 'json' } }, 'request');
    log.info({ req: { headers: { Authorization: `Bearer ${SECRETS[4]}` } } }, 'nested header');
    log.info({ apiKey: SECRETS[1], site: 'acme' }, 'top-level key');
    log.info(
      {
        config: { sites: [{ name: 'acme', api_key: SECRETS[1], webhook: { secret: SECRETS[3] } }] },
      },
      'deep config',
    );
    log.info({ salesforce: { username: 'u', password: SECRETS[2] } }, 'login');
    log.warn(`retrying https://${SECRETS[6]}:x@acme.chargify.com/subscriptions.json`);
    log.debug('env CHARGEBEE_API_KEY=%s', 'plainvalue42');
    log.info(`form body customer[id]=1&password=${SECRETS[2]}`);
    log.error(
      { err: createApiError({ provider: 'chargebee', status: 401, message: `key ${SECRETS[5]}` }) },
      'failed',
    );
    log.error({ err: new Error(`Authorization: Basic ${SECRETS[0]}`) }, 'plain error');
    const text = out.text();
    assert.equal(out.lines.length, 10);
    assert.ok(!text.includes('plainvalue42'), 'printf-style argument leaked');
    for (const secret of SECRETS) {
      assert.ok(!text.includes(secret), `secret ${secret} leaked:\n${text}`);
    }
    // Output is still useful: non-secret fields survive.
    const first = JSON.parse(out.lines[0] ?? '{}') as {
      headers: Record<string, string>;
      msg: string;
    };
    assert.equal(first.headers.accept, 'json');
    assert.equal(first.headers.authorization, '[REDACTED]');
    assert.equal(first.msg, 'request');
    const config = JSON.parse(out.lines[3] ?? '{}') as { config: { sites: { name: string }[] } };
    assert.equal(config.config.sites[0]?.name, 'acme');
    const error = JSON.parse(out.lines[8] ?? '{}') as { err: Record<string, unknown> };
    assert.equal(error.err.type, 'AuthenticationError');
    assert.equal(error.err.status, 401);
  });

  it('keeps name, level and base bindings', () => {
    const out = capture();
    const log = createLogger({
      destination: out.stream,
      name: 'bridge',
      level: 'warn',
      base: { site: 'maxio:acme' },
    });
    log.info('hidden');
    log.warn('shown');
    assert.equal(out.lines.length, 1);
    const line = JSON.parse(out.lines[0] ?? '{}') as Record<string, unknown>;
    assert.equal(line.name, 'bridge');
    assert.equal(line.site, 'maxio:acme');
    assert.equal(line.msg, 'shown');
  });

  it('survives circular objects', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream });
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    log.info({ loop }, 'circular');
    assert.equal(out.lines.length, 1);
  });
});
