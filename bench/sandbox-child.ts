// A sandbox in its own process, so a bench can measure its CPU and memory apart from the load generator.
// Prints one line `bootstrap <host:port,...>` once listening; exits cleanly (writing a --cpu-prof profile, if
// asked for) on SIGTERM/SIGINT or when stdin closes.
import { spawn, type ChildProcess } from 'node:child_process';
import { keepYoungGenerationSmall } from '../src/sandbox/control/standalone-process.js';
import { Sandbox } from '../src/sandbox/sandbox.js';

const CHILD_FLAG = '--sandbox-child';

export async function serveSandboxChild(brokers: number, partitions: number, retentionBytes: number): Promise<void> {
  keepYoungGenerationSmall(); // as the `sandbox` command does
  const sandbox = await Sandbox.start({
    brokers,
    port: 0,
    numPartitions: partitions,
    topicConfigDefaults: { 'retention.bytes': String(retentionBytes) },
    log: (line) => process.stderr.write(line + '\n'),
  });
  // The simulated follower delay first: a bench that times acks=all says what its sandbox's followers waited.
  process.stdout.write(`replication-delay-ms ${Math.max(...[...sandbox.cluster.brokers.values()].map((b) => b.replicationDelayMs))}\n`);
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

/** Runs the bench's `main`, or the sandbox child when spawnSandboxChild started this same script again. */
export async function runBench(main: () => Promise<void>): Promise<void> {
  if (process.argv[2] === CHILD_FLAG) await serveSandboxChild(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
  else await main();
}

export interface SandboxChildOptions {
  brokers?: number;
  partitions?: number;
  retentionBytes?: number;
  /** Node flags for the child (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Environment variables set for the child on top of this process's (an A/B switch). */
  env?: Record<string, string>;
}

/** Starts this bench script again as a sandbox child and waits for its bootstrap line. */
export function spawnSandboxChild(opts: SandboxChildOptions = {}): Promise<{ child: ChildProcess; brokers: string[]; replicationDelayMs: number }> {
  const { brokers = 3, partitions = 6, retentionBytes = 64 * 1024 * 1024, nodeArgs = [], env = {} } = opts;
  const child = spawn(process.execPath, [...nodeArgs, process.argv[1], CHILD_FLAG, String(brokers), String(partitions), String(retentionBytes)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      const m = /^bootstrap (\S+)$/m.exec((text += d.toString()));
      const delay = /^replication-delay-ms (\d+)$/m.exec(text);
      if (m) resolve({ child, brokers: m[1].split(','), replicationDelayMs: Number(delay?.[1] ?? NaN) });
    });
    child.once('exit', (code) => reject(new Error(`sandbox child exited with ${code}`)));
  });
}
