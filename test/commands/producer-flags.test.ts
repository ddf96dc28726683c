import meow from 'meow';
import { describe, expect, it } from 'vitest';
import { PRODUCER_FLAGS, producerFlagsHelp, producerMeowFlags, producerSettingsFromFlags } from '../../src/commands/producer-flags.js';

function parse(argv: string[]) {
  const cli = meow('', { importMeta: import.meta, argv, allowUnknownFlags: false, flags: producerMeowFlags });
  return producerSettingsFromFlags(cli.flags as Record<string, unknown>, argv);
}

describe('producer settings flags', () => {
  it('has exactly the flags of the command-line contract', () => {
    expect(PRODUCER_FLAGS.map((f) => f.flag).sort()).toEqual(
      [
        '--acks', '--idempotent', '--max-in-flight', '--retries', '--retry-backoff-ms', '--linger-ms', '--batch-size', '--buffer-memory',
        '--compression', '--request-timeout-ms', '--delivery-timeout-ms', '--partitioner', '--transactional-id',
      ].sort(),
    );
  });

  it('turns the given flags, and only those, into Kafka-named settings', () => {
    expect(parse([])).toMatchObject({ ok: true, settings: {} });
    const r = parse(['--acks', '1', '--no-idempotent', '--max-in-flight', '1', '--linger-ms', '20', '--batch-size', '32KiB', '--compression', 'zstd', '--partitioner', 'round-robin', '--retries=3', '--transactional-id', '']);
    expect(r).toMatchObject({
      ok: true,
      settings: {
        acks: 1,
        'enable.idempotence': false,
        'max.in.flight.requests.per.connection': 1,
        'linger.ms': 20,
        'batch.size': 32768,
        'compression.type': 'zstd',
        'partitioner.class': 'round-robin',
        retries: 3,
        'transactional.id': null,
      },
    });
    expect(parse(['--idempotent'])).toMatchObject({ ok: true, settings: { 'enable.idempotence': true } });
    expect(parse(['--request-timeout-ms', '5000'])).toMatchObject({ ok: true, effective: { 'request.timeout.ms': 5000, acks: 'all' } });
  });

  it("reports every bad value with its flag and the settings model's message", () => {
    expect(parse(['--acks', '2', '--linger-ms', '5s', '--compression', 'brotli'])).toEqual({
      ok: false,
      errors: [
        '--acks: acks must be 0, 1 or all (-1 also means all); got "2"',
        '--linger-ms: linger.ms must be a whole number of milliseconds; got "5s"',
        '--compression: compression.type must be one of none, gzip, snappy, lz4, zstd; got "brotli"',
      ],
    });
  });

  it('refuses combinations Kafka refuses, and passes on its warnings', () => {
    const refused = parse(['--idempotent', '--acks', '1']);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors[0]).toMatch(/^--idempotent \/ --acks: Must set acks to all/);
    const warned = parse(['--acks', '1']);
    expect(warned.ok && warned.warnings.join('\n')).toMatch(/Idempotence is off because acks is 1/);
  });

  it('lists every flag in the help with its Kafka name and default', () => {
    const help = producerFlagsHelp(2);
    for (const f of PRODUCER_FLAGS) expect(help).toContain(f.flag);
    expect(help).toMatch(/--linger-ms N\s+linger\.ms \(default 5\)/);
    expect(help).toMatch(/--batch-size B\s+batch\.size \(default 16384\)/);
  });
});
