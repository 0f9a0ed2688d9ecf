/** source-deploy-retrieve: the tree resolves into components and converts to a Metadata API package. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { result, count, type CheckResult } from './report.ts';

export async function checkConvert(packageDir: string): Promise<CheckResult> {
  const res = result('source-deploy-retrieve convert');
  const out = mkdtempSync(join(tmpdir(), 'bb-mdapi-'));
  try {
    const set = ComponentSet.fromSource(packageDir);
    for (const component of set.getSourceComponents()) {
      count(res, component.type.name);
      for (const child of component.getChildren()) count(res, child.type.name);
    }
    if (set.size === 0) res.errors.push(`${packageDir}: no components found`);
    await new MetadataConverter().convert(set, 'metadata', {
      type: 'directory',
      outputDirectory: out,
      genUniqueDir: false,
    });
  } catch (error) {
    res.errors.push(`convert failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return res;
}
