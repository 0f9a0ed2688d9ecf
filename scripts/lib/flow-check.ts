/**
 * Cross-references inside and around the package's Flows, which no offline tool checks: External
 * Service actions against the registered OpenAPI document (operation, input and output names, the
 * generated types), connectors, every resource and field a flow names (with compatible types),
 * subflow inputs and outputs, callouts only where Salesforce allows them in record-triggered flows,
 * a fault connector on every action, and the flows the LWCs run with the variables they pass and
 * read. The schema check already fits each flow to the Metadata API's Flow type.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import ts from 'typescript';
import { result, count, type CheckResult } from './report.ts';
import {
  children,
  text,
  texts,
  type MetadataFile,
  type SfdxTree,
  type XmlNode,
  type XmlValue,
} from './sfdx-tree.ts';
import { fieldExists, objectExists } from './xref-check.ts';

/** A value's type, as far as the check can tell. `unknown` is compatible with everything. */
interface ValueType {
  kind: 'text' | 'number' | 'boolean' | 'datetime' | 'date' | 'apex' | 'sobject' | 'unknown';
  collection: boolean;
  apexClass?: string;
  object?: string;
}

const UNKNOWN: ValueType = { kind: 'unknown', collection: false };
const scalar = (kind: ValueType['kind']): ValueType => ({ kind, collection: false });

interface OpenApiSchema {
  type?: string;
  $ref?: string;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
}

interface Operation {
  inputs: Map<string, ValueType>;
  outputs: Map<string, ValueType>;
}

/** What one External Service Registration offers to flows. */
interface Registration {
  name: string;
  operations: Map<string, Operation>;
  /** Generated type (ExternalService__<name>_<schema>) → its properties. */
  types: Map<string, Map<string, ValueType>>;
}

interface FlowVariable {
  type: ValueType;
  isInput: boolean;
  isOutput: boolean;
}

interface FlowInfo {
  file: MetadataFile;
  name: string;
  processType: string;
  variables: Map<string, FlowVariable>;
  /** Elements (nodes) by name, with their kind. */
  elements: Map<string, { kind: string; node: XmlNode }>;
  /** Formulas, text templates, constants: name → type. */
  resources: Map<string, ValueType>;
  startObject?: string;
}

const NODE_KINDS = [
  'actionCalls',
  'assignments',
  'collectionProcessors',
  'customErrors',
  'decisions',
  'loops',
  'recordCreates',
  'recordDeletes',
  'recordLookups',
  'recordRollbacks',
  'recordUpdates',
  'screens',
  'subflows',
  'transforms',
  'waits',
];
const CONNECTOR_KEYS = new Set([
  'connector',
  'faultConnector',
  'defaultConnector',
  'nextValueConnector',
  'noMoreValuesConnector',
  'timeoutConnector',
]);
const FLOW_GLOBALS: Record<string, ValueType> = {
  '$Flow.FaultMessage': scalar('text'),
  '$Flow.CurrentDateTime': scalar('datetime'),
  '$Flow.CurrentDate': scalar('date'),
  '$Flow.InterviewGuid': scalar('text'),
  '$Flow.CurrentRecord': scalar('text'),
  '$Flow.InterviewStartTime': scalar('datetime'),
};
const ES_PREFIX = 'ExternalService__';

function kindOfFieldType(type: string): ValueType['kind'] {
  if (type === 'Checkbox') return 'boolean';
  if (type === 'Number' || type === 'Currency' || type === 'Percent') return 'number';
  if (type === 'DateTime') return 'datetime';
  if (type === 'Date') return 'date';
  return 'text';
}

function kindOfFlowType(type: string): ValueType['kind'] {
  switch (type) {
    case 'String':
    case 'Picklist':
    case 'Multipicklist':
      return 'text';
    case 'Number':
    case 'Currency':
      return 'number';
    case 'Boolean':
      return 'boolean';
    case 'DateTime':
      return 'datetime';
    case 'Date':
      return 'date';
    case 'Apex':
      return 'apex';
    case 'SObject':
      return 'sobject';
    default:
      return 'unknown';
  }
}

function describe(t: ValueType): string {
  const base =
    t.kind === 'apex'
      ? (t.apexClass ?? 'apex')
      : t.kind === 'sobject'
        ? (t.object ?? 'record')
        : t.kind;
  return t.collection ? `a collection of ${base}` : base;
}

