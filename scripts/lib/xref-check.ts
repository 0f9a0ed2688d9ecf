/**
 * Cross-references that nothing offline checks: every object, field, tab, flexipage and custom
 * permission a piece of metadata names must exist; every custom field must be granted by a
 * permission set (and the ones Salesforce refuses there must not be); documentation rules.
 */
import { basename } from 'node:path';
import { result, count, type CheckResult } from './report.ts';
import { children, text, texts, type MetadataFile, type SfdxTree } from './sfdx-tree.ts';
import { isStandardField, isStandardObject } from './standard-fields.ts';

const LAYOUT_BUILTIN_RELATED = new Set([
  'RelatedEntityHistoryList',
  'RelatedNoteList',
  'RelatedActivityList',
  'RelatedHistoryList',
]);

export function fieldExists(tree: SfdxTree, object: string, field: string): boolean {
  if (field.endsWith('__c')) return tree.objects.get(object)?.fields.has(field) ?? false;
  return isStandardField(object, field);
}

export function objectExists(tree: SfdxTree, object: string): boolean {
  return object.endsWith('__c')
    ? tree.objects.get(object)?.file !== undefined
    : isStandardObject(object);
}

function objectOfFile(file: MetadataFile): string {
  const parts = file.rel.split(/[\\/]/);
  return parts[parts.indexOf('objects') + 1] ?? '';
}

