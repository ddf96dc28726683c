// Labs 5-6: one lost acknowledgement, with and without idempotence. The leader appends a batch and its answer
// never arrives; after request.timeout.ms the producer sends the batch again. Without idempotence the broker
// appends it a second time; with it, the broker knows the producer id and sequence numbers, recognises the
// batch and answers with the original offsets.
import { defineLab, type Lab, type LabContext } from '../lab-types.js';
import { countReports, ORDER_VALUE, plural, type ReportCounts } from './common.js';

interface StoredBatchView {
  producerId: number;
  producerEpoch: number;
  /** First and last sequence number, e.g. "50-69"; "-" without idempotence (producer id -1). */
  sequences: string;
  offsets: string;
}

interface AckLostDetails {
  fault: string;
  leader: number;
  faulted: ReportCounts & { attempts: number[]; offsets: string };
  /** Produce requests the leader received for the faulted records: the original and the retries. */
  produceRequests: number;
  /** The leader's log as the sandbox stores it: each batch with its producer id and sequence numbers. */
  log: StoredBatchView[];
  logEndOffset: number;
}

const REQUEST_TIMEOUT_MS = 500;
const range = (a: number, b: number) => (a === b ? String(a) : `${a}-${b}`);

function leaderLog(ctx: LabContext): { batches: StoredBatchView[]; end: number } {
  const p = ctx.sandbox?.partition(ctx.topic, 0);
  if (!p || !ctx.sandbox) return { batches: [], end: 0 };
  const batches = ctx.sandbox
    .storedBatches(ctx.topic, 0)
    .filter((b) => !b.isControl)
    .map((b) => ({
      producerId: b.producerId,
      producerEpoch: b.producerEpoch,
      sequences: b.producerId < 0 ? '-' : range(b.baseSequence, b.baseSequence + b.recordCount - 1),
      offsets: range(b.baseOffset, b.lastOffset),
    }));
  return { batches, end: p.logEndOffset };
}

function ackLostLab(idempotent: boolean): Lab<AckLostDetails> {
  return {
    name: idempotent ? 'idempotence' : 'retries-duplicate',
    title: idempotent ? 'Idempotence: the same fault, no duplicates' : 'Retries duplicate',
    claim: idempotent
      ? [
          'With idempotence the broker tracks a producer id and a sequence number per partition:',
          'a retried batch it already has is answered with its original offsets, not written again.',
        ]
      : [
          'A broker that appended a batch but whose answer was lost looks, to the producer, like a failure:',
          'without idempotence the retry writes the same records a second time.',
        ],
    // One request in flight and a 20 ms linger: the 20 records travel as one batch, retried alone.
    settings: {
      acks: 'all',
      'enable.idempotence': idempotent,
      'max.in.flight.requests.per.connection': 1,
      'request.timeout.ms': REQUEST_TIMEOUT_MS,
      retries: 3,
      'retry.backoff.ms': 50,
      'linger.ms': 20,
    },
    topic: { partitions: 1, replicationFactor: 3 },
    records: { key: { kind: 'fixed', key: 'order-1' }, value: ORDER_VALUE, format: 'json' },
    steps: [
      { id: 'warm', text: 'Send 50 records normally' },
      { id: 'fault', text: "Drop the leader's next Produce answer (the records are appended, the answer never arrives)" },
      { id: 'send', text: `Send 20 records: no answer, so after request.timeout.ms (${REQUEST_TIMEOUT_MS} ms) the producer sends them again` },
    ],
    watch: idempotent
      ? ['Retries: 20 records retried once', 'The log: one batch per sequence range, the producer id on every batch', 'Audit: duplicated stays 0']
      : ['Retries: 20 records retried once', 'The log end offset: 90 records stored for 70 sent', 'Audit: duplicated'],
    expected: idempotent
      ? 'The retry is recognised: no duplicates, nothing lost, and the stored batches carry the producer id and consecutive sequence numbers.'
      : 'The retried records are stored twice: duplicates, and nothing lost.',
    needs: { sandboxFault: { need: 'required', what: 'a dropped produce acknowledgement' } },
    async script(ctx) {
      ctx.step('warm');
      await ctx.workload.sendN(50);
      ctx.step('fault');
      const leader = await ctx.leaderOf(0);
      const r = ctx.sandbox!.dropResponse({ api: 'produce', broker: leader });
      if (!r.ok) throw new Error(r.message);
      const requestsBefore = ctx.sandbox!.requests({ api: 'Produce', broker: leader }).length;
      ctx.step('send');
      const reports = await ctx.workload.sendN(20);
      const produceRequests = ctx.sandbox!.requests({ api: 'Produce', broker: leader }).length - requestsBefore;
      const offsets = reports.map((x) => x.offset).filter((o): o is number => o !== null);
      const log = leaderLog(ctx);
      ctx.log(`${offsets.length} of ${reports.length} acknowledged after ${produceRequests} Produce requests; the log ends at offset ${log.end}`);
      return {
        fault: r.message,
        leader,
        faulted: {
          ...countReports(reports),
          attempts: [...new Set(reports.map((x) => x.attempts))],
          offsets: offsets.length > 0 ? range(Math.min(...offsets), Math.max(...offsets)) : '-',
        },
        produceRequests,
        log: log.batches,
        logEndOffset: log.end,
      };
    },
    verdict({ audit, metrics, details }) {
      const stored = `${details.logEndOffset} records stored for ${audit.sent} sent`;
      if (!idempotent) {
        const passed = audit.duplicated > 0 && audit.lost === 0;
        return {
          passed,
          observed: `${plural(audit.duplicated, 'duplicate')} after ${plural(metrics.retries, 'record')} retried; ${stored}; lost ${audit.lost}`,
        };
      }
      const ids = [...new Set(details.log.map((b) => b.producerId))];
      const hasId = ids.length === 1 && ids[0] >= 0;
      const passed = audit.duplicated === 0 && audit.lost === 0 && metrics.retries > 0 && hasId;
      const last = details.log[details.log.length - 1];
      return {
        passed,
        observed:
          `${plural(metrics.retries, 'record')} retried, ${audit.duplicated} duplicated, ${audit.lost} lost; ${stored}; ` +
          `producer id ${ids.join(',') || 'none'}, last batch sequences ${last?.sequences ?? '-'} at offsets ${last?.offsets ?? '-'}`,
      };
    },
    tryNext: idempotent
      ? { text: 'Set enable.idempotence=false and run again: the same fault now writes the 20 records twice.', settings: { 'enable.idempotence': false }, lab: 'retries-duplicate' }
      : { text: 'Set enable.idempotence=true: the broker recognises the retried batch and stores it once.', settings: { 'enable.idempotence': true }, lab: 'idempotence' },
  };
}

export const retriesDuplicate = defineLab(ackLostLab(false));
export const idempotence = defineLab(ackLostLab(true));
