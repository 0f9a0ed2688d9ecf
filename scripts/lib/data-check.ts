/**
 * The `sf data tree import` plan (data/sample-data-plan.json): files exist, records carry their
 * type and a unique referenceId, every field exists, "@Ref" values point at records saved earlier
 * in the plan, restricted picklists get valid values, and Text-named objects get a Name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { result, count, type CheckResult } from './report.ts';
import type { SfdxTree } from './sfdx-tree.ts';
import { fieldExists, objectExists } from './xref-check.ts';

interface PlanEntry {
  sobject: string;
  saveRefs?: boolean;
  resolveRefs?: boolean;
  files: string[];
}

type DataRecord = { attributes?: { type?: string; referenceId?: string } } & Record<
  string,
  unknown
>;

export function checkSampleData(tree: SfdxTree, planFile: string): CheckResult {
  const res = result('sample data plan');
  if (!existsSync(planFile)) {
    res.errors.push(`${planFile}: not found`);
    return res;
  }
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as PlanEntry[];
  const saved = new Set<string>();
  for (const entry of plan) {
    if (!objectExists(tree, entry.sobject))
      res.errors.push(`plan names ${entry.sobject}, which does not exist`);
    const savedHere: string[] = [];
    for (const file of entry.files) {
      const path = join(dirname(planFile), file);
      if (!existsSync(path)) {
        res.errors.push(`${file}: listed in the plan but missing`);
        continue;
      }
      const { records } = JSON.parse(readFileSync(path, 'utf8')) as { records: DataRecord[] };
      for (const record of records) {
        count(res, 'records');
        const ref = record.attributes?.referenceId ?? '';
        const where = `${file} ${ref || '(no referenceId)'}`;
        if (record.attributes?.type !== entry.sobject)
          res.errors.push(`${where}: type ${record.attributes?.type} is not ${entry.sobject}`);
        if (!ref) res.errors.push(`${where}: no attributes.referenceId`);
        if (saved.has(ref) || savedHere.includes(ref))
          res.errors.push(`${where}: referenceId used twice`);
        savedHere.push(ref);
        const object = tree.objects.get(entry.sobject);
        if (object?.nameFieldType === 'Text' && typeof record.Name !== 'string')
          res.errors.push(`${where}: ${entry.sobject} needs a Name`);
        if (object?.nameFieldType === 'AutoNumber' && 'Name' in record)
          res.errors.push(`${where}: Name is an auto-number on ${entry.sobject}`);
        for (const [field, value] of Object.entries(record)) {
          if (field === 'attributes') continue;
          count(res, 'field values');
          if (!fieldExists(tree, entry.sobject, field)) {
            res.errors.push(`${where}: field ${entry.sobject}.${field} does not exist`);
            continue;
          }
          if (typeof value === 'string' && value.startsWith('@')) {
            count(res, 'references');
            if (!entry.resolveRefs)
              res.errors.push(
                `${where}: ${field} is a reference but the plan entry does not resolveRefs`,
              );
            if (!saved.has(value.slice(1)))
              res.errors.push(
                `${where}: ${field} refers to ${value}, not saved by an earlier plan entry`,
              );
          }
          const info = object?.fields.get(field);
          if (
            info?.restricted &&
            typeof value === 'string' &&
            !info.picklistValues.includes(value)
          ) {
            res.errors.push(
              `${where}: "${value}" is not a value of restricted picklist ${entry.sobject}.${field}`,
            );
          }
        }
      }
    }
    if (entry.saveRefs) for (const ref of savedHere) saved.add(ref);
  }
  return res;
}
