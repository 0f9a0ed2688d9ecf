import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { takeScreens } from './screens.ts';

const CHROMIUM = '/usr/bin/chromium';

test(
  'the Opportunity components work in Chromium: price, save, list, fail, retry to Created',
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
      const files = await takeScreens(dir);
      assert.deepEqual(
        files.map((f) => basename(f)),
        [
          '1-subscription-preview-priced.png',
          '2-subscription-preview-saved.png',
          '3-saved-previews.png',
          '4-closed-won-failed.png',
          '5-closed-won-after-retry.png',
        ],
      );
      for (const file of files)
        assert.ok(statSync(file).size > 5_000, `${file} is suspiciously small`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
