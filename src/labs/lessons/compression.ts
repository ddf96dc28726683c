// Lab 9: compression. The same 2,000 JSON order events sent with each codec: the Produce bytes written to the
// sockets, the ratio against no compression, and the throughput. Records that repeat their field names and
// values shrink several times; the codec runs on whole batches, so fuller batches compress better.
import { COMPRESSION_TYPES, compressionStats, type CompressionType } from '../../kafka/producer/compression/compression.js';
import { defineLab } from '../lab-types.js';
import { ORDER_VALUE } from './common.js';

interface CodecResult {
  codec: CompressionType;
  records: number;
  /** Produce request bytes on the wire. */
  wireBytes: number;
  /** Bytes without compression divided by these bytes. */
  ratio: number;
  recordsPerSec: number;
  latencyP50Ms: number;
  /** Kafka's compression-rate: record batch bytes after / before compression. */
  compressionRate: number;
  /** Time spent inside the codec compressing this step's batches. */
  codecMs: number;
}

interface CompressionDetails {
  codecs: CodecResult[];
  /** The measured comparison: codec, ratio, CPU time, throughput, latency. */
  table: string[];
}

/** The comparison table of this run, one line per codec. */
function table(codecs: readonly CodecResult[]): string[] {
  const row = (c: string, ratio: string, rate: string, cpu: string, rps: string, p50: string) => `${c.padEnd(7)}${ratio.padStart(7)}${rate.padStart(8)}${cpu.padStart(11)}${rps.padStart(11)}${p50.padStart(9)}`;
  return [
    row('codec', 'ratio', 'rate', 'codec ms', 'records/s', 'p50 ms'),
    ...codecs.map((c) => row(c.codec, `x${c.ratio.toFixed(2)}`, c.compressionRate.toFixed(3), c.codecMs.toFixed(0), String(Math.round(c.recordsPerSec)), c.latencyP50Ms.toFixed(1))),
    'ratio: bytes none/codec · rate: compression-rate (after/before) · codec ms: CPU time',
  ];
}

const RECORDS = 2000;
/** Every codec must at least save this share of the bytes on these records. */
const MIN_RATIO = 2;

export const compression = defineLab<CompressionDetails>({
  name: 'compression',
  title: 'Compression: none, gzip, snappy, lz4, zstd',
  claim: [
    'Compression runs on whole batches: repetitive records (JSON field names, ids) shrink several times,',
    'so fewer bytes cross the network and fill the broker disks; the codecs differ in ratio and speed.',
  ],
  settings: { 'compression.type': 'none', 'linger.ms': 10, 'batch.size': 65536 },
  topic: { partitions: 3, replicationFactor: 3 },
  records: { key: { kind: 'random', space: 100 }, value: ORDER_VALUE, format: 'json' },
  steps: COMPRESSION_TYPES.map((c) => ({ id: c, text: `${c}: ${RECORDS.toLocaleString('en-US')} order events at full speed` })),
  watch: ['Bytes out per second for each codec', 'Throughput and latency for each codec'],
  expected: `Every codec writes at most 1/${MIN_RATIO} of the bytes that no compression writes for the same records.`,
  needs: {},
  async script(ctx) {
    const codecs: CodecResult[] = [];
    let noneBytes = 0;
    for (const codec of COMPRESSION_TYPES) {
      ctx.step(codec);
      const applied = await ctx.engine.applySettings({ 'compression.type': codec });
      if (!applied.ok) throw new Error(applied.problems.map((p) => p.message).join('; '));
      const bytesBefore = { ...(ctx.engine.totals().compressionByCodec[codec] ?? { before: 0, after: 0 }) };
      const cpuBefore = codec === 'none' ? 0 : compressionStats[codec].ms;
      const m = await ctx.measure(() => ctx.workload.sendN(RECORDS, { collect: false }));
      const bytesAfter = ctx.engine.totals().compressionByCodec[codec] ?? { before: 0, after: 0 };
      const before = bytesAfter.before - bytesBefore.before;
      const after = bytesAfter.after - bytesBefore.after;
      if (codec === 'none') noneBytes = m.produceBytes;
      const ratio = m.produceBytes === 0 ? 0 : Math.round((noneBytes / m.produceBytes) * 100) / 100;
      codecs.push({
        codec,
        records: m.records,
        wireBytes: m.produceBytes,
        ratio,
        recordsPerSec: m.recordsPerSec,
        latencyP50Ms: m.latencyMs.p50,
        compressionRate: before > 0 ? after / before : 1,
        codecMs: codec === 'none' ? 0 : compressionStats[codec].ms - cpuBefore,
      });
      ctx.log(`${codec}: ${m.produceBytes} bytes on the wire (ratio ${ratio}), ${m.recordsPerSec} records/s`);
    }
    const lines = table(codecs);
    ctx.log('measured in this run:');
    for (const l of lines) ctx.log(l);
    return { codecs, table: lines };
  },
  verdict({ audit, details }) {
    const compressed = details.codecs.filter((c) => c.codec !== 'none');
    const allSmaller = compressed.length === 4 && compressed.every((c) => c.ratio >= MIN_RATIO);
    const allDelivered = details.codecs.every((c) => c.records === RECORDS) && audit.failed === 0 && audit.lost === 0;
    const none = details.codecs.find((c) => c.codec === 'none');
    return {
      passed: allSmaller && allDelivered,
      observed:
        `none ${none?.wireBytes ?? 0} bytes; ` +
        compressed.map((c) => `${c.codec} ${c.wireBytes} (x${c.ratio}, ${c.recordsPerSec} records/s)`).join(', ') +
        `; failed ${audit.failed}, lost ${audit.lost}`,
    };
  },
  tryNext: { text: 'Set linger.ms=0: smaller batches give each codec less to work with, and the ratios drop.', settings: { 'linger.ms': 0 } },
});
