// Labs 11-12: the producer's limits. A record over the topic's max.message.bytes is refused by the broker with a
// non-retriable error: retrying cannot help, so it goes straight to the dead-letter list while the records around
// it are delivered. A small buffer.memory in front of a slow broker fills up: sends wait for room (the waiting
// count shows it) and are delivered late, not lost.
import type { DeliveryReport } from '../../kafka/producer/engine-types.js';
import { defineLab } from '../lab-types.js';
import { ORDER_VALUE, plural } from './common.js';

const MAX_MESSAGE_BYTES = 10_240;
const BIG_RECORD = 20_000;

interface TooLargeDetails {
  before: number;
  big: { bytes: number; error: string | null; code: string | null; retriable: boolean | null; attempts: number };
  after: number;
  deadLetters: { id: number; code: string | null; bytes: number }[];
  failedOthers: number;
}

export const tooLarge = defineLab<TooLargeDetails>({
  name: 'too-large',
  title: 'A record too large',
  claim: [
    "A record bigger than the topic's max.message.bytes is refused with MESSAGE_TOO_LARGE: not retriable,",
    'so it fails at once and lands in the dead-letter list; the records around it are delivered.',
  ],
  settings: { 'linger.ms': 0 },
  topic: { partitions: 1, replicationFactor: 3, configs: { 'max.message.bytes': String(MAX_MESSAGE_BYTES) } },
  records: { key: { kind: 'fixed', key: 'order-1' }, value: ORDER_VALUE, format: 'string', recordSize: 200 },
  steps: [
    { id: 'before', text: 'Send 20 records of 200 bytes' },
    { id: 'big', text: `Send one record of ${BIG_RECORD} bytes to a topic with max.message.bytes=${MAX_MESSAGE_BYTES}` },
    { id: 'after', text: 'Send 20 more records of 200 bytes' },
  ],
  watch: ['Errors: one MESSAGE_TOO_LARGE, retries 0', 'The dead-letter list: the big record, ready to inspect or re-send'],
  expected: 'Only the big record fails, with MESSAGE_TOO_LARGE, not retried, and it is the one dead letter; every other record is delivered.',
  needs: {},
  async script(ctx) {
    const resize = (recordSize: number) => {
      const r = ctx.workload.respec({ recordSize });
      if (!r.ok) throw new Error(r.errors.join('; '));
    };
    ctx.step('before');
    const before = await ctx.workload.sendN(20);
    ctx.step('big');
    resize(BIG_RECORD);
    const [big] = await ctx.workload.sendN(1);
    if (big.error) ctx.log(`${big.error.code ?? 'error'}: ${big.error.message}`, 'warn');
    ctx.step('after');
    resize(200);
    const after = await ctx.workload.sendN(20);
    const others: DeliveryReport[] = [...before, ...after];
    return {
      before: before.filter((r) => !r.error).length,
      big: { bytes: big.bytes, error: big.error?.message ?? null, code: big.error?.code ?? null, retriable: big.error?.retriable ?? null, attempts: big.attempts },
      after: after.filter((r) => !r.error).length,
      deadLetters: ctx.engine.deliveries.deadLetters().map((d) => ({ id: d.report.id, code: d.report.error?.code ?? null, bytes: d.report.bytes })),
      failedOthers: others.filter((r) => r.error).length,
    };
  },
  verdict({ audit, details: d }) {
    const bigRefused = d.big.code === 'MESSAGE_TOO_LARGE' && d.big.retriable === false && d.big.attempts <= 1;
    const oneDeadLetter = d.deadLetters.length === 1 && d.deadLetters[0].code === 'MESSAGE_TOO_LARGE';
    const passed = bigRefused && oneDeadLetter && d.failedOthers === 0 && audit.lost === 0;
    return {
      passed,
      observed:
        `the ${d.big.bytes}-byte record: ${d.big.code ?? 'no error'} (retriable ${d.big.retriable}, ${d.big.attempts} attempt, not retried); ` +
        `${plural(d.deadLetters.length, 'dead letter')}; ${d.before + d.after} of 40 others delivered`,
    };
  },
  tryNext: { text: "Raise the topic's max.message.bytes to 1048588 (Kafka's default), or keep big payloads elsewhere and send a reference: the record then goes through." },
});

