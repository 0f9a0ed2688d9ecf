/**
 * Rails-style form bodies (what Maxio webhooks are) → nested objects:
 * `payload[subscription][id]=1&payload[tags][]=a` → `{ payload: { subscription: { id: '1' }, tags: ['a'] } }`.
 * Values stay strings, as sent; the mapping converts them.
 */
export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

const KEY = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

export function parseFormBody(body: string): Record<string, unknown> {
  const root: FormObject = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const match = KEY.exec(name);
    if (!match) throw new Error(`unreadable field name ${JSON.stringify(name)}`);
    const path = [
      match[1] as string,
      ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] as string),
    ];
    let node: FormObject | FormValue[] = root;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const nextIsArray = path[i + 1] === '';
      if (Array.isArray(node)) {
        if (last) node.push(value);
        else {
          // `a[][b]=1`: a new object per repeated first key.
          const tail = node[node.length - 1] as FormObject | undefined;
          const child: FormObject =
            tail &&
            typeof tail === 'object' &&
            !Array.isArray(tail) &&
            !((path[i + 1] as string) in tail)
              ? tail
              : {};
          if (child !== tail) node.push(child);
          node = child;
        }
        return;
      }
      if (last) {
        node[part] = value;
        return;
      }
      const existing: FormValue | undefined = node[part];
      if (existing === undefined || typeof existing === 'string') {
        node[part] = nextIsArray ? [] : {};
      }
      node = node[part] as FormObject | FormValue[];
    });
  }
  return root;
}
