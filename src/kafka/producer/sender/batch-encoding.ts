// A batch's bytes on the wire: built on its first send, re-stamped when a re-send carries other producer fields
// (a new epoch or sequence after a KIP-360 bump), never rebuilt.
import type { ProducerBatch } from '../accumulator/producer-batch.js';
import { COMPRESSION_ID, compressRecords } from '../compression/compression.js';
import type { ProducerSettings } from '../config/settings.js';
import { batchProducerState, buildRecordBatch, encodeRecords, stampProducerState, type BatchProducerState } from '../../../wire/record-batch-builder.js';

export function encodeBatch(b: ProducerBatch, state: BatchProducerState): Buffer {
  if (b.encoded === null) b.encoded = buildRecordBatch(b.records, state);
  else restamp(b.encoded, state);
  return b.encoded;
}

export async function encodeCompressedBatch(b: ProducerBatch, state: BatchProducerState, type: ProducerSettings['compression.type']): Promise<Buffer> {
  if (b.encoded === null) {
    const codec = type as Exclude<ProducerSettings['compression.type'], 'none'>;
    const bytes = await compressRecords(codec, encodeRecords(b.records));
    b.encoded = buildRecordBatch(b.records, state, { codec: COMPRESSION_ID[codec], bytes });
  } else restamp(b.encoded, state);
  return b.encoded;
}

function restamp(encoded: Buffer, state: BatchProducerState): void {
  const was = batchProducerState(encoded);
  if (was.producerId !== state.producerId || was.producerEpoch !== state.producerEpoch || was.baseSequence !== state.baseSequence || was.transactional !== state.transactional) {
    stampProducerState(encoded, state);
  }
}
