import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIR = join(REPO, 'scripts', 'scratch-org');

test('every scratch-org script parses (bash -n)', () => {
  const scripts = readdirSync(DIR).filter((f) => f.endsWith('.sh'));
  assert.ok(scripts.length >= 3);
  for (const script of scripts) execFileSync('bash', ['-n', join(DIR, script)]);
});

test('create.sh runs the documented steps in order (dry run)', () => {
  const out = execFileSync('bash', [join(DIR, 'create.sh'), 'ci-org', '3'], {
    env: { ...process.env, DRY_RUN: '1' },
    encoding: 'utf8',
  });
  const commands = out
    .split('\n')
    .filter((line) => line.startsWith('sf ') || line.startsWith('npm '));
  assert.deepEqual(commands, [
    'sf org create scratch --definition-file config/project-scratch-def.json --alias ci-org --duration-days 3 --set-default --wait 15',
    'npm run build:lwc',
    'sf project deploy start --source-dir force-app --target-org ci-org --wait 30',
    'sf org assign permset --name Billing_Admin --target-org ci-org',
    'sf org assign permset --name Billing_Sales_User --target-org ci-org',
    'sf org assign permset --name Billing_Integration --target-org ci-org',
    'sf data tree import --plan data/sample-data-plan.json --target-org ci-org',
    'sf org open --target-org ci-org --path lightning/app/c__Billing',
  ]);
});

test('the LWC build emits the .js the platform deploys, and nothing else', () => {
  const lwc = join(REPO, 'force-app', 'main', 'default', 'lwc');
  const out = mkdtempSync(join(tmpdir(), 'bb-lwc-'));
  try {
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', join(lwc, 'tsconfig.build.json'), '--outDir', out]);
    assert.deepEqual(readdirSync(join(out, 'errorPanel')), ['errorPanel.js']);
    assert.deepEqual(readdirSync(join(out, 'ldsUtils')), ['ldsUtils.js']);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
