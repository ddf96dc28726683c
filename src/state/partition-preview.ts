// The key-to-partition preview under the Produce form: where the record would go, and why, before it is sent.
import { previewPartition } from '../kafka/producer/partitioner.js';
import { serialize } from '../kafka/producer/serializers.js';
import { partitionStrategy, type ProducerSettings } from '../kafka/producer/config/settings.js';
import { explicitPartition, type ProduceForm } from './input/produce-form.js';

export function partitionPreview(form: ProduceForm, partitions: number, settings: ProducerSettings | null): string {
  const explicit = explicitPartition(form);
  if (explicit !== undefined) {
    return explicit < partitions || partitions === 0
      ? `explicit partition ${explicit}: the partitioner is skipped`
      : `partition ${explicit} does not exist: ${form.topic} has partitions 0-${partitions - 1}`;
  }
  if (partitions === 0) return `partitions of ${form.topic} not known yet`;
  if (!settings) return 'the partitioner is known once connected';
  const strategy = partitionStrategy(settings['partitioner.class'], settings['partitioner.ignore.keys']);
  const space = Number(form.keySpace);
  if (form.keyKind !== 'null' && space > 0) {
    return `random keys key-0..key-${space - 1}: each key always lands on the same one of ${partitions} partitions`;
  }
  if (form.keyKind !== 'null' && form.key.includes('{{')) return 'templated key: each record\'s key picks its partition (murmur2)';
  let key: Buffer | null = null;
  if (form.keyKind !== 'null') {
    const s = serialize(form.key, form.keyKind);
    if (!s.ok) return `key: ${s.error.message}`;
    key = s.bytes;
  }
  const p = previewPartition(key, partitions, strategy);
  if (!p.ok) return p.error;
  return p.partition === null ? p.explanation : `-> partition ${p.partition}: ${p.explanation}`;
}
