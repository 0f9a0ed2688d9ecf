/**
 * What the LWC TypeScript imports from the org must exist in the package: every custom label
 * (`@salesforce/label/c.X`) and every object and field (`@salesforce/schema/Object.Field`).
 * A missing one deploys fine and fails only when the component loads in the org.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { result, count, type CheckResult } from './report.ts';
import { children, text, type SfdxTree } from './sfdx-tree.ts';
import { fieldExists, objectExists } from './xref-check.ts';

const IMPORT = /from\s+['"]@salesforce\/(label\/c|schema)[./]([\w.]+)['"]/g;

function componentSources(lwcDir: string): string[] {
  const out: string[] = [];
  for (const bundle of readdirSync(lwcDir, { withFileTypes: true })) {
    if (!bundle.isDirectory()) continue;
    // Tests import labels and schema through sfdx-lwc-jest's mocks only; the org never sees them.
    for (const file of readdirSync(join(lwcDir, bundle.name))) {
      if (file.endsWith('.ts') && !file.endsWith('.d.ts'))
        out.push(join(lwcDir, bundle.name, file));
    }
  }
  return out;
}

/** `Object.Field`, or `Object.Rel__r.Field` (checked up to the relationship's lookup field). */
function schemaError(tree: SfdxTree, path: string): string | undefined {
  const [object = '', field, ...rest] = path.split('.');
  if (!objectExists(tree, object)) return `object ${object} does not exist`;
  if (field === undefined) return undefined;
  if (rest.length > 0) {
    if (!field.endsWith('__r')) return undefined; // standard relationships: not indexed here
    const lookup = field.replace(/__r$/, '__c');
    return fieldExists(tree, object, lookup)
      ? undefined
      : `relationship ${object}.${field} has no lookup field ${lookup}`;
  }
  return fieldExists(tree, object, field) ? undefined : `field ${object}.${field} does not exist`;
}

export function checkLwcImports(tree: SfdxTree, lwcDir: string): CheckResult {
  const res = result('LWC imports');
  if (!existsSync(lwcDir)) return res;
  const labels = new Set(
    tree.files
      .filter((f) => f.root === 'CustomLabels')
      .flatMap((f) => children(f.doc, 'labels').map((l) => text(l, 'fullName') ?? '')),
  );
  for (const file of componentSources(lwcDir)) {
    const rel = relative(lwcDir, file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const [, kind, name = ''] = match;
      if (kind === 'label/c') {
        count(res, 'label imports');
        if (!labels.has(name)) res.errors.push(`lwc/${rel}: custom label ${name} does not exist`);
      } else {
        count(res, 'schema imports');
        const error = schemaError(tree, name);
        if (error) res.errors.push(`lwc/${rel}: @salesforce/schema/${name}: ${error}`);
      }
    }
  }
  return res;
}
