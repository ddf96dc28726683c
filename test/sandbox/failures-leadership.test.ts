// Issue 3, leadership with kafkajs over TCP: a paused leader is fenced after replica.lag.time.max.ms and truncates
// when resumed; unclean.leader.election decides between no leader and an out-of-sync one; moveLeader and
// preferred-leader election bump the epoch while kafkajs keeps producing; the cluster reports it all as events.
import { afterEach, describe, expect } from 'vitest';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import {
  crashBroker,
  moveLeader,
  pauseBroker,
  preferredLeaderElection,
  resumeBroker,
  setReplicationDelay,
  startBroker,
  stopBroker,
} from '../../src/sandbox/cluster/broker-lifecycle.js';
import { ApiKey } from '../../src/wire/api-keys.js';
import { ErrorCode } from '../../src/wire/error-codes.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/sandbox.js';
import { audit, RunLedger } from '../helpers/audit.js';
import { EventRecorder, waitUntil } from '../helpers/cluster-events.js';
import { RawClient } from '../helpers/raw-client.js';
import { readBack, waitForReplication } from '../helpers/read-back.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { sandboxTest as it, type SandboxFixtures } from '../helpers/fixtures.js';

const producers: Producer[] = [];
const raws: RawClient[] = [];
afterEach(async () => {
  for (const p of producers.splice(0)) await p.disconnect().catch(() => {});
  for (const r of raws.splice(0)) r.close();
});

async function setUp(startSandbox: SandboxFixtures['startSandbox'], opts: SandboxOptions = {}, kafkaExtra: Parameters<typeof kafkaFor>[1] = {}) {
  const sandbox = await startSandbox({ brokers: 3, ...opts });
  const kafka = kafkaFor(sandbox, kafkaExtra);
  return { sandbox, kafka, events: new EventRecorder(sandbox) };
}

async function connectedProducer(kafka: Kafka, opts: Parameters<Kafka['producer']>[0] = {}): Promise<Producer> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...opts });
  producers.push(producer);
  await producer.connect();
  return producer;
}

/** Metadata v6 for one topic over a bare connection, decoded by kafkajs without its error check. */
async function rawMetadata(address: string, topic: string) {
  const raw = await RawClient.connect(address);
  raws.push(raw);
  const res = await raw.call('metadata', 6, { topics: [topic], allowAutoTopicCreation: false });
  return res.topicMetadata[0].partitionMetadata[0] as { partitionErrorCode: number; leader: number; isr: number[] };
}

