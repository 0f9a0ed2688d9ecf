import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateProject } from '../lib/validate.ts';
import { tableLines } from '../lib/coverage-check.ts';
import type { CheckResult } from '../lib/report.ts';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A small, valid SFDX project: one object, two fields, a rule, a permission set, a layout, a seed. */
function fixture(): Record<string, string> {
  const base = 'force-app/main/default';
  return {
    'sfdx-project.json': JSON.stringify({
      packageDirectories: [{ path: 'force-app', default: true }],
      sourceApiVersion: '62.0',
    }),
    '.forceignore': '**/*.ts\n**/tsconfig*.json\n**/__tests__/**\n',
    [`${base}/objects/Widget__c/Widget__c.object-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${NS}><deploymentStatus>Deployed</deploymentStatus><description>Widgets synced from billing.</description><label>Widget</label><nameField><label>Widget Name</label><type>Text</type></nameField><pluralLabel>Widgets</pluralLabel><sharingModel>ReadWrite</sharingModel></CustomObject>`,
    [`${base}/objects/Widget__c/fields/Size__c.field-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?><CustomField ${NS}><fullName>Size__c</fullName><description>Synced from billing widget.size.</description><inlineHelpText>How big the widget is.</inlineHelpText><label>Size</label><length>20</length><type>Text</type></CustomField>`,
    [`${base}/objects/Widget__c/fields/Account__c.field-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?><CustomField ${NS}><fullName>Account__c</fullName><deleteConstraint>SetNull</deleteConstraint><description>The customer's Account.</description><inlineHelpText>Who owns the widget.</inlineHelpText><label>Account</label><referenceTo>Account</referenceTo><relationshipName>Widgets</relationshipName><type>Lookup</type></CustomField>`,
    [`${base}/objects/Widget__c/validationRules/Size_Required.validationRule-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?><ValidationRule ${NS}><fullName>Size_Required</fullName><active>true</active><errorConditionFormula>AND(NOT($Permission.Bypass), ISBLANK(Size__c))</errorConditionFormula><errorMessage>Size is required.</errorMessage></ValidationRule>`,
    [`${base}/customPermissions/Bypass.customPermission-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?><CustomPermission ${NS}><isLicensed>false</isLicensed><label>Bypass</label></CustomPermission>`,
    [`${base}/permissionsets/Widget_Admin.permissionset-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?><PermissionSet ${NS}><description>Admins.</description><fieldPermissions><editable>true</editable><field>Widget__c.Size__c</field><readable>true</readable></fieldPermissions><fieldPermissions><editable>true</editable><field>Widget__c.Account__c</field><readable>true</readable></fieldPermissions><hasActivationRequired>false</hasActivationRequired><label>Widget Admin</label><objectPermissions><allowCreate>true</allowCreate><allowDelete>true</allowDelete><allowEdit>true</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Widget__c</object><viewAllRecords>false</viewAllRecords></objectPermissions></PermissionSet>`,
    [`${base}/layouts/Widget__c-Widget Layout.layout-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?><Layout ${NS}><layoutSections><customLabel>false</customLabel><detailHeading>false</detailHeading><editHeading>true</editHeading><label>Information</label><layoutColumns><layoutItems><behavior>Required</behavior><field>Name</field></layoutItems><layoutItems><behavior>Edit</behavior><field>Size__c</field></layoutItems></layoutColumns><style>OneColumn</style></layoutSections></Layout>`,
    'docs/seed-coverage.json': JSON.stringify({
      tables: [
        {
          seed: 'seed.txt',
          table: 'Widget',
          startAfter: 'Salesforce Field Billing Field',
          endBefore: 'The end',
          rows: [
            { line: 'Widget Size Size', sfField: 'Widget__c.Size__c', status: 'mapped' },
            { line: 'Widget Owner Account', sfField: 'Widget__c.Account__c', status: 'mapped' },
            { line: 'Colour (Deprecated)', sfField: null, status: 'deprecated' },
          ],
        },
      ],
    }),
    '../shared/seeds/seed.txt':
      'Widgets\n\nSalesforce Field Billing Field\nWidget Size Size\nWidget Owner Account\nColour (Deprecated)\n\nThe end\n',
  };
}

/** A TypeScript component whose source starts with the given imports. */
function addWidgetComponent(files: Record<string, string>, imports: string): void {
  files['force-app/main/default/lwc/widget/widget.ts'] = `${imports}export default class {}\n`;
  files['force-app/main/default/lwc/widget/widget.js-meta.xml'] =
    `<?xml version="1.0" encoding="UTF-8"?><LightningComponentBundle ${NS}><apiVersion>62.0</apiVersion><isExposed>false</isExposed></LightningComponentBundle>`;
}

async function run(mutate?: (files: Record<string, string>) => void): Promise<CheckResult[]> {
  const top = mkdtempSync(join(tmpdir(), 'bb-validate-'));
  const root = join(top, 'project');
  try {
    const files = fixture();
    mutate?.(files);
    for (const [path, content] of Object.entries(files)) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    return await validateProject({ root, seedsDir: join(top, 'shared', 'seeds') });
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
}

const errorsOf = (results: CheckResult[]): string[] => results.flatMap((r) => r.errors);
const FIELD = 'force-app/main/default/objects/Widget__c/fields/Size__c.field-meta.xml';
const PERMSET = 'force-app/main/default/permissionsets/Widget_Admin.permissionset-meta.xml';
const RULE =
  'force-app/main/default/objects/Widget__c/validationRules/Size_Required.validationRule-meta.xml';
const COVERAGE = 'docs/seed-coverage.json';

function editCoverage(
  files: Record<string, string>,
  edit: (rows: { line: string; sfField: string | null; status: string }[]) => void,
): void {
  const coverage = JSON.parse(files[COVERAGE] ?? '{}') as {
    tables: { rows: { line: string; sfField: string | null; status: string }[] }[];
  };
  edit(coverage.tables[0]?.rows ?? []);
  files[COVERAGE] = JSON.stringify(coverage);
}

function addData(files: Record<string, string>, fields: Record<string, unknown>): void {
  files['data/sample-data-plan.json'] = JSON.stringify([
    { sobject: 'Widget__c', saveRefs: true, resolveRefs: true, files: ['Widget__c.json'] },
  ]);
  files['data/Widget__c.json'] = JSON.stringify({
    records: [{ attributes: { type: 'Widget__c', referenceId: 'W1' }, ...fields }],
  });
}

describe('metadata validator', () => {
  test('a valid fixture project passes every check, with counts', async () => {
    const results = await run();
    assert.deepEqual(errorsOf(results), []);
    const byName = Object.fromEntries(results.map((r) => [r.name, r.counts]));
    assert.equal(byName['source-deploy-retrieve convert']?.CustomField, 2);
    assert.equal(byName['seed coverage']?.rows, 3);
    assert.equal(byName['cross-references']?.['field grants'], 2);
  });

  test("an LWC's labels, objects, fields and custom relationships that exist pass", async () => {
    const results = await run((f) => {
      f['force-app/main/default/labels/CustomLabels.labels-meta.xml'] =
        `<?xml version="1.0" encoding="UTF-8"?><CustomLabels ${NS}><labels><fullName>Widget_Title</fullName><language>en_US</language><protected>false</protected><shortDescription>Widget title</shortDescription><value>Widgets</value></labels></CustomLabels>`;
      addWidgetComponent(
        f,
        "import TITLE from '@salesforce/label/c.Widget_Title';\n" +
          "import WIDGET from '@salesforce/schema/Widget__c';\n" +
          "import SIZE from '@salesforce/schema/Widget__c.Size__c';\n" +
          "import NAME from '@salesforce/schema/Widget__c.Name';\n" +
          "import ACCOUNT_NAME from '@salesforce/schema/Widget__c.Account__r.Name';\n",
      );
    });
    assert.deepEqual(errorsOf(results), []);
    const imports = results.find((r) => r.name === 'LWC imports')?.counts;
    assert.deepEqual(imports, { 'label imports': 1, 'schema imports': 4 });
  });

  const mustFail: [string, (files: Record<string, string>) => void, RegExp][] = [
    [
      'an unknown element',
      (f) => {
        f[FIELD] = (f[FIELD] ?? '').replace('<label>', '<bogus>x</bogus><label>');
      },
      /unknown element <bogus> in CustomField/,
    ],
    [
      'an invalid enum value',
      (f) => {
        f[FIELD] = (f[FIELD] ?? '').replace('<type>Text</type>', '<type>Textual</type>');
      },
      /"Textual" is not a valid FieldType/,
    ],
    [
      'a missing required element',
      (f) => {
        f[RULE] = (f[RULE] ?? '').replace('<active>true</active>', '');
      },
      /missing required <active> of ValidationRule/,
    ],
    [
      'a malformed boolean',
      (f) => {
        f[RULE] = (f[RULE] ?? '').replace('<active>true</active>', '<active>yes</active>');
      },
      /"yes" is not a boolean/,
    ],
    [
      'a permission set naming a missing field',
      (f) => {
        f[PERMSET] = (f[PERMSET] ?? '').replace('Widget__c.Size__c', 'Widget__c.Weight__c');
      },
      /names Widget__c\.Weight__c, which does not exist/,
    ],
    [
      'a field no permission set grants',
      (f) => {
        f[PERMSET] = (f[PERMSET] ?? '').replace(
          /<fieldPermissions><editable>true<\/editable><field>Widget__c\.Size__c[\s\S]*?<\/fieldPermissions>/,
          '',
        );
      },
      /Size__c\.field-meta\.xml: no permission set grants this field/,
    ],
    [
      'a missing help text',
      (f) => {
        f[FIELD] = (f[FIELD] ?? '').replace(/<inlineHelpText>.*<\/inlineHelpText>/, '');
      },
      /field has no <inlineHelpText>/,
    ],
    [
      'help text equal to the description',
      (f) => {
        f[FIELD] = (f[FIELD] ?? '').replace(
          'How big the widget is.',
          'Synced from billing widget.size.',
        );
      },
      /are the same text/,
    ],
    [
      'a rule naming a missing custom permission',
      (f) => {
        f[RULE] = (f[RULE] ?? '').replace('$Permission.Bypass', '$Permission.Nope');
      },
      /custom permission Nope, which does not exist/,
    ],
    [
      'a rule naming a missing field',
      (f) => {
        f[RULE] = (f[RULE] ?? '').replace('ISBLANK(Size__c)', 'ISBLANK(Weight__c)');
      },
      /validation rule formula names Widget__c\.Weight__c/,
    ],
    [
      'a lookup to a missing object',
      (f) => {
        const k = FIELD.replace('Size__c', 'Account__c');
        f[k] = (f[k] ?? '').replace(
          '<referenceTo>Account</referenceTo>',
          '<referenceTo>Gadget__c</referenceTo>',
        );
      },
      /references Gadget__c, which does not exist/,
    ],
    [
      'a layout naming a missing field',
      (f) => {
        const k = 'force-app/main/default/layouts/Widget__c-Widget Layout.layout-meta.xml';
        f[k] = (f[k] ?? '').replace('<field>Size__c</field>', '<field>Weight__c</field>');
      },
      /layout names Widget__c\.Weight__c/,
    ],
    [
      'a seed row with no coverage row',
      (f) => editCoverage(f, (rows) => rows.splice(1, 1)),
      /seed row "Widget Owner Account" has no coverage row/,
    ],
    [
      'a coverage row that is not in the seed',
      (f) =>
        editCoverage(f, (rows) =>
          rows.push({ line: 'Invented Row', sfField: 'Widget__c.Size__c', status: 'mapped' }),
        ),
      /row "Invented Row" is not a line of this seed table/,
    ],
    [
      'a coverage row mapping to a missing field',
      (f) =>
        editCoverage(f, (rows) => {
          if (rows[0]) rows[0].sfField = 'Widget__c.Weight__c';
        }),
      /maps to Widget__c\.Weight__c, which does not exist/,
    ],
    [
      'a deprecated row the seed does not call deprecated',
      (f) =>
        editCoverage(f, (rows) => {
          if (rows[0]) {
            rows[0].status = 'deprecated';
            rows[0].sfField = null;
          }
        }),
      /marked deprecated, but the seed does not say so/,
    ],
    [
      'a TypeScript LWC not ignored on deploy',
      (f) => {
        f['.forceignore'] = '**/__tests__/**\n';
        f['force-app/main/default/lwc/widget/widget.ts'] = 'export default class {}\n';
        f['force-app/main/default/lwc/widget/widget.js-meta.xml'] =
          `<?xml version="1.0" encoding="UTF-8"?><LightningComponentBundle ${NS}><apiVersion>62.0</apiVersion><isExposed>false</isExposed></LightningComponentBundle>`;
      },
      /\.forceignore must list \*\*\/\*\.ts/,
    ],
    [
      'an LWC importing a custom label that does not exist',
      (f) => addWidgetComponent(f, "import TITLE from '@salesforce/label/c.Widget_Title';\n"),
      /lwc\/widget\/widget\.ts: custom label Widget_Title does not exist/,
    ],
    [
      'an LWC importing a field that does not exist',
      (f) =>
        addWidgetComponent(
          f,
          "import SIZE from '@salesforce/schema/Widget__c.Size__c';\n" +
            "import WEIGHT from '@salesforce/schema/Widget__c.Weight__c';\n",
        ),
      /@salesforce\/schema\/Widget__c\.Weight__c: field Widget__c\.Weight__c does not exist/,
    ],
    [
      'an LWC importing an object that does not exist',
      (f) => addWidgetComponent(f, "import GADGET from '@salesforce/schema/Gadget__c';\n"),
      /object Gadget__c does not exist/,
    ],
    [
      'sample data naming a missing field',
      (f) => addData(f, { Name: 'W1', Weight__c: 3 }),
      /field Widget__c\.Weight__c does not exist/,
    ],
    [
      'sample data with a dangling reference',
      (f) => addData(f, { Name: 'W1', Account__c: '@NoSuchAccount' }),
      /refers to @NoSuchAccount, not saved by an earlier plan entry/,
    ],
    [
      'sample data without a Name on a Text-named object',
      (f) => addData(f, { Size__c: 'L' }),
      /Widget__c needs a Name/,
    ],
  ];
  for (const [what, mutate, expected] of mustFail) {
    test(`fails on ${what}`, async () => {
      const errors = errorsOf(await run(mutate));
      assert.ok(
        errors.some((e) => expected.test(e)),
        `expected ${expected} in:\n${errors.join('\n')}`,
      );
    });
  }

  test('tableLines takes the last shared header before the end marker', () => {
    const seed = ['H', 'a', '', 'Second', 'H', 'b', 'c', 'End', 'H', 'z'];
    assert.deepEqual(tableLines(seed, 'H', 'End'), ['b', 'c']);
    assert.equal(tableLines(seed, 'Missing', 'End'), null);
  });

  test('the real package passes every check and covers both seeds', async () => {
    const seedsDir = join(REPO, '..', 'shared', 'seeds');
    const results = await validateProject({ root: REPO, seedsDir });
    assert.deepEqual(errorsOf(results), []);
    const coverage = results.find((r) => r.name === 'seed coverage');
    assert.equal(coverage?.counts.tables, 20);
    const tables = (
      JSON.parse(readFileSync(join(REPO, 'docs', 'seed-coverage.json'), 'utf8')) as {
        tables: unknown[];
      }
    ).tables;
    assert.equal(tables.length, 20);
  });
});
