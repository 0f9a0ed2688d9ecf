/**
 * One contract, three sides: the org API's real responses, and the fixtures the LWC tests feed
 * their components, must all fit openapi.json. Object schemas are checked closed
 * (additionalProperties: false), so a field one side invents fails here.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { orgApiSpecText } from '../../src/org-api/spec.ts';
import type { ReferenceProvider } from '../core/reference/provider.ts';
import { planOnlyPreview, startReferenceOrgApi } from './reference-org-api.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const LWC = join(REPO, 'force-app', 'main', 'default', 'lwc');
const TOKEN = 'org-token-0123456789abcdef';

type Json = Record<string, unknown>;
const spec = JSON.parse(orgApiSpecText()) as {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<
          string,
          { content?: { 'application/json': { schema: { $ref: string } } } }
        >;
      }
    >
  >;
  components: { schemas: Record<string, Json> };
};

/** Closes every object schema that lists its properties. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Json = {};
  for (const [key, value] of Object.entries(schema))
    copy[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, closed(v)]))
        : closed(value);
  if (copy.type === 'object' && copy.properties) copy.additionalProperties = false;
  return copy;
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'org-api', components: { schemas: closed(spec.components.schemas) } });
const validator = (name: string): ValidateFunction => {
  const fn = ajv.getSchema(`org-api#/components/schemas/${name}`);
  if (!fn) throw new Error(`no schema ${name}`);
  return fn;
};

function assertFits(name: string, value: unknown, where: string): void {
  const validate = validator(name);
  assert.ok(validate(value), `${where} does not fit ${name}: ${ajv.errorsText(validate.errors)}`);
}

const fixture = (path: string): unknown => JSON.parse(readFileSync(join(LWC, path), 'utf8'));

describe('the org API contract', () => {
  test('the LWC test fixtures are in the org API shapes', () => {
    const sites = fixture('subscriptionPreview/__tests__/data/sites.json') as unknown[];
    for (const site of sites) assertFits('Site', site, 'sites.json');
    assertFits(
      'Catalog',
      fixture('subscriptionPreview/__tests__/data/catalog.json'),
      'catalog.json',
    );
    assertFits(
      'Preview',
      fixture('subscriptionPreview/__tests__/data/preview.json'),
      'preview.json',
    );
    assertFits(
      'Manifest',
      fixture('billingManifest/__tests__/data/manifest.json'),
      'manifest.json',
    );
  });

  test('a closed schema rejects a field the contract does not have', () => {
    const catalog = fixture('subscriptionPreview/__tests__/data/catalog.json') as Json;
    assert.equal(validator('Catalog')({ ...catalog, invented: true }), false);
    assert.equal(
      validator('Manifest')({ currency: 'USD', lines: [], subtotal: '1', discount: '0', tax: '0' }),
      false,
      'total is required',
    );
  });

  describe('the server answers in the documented shapes', () => {
    let app: FastifyInstance;
    let provider: ReferenceProvider;
    let close: () => Promise<void>;

    before(async () => {
      ({ app, provider, close } = await startReferenceOrgApi(TOKEN));
      await app.ready();
    });

    after(async () => {
      await close();
    });

    /** Calls the route and checks the body against the schema documented for (path, method, status). */
    async function check(
      specPath: string,
      method: 'get' | 'post',
      url: string,
      payload?: unknown,
      token: string | null = TOKEN,
    ): Promise<Json> {
      const response = await app.inject({
        method: method.toUpperCase() as 'GET' | 'POST',
        url,
        headers: token ? { 'x-billing-bridge-token': token } : {},
        ...(payload ? { payload: payload as Json } : {}),
      });
      // A status is documented exactly ("200") or by its class ("4XX"), as External Services read it.
      const responses = spec.paths[specPath]?.[method]?.responses ?? {};
      const status = String(response.statusCode);
      const documented = responses[status] ?? responses[`${status[0]}XX`];
      assert.ok(
        documented,
        `${method.toUpperCase()} ${specPath} answered ${response.statusCode}, which the contract does not document`,
      );
      const ref = documented.content?.['application/json'].schema.$ref ?? '';
      const body = response.json() as Json;
      assertFits(
        ref.split('/').pop() ?? '',
        body,
        `${method.toUpperCase()} ${url} → ${response.statusCode}`,
      );
      return body;
    }

    test('health, sites, catalog, preview, create, status and errors', async () => {
      await check('/org/v1/health', 'get', '/org/v1/health');
      await check('/org/v1/health', 'get', '/org/v1/health', undefined, null);
      await check('/org/v1/sites', 'get', '/org/v1/sites');
      await check(
        '/org/v1/sites/{siteKey}/catalog',
        'get',
        `/org/v1/sites/${encodeURIComponent(provider.siteKey)}/catalog`,
      );
      await check('/org/v1/sites/{siteKey}/catalog', 'get', '/org/v1/sites/maxio:nowhere/catalog');
      const customerId = (await provider.list('customer')).records[0]?.id ?? '';
      const preview = planOnlyPreview(provider, customerId);
      await check('/org/v1/previews', 'post', '/org/v1/previews', preview);
      await check('/org/v1/previews', 'post', '/org/v1/previews', {
        ...preview,
        planQuantity: 'x',
      });
      const created = await check('/org/v1/subscriptions', 'post', '/org/v1/subscriptions', {
        opportunityId: '006xx000004TmiQAAS',
        preview,
      });
      assert.equal(created.created, true);
      await check(
        '/org/v1/subscriptions/{opportunityId}',
        'get',
        '/org/v1/subscriptions/006xx000004TmiQAAS',
      );
      await check(
        '/org/v1/subscriptions/{opportunityId}',
        'get',
        '/org/v1/subscriptions/006xx000009ZZZZAAA',
      );
    });
  });
});
