// The review table as text for the terminal: one block per group, columns setting / value / verdict / why, the
// why wrapped under its column when the terminal's width is known; then the keys it did not review.
import type { ConfigReview, ReviewVerdict } from '../kafka/producer/config/config-review.js';
import type { OtherKey } from '../kafka/producer/config/config-import.js';

const SETTING = 40;
const VALUE = 24;
const VERDICT = 11;

function wrap(text: string, width: number): string[] {
  if (width <= 20) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

export function reviewText(review: ConfigReview, opts: { title: string; columns: number | null; other: readonly OtherKey[] }): string {
  const out: string[] = [opts.title, ''];
  const whyWidth = opts.columns ? opts.columns - 2 - SETTING - VALUE - VERDICT : 0;
  let group = '';
  for (const r of review.rows) {
    if (r.group !== group) {
      if (group !== '') out.push('');
      group = r.group;
      out.push(group[0].toUpperCase() + group.slice(1));
    }
    const value = r.given ? r.value : `${r.value} (default)`;
    const [first, ...rest] = wrap(r.why, whyWidth);
    out.push(`  ${r.setting.padEnd(SETTING - 1)} ${value.padEnd(VALUE - 1)} ${r.verdict.padEnd(VERDICT - 1)} ${first}`);
    for (const l of rest) out.push(`${' '.repeat(2 + SETTING + VALUE + VERDICT)}${l}`);
  }
  const counts = (v: ReviewVerdict) => review.rows.filter((r) => r.verdict === v).length;
  out.push('');
  if (opts.other.length > 0) {
    const keys = opts.other.map((o) => (o.line ? `${o.key} (line ${o.line})` : o.key)).join(', ');
    out.push(...wrap(`Not reviewed (not producer settings this review covers): ${keys}`, opts.columns ? opts.columns - 1 : 0), '');
  }
  if (review.ok) {
    out.push(`Kafka accepts this configuration: ${counts('ok')} ok, ${counts('review')} to review, ${counts('redundant')} redundant.`);
  } else {
    out.push(`Kafka refuses this configuration at new KafkaProducer(...): ${review.conflicts.length} conflict${review.conflicts.length === 1 ? '' : 's'}.`);
    for (const c of review.conflicts) out.push(`  org.apache.kafka.common.config.ConfigException: ${c.exception}`);
  }
  return `${out.join('\n')}\n`;
}
