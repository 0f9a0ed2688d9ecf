/**
 * Exact decimal arithmetic on `Decimal` strings (major units, e.g. "19.99"). Values are held as
 * a bigint of units plus a scale, so 0.1 + 0.2 is exactly "0.30" and nothing is ever a float.
 *
 * Results carry at least two decimals ("12.5" → "12.50"); extra decimals are kept unless a
 * rounding scale is asked for. Rounding is half up, away from zero ("2.345" → "2.35",
 * "-2.345" → "-2.35"), like Java's ROUND_HALF_UP and both providers' invoices.
 */
import type { Decimal } from './model/canonical.ts';

export type DecimalInput = Decimal | number | bigint;

interface Fixed {
  units: bigint;
  scale: number;
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?$/;
const DEFAULT_SCALE = 2;

function parse(value: DecimalInput): Fixed {
  if (typeof value === 'bigint') return { units: value, scale: 0 };
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Not a finite amount: ${value}`);
    text = String(value);
    if (/e/i.test(text)) {
      // Very large/small floats: go through toFixed, which is exact for the digits it prints.
      text = Math.abs(value) >= 1 ? value.toFixed(0) : value.toFixed(20);
    }
  } else {
    text = value.trim();
  }
  const match = DECIMAL_RE.exec(text);
  const intPart = match?.[2] ?? '';
  const fracPart = match?.[3] ?? '';
  if (!match || (intPart === '' && fracPart === '')) {
    throw new TypeError(`Not a decimal amount: ${JSON.stringify(value)}`);
  }
  const digits = BigInt((intPart || '0') + fracPart);
  return { units: match[1] === '-' ? -digits : digits, scale: fracPart.length };
}

function rescale(value: Fixed, scale: number): bigint {
  if (scale < value.scale) throw new RangeError('rescale would lose digits; use round');
  return value.units * 10n ** BigInt(scale - value.scale);
}

/** Divide with half-up (away from zero) rounding. */
function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('Division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return negative ? -q : q;
}

function round(value: Fixed, scale: number): Fixed {
  if (value.scale <= scale) return { units: rescale(value, scale), scale };
  return { units: divRound(value.units, 10n ** BigInt(value.scale - scale)), scale };
}

function format(value: Fixed, minScale = DEFAULT_SCALE): Decimal {
  let { units, scale } = value;
  // Drop trailing zeros beyond minScale, pad up to minScale.
  while (scale > minScale && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  if (scale < minScale) {
    units *= 10n ** BigInt(minScale - scale);
    scale = minScale;
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const intPart = digits.slice(0, digits.length - scale);
  const fracPart = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${intPart}${scale > 0 ? `.${fracPart}` : ''}`;
}

function align(a: Fixed, b: Fixed): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [rescale(a, scale), rescale(b, scale), scale];
}

/** True when `value` is a well-formed decimal (string or number). */
export function isDecimal(value: unknown): value is Decimal {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
}

/** "12.5" → "12.50", "007" → "7.00", "-0" → "0.00"; extra decimals are kept ("1.005"). */
export function normalizeDecimal(value: DecimalInput, minScale = DEFAULT_SCALE): Decimal {
  const fixed = parse(value);
  return format(fixed.units === 0n ? { units: 0n, scale: 0 } : fixed, minScale);
}

/** Round half up (away from zero) to `scale` decimals. */
export function roundDecimal(value: DecimalInput, scale = DEFAULT_SCALE): Decimal {
  const rounded = round(parse(value), scale);
  return format(rounded.units === 0n ? { units: 0n, scale } : rounded, scale);
}

/** Integer minor units → Decimal: 1999 → "19.99", "-5" → "-0.05"; scale 0 for zero-decimal currencies. */
export function centsToDecimal(minor: DecimalInput, scale = DEFAULT_SCALE): Decimal {
  const fixed = parse(minor);
  if (fixed.scale !== 0 && fixed.units % 10n ** BigInt(fixed.scale) !== 0n) {
    throw new TypeError(`Minor units must be an integer: ${JSON.stringify(minor)}`);
  }
  const units = fixed.units / 10n ** BigInt(fixed.scale);
  return format({ units: units === 0n ? 0n : units, scale }, scale);
}

/** Decimal → integer minor units, rounded half up: "19.99" → 1999n, "0.125" → 13n. */
export function decimalToMinor(value: DecimalInput, scale = DEFAULT_SCALE): bigint {
  return round(parse(value), scale).units;
}

export function addDecimal(a: DecimalInput, b: DecimalInput): Decimal {
  const [x, y, scale] = align(parse(a), parse(b));
  return format({ units: x + y, scale });
}

export function subDecimal(a: DecimalInput, b: DecimalInput): Decimal {
  const [x, y, scale] = align(parse(a), parse(b));
  return format({ units: x - y, scale });
}

export function sumDecimal(values: Iterable<DecimalInput>): Decimal {
  let total: Fixed = { units: 0n, scale: 0 };
  for (const value of values) {
    const [x, y, scale] = align(total, parse(value));
    total = { units: x + y, scale };
  }
  return format(total);
}

export function negateDecimal(value: DecimalInput): Decimal {
  const fixed = parse(value);
  return format({ units: -fixed.units, scale: fixed.scale });
}

/** Amount × quantity, exact unless `scale` is given (then rounded half up). */
export function mulDecimal(amount: DecimalInput, quantity: DecimalInput, scale?: number): Decimal {
  const a = parse(amount);
  const q = parse(quantity);
  const product = { units: a.units * q.units, scale: a.scale + q.scale };
  return scale === undefined ? format(product) : format(round(product, scale), scale);
}

/** a ÷ b rounded half up to `scale` decimals (default 2). */
export function divDecimal(a: DecimalInput, b: DecimalInput, scale = DEFAULT_SCALE): Decimal {
  const x = parse(a);
  const y = parse(b);
  // a/b = (xu / 10^xs) / (yu / 10^ys); result units at `scale` = xu·10^(scale+ys) / (yu·10^xs)
  const numerator = x.units * 10n ** BigInt(scale + y.scale);
  const denominator = y.units * 10n ** BigInt(x.scale);
  return format({ units: divRound(numerator, denominator), scale }, scale);
}

/** `pct` percent of `amount`, rounded half up to `scale`: percentOf("19.99", "15") → "3.00". */
export function percentOf(amount: DecimalInput, pct: DecimalInput, scale = DEFAULT_SCALE): Decimal {
  const a = parse(amount);
  const p = parse(pct);
  const product = { units: a.units * p.units, scale: a.scale + p.scale + 2 };
  return format(round(product, scale), scale);
}

/** -1, 0 or 1. */
export function compareDecimal(a: DecimalInput, b: DecimalInput): -1 | 0 | 1 {
  const [x, y] = align(parse(a), parse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isZeroDecimal(value: DecimalInput): boolean {
  return parse(value).units === 0n;
}

export function minDecimal(a: DecimalInput, b: DecimalInput): Decimal {
  return compareDecimal(a, b) <= 0 ? normalizeDecimal(a) : normalizeDecimal(b);
}

export function maxDecimal(a: DecimalInput, b: DecimalInput): Decimal {
  return compareDecimal(a, b) >= 0 ? normalizeDecimal(a) : normalizeDecimal(b);
}
