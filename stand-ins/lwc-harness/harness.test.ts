import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RETRIED_ENTRY, takeScreens } from './screens.ts';

const CHROMIUM = '/usr/bin/chromium';

test(
  'the components work in Chromium: price, save, list, fail, retry to Created; Sync Health asks the bridge to retry',
  {
    skip: existsSync(CHROMIUM)
      ? false
      : `${CHROMIUM} is missing (.ci/run installs Debian's chromium)`,
    timeout: 300_000,
  },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-screens-'));
    try {
      // Each step waits for its own outcome in the page (manifest lines, the saved notice, the
      // error text, the Created badge) and any page error fails the run.
      const run = await takeScreens(dir);
      const files = run.shots;
      assert.deepEqual(
        files.map((f) => basename(f)),
        [
          '1-subscription-preview-priced.png',
          '2-subscription-preview-saved.png',
          '3-saved-previews.png',
          '4-closed-won-failed.png',
          '5-closed-won-after-retry.png',
          '6-sync-health.png',
          '7-sync-health-retry-requested.png',
        ],
      );
      for (const file of files)
        assert.ok(statSync(file).size > 5_000, `${file} is suspiciously small`);

      // Retry now on one Sync Health row: that entry, and only it, is handed back to the bridge
      // (Status Retrying, Next Retry At = the moment of the click), and the admin is told.
      const value = (id: string, field: string) => run.records[id]?.fields[field]?.value;
      assert.equal(value(RETRIED_ENTRY, 'Status__c'), 'Retrying');
      const nextRetry = Date.parse(String(value(RETRIED_ENTRY, 'Next_Retry_At__c')));
      assert.ok(
        nextRetry >= run.retryClickedAt - 1_000 && nextRetry <= Date.now(),
        `Next_Retry_At__c ${String(value(RETRIED_ENTRY, 'Next_Retry_At__c'))} is not the click time`,
      );
      const others = Object.values(run.records).filter(
        (r) => r.apiName === 'Billing_Event_Log__c' && r.id !== RETRIED_ENTRY,
      );
      assert.deepEqual(
        others.map((r) => [r.fields.Status__c?.value, r.fields.Next_Retry_At__c?.value]),
        [
          ['Retrying', null],
          ['Open', null],
          ['Resolved', null],
        ],
      );
      assert.deepEqual(
        run.toasts.map((t) => [t.title, t.variant]),
        [['Retry requested', 'success']],
      );
      assert.match(run.toasts[0]?.message ?? '', /: 1\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
