import { describe, expect, it } from 'vitest';
import { RecordGenerator, type RecordSpec } from '../../../src/kafka/workload/record-generator.js';
import { compileTemplate, jsonStringContent } from '../../../src/kafka/workload/record-template.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const ctx = (seq: number, key: string | null = 'k1') => ({ seq, key, nowMs: T0, uuid: () => 'u-1' });

function compiled(text: string) {
  const c = compileTemplate(text);
  if (!c.ok) throw new Error(c.error.message);
  return c.template;
}

/** A generator with a deterministic random source cycling through `values`. */
function generator(spec: Partial<RecordSpec>, values: number[] = [0.5]) {
  let i = 0;
  const c = RecordGenerator.compile(
    { topic: 't', key: { kind: 'null' }, value: 'v', format: 'string', ...spec },
    { random: () => values[i++ % values.length], uuid: () => '00000000-0000-4000-8000-000000000000' },
  );
  if (!c.ok) throw new Error(c.errors.join('; '));
  return c.generator;
}

describe('record templates', () => {
  it('fills every placeholder, with spaces inside the braces allowed', () => {
    const t = compiled('{{seq}}|{{ uuid }}|{{now}}|{{ts}}|{{key}}|plain');
    expect(t.render(ctx(42))).toBe(`42|u-1|2026-01-02T03:04:05.678Z|${T0}|k1|plain`);
    expect(t.placeholders).toEqual(new Set(['seq', 'uuid', 'now', 'ts', 'key']));
  });

  it('renders a null key as null, and text without placeholders as itself', () => {
    expect(compiled('{{key}}').render(ctx(0, null))).toBe('null');
    expect(compiled('no placeholders').render(ctx(0))).toBe('no placeholders');
    expect(compiled('').render(ctx(0))).toBe('');
  });

  it('says where an unknown or unclosed placeholder is', () => {
    const unknown = compileTemplate('{"a": {{sq}}}');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.error.message).toBe('column 7: unknown placeholder {{sq}}; use {{seq}}, {{uuid}}, {{now}}, {{ts}} or {{key}}');
      expect(unknown.error.position).toBe(6);
    }
    const open = compileTemplate('line one\nx {{seq');
    expect(open.ok).toBe(false);
    if (!open.ok) expect(open.error.message).toMatch(/^line 2, column 3: "\{\{" is not closed/);
  });

  it('refuses placeholders a template may not use', () => {
    const c = compileTemplate('{{key}}-x', { allow: ['seq'], what: 'the key template' });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.error.message).toBe('column 1: {{key}} cannot be used in the key template');
  });

  it('escapes placeholder values for JSON strings only where asked', () => {
    expect(jsonStringContent('a"b\\c\n')).toBe('a\\"b\\\\c\\n');
    expect(compiled('{"k":"{{key}}"}').render(ctx(0, 'say "hi"'), jsonStringContent)).toBe('{"k":"say \\"hi\\""}');
  });
});

