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

/** The fixture's External Service: one operation with a path parameter and a JSON body. */
const WIDGET_API = {
  openapi: '3.0.3',
  info: { title: 'Widget API', version: '1' },
  paths: {
    '/widgets/{size}/price': {
      post: {
        operationId: 'priceWidget',
        parameters: [{ name: 'size', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/PriceRequest' } },
          },
        },
        responses: {
          '200': {
            description: 'The price.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Price' } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      PriceRequest: { type: 'object', properties: { rush: { type: 'boolean' } } },
      Price: { type: 'object', properties: { amount: { type: 'string' } } },
    },
  },
};
const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const WIDGET_PRICE = 'force-app/main/default/flows/Widget_Price.flow-meta.xml';
const WIDGET_SYNC = 'force-app/main/default/flows/Widget_Sync.flow-meta.xml';
const WIDGET_LWC = 'force-app/main/default/lwc/widgetPrice/widgetPrice.ts';

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
    [`${base}/externalServiceRegistrations/Widget_Api.externalServiceRegistration-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?><ExternalServiceRegistration ${NS}><label>Widget API</label><registrationProviderType>Custom</registrationProviderType><schema>${escapeXml(JSON.stringify(WIDGET_API))}</schema><schemaType>OpenApi3</schemaType><status>Complete</status></ExternalServiceRegistration>`,
    [WIDGET_PRICE]: `<?xml version="1.0" encoding="UTF-8"?><Flow ${NS}><actionCalls><name>Price_Widget</name><label>Price the widget</label><locationX>0</locationX><locationY>200</locationY><actionName>Widget_Api.priceWidget</actionName><actionType>externalService</actionType><faultConnector><targetReference>Report_Fault</targetReference></faultConnector><inputParameters><name>size</name><value><elementReference>Get_Widget.Size__c</elementReference></value></inputParameters><inputParameters><name>body</name><value><elementReference>request</elementReference></value></inputParameters><outputParameters><assignToReference>price</assignToReference><name>200</name></outputParameters><outputParameters><assignToReference>responseCode</assignToReference><name>responseCode</name></outputParameters></actionCalls><apiVersion>62.0</apiVersion><assignments><name>Build_Request</name><label>Build the request</label><locationX>0</locationX><locationY>100</locationY><assignmentItems><assignToReference>request.rush</assignToReference><operator>Assign</operator><value><booleanValue>true</booleanValue></value></assignmentItems><connector><targetReference>Price_Widget</targetReference></connector></assignments><assignments><name>Report_Fault</name><label>Report the fault</label><locationX>0</locationX><locationY>300</locationY><assignmentItems><assignToReference>faultMessage</assignToReference><operator>Assign</operator><value><elementReference>$Flow.FaultMessage</elementReference></value></assignmentItems></assignments><description>Prices a widget through the Widget API.</description><label>Widget Price</label><processType>Flow</processType><recordLookups><name>Get_Widget</name><label>Get the widget</label><locationX>0</locationX><locationY>50</locationY><connector><targetReference>Build_Request</targetReference></connector><faultConnector><targetReference>Report_Fault</targetReference></faultConnector><filters><field>Id</field><operator>EqualTo</operator><value><elementReference>widgetId</elementReference></value></filters><getFirstRecordOnly>true</getFirstRecordOnly><object>Widget__c</object><queriedFields>Id</queriedFields><queriedFields>Size__c</queriedFields><storeOutputAutomatically>true</storeOutputAutomatically></recordLookups><start><locationX>0</locationX><locationY>0</locationY><connector><targetReference>Get_Widget</targetReference></connector></start><status>Active</status><variables><name>faultMessage</name><dataType>String</dataType><isCollection>false</isCollection><isInput>false</isInput><isOutput>true</isOutput></variables><variables><name>price</name><apexClass>ExternalService__Widget_Api_Price</apexClass><dataType>Apex</dataType><isCollection>false</isCollection><isInput>false</isInput><isOutput>true</isOutput></variables><variables><name>request</name><apexClass>ExternalService__Widget_Api_PriceRequest</apexClass><dataType>Apex</dataType><isCollection>false</isCollection><isInput>false</isInput><isOutput>false</isOutput></variables><variables><name>responseCode</name><dataType>Number</dataType><isCollection>false</isCollection><isInput>false</isInput><isOutput>false</isOutput></variables><variables><name>widgetId</name><dataType>String</dataType><isCollection>false</isCollection><isInput>true</isInput><isOutput>false</isOutput></variables></Flow>`,
    [WIDGET_SYNC]: `<?xml version="1.0" encoding="UTF-8"?><Flow ${NS}><actionCalls><name>Call_Api</name><label>Tell the API</label><locationX>0</locationX><locationY>200</locationY><actionName>Widget_Api.priceWidget</actionName><actionType>externalService</actionType><faultConnector><targetReference>Note_Failure</targetReference></faultConnector><inputParameters><name>size</name><value><elementReference>$Record.Size__c</elementReference></value></inputParameters></actionCalls><apiVersion>62.0</apiVersion><description>After a widget is saved, tells the Widget API after the save commits.</description><label>Widget Sync</label><processType>AutoLaunchedFlow</processType><recordUpdates><name>Mark_Pending</name><label>Mark pending</label><locationX>0</locationX><locationY>100</locationY><filterLogic>and</filterLogic><filters><field>Id</field><operator>EqualTo</operator><value><elementReference>$Record.Id</elementReference></value></filters><inputAssignments><field>Size__c</field><value><stringValue>pending</stringValue></value></inputAssignments><object>Widget__c</object></recordUpdates><recordUpdates><name>Note_Failure</name><label>Note the failure</label><locationX>0</locationX><locationY>300</locationY><filterLogic>and</filterLogic><filters><field>Id</field><operator>EqualTo</operator><value><elementReference>$Record.Id</elementReference></value></filters><inputAssignments><field>Size__c</field><value><stringValue>failed</stringValue></value></inputAssignments><object>Widget__c</object></recordUpdates><start><locationX>0</locationX><locationY>0</locationY><connector><targetReference>Mark_Pending</targetReference></connector><object>Widget__c</object><recordTriggerType>CreateAndUpdate</recordTriggerType><scheduledPaths><name>After_Commit</name><connector><targetReference>Call_Api</targetReference></connector><pathType>AsyncAfterCommit</pathType></scheduledPaths><triggerType>RecordAfterSave</triggerType></start><status>Active</status></Flow>`,
    [WIDGET_LWC]: `import { LightningElement } from 'lwc';\nexport const PRICE_FLOW = 'Widget_Price';\nexport default class WidgetPrice extends LightningElement {\n  async price(runner: { run(f: string, i: unknown[]): Promise<Record<string, unknown>> }): Promise<unknown> {\n    const outputs = await runner.run(PRICE_FLOW, [{ name: 'widgetId', type: 'String', value: 'a01' }]);\n    return outputs.price;\n  }\n}\n`,
    [`${base}/lwc/widgetPrice/widgetPrice.js-meta.xml`]: `<?xml version="1.0" encoding="UTF-8"?><LightningComponentBundle ${NS}><apiVersion>62.0</apiVersion><isExposed>false</isExposed></LightningComponentBundle>`,
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

/** Replaces text in one fixture file, failing loudly when the text is not there. */
function edit(files: Record<string, string>, path: string, from: string, to: string): void {
  const content = files[path] ?? '';
  assert.ok(content.includes(from), `${path} does not contain ${from}`);
  files[path] = content.replace(from, to);
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
    assert.equal(byName.flows?.flows, 2);
    assert.equal(byName.flows?.actions, 2);
    assert.equal(byName.flows?.['LWC flow runs'], 1);
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
      'a flow calling an operation the registration does not have',
      (f) => edit(f, WIDGET_PRICE, 'Widget_Api.priceWidget', 'Widget_Api.paintWidget'),
      /calls Widget_Api\.paintWidget, which is not an operation of any External Service Registration/,
    ],
    [
      'a flow passing an input the operation does not take',
      (f) => edit(f, WIDGET_PRICE, '<name>size</name>', '<name>colour</name>'),
      /passes colour, which Widget_Api\.priceWidget does not take/,
    ],
    [
      'a flow reading an output the operation does not return',
      (f) => edit(f, WIDGET_PRICE, '<name>200</name>', '<name>201</name>'),
      /reads 201, which Widget_Api\.priceWidget does not return/,
    ],
    [
      'a dangling flow connector',
      (f) =>
        edit(
          f,
          WIDGET_PRICE,
          '<connector><targetReference>Price_Widget</targetReference>',
          '<connector><targetReference>Price_Gadget</targetReference>',
        ),
      /a connector goes to Price_Gadget, which is not an element of this flow/,
    ],
    [
      'a flow querying a missing field',
      (f) =>
        edit(
          f,
          WIDGET_PRICE,
          '<queriedFields>Size__c</queriedFields>',
          '<queriedFields>Weight__c</queriedFields>',
        ),
      /names Widget__c\.Weight__c, which does not exist/,
    ],
    [
      'a flow reading a field its Get Records does not query',
      (f) => edit(f, WIDGET_PRICE, '<queriedFields>Size__c</queriedFields>', ''),
      /names Get_Widget\.Size__c, but Get_Widget does not query Size__c/,
    ],
    [
      'a record-triggered flow writing a missing field of $Record',
      (f) => edit(f, WIDGET_SYNC, '$Record.Size__c', '$Record.Weight__c'),
      /names Widget__c\.Weight__c, which does not exist/,
    ],
    [
      'a property the External Service type does not have',
      (f) => edit(f, WIDGET_PRICE, 'request.rush', 'request.urgent'),
      /ExternalService__Widget_Api_PriceRequest has no property urgent/,
    ],
    [
      'a value of the wrong type',
      (f) =>
        edit(
          f,
          WIDGET_PRICE,
          '<booleanValue>true</booleanValue>',
          '<stringValue>yes</stringValue>',
        ),
      /request\.rush: text cannot go into boolean/,
    ],
    [
      'an LWC passing an input the flow does not declare',
      (f) => edit(f, WIDGET_LWC, "name: 'widgetId'", "name: 'gadgetId'"),
      /passes gadgetId to Widget_Price, which has no input variable gadgetId/,
    ],
    [
      'an LWC reading an output the flow does not declare',
      (f) => edit(f, WIDGET_LWC, 'outputs.price', 'outputs.cost'),
      /reads cost from Widget_Price, which has no output variable cost/,
    ],
    [
      'an LWC running a flow that does not exist',
      (f) => edit(f, WIDGET_LWC, "'Widget_Price'", "'Widget_Quote'"),
      /runs flow Widget_Quote, which is not in the package/,
    ],
    [
      'a callout on the synchronous path of a record-triggered flow',
      (f) =>
        edit(
          f,
          WIDGET_SYNC,
          '<connector><targetReference>Mark_Pending</targetReference>',
          '<connector><targetReference>Call_Api</targetReference>',
        ),
      /Call_Api calls out on the synchronous path of a record-triggered flow/,
    ],
    [
      'an action without a fault connector',
      (f) =>
        edit(
          f,
          WIDGET_SYNC,
          '<faultConnector><targetReference>Note_Failure</targetReference></faultConnector>',
          '',
        ),
      /actionCall Call_Api has no fault connector/,
    ],
    [
      'a permission set granting a flow that does not exist',
      (f) =>
        edit(
          f,
          PERMSET,
          '<hasActivationRequired>',
          '<flowAccesses><enabled>true</enabled><flow>Widget_Quote</flow></flowAccesses><hasActivationRequired>',
        ),
      /flowAccesses names flow Widget_Quote, which does not exist/,
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
