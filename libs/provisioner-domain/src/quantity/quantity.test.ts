import { describe, expect, it } from 'vitest';
import { QuantityParseError } from './errors.js';
import { addQuantities, compareQuantities, parseQuantity, quantityToDecimalString, toBaseUnits, toMilliUnits } from './quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['0', '0'],
    ['1', '1'],
    ['100m', '0.1'],
    ['1500m', '1.5'],
    ['1.5', '1.5'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['+2', '2'],
    ['-2', '-2'],
    ['-100m', '-0.1'],
    ['1k', '1000'],
    ['1M', '1000000'],
    ['1G', '1000000000'],
    ['1T', '1000000000000'],
    ['1P', '1000000000000000'],
    ['1E', '1000000000000000000'],
    ['1Ki', '1024'],
    ['1.5Ki', '1536'],
    ['1Mi', '1048576'],
    ['1Gi', '1073741824'],
    ['1Ti', '1099511627776'],
    ['1Pi', '1125899906842624'],
    ['1Ei', '1152921504606846976'],
    ['8Ei', '9223372036854775808'],
    ['1e3', '1000'],
    ['1E3', '1000'],
    ['1.5e3', '1500'],
    ['1e-3', '0.001'],
    ['1e+3', '1000'],
    ['12e-1', '1.2'],
    ['0.1', '0.1'],
    ['1n', undefined],
  ])('%s is exactly %s', (text, expected) => {
    if (expected === undefined) {
      expect(() => parseQuantity(text)).toThrow(QuantityParseError);
      return;
    }
    expect(quantityToDecimalString(parseQuantity(text))).toBe(expected);
  });

  it('rounds finer than nano-units up away from zero', () => {
    expect(quantityToDecimalString(parseQuantity('1e-10'))).toBe('0.000000001');
    expect(quantityToDecimalString(parseQuantity('-1e-10'))).toBe('-0.000000001');
    expect(quantityToDecimalString(parseQuantity('0.0000000011'))).toBe('0.000000002');
  });

  it('accepts finite numbers from YAML/JSON', () => {
    expect(quantityToDecimalString(parseQuantity(2))).toBe('2');
    expect(quantityToDecimalString(parseQuantity(0.25))).toBe('0.25');
    expect(quantityToDecimalString(parseQuantity(1e21))).toBe('1000000000000000000000');
  });

  it.each([
    ['', 'EmptyQuantity'],
    ['abc', 'InvalidNumber'],
    ['.', 'InvalidNumber'],
    ['-', 'InvalidNumber'],
    ['1Gb', 'InvalidSuffix'],
    ['1 Gi', 'InvalidSuffix'],
    [' 1', 'InvalidNumber'],
    ['1.5.2', 'InvalidSuffix'],
    ['1e', 'InvalidExponent'],
    ['1e1.5', 'InvalidExponent'],
    ['1ki', 'InvalidSuffix'],
  ])('rejects %j with %s naming the text', (text, code) => {
    try {
      parseQuantity(text);
      expect.unreachable('should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(QuantityParseError);
      const e = error as QuantityParseError;
      expect(e.code).toBe(code);
      expect(e.text).toBe(text);
      expect(e.message).toContain(JSON.stringify(text));
    }
  });

  it('rejects non-finite numbers', () => {
    expect(() => parseQuantity(Number.NaN)).toThrow(/finite/);
    expect(() => parseQuantity(Number.POSITIVE_INFINITY)).toThrow(QuantityParseError);
  });
});

describe('compareQuantities', () => {
  it.each([
    ['1', '1000m', 0],
    ['1Ki', '1024', 0],
    ['1k', '1Ki', -1],
    ['1Gi', '1G', 1],
    ['0.1', '100m', 0],
    ['-1', '0', -1],
    ['1e3', '1k', 0],
    ['999m', '1', -1],
  ])('%s vs %s is %i', (a, b, sign) => {
    expect(Math.sign(compareQuantities(parseQuantity(a), parseQuantity(b)))).toBe(sign);
    expect(Math.sign(compareQuantities(parseQuantity(b), parseQuantity(a)))).toBe(sign === 0 ? 0 : -sign);
  });
});

describe('scaled values', () => {
  it.each([
    ['100m', 100, 1],
    ['1.5', 1500, 2],
    ['1', 1000, 1],
    ['0.0001', 1, 1],
    ['1Gi', 1073741824000, 1073741824],
    ['-0.5', -500, -1],
  ])('%s is %i milli and %i base units (rounded up away from zero)', (text, milli, base) => {
    const q = parseQuantity(text);
    expect(toMilliUnits(q)).toBe(milli);
    expect(toBaseUnits(q)).toBe(base);
  });

  it('adds exactly', () => {
    expect(quantityToDecimalString(addQuantities(parseQuantity('0.1'), parseQuantity('0.2')))).toBe('0.3');
    expect(quantityToDecimalString(addQuantities(parseQuantity('1Gi'), parseQuantity('-1Gi')))).toBe('0');
  });
});
