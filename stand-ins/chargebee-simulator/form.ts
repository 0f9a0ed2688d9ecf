/**
 * Chargebee's form bodies → objects. Chargebee indexes repeated parameters
 * (`subscription_items[item_price_id][0]=a&subscription_items[quantity][0]=2`), which become
 * arrays of objects (`subscription_items: [{item_price_id: 'a', quantity: '2'}]`); `coupon_ids[0]`
 * becomes an array of strings; `customer[first_name]` an object. Values stay strings.
 */
type Node = Record<string, unknown>;

export function parseBracketForm(body: string): Node {
  const root: Node = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    if (!m) throw new Error(`unreadable parameter name ${JSON.stringify(name)}`);
    const parts = [
      m[1] as string,
      ...[...(m[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1] as string),
    ];
    if (parts.length === 1) root[parts[0] as string] = value;
    else if (parts.length === 2 && /^\d+$/.test(parts[1] as string)) {
      // coupon_ids[0]=A
      const list = (root[parts[0] as string] as unknown[] | undefined) ?? [];
      list[Number(parts[1])] = value;
      root[parts[0] as string] = list;
    } else if (parts.length === 2) {
      const obj = (root[parts[0] as string] as Node | undefined) ?? {};
      obj[parts[1] as string] = value;
      root[parts[0] as string] = obj;
    } else if (parts.length === 3 && /^\d+$/.test(parts[2] as string)) {
      // subscription_items[item_price_id][0]=a
      const list = (root[parts[0] as string] as Node[] | undefined) ?? [];
      const index = Number(parts[2]);
      list[index] = { ...(list[index] ?? {}), [parts[1] as string]: value };
      root[parts[0] as string] = list;
    } else {
      throw new Error(`unsupported parameter nesting ${JSON.stringify(name)}`);
    }
  }
  for (const [key, value] of Object.entries(root)) {
    if (Array.isArray(value)) root[key] = value.filter((v) => v !== undefined);
  }
  return root;
}