export function checkCrossReferences(tree: SfdxTree): CheckResult {
  const res = result('cross-references');
  const err = (file: MetadataFile | string, message: string): void => {
    res.errors.push(`${typeof file === 'string' ? file : file.rel}: ${message}`);
  };
  const byRoot = (root: string): MetadataFile[] => tree.files.filter((f) => f.root === root);
  const tabs = new Set(
    byRoot('CustomTab').map((f) => basename(f.path).replace('.tab-meta.xml', '')),
  );
  const apps = new Set(
    byRoot('CustomApplication').map((f) => basename(f.path).replace('.app-meta.xml', '')),
  );
  const flexipages = new Set(
    byRoot('FlexiPage').map((f) => basename(f.path).replace('.flexipage-meta.xml', '')),
  );
  const checkField = (
    file: MetadataFile | string,
    object: string,
    field: string,
    what: string,
  ): void => {
    count(res, 'field references');
    if (!fieldExists(tree, object, field))
      err(file, `${what} names ${object}.${field}, which does not exist`);
  };

  // Objects and fields: existence of targets, documentation, limits.
  for (const object of tree.objects.values()) {
    if (object.custom) {
      count(res, 'custom objects');
      if (!object.file)
        err(`objects/${object.name}`, 'fields exist but the object has no .object-meta.xml');
      if (!object.description) err(object.file ?? object.name, 'object has no <description>');
    }
    let masterDetails = 0;
    for (const field of object.fields.values()) {
      count(res, 'custom fields');
      if (!field.description) err(field.file, 'field has no <description>');
      if (!field.inlineHelpText) err(field.file, 'field has no <inlineHelpText>');
      if (field.description && field.description === field.inlineHelpText) {
        err(
          field.file,
          '<description> and <inlineHelpText> are the same text; one is for admins, one for users',
        );
      }
      if ((field.inlineHelpText?.length ?? 0) > 510)
        err(field.file, 'help text is longer than 510 characters');
      if ((field.label?.length ?? 0) > 40) err(field.file, 'label is longer than 40 characters');
      if (field.name.length > 40) err(field.file, 'API name is longer than 40 characters');
      if (field.type === 'Lookup' || field.type === 'MasterDetail') {
        if (!field.referenceTo || !objectExists(tree, field.referenceTo)) {
          err(field.file, `references ${field.referenceTo ?? '(nothing)'}, which does not exist`);
        }
        if (!field.relationshipName) err(field.file, 'lookup has no <relationshipName>');
      }
      if (field.type === 'MasterDetail') masterDetails += 1;
    }
    if (masterDetails > 2)
      err(object.file ?? object.name, `${masterDetails} master-detail fields; Salesforce allows 2`);
  }

  // Permission sets.
  const granted = new Set<string>();
  const objectGranted = new Set<string>();
  for (const ps of tree.permissionSets) {
    count(res, 'permission sets');
    for (const fp of children(ps.doc, 'fieldPermissions')) {
      const ref = text(fp, 'field') ?? '';
      const [object = '', field = ''] = ref.split('.');
      checkField(ps, object, field, 'fieldPermissions');
      const info = tree.objects.get(object)?.fields.get(field);
      if (info && (info.required || info.type === 'MasterDetail')) {
        err(
          ps,
          `grants ${ref}, a required or master-detail field; Salesforce rejects those in permission sets`,
        );
      }
      if (info?.formula && text(fp, 'editable') === 'true')
        err(ps, `makes formula field ${ref} editable`);
      granted.add(ref);
      count(res, 'field grants');
    }
    for (const op of children(ps.doc, 'objectPermissions')) {
      const object = text(op, 'object') ?? '';
      if (!objectExists(tree, object))
        err(ps, `objectPermissions names ${object}, which does not exist`);
      objectGranted.add(object);
    }
    for (const ts of children(ps.doc, 'tabSettings')) {
      const tab = text(ts, 'tab') ?? '';
      if (!tabs.has(tab) && !tab.startsWith('standard-'))
        err(ps, `tabSettings names tab ${tab}, which does not exist`);
    }
    for (const cp of children(ps.doc, 'customPermissions')) {
      const name = text(cp, 'name') ?? '';
      if (!tree.customPermissions.has(name))
        err(ps, `customPermissions names ${name}, which does not exist`);
    }
    for (const av of children(ps.doc, 'applicationVisibilities')) {
      const app = text(av, 'application') ?? '';
      if (!apps.has(app)) err(ps, `applicationVisibilities names app ${app}, which does not exist`);
    }
  }
  for (const object of tree.objects.values()) {
    if (object.custom && object.file && !objectGranted.has(object.name)) {
      err(object.file, 'no permission set grants access to this object');
    }
    for (const field of object.fields.values()) {
      if (field.required || field.type === 'MasterDetail') continue;
      if (!granted.has(`${object.name}.${field.name}`))
        err(field.file, 'no permission set grants this field');
    }
  }

  // Tabs and apps.
  for (const tab of byRoot('CustomTab')) {
    const name = basename(tab.path).replace('.tab-meta.xml', '');
    if (text(tab.doc, 'customObject') === 'true' && !objectExists(tree, name))
      err(tab, `tab for ${name}, which does not exist`);
  }
  for (const app of byRoot('CustomApplication')) {
    for (const tab of texts(app.doc, 'tabs')) {
      if (!tabs.has(tab) && !tab.startsWith('standard-'))
        err(app, `app names tab ${tab}, which does not exist`);
    }
  }

  // Layouts: fields and related lists.
  for (const layout of byRoot('Layout')) {
    count(res, 'layouts');
    const object = basename(layout.path).split('-')[0] ?? '';
    if (!objectExists(tree, object)) err(layout, `layout for ${object}, which does not exist`);
    for (const section of children(layout.doc, 'layoutSections')) {
      for (const column of children(section, 'layoutColumns')) {
        for (const item of children(column, 'layoutItems')) {
          const field = text(item, 'field');
          if (field) checkField(layout, object, field, 'layout');
        }
      }
    }
    for (const related of children(layout.doc, 'relatedLists')) {
      const name = text(related, 'relatedList') ?? '';
      if (LAYOUT_BUILTIN_RELATED.has(name)) continue;
      const [child = '', field = ''] = name.split('.');
      const info = tree.objects.get(child)?.fields.get(field);
      if (!info || info.referenceTo !== object)
        err(layout, `related list ${name} is not a child of ${object}`);
    }
  }

  // Compact layouts and list views live under their object.
  for (const compact of byRoot('CompactLayout')) {
    const object = objectOfFile(compact);
    for (const field of texts(compact.doc, 'fields'))
      checkField(compact, object, field, 'compact layout');
  }
  for (const view of byRoot('ListView')) {
    count(res, 'list views');
    const object = objectOfFile(view);
    for (const column of texts(view.doc, 'columns')) {
      if (column === 'NAME' || column === 'CREATED_DATE' || column === 'LAST_UPDATE') continue;
      checkField(view, object, column, 'list view column');
    }
    for (const filter of children(view.doc, 'filters'))
      checkField(view, object, text(filter, 'field') ?? '', 'list view filter');
  }

  // Record pages and their activation. Custom components placed on a page must be exposed.
  const exposedBundles = new Map(
    byRoot('LightningComponentBundle').map((f) => [
      basename(f.path).replace('.js-meta.xml', ''),
      text(f.doc, 'isExposed') === 'true',
    ]),
  );
  for (const page of byRoot('FlexiPage')) {
    count(res, 'record pages');
    const object = text(page.doc, 'sobjectType');
    if (object && !objectExists(tree, object))
      err(page, `page for ${object}, which does not exist`);
    const walkInstances = (node: Record<string, unknown>): void => {
      for (const region of children(node as never, 'flexiPageRegions')) {
        for (const item of children(region, 'itemInstances')) {
          for (const component of children(item, 'componentInstance')) {
            const componentName = text(component, 'componentName') ?? '';
            if (componentName.startsWith('c:')) {
              const bundle = exposedBundles.get(componentName.slice(2));
              if (bundle === undefined)
                err(page, `places ${componentName}, which is not a component of the package`);
              else if (!bundle)
                err(page, `places ${componentName}, which is not exposed (isExposed false)`);
            }
            for (const p of children(component, 'componentInstanceProperties')) {
              if (text(p, 'name') !== 'relatedListApiName' || !object) continue;
              const rel = (text(p, 'value') ?? '').replace(/__r$/, '');
              const found = [...tree.objects.values()].some((o) =>
                [...o.fields.values()].some(
                  (f) => f.relationshipName === rel && f.referenceTo === object,
                ),
              );
              if (!found) err(page, `related list ${rel}__r is not a relationship to ${object}`);
            }
          }
        }
      }
    };
    walkInstances(page.doc);
  }
  for (const file of byRoot('CustomObject')) {
    const object = objectOfFile(file);
    for (const override of children(file.doc, 'actionOverrides')) {
      const content = text(override, 'content');
      if (text(override, 'type') === 'Flexipage' && (!content || !flexipages.has(content))) {
        err(file, `actionOverrides names record page ${content ?? '(none)'}, which does not exist`);
      }
    }
    const compact = text(file.doc, 'compactLayoutAssignment');
    if (
      compact &&
      compact !== 'SYSTEM' &&
      !byRoot('CompactLayout').some(
        (c) =>
          c.rel.includes(`/${object}/`) && c.path.endsWith(`${compact}.compactLayout-meta.xml`),
      )
    ) {
      err(file, `compactLayoutAssignment ${compact} does not exist`);
    }
  }

  // The callout chain: permission set principal → external credential ← named credential ← ESR.
  const externalCredentials = new Map(
    byRoot('ExternalCredential').map((f) => [
      basename(f.path).replace('.externalCredential-meta.xml', ''),
      f,
    ]),
  );
  const namedCredentials = new Set(
    byRoot('NamedCredential').map((f) => basename(f.path).replace('.namedCredential-meta.xml', '')),
  );
  const principals = new Set(
    [...externalCredentials].flatMap(([name, f]) =>
      children(f.doc, 'externalCredentialParameters')
        .filter((p) => text(p, 'parameterType') === 'NamedPrincipal')
        .map((p) => `${name}-${text(p, 'parameterName') ?? ''}`),
    ),
  );
  for (const ps of tree.permissionSets) {
    for (const access of children(ps.doc, 'externalCredentialPrincipalAccesses')) {
      const principal = text(access, 'externalCredentialPrincipal') ?? '';
      if (!principals.has(principal))
        err(
          ps,
          `externalCredentialPrincipal ${principal} is not a named principal of any external credential`,
        );
    }
  }
  for (const nc of byRoot('NamedCredential')) {
    for (const p of children(nc.doc, 'namedCredentialParameters')) {
      const ext = text(p, 'externalCredential');
      if (ext && !externalCredentials.has(ext))
        err(nc, `names external credential ${ext}, which does not exist`);
    }
  }
  for (const esr of byRoot('ExternalServiceRegistration')) {
    const nc = text(esr.doc, 'namedCredentialReference') ?? text(esr.doc, 'namedCredential');
    if (nc && !namedCredentials.has(nc))
      err(esr, `names named credential ${nc}, which does not exist`);
  }

  // Validation rules: custom permissions and custom fields named in formulas.
  for (const rule of byRoot('ValidationRule')) {
    count(res, 'validation rules');
    const object = objectOfFile(rule);
    const formula = text(rule.doc, 'errorConditionFormula') ?? '';
    for (const match of formula.matchAll(/\$Permission\.(\w+)/g)) {
      if (!tree.customPermissions.has(match[1] ?? ''))
        err(rule, `formula names custom permission ${match[1]}, which does not exist`);
    }
    for (const match of formula.replace(/\$\w+\.\w+/g, '').matchAll(/\b(\w+__r\.)?(\w+__c)\b/g)) {
      if (match[1]) continue; // parent fields: checked by the relationship's own field
      checkField(rule, object, match[2] ?? '', 'validation rule formula');
    }
    const field = text(rule.doc, 'errorDisplayField');
    if (field) checkField(rule, object, field, 'errorDisplayField');
  }
  return res;
}
