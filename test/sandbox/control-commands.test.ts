import { describe, expect, it } from 'vitest';
import { helpText, parseCommand, runCommandLine, type ControlCommand } from '../../src/sandbox/control/control-commands.js';
import { fileSandboxTest as live } from '../helpers/fixtures.js';

function parsed(line: string): ControlCommand | null {
  const r = parseCommand(line);
  if (!r.ok) throw new Error(`expected '${line}' to parse, got: ${r.message}`);
  return r.command;
}

function rejected(line: string): string {
  const r = parseCommand(line);
  if (r.ok) throw new Error(`expected '${line}' to be rejected, got ${JSON.stringify(r.command)}`);
  return r.message;
}

describe('control command parser: accepted commands', () => {
  it('broker operations take a broker id, in any case', () => {
    expect(parsed('stop 2')).toEqual({ kind: 'broker', action: 'stop', broker: 2 });
    expect(parsed('CRASH 1')).toEqual({ kind: 'broker', action: 'crash', broker: 1 });
    expect(parsed('  pause   3 ')).toEqual({ kind: 'broker', action: 'pause', broker: 3 });
    expect(parsed('resume 3')).toEqual({ kind: 'broker', action: 'resume', broker: 3 });
    expect(parsed('start 2')).toEqual({ kind: 'broker', action: 'start', broker: 2 });
  });

  it('fault error takes Kafka names or numbers, with optional timing, broker and count', () => {
    expect(parsed('fault error produce NOT_ENOUGH_REPLICAS after broker 2 x3')).toEqual({
      kind: 'fault-error', api: 0, error: 19, when: 'after', broker: 2, count: 3,
    });
    expect(parsed('fault error Produce 19')).toEqual({ kind: 'fault-error', api: 0, error: 19, when: 'before', broker: undefined, count: 1 });
    expect(parsed('fault error 0 not_leader_or_follower x2 before')).toEqual({
      kind: 'fault-error', api: 0, error: 6, when: 'before', broker: undefined, count: 2,
    });
  });

  it('API names are case-insensitive and may use dashes', () => {
    const keys = ['init-producer-id', 'InitProducerId', 'INITPRODUCERID', '22'].map((a) => (parsed(`fault drop ${a}`) as { api: number }).api);
    expect(keys).toEqual([22, 22, 22, 22]);
  });

  it('drop, delay and disconnect faults', () => {
    expect(parsed('fault drop produce broker 1')).toEqual({ kind: 'fault-drop', api: 0, broker: 1, count: 1 });
    expect(parsed('fault delay produce 2000')).toEqual({ kind: 'fault-delay', api: 0, ms: 2000, broker: undefined, count: 1 });
    expect(parsed('fault disconnect fetch x4')).toEqual({ kind: 'fault-disconnect', api: 1, broker: undefined, count: 4 });
  });

  it('the other commands', () => {
    expect(parsed('status')).toEqual({ kind: 'status' });
    expect(parsed('faults')).toEqual({ kind: 'faults-list' });
    expect(parsed('faults clear')).toEqual({ kind: 'faults-clear' });
    expect(parsed('leader orders 0 2')).toEqual({ kind: 'leader', topic: 'orders', partition: 0, broker: 2 });
    expect(parsed('elect-preferred')).toEqual({ kind: 'elect-preferred' });
    expect(parsed('lag 2 500')).toEqual({ kind: 'lag', broker: 2, ms: 500 });
    expect(parsed('lag-max 1000')).toEqual({ kind: 'lag-max', ms: 1000 });
    expect(parsed('min-isr Orders.v2 2')).toEqual({ kind: 'min-isr', topic: 'Orders.v2', n: 2 });
    expect(parsed('unclean orders on')).toEqual({ kind: 'unclean', topic: 'orders', enabled: true });
    expect(parsed('auto-create off')).toEqual({ kind: 'auto-create', enabled: false });
    expect(parsed('help')).toEqual({ kind: 'help' });
  });

  it('blank lines and # comments are no command', () => {
    expect(parsed('')).toBeNull();
    expect(parsed('   ')).toBeNull();
    expect(parsed('# stop broker 2 next')).toBeNull();
  });

  it('help lists every command within 80 columns', () => {
    const text = helpText();
    for (const word of ['stop <broker>', 'crash', 'pause', 'resume', 'start', 'status', 'fault error', 'fault drop', 'fault delay', 'fault disconnect', 'faults clear', 'leader <topic>', 'elect-preferred', 'lag <broker> <ms>', 'min-isr', 'help']) {
      expect(text).toContain(word);
    }
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
  });
});

