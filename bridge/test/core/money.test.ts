import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDecimal,
  centsToDecimal,
  compareDecimal,
  decimalToMinor,
  divDecimal,
  isDecimal,
  mulDecimal,
  negateDecimal,
  normalizeDecimal,
  percentOf,
  roundDecimal,
  subDecimal,
  sumDecimal,
} from '../../src/money.ts';

describe('money', () => {
  it('adds exactly where floats do not: 0.1 + 0.2', () => {
    assert.notEqual(0.1 + 0.2, 0.3);
    assert.equal(addDecimal('0.1', '0.2'), '0.30');
    assert.equal(addDecimal(0.1, 0.2), '0.30');
    assert.equal(sumDecimal(Array.from({ length: 10 }, () => '0.1')), '1.00');
  });

  const table = <A extends unknown[], R>(name: string, fn: (...args: A) => R, rows: [A, R][]) => {
    for (const [args, expected] of rows) {
      it(`${name}(${args.map((a) => JSON.stringify(typeof a === 'bigint' ? `${a}n` : a)).join(', ')}) = ${String(expected)}`, () => {
        assert.equal(fn(...args), expected);
      });
    }
  };

  table('normalizeDecimal', (v: string | number) => normalizeDecimal(v), [
    [['12.5'], '12.50'],
    [['7'], '7.00'],
    [['007.10'], '7.10'],
    [['-0'], '0.00'],
    [['-0.00'], '0.00'],
    [['1.005'], '1.005'],
    [['1.2300'], '1.23'],
    [['.5'], '0.50'],
    [['+3'], '3.00'],
    [[19.99], '19.99'],
    [['123456789012345678901234.5'], '123456789012345678901234.50'],
  ]);

  table(
    'centsToDecimal',
    (v: string | number | bigint, scale?: number) => centsToDecimal(v, scale),
    [
      [[1999], '19.99'],
      [['1999'], '19.99'],
      [[5], '0.05'],
      [[-5], '-0.05'],
      [[-12345], '-123.45'],
      [[0], '0.00'],
      [[1999n], '19.99'],
      [[500, 0], '500'],
      [[12345, 3], '12.345'],
      [['9007199254740993'], '90071992547409.93'],
    ],
  );

  it('centsToDecimal refuses fractional cents', () => {
    assert.throws(() => centsToDecimal('12.5'), TypeError);
  });

  table('decimalToMinor', (v: string, scale?: number) => decimalToMinor(v, scale), [
    [['19.99'], 1999n],
    [['0.125'], 13n],
    [['0.124'], 12n],
    [['-0.125'], -13n],
    [['-2.345'], -235n],
    [['1'], 100n],
    [['1.5', 0], 2n],
  ]);

  table('roundDecimal (half up, away from zero)', (v: string, s?: number) => roundDecimal(v, s), [
    [['2.345'], '2.35'],
    [['2.344'], '2.34'],
    [['-2.345'], '-2.35'],
    [['-0.004'], '0.00'],
    [['1.005'], '1.01'],
    [['2.5', 0], '3'],
    [['-2.5', 0], '-3'],
  ]);

  table('subDecimal', subDecimal, [
    [['10.00', '0.01'], '9.99'],
    [['1', '1.005'], '-0.005'],
    [['0.3', '0.1'], '0.20'],
    [['-5', '-5'], '0.00'],
  ]);

  table('mulDecimal', (a: string, q: string, s?: number) => mulDecimal(a, q, s), [
    [['19.99', '3'], '59.97'],
    [['0.333', '3'], '0.999'],
    [['0.333', '3', 2], '1.00'],
    [['-4.50', '2.5'], '-11.25'],
    [['1.10', '1.10'], '1.21'],
  ]);

  table('percentOf (rounded half up to cents)', (a: string, p: string) => percentOf(a, p), [
    [['19.99', '15'], '3.00'],
    [['10.00', '12.5'], '1.25'],
    [['0.10', '5'], '0.01'],
    [['0.09', '5'], '0.00'],
    [['100', '8.875'], '8.88'],
    [['-19.99', '15'], '-3.00'],
    [['-0.10', '5'], '-0.01'],
    [['49.00', '100'], '49.00'],
    [['0', '20'], '0.00'],
  ]);

  table('divDecimal', (a: string, b: string) => divDecimal(a, b), [
    [['10', '3'], '3.33'],
    [['20', '3'], '6.67'],
    [['-20', '3'], '-6.67'],
    [['1.00', '0.5'], '2.00'],
  ]);

  it('divDecimal by zero throws', () => {
    assert.throws(() => divDecimal('1', '0'), RangeError);
  });

  table('compareDecimal', compareDecimal, [
    [['1.0', '1.00'], 0],
    [['1.01', '1.1'], -1],
    [['-1', '-2'], 1],
    [['0.30', addDecimal('0.1', '0.2')], 0],
  ]);

  it('negateDecimal and isDecimal', () => {
    assert.equal(negateDecimal('5.5'), '-5.50');
    assert.equal(negateDecimal('-5.5'), '5.50');
    assert.equal(isDecimal('1.5'), true);
    assert.equal(isDecimal('1,5'), false);
    assert.equal(isDecimal('abc'), false);
    assert.equal(isDecimal(''), false);
    assert.equal(isDecimal(Number.NaN), false);
  });

  it('rejects malformed input with a clear error', () => {
    assert.throws(() => addDecimal('1.2.3', '1'), /Not a decimal amount: "1.2.3"/);
    assert.throws(() => normalizeDecimal(Infinity), /Not a finite amount/);
  });
});