describe('leadership changes (kafkajs over TCP)', () => {
  it('pause: the paused leader answers nothing, is fenced after replica.lag.time.max.ms, producers move on; resume: it truncates and rejoins the ISR', async ({ startSandbox }) => {
    const { sandbox, kafka, events } = await setUp(startSandbox, { replicaLagTimeMaxMs: 500 }, { requestTimeout: 1000 });
    const topic = 'pause';
    sandbox.cluster.createTopic(topic, 3, 3);
    const p = sandbox.cluster.partition(topic, 0)!;
    const paused = p.leader;
    // After a request timeout kafkajs retries on its cached metadata (it refreshes only on errors the broker
    // returned, or when metadataMaxAge expires), so a short metadataMaxAge lets it find the new leader. It asks a
    // connected broker for metadata, and a paused one keeps its sockets open: partitions 1 and 2 give the producer
    // connections to the other brokers too.
    const producer = await connectedProducer(kafka, { metadataMaxAge: 200, retry: { retries: 10, initialRetryTime: 100 } });
    await producer.send({ topic, messages: [1, 2].map((partition) => ({ partition, value: 'connect' })) });
    const ledger = new RunLedger();
    const warm = [0, 1, 2].map(() => ledger.message('k', { partition: 0 }));
    ledger.acked(warm, await producer.send({ topic, messages: warm }));

    // One record acknowledged by the leader alone (acks=1), then the leader is paused before followers copy it.
    for (const f of p.replicas.filter((r) => r !== paused)) setReplicationDelay(sandbox.cluster, f, 200);
    const off = sandbox.state.requestLog.onFinish((e) => {
      if (e.api === 'Produce' && e.broker === paused) setImmediate(() => pauseBroker(sandbox.cluster, paused));
    });
    const unreplicated = [ledger.message('k', { partition: 0 })];
    ledger.acked(unreplicated, await producer.send({ topic, acks: 1, messages: unreplicated }));
    off();
    await waitUntil(() => sandbox.cluster.brokers.get(paused)!.status === 'paused', 'the pause');
    expect(p.logs.get(paused)!.endOffset).toBe(4);

    // The next send goes to the paused leader, times out in kafkajs, and succeeds on the new leader once it is fenced.
    const sendAt = Date.now();
    const after = [ledger.message('k', { partition: 0 })];
    const pendingAtFence: string[] = [];
    sandbox.cluster.on((e) => {
      if (e.type === 'election' && e.oldLeader === paused) {
        const held = sandbox.state.requestLog.find({ broker: paused }).filter((r) => r.receivedAt >= sendAt && r.outcome === 'pending');
        pendingAtFence.push(...held.map((r) => r.api));
      }
    });
    const res = await producer.send({ topic, messages: after });
    ledger.acked(after, res);
    expect(pendingAtFence).toContain('Produce'); // held, unanswered, when the controller fenced the broker
    const election = events.of('election', (e) => e.oldLeader === paused)[0];
    expect(election.reason).toMatch(/paused longer than 500 ms/);
    expect(election.lostRecords).toBe(1);
    expect(p.leader).toBe(election.newLeader);
    expect(res[0].baseOffset).toBe('3'); // the new leader never had the record acknowledged at offset 3
    expect(events.of('isr-shrink', (e) => e.broker === paused && e.partition === 0)).toHaveLength(1);
    expect(sandbox.state.requestLog.find({ api: 'Produce', broker: election.newLeader }).some((e) => e.receivedAt >= sendAt)).toBe(true);

    for (const f of p.replicas) setReplicationDelay(sandbox.cluster, f, 2);
    expect(resumeBroker(sandbox.cluster, paused).ok).toBe(true);
    expect(events.of('truncation', (e) => e.broker === paused && e.partition === 0)).toMatchObject([{ toOffset: 3, records: 1 }]);
    await waitUntil(() => p.isr.includes(paused), 'the resumed broker to rejoin the ISR');
    expect(events.of('isr-expand', (e) => e.broker === paused && e.partition === 0)).toHaveLength(1);
    // The request it held is processed on resume and refused: it no longer leads.
    await waitUntil(() => sandbox.state.requestLog.find({ api: 'Produce', broker: paused }).every((e) => e.outcome !== 'pending'), 'held requests');
    expect(sandbox.state.requestLog.find({ api: 'Produce', broker: paused }).some((e) => e.errors?.includes(ErrorCode.NOT_LEADER_OR_FOLLOWER))).toBe(true);

    await waitForReplication(sandbox, topic);
    const audited = audit(ledger, await readBack(sandbox, kafka, topic));
    expect(audited).toMatchObject({ acked: 5, lost: 1, duplicated: 0, reordered: 0, read: 4 });
    expect(audited.lostRecords).toEqual([{ key: 'k', seq: 3, offset: 3 }]);
  });

  /** Followers that never copy: after the lag timeout the ISR is the leader alone, holding 5 acknowledged records. */
  async function isrOfOne(startSandbox: SandboxFixtures['startSandbox'], unclean: boolean) {
    const { sandbox, kafka, events } = await setUp(startSandbox, { replicaLagTimeMaxMs: 300 });
    const topic = unclean ? 'unclean-on' : 'unclean-off';
    sandbox.cluster.createTopic(topic, 1, 3, { 'unclean.leader.election.enable': String(unclean) });
    const p = sandbox.cluster.partition(topic, 0)!;
    const [leader, f1, f2] = p.replicas;
    setReplicationDelay(sandbox.cluster, f1, 60_000);
    setReplicationDelay(sandbox.cluster, f2, 60_000);
    const producer = await connectedProducer(kafka);
    const ledger = new RunLedger();
    const messages = Array.from({ length: 5 }, () => ledger.message('k'));
    ledger.acked(messages, await producer.send({ topic, acks: 1, messages }));
    await waitUntil(() => p.isr.length === 1, 'the ISR to shrink to the leader');
    expect(p.isr).toEqual([leader]);
    expect(crashBroker(sandbox.cluster, leader).ok).toBe(true);
    await sandbox.settled();
    return { sandbox, kafka, events, topic, p, leader, f1, ledger };
  }

  it('unclean.leader.election off: the only ISR replica crashed, the partition has no leader (LEADER_NOT_AVAILABLE, leader -1)', async ({ startSandbox }) => {
    const { sandbox, events, topic, p, leader } = await isrOfOne(startSandbox, false);
    expect(p.leader).toBe(-1);
    expect(events.of('election', (e) => e.oldLeader === leader)).toMatchObject([{ newLeader: -1, unclean: false }]);
    const address = sandbox.addresses()[sandbox.cluster.servingBrokers()[0].id - 1];
    expect(await rawMetadata(address, topic)).toMatchObject({ partitionErrorCode: ErrorCode.LEADER_NOT_AVAILABLE, leader: -1, isr: [leader] });
    // It comes back as leader when the last in-sync replica returns, with nothing lost.
    startBroker(sandbox.cluster, leader);
    await sandbox.settled();
    expect(p.leader).toBe(leader);
    expect(events.of('election', (e) => e.newLeader === leader)).toMatchObject([{ oldLeader: -1, unclean: false, lostRecords: 0 }]);
    expect(p.highWatermark).toBe(5);
  });

  it('unclean.leader.election on: an out-of-sync replica becomes leader, the event says unclean, and the acknowledged records are lost', async ({ startSandbox }) => {
    const { sandbox, kafka, events, topic, p, leader, f1, ledger } = await isrOfOne(startSandbox, true);
    expect(p.leader).toBe(f1);
    const election = events.of('election', (e) => e.oldLeader === leader)[0];
    expect(election).toMatchObject({ newLeader: f1, unclean: true, lostRecords: 5 });
    expect(p.highWatermark).toBe(0);
    expect(events.of('high-watermark').at(-1)).toMatchObject({ highWatermark: 0 });
    const address = sandbox.addresses()[f1 - 1];
    expect(await rawMetadata(address, topic)).toMatchObject({ partitionErrorCode: 0, leader: f1, isr: [f1] });

    const producer = await connectedProducer(kafka);
    const next = [ledger.message('k')];
    const res = await producer.send({ topic, messages: next });
    ledger.acked(next, res);
    expect(res[0].baseOffset).toBe('0'); // offset 0 again: the old leader's 5 records are gone
    startBroker(sandbox.cluster, leader);
    await sandbox.settled();
    expect(events.of('truncation', (e) => e.broker === leader)).toMatchObject([{ toOffset: 0, records: 5 }]);
    const audited = audit(ledger, await readBack(sandbox, kafka, topic));
    expect(audited).toMatchObject({ acked: 6, lost: 5, read: 1 });
  });

  it('moveLeader and preferred-leader election change the leader and bump the epoch while kafkajs keeps producing', async ({ startSandbox }) => {
    const { sandbox, kafka, events } = await setUp(startSandbox);
    const topic = 'move';
    sandbox.cluster.createTopic(topic, 1, 3, { 'min.insync.replicas': '2' });
    const p = sandbox.cluster.partition(topic, 0)!;
    const preferred = p.replicas[0];
    const target = p.replicas[1];
    const producer = await connectedProducer(kafka, { idempotent: true, retry: { retries: 5, initialRetryTime: 50 } });
    const ledger = new RunLedger();
    const epochs: number[] = [p.leaderEpoch];
    let movedAt = 0;
    for (let i = 0; i < 30; i++) {
      if (i === 10) {
        movedAt = Date.now();
        expect(moveLeader(sandbox.cluster, topic, 0, target).ok).toBe(true);
        epochs.push(p.leaderEpoch);
      }
      if (i === 20) {
        expect(preferredLeaderElection(sandbox.cluster).message).toMatch(/moved 1 partition/);
        epochs.push(p.leaderEpoch);
      }
      const messages = Array.from({ length: 10 }, () => ledger.message(`k${i % 3}`));
      ledger.acked(messages, await producer.send({ topic, messages }));
    }
    expect(epochs).toEqual([0, 1, 2]);
    expect(p.leader).toBe(preferred);
    expect(events.of('election').map((e) => [e.oldLeader, e.newLeader, e.epoch, e.reason])).toEqual([
      [preferred, target, 1, 'leader moved by request'],
      [target, preferred, 2, 'preferred leader election'],
    ]);
    // kafkajs hit the old leader, was told NOT_LEADER_OR_FOLLOWER, refreshed metadata and went on at the new one.
    const afterMove = sandbox.state.requestLog.find({ api: 'Produce' }).filter((e) => e.receivedAt >= movedAt);
    expect(afterMove.some((e) => e.broker === preferred && e.errors?.includes(ErrorCode.NOT_LEADER_OR_FOLLOWER))).toBe(true);
    expect(afterMove.some((e) => e.broker === target && !e.errors)).toBe(true);
    await waitForReplication(sandbox, topic);
    const audited = audit(ledger, await readBack(sandbox, kafka, topic));
    expect(audited).toMatchObject({ acked: 300, lost: 0, duplicated: 0, reordered: 0, read: 300 });
  });

  it('events: broker states, elections, ISR shrink and expand, high-watermark moves and faults, in the order they happen', async ({ startSandbox }) => {
    const { sandbox, kafka, events } = await setUp(startSandbox);
    const topic = 'events';
    sandbox.cluster.createTopic(topic, 1, 3);
    const p = sandbox.cluster.partition(topic, 0)!;
    const [leader, f1] = p.replicas;
    const producer = await connectedProducer(kafka, { retry: { retries: 3, initialRetryTime: 50 } });
    await producer.send({ topic, messages: [{ key: 'k', value: '1' }] });
    sandbox.state.faults.push({ apiKey: ApiKey.Produce, broker: leader, kind: 'error-before', error: ErrorCode.NOT_ENOUGH_REPLICAS });
    await producer.send({ topic, messages: [{ key: 'k', value: '2' }] });
    stopBroker(sandbox.cluster, f1);
    startBroker(sandbox.cluster, f1);
    await waitUntil(() => p.isr.includes(f1), `broker ${f1} back in the ISR`);
    crashBroker(sandbox.cluster, leader);
    await sandbox.settled();

    const seen = events.events
      .filter((e) => !('topic' in e) || e.topic === topic)
      .map((e) => {
        switch (e.type) {
          case 'broker':
            return `broker ${e.broker} ${e.previous}->${e.status}`;
          case 'election':
            return `election ${e.oldLeader}->${e.newLeader} epoch ${e.epoch}`;
          case 'isr-shrink':
          case 'isr-expand':
            return `${e.type} ${e.broker} [${e.isr.join(',')}]`;
          case 'high-watermark':
            return `hw ${e.highWatermark}`;
          case 'fault':
            return `fault ${e.kind} on ${e.broker}: ${e.detail}`;
          default:
            return e.type;
        }
      });
    const next = p.replicas.find((r) => r !== leader && p.isr.includes(r))!;
    const others = p.replicas.filter((r) => r !== leader);
    expect(seen).toEqual([
      'topic-created',
      'hw 1',
      `fault error-before on ${leader}: Produce on broker ${leader}: answer NOT_ENOUGH_REPLICAS before the append`,
      'hw 2',
      `broker ${f1} up->stopped`,
      `isr-shrink ${f1} [${p.replicas.filter((r) => r !== f1).join(',')}]`,
      `broker ${f1} stopped->up`,
      `isr-expand ${f1} [${p.replicas.join(',')}]`,
      `broker ${leader} up->crashed`,
      `election ${leader}->${next} epoch 1`,
      `isr-shrink ${leader} [${others.join(',')}]`,
      'controller',
    ]);
  });
});
