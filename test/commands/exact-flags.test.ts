// Flags by their exact name, before meow: what meow would let through silently is refused with a reason.
import { describe, expect, it } from 'vitest';
import { flagProblem, parseCommandLine } from '../../src/commands/exact-flags.js';
import { producerMeowFlags } from '../../src/commands/producer-flags.js';

const FLAGS = { records: { type: 'string' }, json: { type: 'boolean' }, throughput: { type: 'string' }, brokersCount: { type: 'string' } } as const;
const check = (...argv: string[]) => flagProblem(argv, FLAGS, 'cmd');

describe('flagProblem', () => {
  it('accepts every form of a known flag', () => {
    expect(check('--records', '5', '--records=6', '--json', '--no-json', '--json=false', '--throughput', '-1', '--brokers-count', '2', 'positional')).toBeNull();
    expect(check('--help')).toBeNull();
    expect(check('--', '--anything', '-x')).toBeNull();
  });

  it('refuses near misses by their exact name, including camelCase and short forms', () => {
    expect(check('--record', '5')).toBe('unknown flag --record: did you mean --records? (flags are matched by their exact name; see cmd --help)');
    expect(check('--records-x', '5')).toMatch(/^unknown flag --records-x[: ]/);
    expect(check('--brokersCount', '2')).toMatch(/^unknown flag --brokersCount[: ]/);
    expect(check('-r', '5')).toMatch(/^unknown flag -r[: ]/);
    expect(check('--no-records')).toMatch(/^unknown flag --no-records[: ]/);
  });

  it('a value is not mistaken for a flag, and a missing value is not mistaken for the default', () => {
    expect(check('--records', '--json')).toBe('--records needs a value');
    expect(check('--records')).toBe('--records needs a value');
    expect(check('--records=')).toBe('--records needs a value');
    expect(check('--json=1')).toBe("--json takes no value (got '1')");
  });
});

describe('what a refused flag suggests', () => {
  it('the flag one edit in three away, or the one flag a cut-short name starts, and nothing for a name far from all', () => {
    expect(check('--recrods', '5')).toMatch(/^unknown flag --recrods: did you mean --records\? /);
    expect(check('--brokers', '2')).toMatch(/^unknown flag --brokers: did you mean --brokers-count\? /);
    expect(check('--through', '5')).toMatch(/^unknown flag --through: did you mean --throughput\? /);
    // One edit from --json; nothing is one edit in three from --xyz, and no flag starts with it.
    expect(check('--jsn')).toMatch(/^unknown flag --jsn: did you mean --json\? /);
    expect(check('--xyz')).toBe('unknown flag --xyz (flags are matched by their exact name; see cmd --help)');
  });

  it("names this app's flag for a Kafka property name, as Kafka writes it or with dashes, negated too", () => {
    const flags = { ...producerMeowFlags, json: { type: 'boolean' } } as const;
    const parse = (...argv: string[]) => parseCommandLine('cmd', '', flags, argv, import.meta);
    const message = (...argv: string[]) => {
      const r = parse(...argv);
      return r.ok ? null : r.message;
    };
    expect(message('--enable.idempotence', 'false')).toMatch(/^unknown flag --enable\.idempotence: Kafka's enable\.idempotence is --idempotent here /);
    expect(message('--linger.ms', '5')).toMatch(/: Kafka's linger\.ms is --linger-ms here /);
    expect(message('--max-in-flight-requests-per-connection', '1')).toMatch(/: Kafka's max-in-flight-requests-per-connection is --max-in-flight here /);
    expect(message('--no-enable.idempotence')).toMatch(/: Kafka's enable\.idempotence is --no-idempotent here /);
    expect(message('--no-linger.ms')).toMatch(/: Kafka's linger\.ms is --linger-ms here /);
    // A command without producer flags does not point at flags it lacks.
    expect(flagProblem(['--linger.ms', '5'], FLAGS, 'cmd')).toBe('unknown flag --linger.ms (flags are matched by their exact name; see cmd --help)');
  });
});
