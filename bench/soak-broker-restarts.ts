// Soak: a steady produce rate against the built-in cluster while a broker is stopped and started again every 30 s
// (issue 3). Every 10 s it prints memory (RSS, heap) and how far the high watermark trails the log end offset; at the
// end, one summary line, including whether the log holds exactly the acknowledged records, and the RSS at the end
// against its value at 2 minutes (target: within 20%: memory bounded once the logs reach retention). It stops by itself.
//   node --expose-gc bench/run.mjs bench/soak-broker-restarts.ts [--duration 600] [--rate 1000] [--record-size 100]
//     [--cycle 30] [--down 10] [--retention-bytes 4194304]        (SOAK_DURATION_S overrides the default duration)
// --expose-gc lets it measure memory after a full collection (live data only); without it the figures include
// garbage not yet collected.
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { preferredLeaderElection, startBroker, stopBroker } from '../src/sandbox/cluster/broker-lifecycle.js';
import { Sandbox } from '../src/sandbox/sandbox.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : name === 'duration' ? process.env.SOAK_DURATION_S : undefined;
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const durationS = arg('duration', 600);
const rate = arg('rate', 1000);
const recordSize = arg('record-size', 100);
const cycleS = arg('cycle', 30);
const downS = Math.min(arg('down', 10), cycleS / 2);
const retentionBytes = arg('retention-bytes', 4 * 1024 * 1024);
const PARTITIONS = 3;
const TOPIC = 'soak';

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const sandbox = await Sandbox.start({ brokers: 3, port: 0 });
  const cluster = sandbox.cluster;
  cluster.createTopic(TOPIC, PARTITIONS, 3, { 'min.insync.replicas': '2', 'retention.bytes': String(retentionBytes) });
  let elections = 0;
  cluster.on((e) => {
    if (e.type === 'election') elections++;
  });

  const kafka = new Kafka({ clientId: 'soak', brokers: sandbox.addresses(), logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 2000 },
  });
  await producer.connect();

  const value = Buffer.alloc(recordSize, 'x');
  const start = Date.now();
  const endAt = start + durationS * 1000;
  let acked = 0;
  let failed = 0;
  let running = true;

  // One paced loop per partition, one outstanding send() each (kafkajs drops records when a send spans leaders
  // that change during it): every 50 ms it sends what the schedule says is due.
  const perPartitionRate = rate / PARTITIONS;
  const loops = Array.from({ length: PARTITIONS }, async (_, partition) => {
    let sent = 0;
    while (running) {
      const due = Math.floor(((Date.now() - start) / 1000) * perPartitionRate) - sent;
      if (due > 0) {
        const n = Math.min(due, 5000);
        sent += n;
        const messages = Array.from({ length: n }, () => ({ partition, value }));
        try {
          await producer.send({ topic: TOPIC, messages });
          acked += n;
        } catch {
          failed += n;
        }
      }
      await sleep(50);
    }
  });

  // Broker restarts: every cycle stop the next broker, start it `down` seconds later, then rebalance leaders.
  let restarts = 0;
  const ids = [...cluster.brokers.keys()];
  const chaos = (async () => {
    for (let cycle = 1; ; cycle++) {
      const at = start + cycle * cycleS * 1000;
      if (at + downS * 1000 >= endAt) return;
      await sleep(at - Date.now());
      const id = ids[(cycle - 1) % ids.length];
      stopBroker(cluster, id);
      await sandbox.settled();
      await sleep(downS * 1000);
      startBroker(cluster, id);
      await sandbox.settled();
      restarts++;
      await sleep(Math.min(5000, (cycleS - downS) * 500));
      preferredLeaderElection(cluster);
    }
  })();

  const samples = { rssMax: 0, heapMax: 0, lagMax: 0, rssAt2Min: 0 };
  (globalThis as { gc?: () => void }).gc?.();
  const first = process.memoryUsage();
  // The lag is sampled every 100 ms: the 10 s lines show the worst of the window, not just the instant.
  let windowLagMax = 0;
  const lagSampler = setInterval(() => {
    for (const p of cluster.topics.get(TOPIC)!.partitions) windowLagMax = Math.max(windowLagMax, p.logEndOffset() - p.highWatermark);
  }, 100);
  // With --expose-gc (node --expose-gc bench/run.mjs ...) memory is measured after a full collection: live data only.
  const gc = (globalThis as { gc?: () => void }).gc;
  const logBytes = () => {
    const seen = new Set<Buffer>();
    for (const p of cluster.topics.get(TOPIC)!.partitions) for (const log of p.logs.values()) for (const b of log.batches) seen.add(b.bytes);
    let n = 0;
    for (const b of seen) n += b.length;
    return n;
  };
  const report = () => {
    gc?.();
    const mem = process.memoryUsage();
    const partitions = cluster.topics.get(TOPIC)!.partitions;
    const lags = partitions.map((p) => p.logEndOffset() - p.highWatermark);
    const lagMax = Math.max(windowLagMax, ...lags);
    windowLagMax = 0;
    samples.rssMax = Math.max(samples.rssMax, mem.rss);
    if (samples.rssAt2Min === 0 && Date.now() - start >= 120_000) samples.rssAt2Min = mem.rss;
    samples.heapMax = Math.max(samples.heapMax, mem.heapUsed);
    samples.lagMax = Math.max(samples.lagMax, lagMax);
    const up = [...cluster.brokers.values()].filter((b) => b.status === 'up').map((b) => b.id);
    const elapsed = (Date.now() - start) / 1000;
    console.log(
      `t=${elapsed.toFixed(0).padStart(4)}s acked=${String(acked).padStart(8)} failed=${failed} rate=${(acked / elapsed).toFixed(0)}/s ` +
        `rss=${mb(mem.rss)}MB heap=${mb(mem.heapUsed)}MB buffers=${mb(mem.arrayBuffers)}MB log=${mb(logBytes())}MB hw-lag now=[${lags.join(',')}] max10s=${lagMax} ` +
        `brokers-up=[${up.join(',')}] leaders=[${partitions.map((p) => p.leader).join(',')}] elections=${elections}`,
    );
  };
  console.log(
    `soak: ${durationS}s at ${rate} records/s of ${recordSize} B over ${PARTITIONS} partitions (acks=all, idempotent, ` +
      `min.insync.replicas=2, retention.bytes=${retentionBytes}); a broker stopped every ${cycleS}s for ${downS}s` +
      `${gc ? '' : '; no --expose-gc: memory includes uncollected garbage'}`,
  );
  const reporter = setInterval(report, 10_000);

  await sleep(endAt - Date.now());
  running = false;
  await Promise.all(loops);
  await chaos;
  clearInterval(reporter);
  clearInterval(lagSampler);
  report();

  // Integrity: with acks=all and idempotence the partitions hold exactly the acknowledged records. The high
  // watermarks count every record ever written (retention moves the log start, not the offsets).
  const partitions = cluster.topics.get(TOPIC)!.partitions;
  for (let i = 0; i < 50 && partitions.some((p) => p.highWatermark < p.logEndOffset()); i++) await sleep(100);
  const inLog = partitions.reduce((n, p) => n + p.highWatermark, 0);
  // A failed send may or may not have been written; anything else is a loss or a duplicate.
  const integrity = inLog === acked ? 'matches acked' : inLog > acked && inLog <= acked + failed ? 'within acked+failed' : 'MISMATCH';
  gc?.();
  const last = process.memoryUsage();
  await producer.disconnect();
  await sandbox.close();
  const seconds = (Date.now() - start) / 1000;
  console.log(
    `summary: duration=${seconds.toFixed(0)}s acked=${acked} failed=${failed} rate=${(acked / seconds).toFixed(0)}/s ` +
      `in-log=${inLog} (${integrity}) restarts=${restarts} elections=${elections} ` +
      `rss=${mb(first.rss)}->${mb(last.rss)}MB (max ${mb(samples.rssMax)}) heap=${mb(first.heapUsed)}->${mb(last.heapUsed)}MB ` +
      `(max ${mb(samples.heapMax)}) hw-lag-max=${samples.lagMax}`,
  );
  if (samples.rssAt2Min > 0) {
    const change = (last.rss / samples.rssAt2Min - 1) * 100;
    console.log(
      `rss at 2 min ${mb(samples.rssAt2Min)}MB, at the end ${mb(last.rss)}MB: ${change >= 0 ? '+' : ''}${change.toFixed(1)}% ` +
        `(target within 20%: ${Math.abs(change) <= 20 ? 'met' : 'NOT met'})`,
    );
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(`soak failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
