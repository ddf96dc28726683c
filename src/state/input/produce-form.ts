// The Produce screen's form as data: its fields, how each is edited (text or a choice), and the checks that keep a
// bad value out (a message, and the old value stays).

export const KEY_KINDS = ['string', 'json', 'hex', 'base64', 'null'] as const;
export const VALUE_KINDS = ['string', 'json', 'hex', 'base64'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];
export type ValueKind = (typeof VALUE_KINDS)[number];

export interface ProduceForm {
  topic: string;
  key: string;
  keyKind: KeyKind;
  value: string;
  valueKind: ValueKind;
  /** "name=value, name2=value2" */
  headers: string;
  /** '' or 'auto': the partitioner decides. */
  partition: string;
  count: string;
  rate: string;
  /** 0: use the Key field; K > 0: each record gets a random key key-0 .. key-(K-1). */
  keySpace: string;
}

export type FieldId = keyof ProduceForm;

export interface FieldSpec {
  id: FieldId;
  label: string;
  kind: 'text' | 'choice';
  choices?: readonly string[];
  hint: string;
}

export const FIELDS: readonly FieldSpec[] = [
  { id: 'topic', label: 'Topic', kind: 'text', hint: 'created when missing (6 partitions, or what the cluster allows)' },
  { id: 'key', label: 'Key', kind: 'text', hint: 'same key, same partition; templates {{seq}} {{uuid}} {{now}}' },
  { id: 'keyKind', label: 'Key format', kind: 'choice', choices: KEY_KINDS, hint: 'null: no key (sticky partitioner)' },
  { id: 'value', label: 'Value', kind: 'text', hint: 'templates {{seq}} {{uuid}} {{now}} {{key}}' },
  { id: 'valueKind', label: 'Value format', kind: 'choice', choices: VALUE_KINDS, hint: 'json is checked before sending' },
  { id: 'headers', label: 'Headers', kind: 'text', hint: 'name=value, name2=value2' },
  { id: 'partition', label: 'Partition', kind: 'text', hint: 'auto, or a partition number' },
  { id: 'count', label: 'Send N', kind: 'text', hint: 'records sent by n' },
  { id: 'rate', label: 'Rate R/s', kind: 'text', hint: 'records per second for p (live while running)' },
  { id: 'keySpace', label: 'Key space K', kind: 'text', hint: '0: the Key field; K: random keys key-0..key-(K-1)' },
];

export const DEFAULT_FORM: ProduceForm = {
  topic: 'playground',
  key: 'user-1',
  keyKind: 'string',
  value: '{"seq": {{seq}}, "at": "{{now}}"}',
  valueKind: 'json',
  headers: '',
  partition: 'auto',
  count: '100',
  rate: '100',
  keySpace: '0',
};

const whole = (text: string, min: number, max: number, what: string): string | null => {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return `${what} must be a whole number from ${min} to ${max}; got "${t}"`;
  const n = Number(t);
  if (n < min || n > max) return `${what} must be from ${min} to ${max}; got ${n}`;
  return null;
};

export const MAX_SEND_N = 1_000_000;
export const MAX_RATE = 100_000;

/** Why a typed value cannot go into a field, or null when it can. */
export function checkField(id: FieldId, text: string): string | null {
  switch (id) {
    case 'topic': {
      const t = text.trim();
      if (t === '') return 'the topic needs a name';
      if (t === '.' || t === '..') return `"${t}" is not a valid topic name`;
      if (t.length > 249) return 'topic names are at most 249 characters';
      if (!/^[a-zA-Z0-9._-]+$/.test(t)) return 'topic names use only letters, digits, ".", "_" and "-"';
      return null;
    }
    case 'partition':
      return text.trim() === '' || text.trim() === 'auto' ? null : whole(text, 0, 100_000, 'the partition');
    case 'count':
      return whole(text, 1, MAX_SEND_N, 'Send N');
    case 'rate':
      return whole(text, 1, MAX_RATE, 'the rate');
    case 'keySpace':
      return whole(text, 0, 10_000_000, 'the key space');
    case 'headers':
      return parseHeaders(text).error;
    default:
      return null;
  }
}

export function parseHeaders(text: string): { headers: { key: string; value: string }[]; error: string | null } {
  const headers: { key: string; value: string }[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { headers: [], error: `header "${part}" needs the form name=value` };
    headers.push({ key: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  }
  return { headers, error: null };
}

/** The explicit partition, or undefined for automatic. */
export function explicitPartition(form: ProduceForm): number | undefined {
  const t = form.partition.trim();
  return t === '' || t === 'auto' ? undefined : Number(t);
}

export function cycleChoice(form: ProduceForm, id: FieldId, dir: 1 | -1): ProduceForm {
  const spec = FIELDS.find((f) => f.id === id);
  if (!spec?.choices) return form;
  const i = spec.choices.indexOf(form[id]);
  const next = spec.choices[(i + dir + spec.choices.length) % spec.choices.length];
  return { ...form, [id]: next };
}
