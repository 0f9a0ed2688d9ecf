import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { orgApiSpecRoute, orgApiSpecText } from '../../src/org-api/spec.ts';
import { ESR_FILE, registrationXml } from '../../../scripts/org-api-schema.ts';

function embeddedSchema(xml: string): string {
  const parsed = new XMLParser({ parseTagValue: false, trimValues: false }).parse(xml) as {
    ExternalServiceRegistration: { schema: string };
  };
  return parsed.ExternalServiceRegistration.schema;
}

test('the External Service Registration embeds exactly the OpenAPI text the bridge serves', async () => {
  const app = Fastify();
  orgApiSpecRoute(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    const response = await fetch(`http://127.0.0.1:${address.port}/org/v1/openapi.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const served = await response.text();
    const embedded = embeddedSchema(readFileSync(ESR_FILE, 'utf8'));
    assert.equal(embedded.length, served.length);
    assert.equal(Buffer.compare(Buffer.from(embedded), Buffer.from(served)), 0);
  } finally {
    await app.close();
  }
});

test('a registration built from a different document is detected as different', () => {
  const changed = orgApiSpecText().replace('"version": "1.0.0"', '"version": "9.9.9"');
  assert.notEqual(changed, orgApiSpecText());
  assert.notEqual(embeddedSchema(registrationXml(changed)), orgApiSpecText());
  assert.equal(embeddedSchema(registrationXml(orgApiSpecText())), orgApiSpecText());
});

test('the document stays inside what External Services accept', () => {
  const doc = JSON.parse(orgApiSpecText()) as {
    openapi: string;
    paths: Record<string, Record<string, { operationId?: string }>>;
    components: { schemas: Record<string, unknown> };
  };
  assert.match(doc.openapi, /^3\.0\./);
  const ids = Object.values(doc.paths).flatMap((ops) =>
    Object.values(ops).map((op) => op.operationId),
  );
  assert.ok(
    ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]*$/.test(id)),
    `operationIds: ${ids.join(', ')}`,
  );
  assert.equal(new Set(ids).size, ids.length);
  const text = JSON.stringify(doc.components.schemas);
  for (const unsupported of ['"oneOf"', '"anyOf"', '"allOf"', '"not"'])
    assert.ok(!text.includes(unsupported), unsupported);
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    assert.ok((schema as { type?: string }).type, `${name} has no type`);
  }
});
