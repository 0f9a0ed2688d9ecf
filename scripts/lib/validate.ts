/** Runs every offline metadata check on an SFDX project. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkConvert } from './sdr-check.ts';
import { checkSchema } from './schema-check.ts';
import { checkCrossReferences } from './xref-check.ts';
import { checkFlows } from './flow-check.ts';
import { checkCoverage } from './coverage-check.ts';
import { checkLwcTypeScript } from './lwc-check.ts';
import { checkLwcImports } from './lwc-imports-check.ts';
import { checkSampleData } from './data-check.ts';
import { readTree } from './sfdx-tree.ts';
import type { CheckResult } from './report.ts';

export interface ValidateOptions {
  root: string;
  seedsDir: string;
  /** Package directory inside the project; default force-app. */
  packageDir?: string;
  /** Coverage table; default docs/seed-coverage.json, skipped when null. */
  coverageFile?: string | null;
}

export async function validateProject(options: ValidateOptions): Promise<CheckResult[]> {
  const packageDir = join(options.root, options.packageDir ?? 'force-app');
  const source = join(packageDir, 'main', 'default');
  const tree = readTree(source);
  const results = [
    await checkConvert(packageDir),
    checkSchema(tree),
    checkCrossReferences(tree),
    checkFlows(tree, join(source, 'lwc')),
  ];
  const coverageFile =
    options.coverageFile === undefined
      ? join(options.root, 'docs', 'seed-coverage.json')
      : options.coverageFile;
  if (coverageFile) results.push(checkCoverage(tree, coverageFile, options.seedsDir));
  const planFile = join(options.root, 'data', 'sample-data-plan.json');
  if (existsSync(planFile)) results.push(checkSampleData(tree, planFile));
  results.push(checkLwcTypeScript(options.root, join(source, 'lwc')));
  results.push(checkLwcImports(tree, join(source, 'lwc')));
  return results;
}
