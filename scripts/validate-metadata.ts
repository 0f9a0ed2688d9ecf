/**
 * Offline proof that the package deploys: source-deploy-retrieve converts it, every XML file fits
 * the Metadata API types, cross-references hold, the seed-coverage table covers both seeds, and the
 * TypeScript LWC rules are kept. Exit code 1 on any error.
 *
 *   node scripts/validate-metadata.ts [--root <sfdx project>] [--seeds <dir>]
 */
import { resolve, join } from 'node:path';
import { parseArgs } from 'node:util';
import { validateProject } from './lib/validate.ts';

const { values } = parseArgs({
  options: { root: { type: 'string', default: '.' }, seeds: { type: 'string' } },
});
const root = resolve(values.root ?? '.');
const results = await validateProject({
  root,
  seedsDir: values.seeds ?? join(root, '..', 'shared', 'seeds'),
});
let errors = 0;
for (const res of results) {
  const counts = Object.entries(res.counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  console.log(
    `${res.errors.length === 0 ? 'ok  ' : 'FAIL'} ${res.name}: ${counts || 'nothing to check'}`,
  );
  for (const error of res.errors.slice(0, 50)) console.log(`     - ${error}`);
  if (res.errors.length > 50) console.log(`     … and ${res.errors.length - 50} more`);
  errors += res.errors.length;
}
console.log(errors === 0 ? 'metadata: all checks passed' : `metadata: ${errors} error(s)`);
process.exitCode = errors === 0 ? 0 : 1;
