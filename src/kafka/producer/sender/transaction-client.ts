// The coordinator side of Java's TransactionManager: FindCoordinator, InitProducerId (for the idempotent producer
// too), AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit and EndTxn, each retried on the errors Kafka marks
// retriable (coordinator moving or loading, a previous transaction still completing) within max.block.ms.
import { errorName } from '../../../wire/error-codes.js';
import { KafkaError } from '../errors.js';
import type { NetworkClient } from './network-client.js';
import type { ProducerIdState } from './producer-id-state.js';
import { Api } from './protocol-client.js';

const RETRIABLE = new Set(['COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS', 'NOT_COORDINATOR', 'CONCURRENT_TRANSACTIONS', 'REQUEST_TIMED_OUT', 'NETWORK_EXCEPTION', 'UNKNOWN_TOPIC_OR_PARTITION']);
/** Errors after which this producer may not go on (Java: ProducerFencedException and friends). */
export const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', 'INVALID_PRODUCER_ID_MAPPING']);

export interface TxnSettings {
  transactionalId: string | null;
  transactionTimeoutMs: number;
  retryBackoffMs: number;
  maxBlockMs: number;
}

const fail = (code: number, what: string) => {
  const name = errorName(code);
  return new KafkaError(name, `${what}: ${name}`, RETRIABLE.has(name));
};

export class TransactionClient {
  private coordinator: number | null = null;

  constructor(
    private readonly net: NetworkClient,
    private readonly pid: ProducerIdState,
    private readonly settings: () => TxnSettings,
  ) {}

  /** Runs `step` until it succeeds, fails for good, or max.block.ms runs out. */
  private async retrying<T>(what: string, step: () => Promise<T>): Promise<T> {
    const { retryBackoffMs, maxBlockMs } = this.settings();
    const until = Date.now() + maxBlockMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await step();
      } catch (e) {
        const err = e instanceof KafkaError ? e : new KafkaError('UNKNOWN_SERVER_ERROR', (e as Error).message, false);
        if (!err.retriable || Date.now() >= until) throw err;
        if (err.code === 'NOT_COORDINATOR' || err.code === 'COORDINATOR_NOT_AVAILABLE' || err.code === 'NETWORK_EXCEPTION' || err.code === 'REQUEST_TIMED_OUT') this.coordinator = null;
        await new Promise((r) => setTimeout(r, Math.min(retryBackoffMs * 2 ** Math.min(attempt, 5), 1000)));
      }
    }
  }

  async findCoordinator(key: string, keyType: 0 | 1): Promise<number> {
    const raw = await this.net.requestAny(Api.FindCoordinator, { key, keyType, coordinatorKeys: [key] });
    // v4+ answers per key (KIP-699), v1-3 at the top level.
    const res = raw.coordinators?.[0] ?? raw;
    if (res.errorCode !== 0) throw fail(res.errorCode, `FindCoordinator for ${key}`);
    this.net.setBrokers([{ id: res.nodeId, host: res.host, port: res.port }]);
    return res.nodeId as number;
  }

  private async txnCoordinator(): Promise<number> {
    const id = this.settings().transactionalId;
    if (!id) throw new KafkaError('INVALID_TXN_STATE', 'no transactional.id', false);
    this.coordinator ??= await this.findCoordinator(id, 1);
    return this.coordinator;
  }

  /** InitProducerId: from the coordinator with a transactional.id (fencing older epochs), from any broker without. */
  async initProducerId(): Promise<void> {
    const s = this.settings();
    const res = await this.retrying('InitProducerId', async () => {
      // v3+ (KIP-360): the current id and epoch, so the coordinator bumps this producer's epoch rather than a stranger's.
      const body = {
        transactionalId: s.transactionalId,
        transactionTimeoutMs: s.transactionTimeoutMs,
        producerId: s.transactionalId && this.pid.valid ? this.pid.producerId : -1,
        producerEpoch: s.transactionalId && this.pid.valid ? this.pid.epoch : -1,
      };
      const r = s.transactionalId ? await this.net.requestNode(await this.txnCoordinator(), Api.InitProducerId, body) : await this.net.requestAny(Api.InitProducerId, body);
      if (r.errorCode !== 0) throw fail(r.errorCode, 'InitProducerId');
      return r;
    });
    this.pid.reset(res.producerId, res.producerEpoch);
  }

  async addPartitions(partitions: readonly { topic: string; partition: number }[]): Promise<void> {
    const byTopic = new Map<string, number[]>();
    for (const p of partitions) (byTopic.get(p.topic) ?? byTopic.set(p.topic, []).get(p.topic)!).push(p.partition);
    await this.retrying('AddPartitionsToTxn', async () => {
      const res = await this.net.requestNode(await this.txnCoordinator(), Api.AddPartitionsToTxn, {
        v3AndBelowTransactionalId: this.settings().transactionalId,
        v3AndBelowProducerId: this.pid.producerId,
        v3AndBelowProducerEpoch: this.pid.epoch,
        v3AndBelowTopics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps })),
      });
      for (const t of res.resultsByTopicV3AndBelow as { name: string; resultsByPartition: { partitionIndex: number; partitionErrorCode: number }[] }[]) {
        for (const p of t.resultsByPartition) if (p.partitionErrorCode !== 0) throw fail(p.partitionErrorCode, `AddPartitionsToTxn ${t.name}-${p.partitionIndex}`);
      }
    });
  }

  async sendOffsets(groupId: string, topics: { topic: string; partitions: { partition: number; offset: string }[] }[]): Promise<void> {
    const txn = this.settings().transactionalId;
    await this.retrying('AddOffsetsToTxn', async () => {
      const res = await this.net.requestNode(await this.txnCoordinator(), Api.AddOffsetsToTxn, { transactionalId: txn, producerId: this.pid.producerId, producerEpoch: this.pid.epoch, groupId });
      if (res.errorCode !== 0) throw fail(res.errorCode, 'AddOffsetsToTxn');
    });
    let group: number | null = null;
    await this.retrying('TxnOffsetCommit', async () => {
      group ??= await this.findCoordinator(groupId, 0);
      const res = await this.net.requestNode(group, Api.TxnOffsetCommit, {
        transactionalId: txn,
        groupId,
        producerId: this.pid.producerId,
        producerEpoch: this.pid.epoch,
        topics: topics.map((t) => ({ name: t.topic, partitions: t.partitions.map((p) => ({ partitionIndex: p.partition, committedOffset: Number(p.offset), committedLeaderEpoch: -1, committedMetadata: null })) })),
      });
      for (const t of res.topics as { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[]) {
        for (const p of t.partitions) {
          if (p.errorCode === 0) continue;
          if (errorName(p.errorCode) === 'NOT_COORDINATOR' || errorName(p.errorCode) === 'COORDINATOR_NOT_AVAILABLE') group = null;
          throw fail(p.errorCode, `TxnOffsetCommit ${t.name}-${p.partitionIndex}`);
        }
      }
    });
  }

  async endTxn(commit: boolean): Promise<void> {
    await this.retrying('EndTxn', async () => {
      const res = await this.net.requestNode(await this.txnCoordinator(), Api.EndTxn, {
        transactionalId: this.settings().transactionalId,
        producerId: this.pid.producerId,
        producerEpoch: this.pid.epoch,
        committed: commit,
      });
      if (res.errorCode !== 0) throw fail(res.errorCode, commit ? 'EndTxn (commit)' : 'EndTxn (abort)');
    });
  }
}
