/**
 * Writes the External Service Registration from the org API's OpenAPI document, so the package and
 * the bridge share one contract. `--check` fails when the registration is stale.
 *
 *   node scripts/org-api-schema.ts [--check]
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orgApiSpecText } from '../bridge/src/org-api/spec.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ESR_FILE = join(
  root,
  'force-app',
  'main',
  'default',
  'externalServiceRegistrations',
  'Billing_Bridge.externalServiceRegistration-meta.xml',
);

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function registrationXml(schema: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ExternalServiceRegistration xmlns="http://soap.sforce.com/2006/04/metadata">',
    '    <description>The Billing Bridge org API (sites, catalogs, subscription previews, Closed/Won subscription creation), called by the Billing flows through the Billing Bridge named credential. Generated from bridge/src/org-api/openapi.json; do not edit by hand.</description>',
    '    <label>Billing Bridge</label>',
    '    <namedCredentialReference>Billing_Bridge</namedCredentialReference>',
    '    <registrationProviderType>Custom</registrationProviderType>',
    `    <schema>${escapeXml(schema)}</schema>`,
    '    <schemaType>OpenApi3</schemaType>',
    '    <serviceBinding>{&quot;compatibleMediaTypes&quot;:{}}</serviceBinding>',
    '    <status>Complete</status>',
    '</ExternalServiceRegistration>',
    '',
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wanted = registrationXml(orgApiSpecText());
  if (process.argv.includes('--check')) {
    const current = existsSync(ESR_FILE) ? readFileSync(ESR_FILE, 'utf8') : '';
    if (current !== wanted) {
      console.error(`${ESR_FILE} is stale: run node scripts/org-api-schema.ts`);
      process.exitCode = 1;
    } else console.log('External Service Registration matches the OpenAPI document');
  } else {
    writeFileSync(ESR_FILE, wanted);
    console.log(`wrote ${ESR_FILE}`);
  }
}
