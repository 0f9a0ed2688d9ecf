/**
 * Renders the package's Opportunity components and the admin's Sync Health in headless Chromium
 * and saves screenshots, the way a rep or an admin would see them: LWC OSS + base components +
 * SLDS, flows answered by the real org API over the reference billing API, records in an in-page
 * store. Needs Debian's chromium (/usr/bin/chromium).
 *
 *   node stand-ins/lwc-harness/screens.ts [outDir]     (default .data/screens)
 */
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import {
  planOnlyPreview,
  startReferenceOrgApi,
} from '../../bridge/test/org-api/reference-org-api.ts';
import { buildHarness } from './build.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');
const TOKEN = 'harness-org-token-0123456789';
const OPPORTUNITY = '006HARNESS00001AAA';
const SITE = 'a0SHARNESSSITE01AAA';
/** The Event Log entry the run retries from Sync Health. */
export const RETRIED_ENTRY = 'a0EHARNESSLOG01AAA';
const SLDS = join(REPO, 'node_modules', '@salesforce-ux', 'design-system', 'assets');

const field = (value: unknown, displayValue: string | null = null) => ({ value, displayValue });
const RECORDS = {
  [OPPORTUNITY]: {
    apiName: 'Opportunity',
    id: OPPORTUNITY,
    fields: {
      Billing_Create_On_Close__c: field(true),
      Billing_Preview__c: field('a05HARNESSPREVIEW01'),
      Billing_Preview__r: field(
        {
          apiName: 'Subscription_Preview__c',
          id: 'a05HARNESSPREVIEW01',
          fields: { Name: field('SP-00012') },
        },
        'SP-00012',
      ),
      Billing_Status__c: field('Failed', 'Failed'),
      Billing_Last_Error__c: field(
        'Coupon SAVE99 was not found on site chargebee:reference (coupon_not_found).',
      ),
      Billing_Subscription__r: field(null),
      Billing_Subscription_Id__c: field(null),
    },
  },
  a05HARNESSPREVIEW01: {
    apiName: 'Subscription_Preview__c',
    id: 'a05HARNESSPREVIEW01',
    fields: {
      Name: field('SP-00012'),
      Opportunity__c: field(OPPORTUNITY),
      Priced_At__c: field('2026-11-22T15:00:00.000Z'),
      Currency_Code__c: field('USD'),
      Current_Total__c: field(76.79),
      Next_Total__c: field(52.92),
    },
  },
  a05HARNESSPREVIEW02: {
    apiName: 'Subscription_Preview__c',
    id: 'a05HARNESSPREVIEW02',
    fields: {
      Name: field('SP-00011'),
      Opportunity__c: field(OPPORTUNITY),
      Priced_At__c: field('2026-11-20T09:30:00.000Z'),
      Currency_Code__c: field('EUR'),
      Current_Total__c: field(1200),
      Next_Total__c: field(null),
    },
  },
  [SITE]: {
    apiName: 'Billing_Site__c',
    id: SITE,
    fields: { Name: field('Acme (Maxio)'), Site_Key__c: field('maxio:acme') },
  },
  // The site's Event Log: three sync failures and one already resolved.
  ...Object.fromEntries(
    [
      [
        RETRIED_ENTRY,
        'LOG-000104',
        'Open',
        'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        'Account',
        'maxio:acme:cust_1001',
        5,
        '2026-11-22T15:05:00.000Z',
        'A validation rule on Account refuses the billing country. Fix the rule or the address in Maxio, then retry.',
      ],
      [
        'a0EHARNESSLOG02AAA',
        'LOG-000103',
        'Retrying',
        'UNABLE_TO_LOCK_ROW',
        'Subscription__c',
        'maxio:acme:sub_2002',
        2,
        '2026-11-22T14:50:00.000Z',
        'Another process held the record; the bridge retries by itself.',
      ],
      [
        'a0EHARNESSLOG03AAA',
        'LOG-000102',
        'Open',
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        'Billing_Invoice__c',
        'maxio:acme:inv_3003',
        1,
        '2026-11-22T12:00:00.000Z',
        'Add the value "voided" to the invoice Status picklist, then retry.',
      ],
      [
        'a0EHARNESSLOG04AAA',
        'LOG-000101',
        'Resolved',
        'UNABLE_TO_LOCK_ROW',
        'Account',
        'maxio:acme:cust_1000',
        2,
        '2026-11-21T09:00:00.000Z',
        null,
      ],
    ].map(([id, name, status, code, object, externalId, attempts, last, hint]) => [
      id as string,
      {
        apiName: 'Billing_Event_Log__c',
        id: id as string,
        fields: {
          Name: field(name),
          Site__c: field(SITE),
          Status__c: field(status, status as string),
          Error_Code__c: field(code),
          Error_Message__c: field(null),
          Related_Object__c: field(object),
          Record_External_Id__c: field(externalId),
          Attempts__c: field(attempts),
          Last_Attempt_At__c: field(last),
          Next_Retry_At__c: field(null),
          Resolution_Hint__c: field(hint),
        },
      },
    ]),
  ),
};

