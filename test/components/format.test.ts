// The screens' number formatting: int() writes whole numbers exactly as toLocaleString('en-US') does (it skips ICU
// for speed), for every size and sign a counter, an offset or a rate can take.
import { describe, expect, it } from 'vitest';
import { int, ms } from '../../src/components/format.js';

const viaIcu = (n: number, width = 0) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-').padStart(width);

describe('int', () => {
  it('groups thousands like en-US at every digit count, both signs', () => {
    const values: number[] = [];
    for (let d = 0; d <= 16; d++) {
      const p = 10 ** d;
      values.push(p - 1, p, p + 1, 7 * p + 3, -(p - 1), -p, -(p + 1), -(7 * p + 3));
    }
    values.push(0, -0, 999.5, -999.5, 1234.4999, -0.4, 0.4, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, -(2 ** 60), 1e21, NaN, Infinity, -Infinity);
    for (const n of values) expect(int(n, 12), String(n)).toBe(viaIcu(n, 12));
  });

  it('pads to the width asked and reads 1,234,567 for a counter', () => {
    expect(int(1_234_567)).toBe('1,234,567');
    expect(int(42, 6)).toBe('    42');
  });
});

describe('ms', () => {
  it('writes 100 ms and over as whole grouped numbers, like toLocaleString', () => {
    expect(ms(99.94, 8)).toBe('    99.9');
    expect(ms(1234.6, 8)).toBe('   1,235');
    expect(ms(null, 4)).toBe('   -');
  });
});
