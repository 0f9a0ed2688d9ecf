/**
 * Salesforce record ids: 3-character key prefix, 2-character pod, 10-character sequence (base
 * 62), then the 3-character case-safe suffix that makes the 18-character id unique when compared
 * case-insensitively. `toId15`/`sameId` let 15- and 18-character forms compare equal.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix of a 15-character id. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return suffix;
}

export function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < width; i++) {
    out = BASE62.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

/** An 18-character id: key prefix + pod + sequence number + suffix. */
export function makeId(keyPrefix: string, sequence: number, pod = '5g'): string {
  const id15 = `${keyPrefix}${pod}${base62(sequence, 10)}`;
  return id15 + caseSafeSuffix(id15);
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function isIdShaped(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** The 18-character form of a 15- or 18-character id; null when not id-shaped. */
export function toId18(value: string): string | null {
  if (!isIdShaped(value)) return null;
  const id15 = value.slice(0, 15);
  return id15 + caseSafeSuffix(id15);
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}