function page(harness: unknown): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Billing components</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css">
<style>body{background:#f3f3f3;padding:1rem;max-width:900px}</style>
<script>window.__harness = ${JSON.stringify(harness)};</script></head>
<body><div id="toasts" class="slds-m-bottom_small" role="status" aria-live="polite"></div><div id="root"></div><script type="module" src="/harness/bundle.js"></script></body></html>`;
}

async function pick(p: Page, comboboxClass: string, value: string): Promise<void> {
  await p.click(
    `lightning-combobox.${comboboxClass} button, lightning-combobox.${comboboxClass} input`,
  );
  await p.click(`lightning-combobox.${comboboxClass} [data-value="${value}"]`);
}

type HarnessRecord = { apiName: string; id: string; fields: Record<string, { value: unknown }> };

/** What a run leaves behind: the screenshots, and the page's records and toasts at the end. */
export interface ScreensRun {
  shots: string[];
  /** When the run clicked Sync Health's Retry now (ms since the epoch), and the page's state after. */
  retryClickedAt: number;
  records: Record<string, HarnessRecord>;
  toasts: { title: string; message: string; variant: string }[];
}

export async function takeScreens(outDir: string): Promise<ScreensRun> {
  mkdirSync(outDir, { recursive: true });
  const bundle = join(REPO, '.data', 'harness', 'bundle.js');
  mkdirSync(dirname(bundle), { recursive: true });
  await buildHarness(bundle);
  const { app, provider, close } = await startReferenceOrgApi(TOKEN, 'harness');
  const customerId = (await provider.list('customer')).records[0]?.id;
  const harness = {
    token: TOKEN,
    recordId: OPPORTUNITY,
    customerId,
    records: RECORDS,
    createPreview: planOnlyPreview(provider, customerId ?? ''),
  };
  app.get('/', async (_req, reply) => reply.type('text/html').send(page(harness)));
  app.get('/favicon.ico', async (_req, reply) => reply.status(204).send());
  app.get('/harness/bundle.js', async (_req, reply) =>
    reply.type('application/javascript').send(readFileSync(bundle)),
  );
  app.get('/assets/*', async (req, reply) => {
    const rel = normalize((req.params as { '*': string })['*']).replace(/^(\.\.[/\\])+/, '');
    const file = join(SLDS, rel.split('#')[0] ?? '');
    if (!file.startsWith(SLDS) || !existsSync(file)) return reply.status(404).send();
    const type = file.endsWith('.css')
      ? 'text/css'
      : file.endsWith('.svg')
        ? 'image/svg+xml'
        : 'application/octet-stream';
    return reply.type(type).send(readFileSync(file));
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const shots: string[] = [];
  const shot = async (p: Page, name: string) => {
    const file = join(outDir, `${name}.png`);
    await p.screenshot({ path: file, fullPage: true });
    shots.push(file);
  };
  try {
    const p = await browser.newPage({ viewport: { width: 960, height: 900 } });
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await p.goto(`${base}/?component=subscriptionPreview`);
    await p.waitForSelector('lightning-combobox.site');
    await pick(p, 'site', provider.siteKey);
    await p.waitForSelector('lightning-combobox.plan');
    await pick(p, 'plan', 'pp_pro_m');
    await p.fill('lightning-input.addon input >> nth=0', '2');
    await p.fill('lightning-input.coupons input', 'TEN');
    await p.click('lightning-button.price button');
    await p.waitForSelector('c-billing-manifest.current tr.line');
    await shot(p, '1-subscription-preview-priced');
    await p.click('lightning-button.save button');
    await p.waitForSelector('.saved');
    await shot(p, '2-subscription-preview-saved');
    await p.goto(`${base}/?component=savedPreviews`);
    await p.waitForSelector('tr.preview');
    await shot(p, '3-saved-previews');
    await p.goto(`${base}/?component=closedWonControl`);
    await p.waitForSelector('c-closed-won-summary .last-error');
    await shot(p, '4-closed-won-failed');
    await p.click('lightning-button.retry button');
    await p.waitForSelector('c-closed-won-summary .slds-theme_success');
    await p.waitForSelector('c-closed-won-summary .subscription');
    await shot(p, '5-closed-won-after-retry');
    await p.goto(`${base}/?component=syncHealth&recordId=${SITE}`);
    await p.waitForSelector('c-sync-health-list tr.entry');
    await shot(p, '6-sync-health');
    const retryClickedAt = Date.now();
    await p.click(`c-sync-health-list tr[data-id="${RETRIED_ENTRY}"] button.retry`);
    await p.waitForSelector('.harness-toast');
    await p.waitForSelector(
      `c-sync-health-list tr[data-id="${RETRIED_ENTRY}"] .slds-badge_lightest`,
    );
    await shot(p, '7-sync-health-retry-requested');
    const state = (await p.evaluate(() => {
      const h = (globalThis as unknown as { __harness: Pick<ScreensRun, 'records' | 'toasts'> })
        .__harness;
      return { records: h.records, toasts: h.toasts };
    })) as Pick<ScreensRun, 'records' | 'toasts'>;
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return { shots, retryClickedAt, ...state };
  } finally {
    await browser.close();
    await close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { shots } = await takeScreens(resolve(process.argv[2] ?? join(REPO, '.data', 'screens')));
  for (const file of shots) console.log(file);
}
