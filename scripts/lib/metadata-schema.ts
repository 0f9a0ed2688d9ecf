/**
 * The Metadata API's types, read from `@salesforce/types/lib/metadata.d.ts` with the TypeScript
 * compiler API: for each type, its properties, whether each is required, array or not, and the
 * literal values of enum types. The schema check validates every -meta.xml file against it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

export interface PropertySpec {
  name: string;
  required: boolean;
  array: boolean;
  /** 'string' | 'number' | 'boolean' | a type name from the schema. */
  type: string;
}

export interface MetadataSchema {
  /** Object types: their properties, own and inherited through `Base & {…}`. */
  types: Map<string, Map<string, PropertySpec>>;
  /** Enum types: their allowed literal values. */
  enums: Map<string, Set<string>>;
}

let cached: MetadataSchema | undefined;

export function loadMetadataSchema(): MetadataSchema {
  if (cached) return cached;
  // The package's exports map hides lib/metadata.d.ts; find it next to the resolved entry point.
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('@salesforce/types/metadata')), 'metadata.d.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const literals = new Map<string, ts.TypeNode>();
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement)) literals.set(statement.name.text, statement.type);
  }
  const types = new Map<string, Map<string, PropertySpec>>();
  const enums = new Map<string, Set<string>>();

  const propertiesOf = (name: string, seen = new Set<string>()): Map<string, PropertySpec> => {
    const known = types.get(name);
    if (known) return known;
    const node = literals.get(name);
    const props = new Map<string, PropertySpec>();
    if (!node || seen.has(name)) return props;
    seen.add(name);
    const parts = ts.isIntersectionTypeNode(node) ? node.types : [node];
    for (const part of parts) {
      if (ts.isTypeReferenceNode(part) && ts.isIdentifier(part.typeName)) {
        for (const [key, spec] of propertiesOf(part.typeName.text, seen)) props.set(key, spec);
      } else if (ts.isTypeLiteralNode(part)) {
        for (const member of part.members) {
          if (!ts.isPropertySignature(member) || !member.type || !member.name) continue;
          const key = member.name.getText(source).replace(/['"]/g, '');
          let typeNode = member.type;
          let array = false;
          if (ts.isArrayTypeNode(typeNode)) {
            array = true;
            typeNode = typeNode.elementType;
          }
          props.set(key, {
            name: key,
            required: !member.questionToken && !array,
            array,
            type: typeNode.getText(source),
          });
        }
      }
    }
    types.set(name, props);
    return props;
  };

  for (const [name, node] of literals) {
    if (ts.isUnionTypeNode(node) && node.types.every((t) => ts.isLiteralTypeNode(t))) {
      enums.set(
        name,
        new Set(
          node.types.map((t) =>
            (t as ts.LiteralTypeNode).literal.getText(source).replace(/^'|'$/g, ''),
          ),
        ),
      );
    } else if (ts.isLiteralTypeNode(node)) {
      enums.set(name, new Set([node.literal.getText(source).replace(/^'|'$/g, '')]));
    } else {
      propertiesOf(name);
    }
  }
  cached = { types, enums };
  return cached;
}
