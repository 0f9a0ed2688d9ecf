/**
 * Checks every -meta.xml file against the Metadata API types: the root element is a known type,
 * no unknown element anywhere, every required element present, enum values valid, booleans and
 * numbers well formed.
 */
import { loadMetadataSchema, type MetadataSchema } from './metadata-schema.ts';
import { result, count, type CheckResult } from './report.ts';
import type { SfdxTree, XmlNode, XmlValue } from './sfdx-tree.ts';

/**
 * Elements `metadata.d.ts` marks required that source format legitimately omits, each with why.
 * Keep this list short and justified: everything else required must be present.
 */
export const SOURCE_FORMAT_OPTIONAL: Record<string, string> = {
  'CustomObject.fields': 'source format keeps fields in objects/<Obj>/fields/*.field-meta.xml',
  'CustomObject.listViews': 'source format keeps list views in objects/<Obj>/listViews/',
  'CustomObject.validationRules': 'source format keeps rules in objects/<Obj>/validationRules/',
  'CustomObject.compactLayouts':
    'source format keeps compact layouts in objects/<Obj>/compactLayouts/',
  'ListView.fullName': 'source format takes the name from the file name',
  'LightningComponentBundle.lwcResources': 'the platform builds resources from the bundle folder',
  'CustomLabel.fullName': 'required and present; listed for clarity of the CustomLabels shape',
};

/**
 * Properties the Metadata API types as a string that source format writes as nested XML (the API
 * carries them as an opaque blob). Their content is not checked against the types.
 */
export const RAW_XML_PROPERTIES: Record<string, string> = {
  'LightningComponentBundle.targetConfigs': 'an XML fragment the API transports as a string',
};

const SCALARS = new Set(['string', 'number', 'boolean']);

function checkNode(
  schema: MetadataSchema,
  node: XmlNode,
  typeName: string,
  where: string,
  errors: string[],
): void {
  const props = schema.types.get(typeName);
  if (!props) {
    errors.push(`${where}: unknown metadata type ${typeName}`);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    const spec = props.get(key);
    if (!spec) {
      errors.push(`${where}: unknown element <${key}> in ${typeName}`);
      continue;
    }
    if (propKey(typeName, spec.name) in RAW_XML_PROPERTIES) continue;
    const values: XmlValue[] = Array.isArray(value) ? value : [value];
    if (!spec.array && values.length > 1) {
      errors.push(
        `${where}: <${key}> appears ${values.length} times but ${typeName}.${key} is not a list`,
      );
    }
    for (const v of values) checkValue(schema, spec.type, v, `${where}/${key}`, errors);
  }
  for (const spec of props.values()) {
    if (!spec.required || propKey(typeName, spec.name) in SOURCE_FORMAT_OPTIONAL) continue;
    if (spec.name === 'fullName') continue; // Metadata.fullName is optional in the API itself
    if (!(spec.name in node))
      errors.push(`${where}: missing required <${spec.name}> of ${typeName}`);
  }
}

function propKey(typeName: string, prop: string): string {
  return `${typeName}.${prop}`;
}

function checkValue(
  schema: MetadataSchema,
  type: string,
  value: XmlValue,
  where: string,
  errors: string[],
): void {
  const simple = type.replace(/\s*\|\s*(null|undefined)/g, '').trim();
  if (typeof value === 'object' && !Array.isArray(value)) {
    if (SCALARS.has(simple) || schema.enums.has(simple)) {
      errors.push(`${where}: expected a ${simple} value, found child elements`);
      return;
    }
    checkNode(schema, value, simple, where, errors);
    return;
  }
  if (typeof value !== 'string') return;
  if (simple === 'boolean' && value !== 'true' && value !== 'false') {
    errors.push(`${where}: "${value}" is not a boolean`);
  } else if (simple === 'number' && (value.trim() === '' || Number.isNaN(Number(value)))) {
    errors.push(`${where}: "${value}" is not a number`);
  } else if (schema.enums.has(simple) && !schema.enums.get(simple)?.has(value)) {
    errors.push(`${where}: "${value}" is not a valid ${simple}`);
  } else if (schema.types.has(simple) && value !== '') {
    errors.push(`${where}: expected <${simple}> elements, found text "${value.slice(0, 40)}"`);
  }
}

export function checkSchema(tree: SfdxTree): CheckResult {
  const res = result('schema');
  const schema = loadMetadataSchema();
  for (const file of tree.files) {
    count(res, 'files');
    checkNode(schema, file.doc, file.root, file.rel, res.errors);
  }
  count(res, 'metadata types known', schema.types.size);
  return res;
}
