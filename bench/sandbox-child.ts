// A sandbox in its own process, so a bench can measure its CPU and memory apart from the load generator.
// Prints one line `bootstrap <host:port,...>` once listening; exits cleanly (writing a --cpu-prof profile, if
// asked for) on SIGTERM/SIGINT or when stdin closes.
import { Sandbox } from '../src/sandbox/sandbox.js';

export async function serveSandboxChild(brokers: number, partitions: number, retentionBytes: number): Promise<void> {
  const sandbox = await Sandbox.start({
    brokers,
    port: 0,
    defaultPartitions: partitions,
    topicConfigDefaults: { 'retention.bytes': String(retentionBytes) },
    log: (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(`bootstrap ${sandbox.bootstrap()}\n`);
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}
