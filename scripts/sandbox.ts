/**
 * The local main job on embedded defaults:
 * 1-4. prepares the package exactly as a deploy would receive it and proves it offline (compiles
 *      the LWC TypeScript, converts to a Metadata API package in .data/package, runs every
 *      metadata check, prints what the package holds);
 * 5-8. starts the Salesforce emulator, the Maxio and Chargebee simulators and the bridge on the
 *      embedded SQLite store, backfills both sites, makes live changes whose webhooks the bridge
 *      syncs, and prints what landed in Salesforce.
 *
 *   npm run sandbox                 # everything
 *   npm run sandbox -- --follow     # then keep syncing until Ctrl-C
 *   npm run sandbox -- --scale=10   # ten times the data
 *   npm run sandbox -- --metadata-only
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { validateProject } from './lib/validate.ts';
import { readTree } from './lib/sfdx-tree.ts';
import { runSandboxSync } from './lib/sandbox-sync.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.data', 'package');
const started = Date.now();

console.log('1. Compiling the LWC TypeScript to the .js the platform deploys');
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    join(root, 'force-app', 'main', 'default', 'lwc', 'tsconfig.build.json'),
  ],
  { stdio: 'inherit' },
);

console.log('2. Converting force-app to a Metadata API package');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const components = ComponentSet.fromSource(join(root, 'force-app'));
await new MetadataConverter().convert(components, 'metadata', {
  type: 'directory',
  outputDirectory: out,
  genUniqueDir: false,
});
console.log(`   ${components.size} components written to ${out} (package.xml included)`);

console.log('3. Running the offline deploy checks');
const results = await validateProject({ root, seedsDir: join(root, '..', 'shared', 'seeds') });
let errors = 0;
for (const res of results) {
  errors += res.errors.length;
  const counts = Object.entries(res.counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  console.log(`   ${res.errors.length === 0 ? 'ok  ' : 'FAIL'} ${res.name}: ${counts}`);
  for (const error of res.errors.slice(0, 20)) console.log(`        - ${error}`);
}

console.log('4. What the package holds');
const tree = readTree(join(root, 'force-app', 'main', 'default'));
const rows = [...tree.objects.values()].sort(
  (a, b) => Number(b.custom) - Number(a.custom) || a.name.localeCompare(b.name),
);
for (const object of rows) {
  console.log(
    `   ${object.custom ? 'custom  ' : 'standard'} ${object.name.padEnd(32)} ${String(object.fields.size).padStart(3)} package fields`,
  );
}
console.log(
  `   permission sets: ${tree.permissionSets.map((p) => p.rel.split('/').pop()?.replace('.permissionset-meta.xml', '')).join(', ')}`,
);
console.log(
  `done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${errors === 0 ? 'ready to deploy (see docs/scratch-org.md)' : `${errors} problem(s) to fix`}`,
);
if (errors > 0) {
  process.exitCode = 1;
} else if (!process.argv.includes('--metadata-only')) {
  const scaleArg = process.argv.find((a) => a.startsWith('--scale='));
  process.exitCode = await runSandboxSync({
    dataDir: join(root, '.data', 'sandbox'),
    scale: scaleArg ? Number(scaleArg.split('=')[1]) : 1,
    liveChanges: 5,
    follow: process.argv.includes('--follow'),
    waitForShutdown: () =>
      new Promise((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      }),
    log: (line) => console.log(line),
  });
  console.log(`sandbox done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