describe('control command parser: bad input gets a specific message', () => {
  it.each([
    ['stop', 'missing broker id; usage: stop <broker>'],
    ['stop two', "broker id must be a whole number, got 'two'"],
    ['crash -1', "broker id must be a whole number, got '-1'"],
    ['stop 2 3', "unexpected '3'; usage: stop <broker>"],
    ['status now', "unexpected 'now'"],
    ['fault', 'unknown fault type (none given): use error, drop, delay or disconnect'],
    ['fault explode produce', "unknown fault type 'explode'"],
    ['fault error', 'missing API name'],
    ['fault error prodcue 19', "unknown API 'prodcue'"],
    ['fault error 99 19', 'unknown API key 99'],
    ['fault error produce', 'missing error name or code'],
    ['fault error produce NOT_A_THING', "unknown error 'NOT_A_THING'"],
    ['fault error produce 0', 'error NONE (0) injects nothing'],
    ['fault error produce 19 broker', 'missing broker id'],
    ['fault error produce 19 broker one', "broker id must be a whole number, got 'one'"],
    ['fault error produce 19 x2 x3', 'count given twice'],
    ['fault error produce 19 before after', 'before/after given twice'],
    ['fault error produce 19 x0', 'count must be at least 1'],
    ['fault error produce 19 sometimes', "unexpected 'sometimes'"],
    ['fault drop produce after', "unexpected 'after'; usage: fault drop <api>"],
    ['fault delay produce', 'missing delay in ms'],
    ['fault delay produce 0', 'delay in ms must be at least 1, got 0'],
    ['fault delay produce 2s', "delay in ms must be a whole number, got '2s'"],
    ['faults purge', "unexpected 'purge'; usage: faults | faults clear"],
    ['leader orders', 'missing partition; usage: leader <topic> <partition> <broker>'],
    ['leader orders 0', 'missing broker id'],
    ['lag 2', 'missing delay in ms; usage: lag <broker> <ms>'],
    ['min-isr orders', 'missing min.insync.replicas'],
    ['min-isr orders 0', 'min.insync.replicas must be at least 1'],
    ['unclean orders maybe', "expected on or off, got 'maybe'"],
    ['auto-create', 'expected on or off, got nothing'],
    ['frobnicate 2', "unknown command 'frobnicate': type help for the list"],
  ])('%s', (line, message) => {
    expect(rejected(line)).toContain(message);
  });
});

// One sandbox for the file on purpose: each command is cheap next to a cluster start, and the tests leave the
// cluster as they found it (faults cleared, brokers up) except the last.
describe('control commands against a live sandbox', () => {
  live.beforeAll(({ sandbox }) => {
    sandbox.cluster.createTopic('orders', 3, 3);
  });

  live('bad input, and commands the cluster refuses, change nothing', async ({ control }) => {
    control.injectError('produce', 'NOT_LEADER_OR_FOLLOWER');
    const before = JSON.stringify({ status: control.status(), faults: control.listFaults() });
    const lines = [
      'stop two', 'fault error produce', 'fault delay produce 0', 'min-isr orders 0', 'frobnicate',
      // well-formed, but refused by the cluster
      'stop 9', 'resume 1', 'start 2', 'fault error metadata NOT_LEADER_OR_FOLLOWER', 'fault drop produce broker 7',
      'leader orders 0 9', 'leader nope 0 1', 'min-isr nope 2', 'unclean nope on', 'lag 9 100',
    ];
    for (const line of lines) {
      const result = await runCommandLine(control, line);
      expect(result?.ok, line).toBe(false);
      expect(result?.message.length, line).toBeGreaterThan(10);
    }
    expect(JSON.stringify({ status: control.status(), faults: control.listFaults() })).toBe(before);
    control.clearFaults();
  });

  live('refusals name the problem', async ({ control }) => {
    expect((await runCommandLine(control, 'stop 9'))?.message).toBe('no broker 9 (brokers: 1, 2, 3)');
    // Broker 0 is a valid id (a sandbox started with --first-broker-id 0), just not in this cluster.
    expect((await runCommandLine(control, 'stop 0'))?.message).toBe('no broker 0 (brokers: 1, 2, 3)');
    expect((await runCommandLine(control, 'start 2'))?.message).toBe('broker 2 is up, not stopped');
    expect((await runCommandLine(control, 'fault error metadata 6'))?.message).toContain('Metadata cannot answer an injected error');
    expect((await runCommandLine(control, 'min-isr nope 2'))?.message).toBe("no topic 'nope' (topics: orders)");
  });

  live('well-formed commands act on the cluster and answer with what they did', async ({ sandbox, control }) => {
    expect(await runCommandLine(control, '# a comment')).toBeNull();
    const added = await runCommandLine(control, 'fault error produce NOT_ENOUGH_REPLICAS after broker 2 x3');
    expect(added).toEqual({ ok: true, message: 'fault added for the next 3 matching requests: Produce on broker 2: append, then answer NOT_ENOUGH_REPLICAS' });
    const listed = await runCommandLine(control, 'faults');
    expect(listed?.message.split('\n')).toHaveLength(3);
    expect((await runCommandLine(control, 'faults clear'))?.message).toBe('cleared 3 pending faults');
    expect((await runCommandLine(control, 'faults'))?.message).toBe('no faults pending');

    expect((await runCommandLine(control, 'min-isr orders 2'))?.ok).toBe(true);
    expect(sandbox.cluster.topics.get('orders')!.partitions.every((p) => p.config.minInsyncReplicas === 2)).toBe(true);

    const stopped = await runCommandLine(control, 'stop 3');
    expect(stopped?.ok).toBe(true);
    expect(control.status().brokers.find((b) => b.id === 3)?.status).toBe('stopped');
    expect((await runCommandLine(control, 'status'))?.message).toMatch(/^3\s+stopped/m);
    expect((await runCommandLine(control, 'start 3'))?.ok).toBe(true);
    expect(control.status().brokers.find((b) => b.id === 3)?.status).toBe('up');
  });
});