function compatible(to: ValueType, from: ValueType): boolean {
  if (to.kind === 'unknown' || from.kind === 'unknown') return true;
  if (to.collection !== from.collection) return false;
  if (to.kind !== from.kind) return false;
  if (to.kind === 'apex') return to.apexClass === from.apexClass;
  if (to.kind === 'sobject') return !to.object || !from.object || to.object === from.object;
  return true;
}

/** Reads each registration's OpenAPI 3 document into the operations and types Flow Builder shows. */
export function readRegistrations(tree: SfdxTree, errors: string[]): Map<string, Registration> {
  const out = new Map<string, Registration>();
  for (const file of tree.files.filter((f) => f.root === 'ExternalServiceRegistration')) {
    const name = basename(file.path).replace('.externalServiceRegistration-meta.xml', '');
    let spec: {
      paths?: Record<string, Record<string, unknown>>;
      components?: { schemas?: Record<string, OpenApiSchema> };
    };
    try {
      spec = JSON.parse(text(file.doc, 'schema') ?? '') as typeof spec;
    } catch (error) {
      errors.push(
        `${file.rel}: <schema> is not a JSON OpenAPI document (${(error as Error).message})`,
      );
      continue;
    }
    const typeOf = (schema: OpenApiSchema | undefined): ValueType => {
      if (!schema) return UNKNOWN;
      if (schema.$ref) {
        return {
          kind: 'apex',
          collection: false,
          apexClass: `${ES_PREFIX}${name}_${schema.$ref.split('/').pop() ?? ''}`,
        };
      }
      if (schema.type === 'array') return { ...typeOf(schema.items), collection: true };
      if (schema.type === 'string') return scalar('text');
      if (schema.type === 'integer' || schema.type === 'number') return scalar('number');
      if (schema.type === 'boolean') return scalar('boolean');
      return UNKNOWN;
    };
    const registration: Registration = { name, operations: new Map(), types: new Map() };
    for (const [schemaName, schema] of Object.entries(spec.components?.schemas ?? {})) {
      const props = new Map<string, ValueType>();
      for (const [prop, propSchema] of Object.entries(schema.properties ?? {}))
        props.set(prop, typeOf(propSchema));
      registration.types.set(`${ES_PREFIX}${name}_${schemaName}`, props);
    }
    for (const methods of Object.values(spec.paths ?? {})) {
      for (const op of Object.values(methods) as {
        operationId?: string;
        parameters?: { name: string; schema?: OpenApiSchema }[];
        requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> };
        responses?: Record<string, { content?: Record<string, { schema?: OpenApiSchema }> }>;
      }[]) {
        if (!op.operationId) continue;
        const inputs = new Map<string, ValueType>();
        for (const p of op.parameters ?? []) inputs.set(p.name, typeOf(p.schema));
        if (op.requestBody)
          inputs.set('body', typeOf(op.requestBody.content?.['application/json']?.schema));
        const outputs = new Map<string, ValueType>([['responseCode', scalar('number')]]);
        for (const [code, response] of Object.entries(op.responses ?? {}))
          outputs.set(code, typeOf(response.content?.['application/json']?.schema));
        registration.operations.set(op.operationId, { inputs, outputs });
      }
    }
    out.set(name, registration);
  }
  return out;
}

function flowName(file: MetadataFile): string {
  return basename(file.path).replace('.flow-meta.xml', '');
}

function readFlow(file: MetadataFile): FlowInfo {
  const variables = new Map<string, FlowVariable>();
  for (const v of children(file.doc, 'variables')) {
    const dataType = text(v, 'dataType') ?? '';
    variables.set(text(v, 'name') ?? '', {
      type: {
        kind: kindOfFlowType(dataType),
        collection: text(v, 'isCollection') === 'true',
        ...(text(v, 'apexClass') ? { apexClass: text(v, 'apexClass') } : {}),
        ...(text(v, 'objectType') ? { object: text(v, 'objectType') } : {}),
      },
      isInput: text(v, 'isInput') === 'true',
      isOutput: text(v, 'isOutput') === 'true',
    });
  }
  const elements = new Map<string, { kind: string; node: XmlNode }>();
  for (const kind of NODE_KINDS)
    for (const node of children(file.doc, kind))
      elements.set(text(node, 'name') ?? '', { kind, node });
  const resources = new Map<string, ValueType>();
  for (const f of children(file.doc, 'formulas'))
    resources.set(text(f, 'name') ?? '', scalar(kindOfFlowType(text(f, 'dataType') ?? '')));
  for (const t of children(file.doc, 'textTemplates'))
    resources.set(text(t, 'name') ?? '', scalar('text'));
  for (const c of children(file.doc, 'constants'))
    resources.set(text(c, 'name') ?? '', scalar(kindOfFlowType(text(c, 'dataType') ?? '')));
  const start = children(file.doc, 'start')[0];
  return {
    file,
    name: flowName(file),
    processType: text(file.doc, 'processType') ?? '',
    variables,
    elements,
    resources,
    ...(start && text(start, 'object') ? { startObject: text(start, 'object') } : {}),
  };
}