const DELAY_MS = 250;
const SLOW_REQUESTS = 6;

interface BackpressureDetails {
  bufferMemory: number;
  records: number;
  /** Most sends waiting for buffer memory at once. */
  peakWaiting: number;
  /** Least free buffer memory seen. */
  minAvailableBytes: number;
  slowRequests: number;
  delayMs: number;
  failed: number;
}

export const backpressure = defineLab<BackpressureDetails>({
  name: 'backpressure',
  title: 'Backpressure: buffer.memory and a slow broker',
  claim: [
    'The producer holds unsent records in buffer.memory: when the broker is slower than the sends, it fills up',
    'and sends wait for room (up to max.block.ms) instead of piling up; they are delivered late, not lost.',
  ],
  settings: { 'buffer.memory': 49_152, 'batch.size': 16_384, 'linger.ms': 5, 'max.block.ms': 20_000 },
  topic: { partitions: 1, replicationFactor: 3 },
  records: { key: { kind: 'random', space: 8 }, value: ORDER_VALUE, format: 'string', recordSize: 1000 },
  steps: [
    { id: 'slow', text: `The leader answers its next ${SLOW_REQUESTS} Produce requests ${DELAY_MS} ms late` },
    { id: 'burst', text: 'Hand 300 records of 1 KB to the producer at once: six times its 48 KB buffer' },
  ],
  watch: ['Waiting sends climbing while the buffer is full', 'Buffer available near 0', 'Latency p99 including the wait'],
  expected: 'Sends wait for buffer memory (the waiting count rises above 0), then every record is delivered; none fails.',
  needs: { sandboxFault: { need: 'helps', what: 'delayed Produce answers' } },
  async script(ctx) {
    ctx.step('slow');
    const leader = await ctx.leaderOf(0);
    if (ctx.sandbox) {
      const r = ctx.sandbox.delayResponse(DELAY_MS, { api: 'produce', broker: leader, count: SLOW_REQUESTS });
      if (!r.ok) throw new Error(r.message);
    }
    ctx.step('burst');
    let peakWaiting = 0;
    let minAvailable = Infinity;
    const sample = () => {
      const t = ctx.engine.totals();
      peakWaiting = Math.max(peakWaiting, t.waitingAppends);
      minAvailable = Math.min(minAvailable, t.bufferAvailableBytes);
    };
    const timer = setInterval(sample, 5);
    let reports: DeliveryReport[] = [];
    try {
      reports = await ctx.workload.sendN(300);
    } finally {
      clearInterval(timer);
    }
    return {
      bufferMemory: ctx.engine.settings['buffer.memory'],
      records: reports.length,
      peakWaiting,
      minAvailableBytes: minAvailable === Infinity ? 0 : minAvailable,
      slowRequests: ctx.sandbox ? SLOW_REQUESTS : 0,
      delayMs: ctx.sandbox ? DELAY_MS : 0,
      failed: reports.filter((r) => r.error).length,
    };
  },
  verdict({ audit, metrics, details: d }) {
    const passed = d.peakWaiting > 0 && d.failed === 0 && audit.lost === 0 && audit.acked === audit.sent;
    return {
      passed,
      observed:
        `up to ${d.peakWaiting} sends waited for memory (free buffer down to ${d.minAvailableBytes} of ${d.bufferMemory} bytes); ` +
        `${audit.acked} of ${audit.sent} delivered, ${d.failed} failed; latency p99 ${metrics.latencyMs.p99} ms`,
    };
  },
  tryNext: { text: 'Set max.block.ms=100: sends give up waiting, and records fail with BUFFER_EXHAUSTED instead.', settings: { 'max.block.ms': 100 } },
});
