/**
 * Chargebee's request encoding: `application/x-www-form-urlencoded` with brackets.
 *
 *   { customer: { first_name: 'Ada' } }                → customer[first_name]=Ada
 *   { subscription_items: [{ item_price_id: 'a' }] }   → subscription_items[item_price_id][0]=a
 *   { coupon_ids: ['X'] }                              → coupon_ids[0]=X
 *   { meta_data: { k: 'v' } } (a JSON parameter)       → meta_data={"k":"v"}
 *
 * null and undefined are left out; booleans are `true`/`false`.
 */
export type FormInput = Record<string, unknown>;

/** Parameters Chargebee takes as a JSON string rather than bracketed fields. */
const JSON_PARAMS = new Set(['meta_data', 'additional_information', 'exemption_details']);

const scalar = (v: unknown): string =>
  typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);

export function encodeForm(input: FormInput): string {
  const parts: string[] = [];
  const add = (name: string, value: unknown) => {
    if (value === null || value === undefined) return;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(scalar(value))}`);
  };
  for (const [key, value] of Object.entries(input)) {
    if (value === null || value === undefined) continue;
    if (JSON_PARAMS.has(key) && typeof value === 'object') {
      add(key, JSON.stringify(value));
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item !== null && typeof item === 'object') {
          for (const [field, v] of Object.entries(item as Record<string, unknown>))
            add(`${key}[${field}][${i}]`, v);
        } else add(`${key}[${i}]`, item);
      });
    } else if (typeof value === 'object') {
      for (const [field, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== null && typeof v === 'object')
          throw new TypeError(`${key}[${field}] is nested too deep for Chargebee`);
        add(`${key}[${field}]`, v);
      }
    } else add(key, value);
  }
  return parts.join('&');
}