/** Every connector target in a node, however deep (rules, scheduled paths, …). */
function connectorTargets(node: XmlValue, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const v of node) connectorTargets(v, out);
  } else if (typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (CONNECTOR_KEYS.has(key)) {
        for (const c of Array.isArray(value) ? value : [value])
          if (typeof c === 'object' && !Array.isArray(c))
            out.push(text(c, 'targetReference') ?? '');
      } else if (key !== 'scheduledPaths') {
        connectorTargets(value, out);
      }
    }
  }
  return out;
}

function valueOf(node: XmlNode | undefined): {
  ref?: string;
  literal?: ValueType;
  stringValue?: string;
} {
  if (!node) return {};
  const ref = text(node, 'elementReference');
  if (ref) return { ref };
  if (text(node, 'stringValue') !== undefined)
    return { literal: scalar('text'), stringValue: text(node, 'stringValue') };
  if (text(node, 'booleanValue') !== undefined) return { literal: scalar('boolean') };
  if (text(node, 'numberValue') !== undefined) return { literal: scalar('number') };
  if (text(node, 'dateTimeValue') !== undefined) return { literal: scalar('datetime') };
  if (text(node, 'dateValue') !== undefined) return { literal: scalar('date') };
  return {};
}

export function checkFlows(tree: SfdxTree, lwcDir?: string): CheckResult {
  const res = result('flows');
  const err = (where: MetadataFile | string, message: string): void => {
    res.errors.push(`${typeof where === 'string' ? where : where.rel}: ${message}`);
  };
  const registrations = readRegistrations(tree, res.errors);
  const flows = new Map(
    tree.files.filter((f) => f.root === 'Flow').map((f) => [flowName(f), readFlow(f)]),
  );
  const apexTypes = new Map<string, Map<string, ValueType>>();
  for (const r of registrations.values()) for (const [k, v] of r.types) apexTypes.set(k, v);

  const fieldType = (object: string, field: string): ValueType => {
    const info = tree.objects.get(object)?.fields.get(field);
    if (info) return scalar(kindOfFieldType(info.type));
    if (field === 'Id' || /Id$/.test(field)) return scalar('text');
    if (/^Is[A-Z]/.test(field)) return scalar('boolean');
    return UNKNOWN;
  };

  // Which flows call out, directly or through subflows (for the record-trigger rule).
  const callsOut = new Map<string, boolean>();
  const flowCallsOut = (name: string, seen = new Set<string>()): boolean => {
    const known = callsOut.get(name);
    if (known !== undefined) return known;
    const info = flows.get(name);
    if (!info || seen.has(name)) return false;
    seen.add(name);
    const answer = [...info.elements.values()].some(
      ({ kind, node }) =>
        (kind === 'actionCalls' && text(node, 'actionType') === 'externalService') ||
        (kind === 'subflows' && flowCallsOut(text(node, 'flowName') ?? '', seen)),
    );
    callsOut.set(name, answer);
    return answer;
  };

  for (const info of flows.values()) {
    count(res, 'flows');
    const { file } = info;
    if (!text(file.doc, 'description')) err(file, 'flow has no <description> for admins');

    /** The type of a reference such as `var`, `var.prop.prop`, `Get_X.Field__c`, `$Record.Field__c`. */
    const resolve = (reference: string, what: string): ValueType => {
      count(res, 'references');
      if (reference in FLOW_GLOBALS) return FLOW_GLOBALS[reference] ?? UNKNOWN;
      const [head = '', ...path] = reference.split('.');
      if (head === '$Record' || head === '$Record__Prior') {
        if (!info.startObject) {
          err(file, `${what} names ${reference}, but the flow is not record-triggered`);
          return UNKNOWN;
        }
        if (path.length === 0)
          return { kind: 'sobject', collection: false, object: info.startObject };
        if (path.length > 1) {
          err(
            file,
            `${what} names ${reference}: cross-object references are not checked; use Get Records`,
          );
          return UNKNOWN;
        }
        const field = path[0] ?? '';
        if (!fieldExists(tree, info.startObject, field)) {
          err(file, `${what} names ${info.startObject}.${field}, which does not exist`);
          return UNKNOWN;
        }
        return fieldType(info.startObject, field);
      }
      if (head.startsWith('$')) {
        err(file, `${what} names ${reference}, a global this check does not know`);
        return UNKNOWN;
      }
      const variable = info.variables.get(head);
      if (variable) {
        let type = variable.type;
        for (const prop of path) {
          if (type.collection) {
            err(file, `${what} names ${reference}: ${head} is a collection`);
            return UNKNOWN;
          }
          if (type.kind === 'apex') {
            const props = apexTypes.get(type.apexClass ?? '');
            const next = props?.get(prop);
            if (!next) {
              err(file, `${what} names ${reference}: ${type.apexClass} has no property ${prop}`);
              return UNKNOWN;
            }
            type = next;
          } else if (type.kind === 'sobject' && type.object) {
            if (!fieldExists(tree, type.object, prop)) {
              err(file, `${what} names ${type.object}.${prop}, which does not exist`);
              return UNKNOWN;
            }
            type = fieldType(type.object, prop);
          } else {
            err(file, `${what} names ${reference}: ${head} has no properties`);
            return UNKNOWN;
          }
        }
        return type;
      }
      const resource = info.resources.get(head);
      if (resource && path.length === 0) return resource;
      const element = info.elements.get(head);
      if (element) {
        const object = text(element.node, 'object') ?? '';
        if (
          element.kind === 'recordLookups' &&
          text(element.node, 'storeOutputAutomatically') === 'true'
        ) {
          const many = text(element.node, 'getFirstRecordOnly') !== 'true';
          if (path.length === 0) return { kind: 'sobject', collection: many, object };
          const field = path[0] ?? '';
          if (path.length > 1 || many) {
            err(file, `${what} names ${reference}: only a single record's own fields can be read`);
            return UNKNOWN;
          }
          if (!texts(element.node, 'queriedFields').includes(field)) {
            err(file, `${what} names ${reference}, but ${head} does not query ${field}`);
            return UNKNOWN;
          }
          return fieldType(object, field);
        }
        if (path.length === 0) return element.kind === 'recordCreates' ? scalar('text') : UNKNOWN;
      }
      err(
        file,
        `${what} names ${reference}, which is not a variable, resource or element of this flow`,
      );
      return UNKNOWN;
    };

    const checkValue = (
      to: ValueType,
      value: XmlNode | undefined,
      what: string,
      picklist?: { values: string[]; restricted: boolean },
    ): void => {
      const v = valueOf(value);
      const from = v.ref ? resolve(v.ref, what) : v.literal;
      if (!from) return; // no value: clears the target
      if (!compatible(to, from))
        err(file, `${what}: ${describe(from)} cannot go into ${describe(to)}`);
      if (
        picklist?.restricted &&
        v.stringValue !== undefined &&
        !picklist.values.includes(v.stringValue)
      )
        err(file, `${what}: "${v.stringValue}" is not a value of the picklist`);
    };

    const checkObjectField = (
      object: string,
      field: string,
      what: string,
    ): ValueType | undefined => {
      count(res, 'field references');
      if (!fieldExists(tree, object, field)) {
        err(file, `${what} names ${object}.${field}, which does not exist`);
        return undefined;
      }
      return fieldType(object, field);
    };

    const picklistOf = (object: string, field: string) => {
      const f = tree.objects.get(object)?.fields.get(field);
      return f && f.type === 'Picklist'
        ? { values: f.picklistValues, restricted: f.restricted }
        : undefined;
    };

    // Variables: generated types must exist (there is no Apex in the package).
    for (const [name, variable] of info.variables) {
      if (variable.type.kind === 'apex' && !apexTypes.has(variable.type.apexClass ?? ''))
        err(
          file,
          `variable ${name} has type ${variable.type.apexClass ?? '(none)'}, which is not an External Service type of the package`,
        );
      if (variable.type.kind === 'sobject' && !objectExists(tree, variable.type.object ?? ''))
        err(
          file,
          `variable ${name} is a record of ${variable.type.object ?? '(none)'}, which does not exist`,
        );
    }

    // Connectors.
    const targets = connectorTargets(file.doc);
    for (const sp of children(children(file.doc, 'start')[0] ?? {}, 'scheduledPaths'))
      targets.push(...connectorTargets(sp));
    for (const target of targets) {
      count(res, 'connectors');
      if (!info.elements.has(target))
        err(file, `a connector goes to ${target}, which is not an element of this flow`);
    }

    for (const [name, { kind, node }] of info.elements) {
      const where = `${kind.replace(/s$/, '')} ${name}`;
      if (kind === 'actionCalls') {
        count(res, 'actions');
        if (!children(node, 'faultConnector')[0])
          err(
            file,
            `${where} has no fault connector; a failed call would stop the flow with no message`,
          );
        if (text(node, 'actionType') !== 'externalService') continue;
        const actionName = text(node, 'actionName') ?? '';
        const [registrationName = '', operationId = ''] = actionName.split('.');
        const operation = registrations.get(registrationName)?.operations.get(operationId);
        if (!operation) {
          err(
            file,
            `${where} calls ${actionName}, which is not an operation of any External Service Registration`,
          );
          continue;
        }
        for (const input of children(node, 'inputParameters')) {
          const param = text(input, 'name') ?? '';
          const type = operation.inputs.get(param);
          if (!type) {
            err(file, `${where} passes ${param}, which ${actionName} does not take`);
            continue;
          }
          checkValue(type, children(input, 'value')[0], `${where} input ${param}`);
        }
        for (const output of children(node, 'outputParameters')) {
          const param = text(output, 'name') ?? '';
          const type = operation.outputs.get(param);
          if (!type) {
            err(file, `${where} reads ${param}, which ${actionName} does not return`);
            continue;
          }
          const to = resolve(text(output, 'assignToReference') ?? '', `${where} output ${param}`);
          if (!compatible(to, type))
            err(file, `${where} output ${param}: ${describe(type)} cannot go into ${describe(to)}`);
        }
      } else if (kind === 'assignments') {
        for (const item of children(node, 'assignmentItems')) {
          const target = text(item, 'assignToReference') ?? '';
          const to = resolve(target, `${where} → ${target}`);
          const operator = text(item, 'operator');
          const into = operator === 'Add' && to.collection ? { ...to, collection: false } : to;
          checkValue(into, children(item, 'value')[0], `${where} → ${target}`);
        }
      } else if (kind === 'decisions') {
        for (const rule of children(node, 'rules')) {
          for (const condition of children(rule, 'conditions')) {
            const left = text(condition, 'leftValueReference') ?? '';
            const leftType = resolve(left, `${where} condition`);
            const operator = text(condition, 'operator') ?? '';
            const expected = ['IsNull', 'IsBlank', 'IsChanged', 'IsEmpty'].includes(operator)
              ? scalar('boolean')
              : leftType;
            checkValue(
              expected,
              children(condition, 'rightValue')[0],
              `${where} condition on ${left}`,
            );
          }
        }
      } else if (
        ['recordLookups', 'recordCreates', 'recordUpdates', 'recordDeletes'].includes(kind)
      ) {
        const inputReference = text(node, 'inputReference');
        if (inputReference) resolve(inputReference, `${where} input record`);
        const object = text(node, 'object');
        if (!object) continue;
        if (!objectExists(tree, object)) {
          err(file, `${where} works on ${object}, which does not exist`);
          continue;
        }
        for (const filter of children(node, 'filters')) {
          const field = text(filter, 'field') ?? '';
          const type = checkObjectField(object, field, `${where} filter`);
          if (type) checkValue(type, children(filter, 'value')[0], `${where} filter on ${field}`);
        }
        for (const field of texts(node, 'queriedFields'))
          checkObjectField(object, field, `${where} query`);
        for (const assignment of children(node, 'inputAssignments')) {
          const field = text(assignment, 'field') ?? '';
          const type = checkObjectField(object, field, `${where} field`);
          if (type)
            checkValue(
              type,
              children(assignment, 'value')[0],
              `${where} ${object}.${field}`,
              picklistOf(object, field),
            );
        }
        const idTo = text(node, 'assignRecordIdToReference');
        if (idTo) {
          const to = resolve(idTo, `${where} record id`);
          if (!compatible(to, scalar('text')))
            err(file, `${where}: the new record's id cannot go into ${describe(to)}`);
        }
      } else if (kind === 'subflows') {
        const target = flows.get(text(node, 'flowName') ?? '');
        if (!target) {
          err(
            file,
            `${where} runs flow ${text(node, 'flowName') ?? '(none)'}, which is not in the package`,
          );
          continue;
        }
        for (const input of children(node, 'inputAssignments')) {
          const param = text(input, 'name') ?? '';
          const variable = target.variables.get(param);
          if (!variable?.isInput) {
            err(file, `${where} passes ${param}, which is not an input variable of ${target.name}`);
            continue;
          }
          checkValue(variable.type, children(input, 'value')[0], `${where} input ${param}`);
        }
        for (const output of children(node, 'outputAssignments')) {
          const param = text(output, 'name') ?? '';
          const variable = target.variables.get(param);
          if (!variable?.isOutput) {
            err(file, `${where} reads ${param}, which is not an output variable of ${target.name}`);
            continue;
          }
          const to = resolve(text(output, 'assignToReference') ?? '', `${where} output ${param}`);
          if (!compatible(to, variable.type))
            err(
              file,
              `${where} output ${param}: ${describe(variable.type)} cannot go into ${describe(to)}`,
            );
        }
      }
    }

    // Merge fields in formulas, text templates and the start's entry formula.
    const mergeTexts = [
      ...children(file.doc, 'formulas').map((f) => text(f, 'expression') ?? ''),
      ...children(file.doc, 'textTemplates').map((t) => text(t, 'text') ?? ''),
      ...children(file.doc, 'start').map((s) => text(s, 'filterFormula') ?? ''),
    ];
    for (const t of mergeTexts)
      for (const match of t.matchAll(/\{!([^}]+)\}/g))
        resolve((match[1] ?? '').trim(), 'a merge field');

    // Record-triggered flows: callouts only after the save commits.
    const start = children(file.doc, 'start')[0];
    const trigger = start ? text(start, 'triggerType') : undefined;
    if (start && (trigger === 'RecordAfterSave' || trigger === 'RecordBeforeSave')) {
      const seen = new Set<string>();
      const queue = connectorTargets({ connector: start.connector ?? [] });
      while (queue.length > 0) {
        const next = queue.shift() ?? '';
        if (seen.has(next)) continue;
        seen.add(next);
        const element = info.elements.get(next);
        if (!element) continue;
        const callout =
          (element.kind === 'actionCalls' &&
            text(element.node, 'actionType') === 'externalService') ||
          (element.kind === 'subflows' && flowCallsOut(text(element.node, 'flowName') ?? ''));
        if (callout)
          err(
            file,
            `${next} calls out on the synchronous path of a record-triggered flow; move it to a Run Asynchronously (AsyncAfterCommit) path`,
          );
        queue.push(...connectorTargets(element.node));
      }
      for (const path of children(start, 'scheduledPaths')) {
        const pathType = text(path, 'pathType');
        if (pathType !== undefined && pathType !== 'AsyncAfterCommit')
          err(
            file,
            `scheduled path ${text(path, 'name') ?? ''} has pathType ${pathType}; only AsyncAfterCommit is expected here`,
          );
      }
    }
  }

  // Permission sets grant access to flows that exist.
  for (const ps of tree.permissionSets) {
    for (const access of children(ps.doc, 'flowAccesses')) {
      const name = text(access, 'flow') ?? '';
      if (!flows.has(name)) err(ps, `flowAccesses names flow ${name}, which does not exist`);
    }
  }

  // The flows the LWCs run, with the inputs they pass and the outputs they read.
  if (lwcDir && existsSync(lwcDir)) {
    for (const use of lwcFlowUses(lwcDir)) {
      count(res, 'LWC flow runs');
      const where = `lwc/${use.file}`;
      const target = flows.get(use.flow);
      if (!target) {
        err(where, `runs flow ${use.flow}, which is not in the package`);
        continue;
      }
      if (target.processType !== 'Flow')
        err(
          where,
          `runs ${use.flow} through lightning-flow, but it is a ${target.processType}, not a screen flow`,
        );
      if (!target.variables.get('faultMessage')?.isOutput)
        err(where, `runs ${use.flow}, which has no faultMessage output to report failures`);
      for (const input of use.inputs) {
        if (!target.variables.get(input)?.isInput)
          err(where, `passes ${input} to ${use.flow}, which has no input variable ${input}`);
      }
      for (const output of use.outputs) {
        if (!target.variables.get(output)?.isOutput)
          err(where, `reads ${output} from ${use.flow}, which has no output variable ${output}`);
      }
    }
  }
  return res;
}

