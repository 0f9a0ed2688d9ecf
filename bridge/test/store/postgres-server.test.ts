/** The Postgres tests never skip by accident: only BRIDGE_SKIP_PG=1 without binaries skips them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postgresSkipReason } from './postgres-server.ts';

describe('postgres test harness', () => {
  const nowhere = '/nonexistent/postgresql';

  it('runs (and so fails loudly) without binaries unless BRIDGE_SKIP_PG=1', () => {
    assert.equal(postgresSkipReason({}, nowhere), null);
    assert.equal(postgresSkipReason({ BRIDGE_SKIP_PG: '0' }, nowhere), null);
    assert.match(postgresSkipReason({ BRIDGE_SKIP_PG: '1' }, nowhere) ?? '', /BRIDGE_SKIP_PG=1/);
  });

  it('never skips when a server is given', () => {
    const url = { BRIDGE_TEST_PG_URL: 'postgres://u@db.example/x', BRIDGE_SKIP_PG: '1' };
    assert.equal(postgresSkipReason(url, nowhere), null);
  });
});
