// Flags by their exact name, before meow: what meow would let through silently is refused with a reason.
import { describe, expect, it } from 'vitest';
import { flagProblem } from '../../src/commands/exact-flags.js';

const FLAGS = { records: { type: 'string' }, json: { type: 'boolean' }, throughput: { type: 'string' }, brokersCount: { type: 'string' } } as const;
const check = (...argv: string[]) => flagProblem(argv, FLAGS, 'cmd');

describe('flagProblem', () => {
  it('accepts every form of a known flag', () => {
    expect(check('--records', '5', '--records=6', '--json', '--no-json', '--json=false', '--throughput', '-1', '--brokers-count', '2', 'positional')).toBeNull();
    expect(check('--help')).toBeNull();
    expect(check('--', '--anything', '-x')).toBeNull();
  });

  it('refuses near misses by their exact name, including camelCase and short forms', () => {
    expect(check('--record', '5')).toBe('unknown flag --record (flags are matched by their exact name; see cmd --help)');
    expect(check('--records-x', '5')).toMatch(/^unknown flag --records-x /);
    expect(check('--brokersCount', '2')).toMatch(/^unknown flag --brokersCount /);
    expect(check('-r', '5')).toMatch(/^unknown flag -r /);
    expect(check('--no-records')).toMatch(/^unknown flag --no-records /);
  });

  it('a value is not mistaken for a flag, and a missing value is not mistaken for the default', () => {
    expect(check('--records', '--json')).toBe('--records needs a value');
    expect(check('--records')).toBe('--records needs a value');
    expect(check('--records=')).toBe('--records needs a value');
    expect(check('--json=1')).toBe("--json takes no value (got '1')");
  });
});
