/** One check's outcome: what it counted and what it found wrong. */
export interface CheckResult {
  name: string;
  errors: string[];
  counts: Record<string, number>;
}

export function result(name: string): CheckResult {
  return { name, errors: [], counts: {} };
}

export function count(res: CheckResult, key: string, by = 1): void {
  res.counts[key] = (res.counts[key] ?? 0) + by;
}
