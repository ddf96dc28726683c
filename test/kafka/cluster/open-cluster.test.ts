// Choosing the lab's cluster: a real one when asked or found, otherwise the built-in one, saying why; and the topic
// the lab creates, fitted to the cluster's size.
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openCluster, probe, type ClusterHandle } from '../../../src/kafka/cluster/open-cluster.js';
import { ensureTopic, fitToCluster, LAB_TOPIC_DEFAULTS } from '../../../src/kafka/cluster/topic-setup.js';
import { validateTuiFlags, wantsColor } from '../../../src/commands/tui.js';
import { sandboxTest } from '../../helpers/fixtures.js';

let cluster: ClusterHandle | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe('lab cluster', () => {
  it('falls back to the built-in cluster when nothing answers, and says so', async () => {
    const port = await freePort();
    cluster = await openCluster({ probeAddress: `127.0.0.1:${port}`, probeMs: 300, sandboxPort: 0 });
    expect(cluster.kind).toBe('sandbox');
    expect(cluster.note).toBe(`no Kafka answered on 127.0.0.1:${port}: using the built-in cluster`);
    // Free ports are rarely consecutive: each is listed, never "first-last" as if the ports between were the brokers'.
    // The label carries what differs from a real broker: topics created without a count get 3 partitions and 3 replicas.
    const ports = cluster.brokers.map((b) => Number(b.split(':')[1]));
    const consecutive = ports.every((p, i) => i === 0 || p === ports[i - 1] + 1);
    const where = `127.0.0.1:${consecutive ? `${ports[0]}-${ports[2]}` : ports.join(',')}`;
    expect(cluster.label).toBe(`built-in cluster ${where} (num.partitions=3 (Kafka: 1), default.replication.factor=3 (Kafka: 1))`);
    // The status bar and screens use the name alone; the Cluster screen lists the changed settings beside it.
    expect(cluster.name).toBe(`built-in cluster ${where}`);
    expect(cluster.settingsChanged).toBe('num.partitions=3 (Kafka: 1), default.replication.factor=3 (Kafka: 1)');
    expect(cluster.control?.faults).toBeDefined();
  });

  sandboxTest('uses a Kafka answering on the probe address as a real cluster', async ({ startSandbox }) => {
    const other = await startSandbox({ brokers: 1 });
    const address = other.addresses()[0];
    expect(await probe(address, 300)).toBe(true);
    cluster = await openCluster({ probeAddress: address, probeMs: 300, containerControl: false });
    expect(cluster.kind).toBe('real');
    expect(cluster.brokers).toEqual([address]);
  });

  it('something on the probe address that is not Kafka: the built-in cluster, saying what answered', async () => {
    const server = createServer((s) => s.on('error', () => {}).end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const address = `127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      cluster = await openCluster({ probeAddress: address, probeMs: 300, sandboxPort: 0 });
      expect(cluster.kind).toBe('sandbox');
      expect(cluster.note).toBe(`${address} answered, but not as a Kafka broker: using the built-in cluster`);
    } finally {
      server.close();
    }
  });

  it('--brokers that is not Kafka (the TUI, lab and bench all open it this way): named as such, not retried for 30 s', async () => {
    const http = createServer((s) => s.on('error', () => {}).on('data', () => s.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')));
    const held: Socket[] = [];
    const silent = createServer((s) => held.push(s.on('error', () => {})));
    await Promise.all([http, silent].map((srv) => new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))));
    const httpAt = `127.0.0.1:${(http.address() as { port: number }).port}`;
    const silentAt = `127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      await expect(openCluster({ brokers: [httpAt] })).rejects.toThrow(`${httpAt} answered, but not as a Kafka broker`);
      await expect(openCluster({ brokers: [silentAt, httpAt] })).rejects.toThrow(
        `${silentAt} accepted the connection but did not answer within 5 s; ${httpAt} answered, but not as a Kafka broker`,
      );
    } finally {
      for (const s of held) s.destroy();
      http.close();
      silent.close();
    }
  }, 15_000);

  it('creates the lab topic scaled to the cluster', async () => {
    expect(fitToCluster(LAB_TOPIC_DEFAULTS, 3)).toEqual({ partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 });
    expect(fitToCluster(LAB_TOPIC_DEFAULTS, 1)).toEqual({ partitions: 6, replicationFactor: 1, minInsyncReplicas: 1 });
    cluster = await openCluster({ sandbox: true, sandboxPort: 0 });
    const first = await ensureTopic(cluster.client, 'lab-topic');
    expect(first).toMatchObject({ created: true, partitions: 6, replicationFactor: 3 });
    expect(first.message).toBe('created lab-topic: 6 partitions, replication 3, min.insync.replicas 2');
    const again = await ensureTopic(cluster.client, 'lab-topic');
    expect(again.created).toBe(false);
  });
});

describe('TUI flags', () => {
  const base = { sandbox: false, topic: 'playground', partitions: '6', fps: '10', color: true };
  it('accepts the contract flags and refuses bad ones with a message', () => {
    expect(validateTuiFlags({ ...base, brokers: 'a:9092, b:9093' })).toMatchObject({ brokers: ['a:9092', 'b:9093'], fps: 10 });
    expect(validateTuiFlags({ ...base, brokers: 'nope' })).toBe("--brokers takes host:port,... with ports 1-65535; not 'nope'");
    expect(validateTuiFlags({ ...base, brokers: 'a:1', sandbox: true })).toMatch(/exclude each other/);
    expect(validateTuiFlags({ ...base, fps: '0' })).toBe("--fps must be a whole number from 1 to 60, got '0'");
    expect(validateTuiFlags({ ...base, topic: 'bad topic' })).toMatch(/^--topic: topic names use only/);
  });

  it('turns colour off for NO_COLOR or --no-color', () => {
    expect(wantsColor(true, {})).toBe(true);
    expect(wantsColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(true, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor(false, {})).toBe(false);
  });
});
