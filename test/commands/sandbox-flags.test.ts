// The `sandbox` command reads its flags without meow (to keep meow out of the long-running process): what it reads
// must be what meow reads, and whatever it cannot read the same way goes to meow.
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/commands/exact-flags.js';
import { parseSandboxArgs, SANDBOX_FLAGS } from '../../src/commands/sandbox.js';

const byMeow = (argv: string[]) => parseCommandLine('kafka-producer-tui sandbox', 'help', SANDBOX_FLAGS, argv, import.meta);

describe('sandbox flags without meow', () => {
  it.each([
    [[]],
    [['--port', '0', '--brokers-count', '1']],
    [['--port=19092', '--host', 'localhost', '--first-broker-id', '0']],
    [['--broker-config', 'num.partitions=4', '--broker-config=sandbox.replication.delay.ms=0']],
    [['extra']],
    [['--port', '0', '--', '--host']],
  ])('reads %j as meow does', (argv) => {
    const lean = parseSandboxArgs(argv);
    expect(lean).not.toBeNull();
    expect(lean).toEqual(byMeow(argv));
  });

  it('refuses a misspelt flag or a missing value with the same message', () => {
    for (const argv of [['--prot', '1'], ['--port'], ['--host', '--port', '1'], ['-p', '1']]) expect(parseSandboxArgs(argv)).toEqual(byMeow(argv));
  });

  it('leaves --help, --version, a repeated flag and a dash-led value to meow', () => {
    for (const argv of [['--help'], ['--port', '1', '--version'], ['--port', '1', '--port', '2'], ['--port', '-1']]) expect(parseSandboxArgs(argv)).toBeNull();
  });
});
