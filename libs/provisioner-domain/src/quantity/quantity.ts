import type { QuantityValue } from '../core/types.js';
import { QuantityParseError } from './errors.js';

/**
 * An exact Kubernetes quantity: `mantissa × 10^exponent` with a bigint mantissa, so `0.1`, `1.5Gi` and `1e-3`
 * are represented without binary floating-point error. Finer than nano-units (10^-9) is rounded up away from
 * zero, as apimachinery's `resource.ParseQuantity` does.
 */
export interface ExactQuantity {
  readonly mantissa: bigint;
  readonly exponent: number;
}

const DECIMAL_SUFFIX_EXPONENTS: Readonly<Record<string, number>> = {
  '': 0,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const BINARY_SUFFIX_POWERS: Readonly<Record<string, bigint>> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};

/** Smallest exponent kept; apimachinery limits precision to nano-units. */
const MIN_EXPONENT = -9;
const NUMBER_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;
const EXPONENT_PATTERN = /^[eE]([+-]?\d+)$/;

/**
 * Parses a Kubernetes quantity exactly. Grammar (apimachinery `resource.Quantity`):
 * `[+-]<digits>[.<digits>]<suffix>` where suffix is a decimal SI suffix (`m`, ``, `k`, `M`, `G`, `T`, `P`, `E`),
 * a binary SI suffix (`Ki` … `Ei`) or a decimal exponent (`e3`, `E-2`). `.5` and `5.` are accepted; numbers
 * (from YAML/JSON) are accepted when finite.
 * @throws QuantityParseError with a `code` and the offending text when the input is not a quantity.
 */
export function parseQuantity(value: QuantityValue): ExactQuantity {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new QuantityParseError('NotFinite', String(value), 'not a finite number');
    return parseQuantityText(String(value));
  }
  return parseQuantityText(value);
}

/** Like `parseQuantity` but returns `undefined` instead of throwing. */
export function tryParseQuantity(value: QuantityValue): ExactQuantity | undefined {
  try {
    return parseQuantity(value);
  } catch (error) {
    if (error instanceof QuantityParseError) return undefined;
    throw error;
  }
}

function parseQuantityText(text: string): ExactQuantity {
  if (text === '') throw new QuantityParseError('EmptyQuantity', text, 'empty');
  const match = NUMBER_PATTERN.exec(text);
  const sign = match?.[1] ?? '';
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  const suffix = match?.[4] ?? '';
  if (!match || (whole === '' && fraction === '')) {
    throw new QuantityParseError('InvalidNumber', text, 'expected a number such as 100m, 1.5Gi or 2');
  }
  let mantissa = BigInt(`${whole}${fraction}` || '0');
  let exponent = -fraction.length;
  const decimal = DECIMAL_SUFFIX_EXPONENTS[suffix];
  const binary = BINARY_SUFFIX_POWERS[suffix];
  if (decimal !== undefined) {
    exponent += decimal;
  } else if (binary !== undefined) {
    mantissa *= binary;
  } else {
    const exp = EXPONENT_PATTERN.exec(suffix);
    if (!exp) {
      if (/^[eE]/.test(suffix)) throw new QuantityParseError('InvalidExponent', text, `bad decimal exponent ${JSON.stringify(suffix)}`);
      throw new QuantityParseError('InvalidSuffix', text, `unknown suffix ${JSON.stringify(suffix)} (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<n>)`);
    }
    const shift = Number(exp[1]);
    if (!Number.isSafeInteger(shift) || Math.abs(shift) > 1000) {
      throw new QuantityParseError('InvalidExponent', text, `exponent ${exp[1]} out of range`);
    }
    exponent += shift;
  }
  if (sign === '-') mantissa = -mantissa;
  return normalize(roundToNano({ mantissa, exponent }));
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function roundToNano(q: ExactQuantity): ExactQuantity {
  if (q.exponent >= MIN_EXPONENT) return q;
  const divisor = pow10(MIN_EXPONENT - q.exponent);
  return { mantissa: divideAwayFromZero(q.mantissa, divisor), exponent: MIN_EXPONENT };
}

function normalize(q: ExactQuantity): ExactQuantity {
  if (q.mantissa === 0n) return { mantissa: 0n, exponent: 0 };
  let { mantissa, exponent } = q;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  return { mantissa, exponent };
}

function divideAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (n % d === 0n) return q;
  return n > 0n ? q + 1n : q - 1n;
}

/** Compares exactly: negative when a < b, 0 when equal, positive when a > b. */
export function compareQuantities(a: ExactQuantity, b: ExactQuantity): number {
  const exponent = Math.min(a.exponent, b.exponent);
  const left = a.mantissa * pow10(a.exponent - exponent);
  const right = b.mantissa * pow10(b.exponent - exponent);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Exact sum. */
export function addQuantities(a: ExactQuantity, b: ExactQuantity): ExactQuantity {
  const exponent = Math.min(a.exponent, b.exponent);
  return normalize({ mantissa: a.mantissa * pow10(a.exponent - exponent) + b.mantissa * pow10(b.exponent - exponent), exponent });
}

/**
 * `value × 10^scale` rounded up away from zero to an integer, as apimachinery's `ScaledValue`: scale 3 gives
 * milli-units (`MilliValue`), 0 base units (`Value`). The result is a bigint, exact at any size.
 */
export function scaledValue(q: ExactQuantity, scale: number): bigint {
  const exponent = q.exponent + scale;
  if (exponent >= 0) return q.mantissa * pow10(exponent);
  return divideAwayFromZero(q.mantissa, pow10(-exponent));
}

/** Milli-units rounded up (apimachinery `MilliValue`), as a JS number; exact below 2^53. */
export function toMilliUnits(q: ExactQuantity): number {
  return Number(scaledValue(q, 3));
}

/** Base units rounded up (apimachinery `Value`), as a JS number; exact below 2^53. */
export function toBaseUnits(q: ExactQuantity): number {
  return Number(scaledValue(q, 0));
}

/** The exact decimal text of a quantity without suffix: `1.5Gi` gives `"1610612736"`, `100m` gives `"0.1"`. */
export function quantityToDecimalString(q: ExactQuantity): string {
  const negative = q.mantissa < 0n;
  const digits = (negative ? -q.mantissa : q.mantissa).toString();
  let text: string;
  if (q.exponent >= 0) {
    text = digits + '0'.repeat(q.exponent);
  } else {
    const padded = digits.padStart(-q.exponent + 1, '0');
    text = `${padded.slice(0, q.exponent)}.${padded.slice(q.exponent)}`;
  }
  return negative ? `-${text}` : text;
}
