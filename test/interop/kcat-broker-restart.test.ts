// Issue 3's last criterion with a client we did not write: librdkafka (kcat) producing idempotently while a broker
// is stopped and started again. Every record must be read back exactly once.
import { spawn } from 'node:child_process';
import { describe, expect } from 'vitest';
import { commandWorks, runChild } from '../helpers/child.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

const hasKcat = commandWorks('kcat', ['-V']);
if (!hasKcat) console.warn('kcat not found: skipping the librdkafka broker-restart test (install it with `apt-get install -y kcat`)');

const N = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasKcat)('kcat idempotent producer across a broker stop and start', () => {
  it('reads back every record exactly once', async ({ sandbox, control }) => {
    expect(sandbox.cluster.createTopic('restart', 3, 3, { 'min.insync.replicas': '2' }).error).toBe(0);
    const victim = sandbox.cluster.partition('restart', 0)!.leader;
    const movedAway: string[] = [];
    sandbox.cluster.on((e) => {
      if (e.type === 'election' && e.oldLeader === victim) movedAway.push(`${e.topic}-${e.partition}`);
    });

    const kcat = spawn('kcat', ['-b', sandbox.bootstrap(), '-P', '-t', 'restart', '-K:', '-X', 'enable.idempotence=true', '-X', 'linger.ms=5'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    kcat.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => kcat.on('close', resolve));

    // Records trickle in over about a second and a half; the broker goes away and comes back in the middle.
    for (let i = 0; i < N; i++) {
      kcat.stdin.write(`k${i % 30}:r-${i}\n`);
      if (i % 100 === 99) await sleep(40);
      if (i === 1000) expect((await control.stop(victim)).ok).toBe(true);
      if (i === 2000) expect((await control.start(victim)).ok).toBe(true);
    }
    kcat.stdin.end();
    expect(await exited, stderr).toBe(0);

    const read = await runChild('kcat', ['-b', sandbox.bootstrap(), '-C', '-t', 'restart', '-o', 'beginning', '-e', '-f', '%s\n'], { timeoutMs: 25_000 });
    const values = read.stdout.split('\n').filter((l) => l.length > 0);
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const missing = Array.from({ length: N }, (_, i) => `r-${i}`).filter((v) => !counts.has(v));
    const doubled = [...counts].filter(([, n]) => n > 1).map(([v]) => v);
    expect(missing).toEqual([]);
    expect(doubled).toEqual([]);
    expect(values.length).toBe(N);
    // The stop really moved leadership while kcat was writing.
    expect(movedAway).toContain('restart-0');
  });
});