export interface LwcFlowUse {
  file: string;
  flow: string;
  inputs: string[];
  outputs: string[];
}

/**
 * Finds `x.run(FLOW, inputs)` / `this.runFlow(FLOW, inputs, …)` calls in the LWC sources: the flow
 * name (a string or a const), the `name:` of each input object, and the `outputs.<name>` read from
 * the awaited result in the same function.
 */
export function lwcFlowUses(lwcDir: string): LwcFlowUse[] {
  const uses: LwcFlowUse[] = [];
  for (const bundle of readdirSync(lwcDir, { withFileTypes: true })) {
    if (!bundle.isDirectory()) continue;
    for (const fileName of readdirSync(join(lwcDir, bundle.name))) {
      if (!fileName.endsWith('.ts') || fileName.endsWith('.d.ts')) continue;
      const path = join(lwcDir, bundle.name, fileName);
      const source = ts.createSourceFile(
        path,
        readFileSync(path, 'utf8'),
        ts.ScriptTarget.Latest,
        true,
      );
      const constants = new Map<string, string>();
      const visitConst = (node: ts.Node): void => {
        if (
          ts.isVariableDeclaration(node) &&
          ts.isIdentifier(node.name) &&
          node.initializer &&
          ts.isStringLiteral(node.initializer)
        )
          constants.set(node.name.text, node.initializer.text);
        ts.forEachChild(node, visitConst);
      };
      visitConst(source);
      const stringOf = (node: ts.Expression | undefined): string | undefined => {
        if (!node) return undefined;
        if (ts.isStringLiteral(node)) return node.text;
        if (ts.isIdentifier(node)) return constants.get(node.text);
        return undefined;
      };
      const inputNames = (node: ts.Expression | undefined, scope: ts.Node): string[] => {
        if (!node) return [];
        let array: ts.Expression | undefined = node;
        if (ts.isIdentifier(node)) {
          array = undefined;
          const find = (n: ts.Node): void => {
            if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === node.text)
              array = n.initializer;
            ts.forEachChild(n, find);
          };
          find(scope);
        }
        if (!array || !ts.isArrayLiteralExpression(array)) return [];
        return array.elements.flatMap((element) => {
          if (!ts.isObjectLiteralExpression(element)) return [];
          const name = element.properties.find(
            (p): p is ts.PropertyAssignment =>
              ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'name',
          );
          const value = name ? stringOf(name.initializer) : undefined;
          return value ? [value] : [];
        });
      };
      const visit = (node: ts.Node, scope: ts.Node): void => {
        const nextScope = ts.isFunctionLike(node) ? node : scope;
        if (
          ts.isCallExpression(node) &&
          ts.isPropertyAccessExpression(node.expression) &&
          (node.expression.name.text === 'run' || node.expression.name.text === 'runFlow')
        ) {
          const flow = stringOf(node.arguments[0]);
          if (flow) {
            const outputs = new Set<string>();
            // const outputs = await …run(…); then outputs.x in the same function.
            let holder: ts.Node = node.parent;
            while (ts.isAwaitExpression(holder) || ts.isParenthesizedExpression(holder))
              holder = holder.parent;
            if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) {
              const variable = holder.name.text;
              const reads = (n: ts.Node): void => {
                if (
                  ts.isPropertyAccessExpression(n) &&
                  ts.isIdentifier(n.expression) &&
                  n.expression.text === variable
                )
                  outputs.add(n.name.text);
                ts.forEachChild(n, reads);
              };
              reads(scope);
            }
            uses.push({
              file: `${bundle.name}/${fileName}`,
              flow,
              inputs: inputNames(node.arguments[1], scope),
              outputs: [...outputs],
            });
          }
        }
        ts.forEachChild(node, (child) => visit(child, nextScope));
      };
      visit(source, source);
    }
  }
  return uses;
}