describe('record generator', () => {
  it('makes null, fixed, random and templated keys', () => {
    expect(generator({ key: { kind: 'null' } }).generate(0, T0)).toMatchObject({ ok: true, record: { key: null } });
    expect(generator({ key: { kind: 'fixed', key: 'order-1' } }).generate(0, T0)).toMatchObject({ ok: true, record: { key: 'order-1' } });
    const random = generator({ key: { kind: 'random', space: 4 } }, [0, 0.26, 0.5, 0.9999]);
    // compile() renders one sample record first, which takes the first random value.
    const keys = Array.from({ length: 4 }, (_, i) => {
      const g = random.generate(i, T0);
      return g.ok ? g.record.key : g.error;
    });
    expect(keys).toEqual(['key-1', 'key-2', 'key-3', 'key-0']);
    expect(generator({ key: { kind: 'template', template: 'user-{{seq}}' } }).generate(7, T0)).toMatchObject({ ok: true, record: { key: 'user-7' } });
  });

  it('shares one uuid between the key and the value of a record', () => {
    const g = generator({ key: { kind: 'template', template: '{{uuid}}' }, value: '{{uuid}}/{{key}}' }).generate(0, T0);
    expect(g.ok && g.record.value!.toString()).toBe('00000000-0000-4000-8000-000000000000/00000000-0000-4000-8000-000000000000');
  });

  it('checks JSON after templating, with the position of the problem', () => {
    const ok = generator({ format: 'json', value: '{"seq": {{seq}}, "key": "{{key}}"}', key: { kind: 'fixed', key: 'a"b' } }).generate(3, T0);
    expect(ok.ok && JSON.parse(ok.record.value!.toString())).toEqual({ seq: 3, key: 'a"b' });
    // The key lands outside quotes: valid for a numeric key, not for this one.
    const bad = RecordGenerator.compile({ topic: 't', key: { kind: 'fixed', key: 'abc' }, value: '{"k": {{key}}}', format: 'json' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^value of record 0 is not valid JSON: .*column 7/);
  });

  it('checks JSON once for templates no placeholder can break, and each record where one can', () => {
    const parses = (text: string) => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    };
    const nasty = ['', '0', '"', '\\', '\\u', '\n', 'x"y', '}', '😀', 'null', '12', '-1', 'ab\u0001'];
    const templates = [
      '{"seq": {{seq}}, "at": "{{now}}"}',
      '[{{seq}},{{ts}}]',
      '{"k":"{{key}}-{{uuid}}","n":{{seq}}}',
      '{"a":"\\{{key}}"}',
      '"\\u{{seq}}"',
      '"\\u00{{key}}"',
      '[{{seq}}0]',
      '[-{{seq}}]',
      '[{{seq}}{{ts}}]',
      '{"k": {{key}}}',
      '[{{uuid}}]',
      '{"a":"{{key}}"',
      ' {{seq}} ',
    ];
    let shortcuts = 0;
    for (const source of templates) {
      const t = compiled(source);
      const standIn = t.jsonStandIn;
      if (standIn === null) continue;
      shortcuts++;
      for (const [i, key] of nasty.entries()) {
        for (const seq of [0, 7, 10, 123456]) {
          const rendered = t.render({ seq, key, nowMs: T0 + i, uuid: () => key }, jsonStringContent);
          expect(parses(rendered), `${source} with key ${JSON.stringify(key)}, seq ${seq}`).toBe(parses(standIn));
        }
      }
    }
    expect(shortcuts).toBe(5);
    for (const source of ['{"a":"\\{{key}}"}', '"\\u00{{key}}"', '"\\u{{seq}}"', '[{{seq}}0]', '[-{{seq}}]', '[{{seq}}{{ts}}]', '{"k": {{key}}}', '[{{uuid}}]']) {
      expect(compiled(source).jsonStandIn, source).toBeNull();
    }
    // Where a placeholder can break the JSON, each record is still checked: a key that is a number, then one that is not.
    const uuids = ['1', '2', 'abc'];
    let u = 0;
    const c = RecordGenerator.compile(
      { topic: 't', key: { kind: 'template', template: '{{uuid}}' }, value: '{"k": {{key}}}', format: 'json' },
      { uuid: () => uuids[u++] },
    );
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.generator.generate(1, T0).ok).toBe(true);
    const bad = c.generator.generate(2, T0);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^value of record 2 is not valid JSON: .*column 7/);
  });

  it('reports every problem of a spec at once', () => {
    const c = RecordGenerator.compile({ topic: ' ', key: { kind: 'random', space: 0 }, value: '{{nope}}', format: 'string', recordSize: -5 });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.errors).toHaveLength(4);
  });

  it('pads string values to the record size with capital letters, and cuts longer ones on a character boundary', () => {
    const padded = generator({ value: 'seq={{seq}}', recordSize: 20 }).generate(5, T0);
    expect(padded.ok && padded.record.value!.length).toBe(20);
    expect(padded.ok && padded.record.value!.toString()).toMatch(/^seq=5[A-Z]{15}$/);
    const cut = generator({ value: 'ééééé', recordSize: 5 }).generate(0, T0); // 2 bytes per é
    expect(cut.ok && cut.record.value!.length).toBe(5);
    expect(cut.ok && cut.record.value!.toString()).toMatch(/^éé[A-Z]$/);
    const empty = generator({ value: '', recordSize: 100 }).generate(0, T0);
    expect(empty.ok && empty.record.value!.toString()).toMatch(/^[A-Z]{100}$/);
  });

  it('pads JSON values inside the object and keeps them valid; a longer one is sent whole and flagged', () => {
    for (const [value, size] of [['{"a":1}', 40], ['{}', 30], ['{"a":1}', 12], ['[1,2]', 9]] as const) {
      const g = generator({ format: 'json', value, recordSize: size }).generate(0, T0);
      expect(g.ok && g.record.value!.length).toBe(size);
      expect(() => JSON.parse(g.ok ? g.record.value!.toString() : '')).not.toThrow();
    }
    const inner = generator({ format: 'json', value: '{"a":1}', recordSize: 40 }).generate(0, T0);
    expect(inner.ok && JSON.parse(inner.record.value!.toString())._pad).toMatch(/^[A-Z]+$/);
    const long = generator({ format: 'json', value: '{"a":"{{uuid}}"}', recordSize: 10 }).generate(0, T0);
    expect(long).toMatchObject({ ok: true, record: { oversize: true } });
  });

  it('reuses one filler for every record (as perf-test) unless randomFill asks for fresh letters per record', () => {
    const values = (randomFill: boolean) => {
      let x = 0.1;
      const c = RecordGenerator.compile({ topic: 't', key: { kind: 'null' }, value: '', format: 'string', recordSize: 32, randomFill }, { random: () => (x = (x * 7.31) % 1) });
      if (!c.ok) throw new Error(c.errors.join('; '));
      return [0, 1, 2].map((seq) => {
        const g = c.generator.generate(seq, T0);
        return g.ok ? g.record.value!.toString() : g.error;
      });
    };
    const same = values(false);
    expect(new Set(same).size).toBe(1);
    const fresh = values(true);
    expect(new Set(fresh).size).toBe(3);
    for (const v of fresh) expect(v).toMatch(/^[A-Z]{32}$/);
  });

  it('sends tombstones for a null value', () => {
    expect(generator({ value: null, recordSize: 10 }).generate(0, T0)).toMatchObject({ ok: true, record: { value: null } });
  });
});
