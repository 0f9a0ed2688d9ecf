/**
 * The seed-coverage table (docs/seed-coverage.json) against the seed documents and the metadata:
 * every row of every field table in both seeds is covered exactly once, and every field it names
 * exists. A seed row with no home fails the build.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { result, count, type CheckResult } from './report.ts';
import type { SfdxTree } from './sfdx-tree.ts';
import { fieldExists, objectExists } from './xref-check.ts';

export interface CoverageRow {
  line: string;
  sfField: string | null;
  providerField?: string | null;
  status: 'mapped' | 'system' | 'deprecated' | 'object';
  note?: string;
}

export interface CoverageTable {
  seed: string;
  table: string;
  startAfter: string;
  endBefore: string;
  rows: CoverageRow[];
}

/**
 * The table's lines: `endBefore` is its first occurrence after the first `startAfter`; the rows
 * are the non-empty lines strictly between the last `startAfter` before it and it. (Several seed
 * tables share one header line, so the last header before the end marker is the table's own.)
 */
export function tableLines(
  seedLines: string[],
  startAfter: string,
  endBefore: string,
): string[] | null {
  const first = seedLines.indexOf(startAfter);
  if (first < 0) return null;
  const end = seedLines.findIndex((line, i) => i > first && line === endBefore);
  if (end < 0) return null;
  let start = first;
  for (let i = first; i < end; i += 1) if (seedLines[i] === startAfter) start = i;
  return seedLines.slice(start + 1, end).filter((line) => line.length > 0);
}

export function checkCoverage(tree: SfdxTree, coverageFile: string, seedsDir: string): CheckResult {
  const res = result('seed coverage');
  if (!existsSync(seedsDir)) {
    res.errors.push(
      `seed documents not found at ${seedsDir} (shared/ must sit beside the repository)`,
    );
    return res;
  }
  const coverage = JSON.parse(readFileSync(coverageFile, 'utf8')) as { tables: CoverageTable[] };
  for (const table of coverage.tables) {
    const where = `${table.seed} / ${table.table}`;
    count(res, 'tables');
    const seedPath = join(seedsDir, table.seed);
    if (!existsSync(seedPath)) {
      res.errors.push(`${where}: seed file not found`);
      continue;
    }
    const seedLines = readFileSync(seedPath, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim());
    const lines = tableLines(seedLines, table.startAfter, table.endBefore);
    if (!lines) {
      res.errors.push(
        `${where}: markers "${table.startAfter}" … "${table.endBefore}" not found in the seed`,
      );
      continue;
    }
    // Multiset match: a line that appears twice in the seed needs two rows.
    const remaining = new Map<string, number>();
    for (const line of lines) remaining.set(line, (remaining.get(line) ?? 0) + 1);
    for (const row of table.rows) {
      count(res, 'rows');
      count(res, `rows ${row.status}`);
      const left = remaining.get(row.line.trim()) ?? 0;
      if (left === 0)
        res.errors.push(
          `${where}: row "${row.line}" is not a line of this seed table (or is listed twice)`,
        );
      else remaining.set(row.line.trim(), left - 1);
      if (row.status === 'deprecated') {
        if (!/deprecated/i.test(row.line))
          res.errors.push(
            `${where}: "${row.line}" marked deprecated, but the seed does not say so`,
          );
        continue;
      }
      if (!row.sfField) {
        res.errors.push(`${where}: "${row.line}" (${row.status}) has no sfField`);
        continue;
      }
      if (row.status === 'object') {
        if (!objectExists(tree, row.sfField))
          res.errors.push(`${where}: object ${row.sfField} does not exist`);
        continue;
      }
      const [object = '', field = ''] = row.sfField.split('.');
      if (!fieldExists(tree, object, field))
        res.errors.push(`${where}: "${row.line}" maps to ${row.sfField}, which does not exist`);
    }
    for (const [line, left] of remaining) {
      if (left > 0) res.errors.push(`${where}: seed row "${line}" has no coverage row`);
    }
  }
  return res;
}
