/** Reads an SFDX source tree's -meta.xml files into parsed documents and an object/field index. */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, basename } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

export interface MetadataFile {
  path: string;
  /** Path relative to the tree root, for messages. */
  rel: string;
  root: string;
  doc: XmlNode;
}

export interface FieldInfo {
  object: string;
  name: string;
  type: string;
  required: boolean;
  label?: string;
  description?: string;
  inlineHelpText?: string;
  referenceTo?: string;
  relationshipName?: string;
  formula: boolean;
  /** Picklist values (API names) and whether the picklist is restricted. */
  picklistValues: string[];
  restricted: boolean;
  file: string;
}

export interface ObjectInfo {
  name: string;
  custom: boolean;
  file?: string;
  label?: string;
  description?: string;
  nameFieldType?: string;
  fields: Map<string, FieldInfo>;
}

export interface SfdxTree {
  root: string;
  files: MetadataFile[];
  objects: Map<string, ObjectInfo>;
  customPermissions: Set<string>;
  permissionSets: MetadataFile[];
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  isArray: (_name, jpath) => String(jpath).split('.').length > 1,
});

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry === '__tests__' || entry === 'node_modules') continue;
      walk(path, out);
    } else if (entry.endsWith('-meta.xml')) {
      out.push(path);
    }
  }
}

/** First text value of a child element, or undefined. */
export function text(node: XmlNode, key: string): string | undefined {
  const value = node[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** All child elements named `key`, as nodes. */
export function children(node: XmlNode, key: string): XmlNode[] {
  const value = node[key];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is XmlNode => typeof v === 'object' && !Array.isArray(v));
}

export function texts(node: XmlNode, key: string): string[] {
  const value = node[key];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

function picklistOf(doc: XmlNode): { picklistValues: string[]; restricted: boolean } {
  const valueSet = children(doc, 'valueSet')[0];
  const definition = valueSet ? children(valueSet, 'valueSetDefinition')[0] : undefined;
  const values = definition
    ? children(definition, 'value').map((v) => text(v, 'fullName') ?? '')
    : [];
  return {
    picklistValues: values,
    restricted: valueSet ? text(valueSet, 'restricted') === 'true' : false,
  };
}

export function parseMetadataFile(path: string, root: string): MetadataFile {
  const parsed = parser.parse(readFileSync(path, 'utf8')) as XmlNode;
  const rootName = Object.keys(parsed)[0] ?? '';
  const body = parsed[rootName];
  const doc = (Array.isArray(body) ? body[0] : body) as XmlNode | string | undefined;
  return {
    path,
    rel: relative(root, path),
    root: rootName,
    doc: typeof doc === 'object' ? doc : {},
  };
}

export function readTree(root: string): SfdxTree {
  const paths: string[] = [];
  if (existsSync(root)) walk(root, paths);
  const files = paths.sort().map((p) => parseMetadataFile(p, root));
  const objects = new Map<string, ObjectInfo>();
  const objectOf = (name: string): ObjectInfo => {
    let info = objects.get(name);
    if (!info) {
      info = { name, custom: name.endsWith('__c'), fields: new Map() };
      objects.set(name, info);
    }
    return info;
  };
  const customPermissions = new Set<string>();
  for (const file of files) {
    const parts = file.rel.split(/[\\/]/);
    const objectsAt = parts.indexOf('objects');
    if (file.root === 'CustomObject' && objectsAt >= 0) {
      const info = objectOf(parts[objectsAt + 1] ?? '');
      info.file = file.rel;
      info.label = text(file.doc, 'label');
      info.description = text(file.doc, 'description');
      const nameField = children(file.doc, 'nameField')[0];
      info.nameFieldType = nameField ? text(nameField, 'type') : undefined;
    } else if (file.root === 'CustomField' && objectsAt >= 0) {
      const object = parts[objectsAt + 1] ?? '';
      const name = text(file.doc, 'fullName') ?? basename(file.path).replace('.field-meta.xml', '');
      objectOf(object).fields.set(name, {
        object,
        name,
        type: text(file.doc, 'type') ?? '',
        required: text(file.doc, 'required') === 'true',
        label: text(file.doc, 'label'),
        description: text(file.doc, 'description'),
        inlineHelpText: text(file.doc, 'inlineHelpText'),
        referenceTo: text(file.doc, 'referenceTo'),
        relationshipName: text(file.doc, 'relationshipName'),
        formula: text(file.doc, 'formula') !== undefined,
        ...picklistOf(file.doc),
        file: file.rel,
      });
    } else if (file.root === 'CustomPermission') {
      customPermissions.add(basename(file.path).replace('.customPermission-meta.xml', ''));
    }
  }
  return {
    root,
    files,
    objects,
    customPermissions,
    permissionSets: files.filter((f) => f.root === 'PermissionSet'),
  };
}
