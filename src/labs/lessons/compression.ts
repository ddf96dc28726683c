// Lab 9: compression. The same 2,000 JSON order events sent with each codec: the Produce bytes written to the
// sockets, the ratio against no compression, and the throughput. Records that repeat their field names and
// values shrink several times; the codec runs on whole batches, so fuller batches compress better.
import { COMPRESSION_TYPES, type CompressionType } from '../../kafka/producer/compression/compression.js';
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
}

interface CompressionDetails {
  codecs: CodecResult[];
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
  steps: COMPRESSION_TYPES.map((c) => ({ id: c, text: `compression.type=${c}: send ${RECORDS} order events as fast as possible` })),
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
      const m = await ctx.measure(() => ctx.workload.sendN(RECORDS, { collect: false }));
      if (codec === 'none') noneBytes = m.produceBytes;
      const ratio = m.produceBytes === 0 ? 0 : Math.round((noneBytes / m.produceBytes) * 100) / 100;
      codecs.push({ codec, records: m.records, wireBytes: m.produceBytes, ratio, recordsPerSec: m.recordsPerSec, latencyP50Ms: m.latencyMs.p50 });
      ctx.log(`${codec}: ${m.produceBytes} bytes on the wire (ratio ${ratio}), ${m.recordsPerSec} records/s`);
    }
    return { codecs };
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
