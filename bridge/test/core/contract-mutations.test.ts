/**
 * The contract suite's self-test: each deliberately broken reference adapter must make the
 * contract tests that guard that guarantee fail (and a correct one passes them all, see
 * contract-reference.test.ts). Runs each mutation in its own `node --test` process.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConcurrencyLimiter } from '../../src/http/limiter.ts';
import type { Mutation } from './reference/provider.ts';

const RUNNER = fileURLToPath(new URL('./reference/run-contract.ts', import.meta.url));
const limiter = new ConcurrencyLimiter(4);

function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _context, ...rest } = env;
  return rest;
}

function failedTests(mutation: Mutation): Promise<{ failed: string[]; output: string }> {
  return limiter.run(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--test', '--test-reporter=tap', RUNNER], {
          // Without NODE_TEST_CONTEXT: the child must report as a top-level run, not to us.
          env: { ...withoutTestContext(process.env), REF_MUTATION: mutation },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('error', reject);
        child.on('close', () => {
          const failed = [...output.matchAll(/^\s+not ok \d+ - (.*)$/gm)].map((m) => m[1] ?? '');
          resolve({ failed, output });
        });
      }),
  );
}

const EXPECTED: [Mutation, string[]][] = [
  ['overlapping-pages', ['a small page size walks to the same set as the default']],
  ['float-money', ['lists every pricePoint to the end']],
  [
    'ignore-idempotency-key',
    [
      'creates a subscription idempotently per key',
      'concurrent creates with one key make one subscription',
      'a create whose response was lost',
    ],
  ],
  ['no-retry', ['retries a 429', 'retries 5xx on GET', 'retries a dropped connection on GET']],
  ['ignore-retry-after', ['retries a 429 after its Retry-After']],
  ['bad-total', ['previews a subscription whose totals add up']],
  ['verify-accepts-anything', ['rejects a bad signature']],
  ['events-no-resume', ['reads events oldest first', 'resumes from a cursor']],
  ['get-differs', ['gets a customer by id']],
  [
    'wrong-site-key',
    ['lists every customer to the end', 'verifies and parses a subscription_created'],
  ],
  ['parse-throws-on-unknown', ['keeps an unknown event type']],
  ['not-found-as-500', ['get of a missing id is NotFoundError']],
];

describe('provider contract self-test: broken adapters fail', { timeout: 180_000 }, () => {
  for (const [mutation, expected] of EXPECTED) {
    it(`${mutation} → ${expected.join('; ')}`, async () => {
      const { failed, output } = await failedTests(mutation);
      for (const name of expected) {
        assert.ok(
          failed.some((f) => f.startsWith(name)),
          `"${name}" did not fail for ${mutation}; failed: ${JSON.stringify(failed)}\n${output.slice(-2000)}`,
        );
      }
    });
  }
});
