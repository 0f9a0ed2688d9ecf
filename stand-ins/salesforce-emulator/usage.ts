/**
 * API call accounting: every call under /services/data counts against the org's daily limit
 * (DailyApiRequests), per user and per kind of call. Once the limit is used up, calls answer
 * 403 REQUEST_LIMIT_EXCEEDED. Every response carries `Sforce-Limit-Info: api-usage=N/M`.
 */
export class ApiUsage {
  max: number;
  used = 0;
  readonly byUser = new Map<string, number>();
  readonly byKind = new Map<string, number>();

  constructor(max: number) {
    this.max = max;
  }

  get remaining(): number {
    return Math.max(0, this.max - this.used);
  }

  get exhausted(): boolean {
    return this.used >= this.max;
  }

  count(userId: string): void {
    this.used++;
    this.byUser.set(userId, (this.byUser.get(userId) ?? 0) + 1);
  }

  kind(kind: string): void {
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
  }

  header(): string {
    return `api-usage=${this.used}/${this.max}`;
  }

  /** Start a new day (or set the usage to a given count, e.g. to test exhaustion). */
  reset(used = 0): void {
    this.used = used;
    this.byUser.clear();
    this.byKind.clear();
  }
}
