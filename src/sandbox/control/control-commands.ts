// The text commands of `kafka-producer-tui sandbox` (one per line on stdin): parsed into SandboxControl calls.
// Parsing is separate from running, so bad input gets a specific message and never reaches the cluster.
import { resolveApi, resolveErrorCode } from './control-names.js';
import type { ControlResult, FaultTarget, SandboxControl } from './control.js';

type BrokerAction = 'stop' | 'crash' | 'pause' | 'resume' | 'start';
interface FaultOptions {
  api: number;
  broker?: number;
  count: number;
}

export type ControlCommand =
  | { kind: 'broker'; action: BrokerAction; broker: number }
  | { kind: 'status' }
  | { kind: 'help' }
  | ({ kind: 'fault-error'; error: number; when: 'before' | 'after' } & FaultOptions)
  | ({ kind: 'fault-drop' } & FaultOptions)
  | ({ kind: 'fault-delay'; ms: number } & FaultOptions)
  | ({ kind: 'fault-disconnect' } & FaultOptions)
  | { kind: 'faults-list' }
  | { kind: 'faults-clear' }
  | { kind: 'leader'; topic: string; partition: number; broker: number }
  | { kind: 'elect-preferred' }
  | { kind: 'lag'; broker: number; ms: number }
  | { kind: 'lag-max'; ms: number }
  | { kind: 'min-isr'; topic: string; n: number }
  | { kind: 'unclean'; topic: string; enabled: boolean }
  | { kind: 'auto-create'; enabled: boolean };

/** `command: null` for a blank line or a `#` comment. */
export type ParseResult = { ok: true; command: ControlCommand | null } | { ok: false; message: string };

/** Usage and summary of every command: the help text and the error messages both come from here. */
const USAGE = {
  status: ['status', 'brokers, leaders, ISR and offsets'],
  stop: ['stop <broker>', 'controlled shutdown: leaders move first, no loss'],
  crash: ['crash <broker>', 'abrupt failure: unreplicated records are lost'],
  pause: ['pause <broker>', 'stop answering; fenced after lag-max ms'],
  resume: ['resume <broker>', 'answer again after a pause'],
  start: ['start <broker>', 'restart: truncate, catch up, rejoin the ISR'],
  'fault error': ['fault error <api> <error> [before|after] [broker <id>] [x<count>]', 'answer an error before (default) or after the append'],
  'fault drop': ['fault drop <api> [broker <id>] [x<count>]', 'process the request, never answer'],
  'fault delay': ['fault delay <api> <ms> [broker <id>] [x<count>]', 'process at once, answer <ms> later'],
  'fault disconnect': ['fault disconnect <api> [broker <id>] [x<count>]', 'close the connection instead of answering'],
  faults: ['faults', 'list the faults not yet applied'],
  'faults clear': ['faults clear', 'remove every pending fault'],
  leader: ['leader <topic> <partition> <broker>', 'move a leadership to an in-sync replica'],
  'elect-preferred': ['elect-preferred', 'leaders back to the preferred (first) replica'],
  lag: ['lag <broker> <ms>', "delay a follower's replication"],
  'lag-max': ['lag-max <ms>', 'set replica.lag.time.max.ms'],
  'min-isr': ['min-isr <topic> <n>', "set a topic's min.insync.replicas"],
  unclean: ['unclean <topic> on|off', "set a topic's unclean.leader.election.enable"],
  'auto-create': ['auto-create on|off', 'set auto.create.topics.enable'],
  help: ['help', 'this list'],
} as const;

export function helpText(): string {
  const lines = [
    'commands (a fault applies to the next matching request, x<count> to several;',
    'APIs and errors by Kafka name in any case, or by number):',
  ];
  const width = 22;
  for (const [usage, summary] of Object.values(USAGE)) {
    if (usage.length > width) lines.push(`  ${usage}`, `  ${' '.repeat(width)}  ${summary}`);
    else lines.push(`  ${usage.padEnd(width)}  ${summary}`);
  }
  return lines.join('\n');
}

class ParseError extends Error {}

const usage = (name: keyof typeof USAGE) => `usage: ${USAGE[name][0]}`;

function whole(token: string | undefined, what: string, name: keyof typeof USAGE, min = 0): number {
  if (token === undefined) throw new ParseError(`missing ${what}; ${usage(name)}`);
  if (!/^\d+$/.test(token)) throw new ParseError(`${what} must be a whole number, got '${token}'; ${usage(name)}`);
  const n = Number(token);
  if (n < min || !Number.isSafeInteger(n)) throw new ParseError(`${what} must be at least ${min}, got ${token}`);
  return n;
}

function onOff(token: string | undefined, name: keyof typeof USAGE): boolean {
  const t = token?.toLowerCase();
  if (t === 'on' || t === 'true') return true;
  if (t === 'off' || t === 'false') return false;
  throw new ParseError(`expected on or off, got ${token === undefined ? 'nothing' : `'${token}'`}; ${usage(name)}`);
}

function noMore(rest: string[], name: keyof typeof USAGE): void {
  if (rest.length > 0) throw new ParseError(`unexpected '${rest.join(' ')}'; ${usage(name)}`);
}

function api(token: string | undefined, name: keyof typeof USAGE): number {
  if (token === undefined) throw new ParseError(`missing API name; ${usage(name)}`);
  const r = resolveApi(token);
  if (!r.ok) throw new ParseError(r.message);
  return r.value;
}

/** The trailing options of a fault: [before|after] (errors only), [broker <id>], [x<count>], each at most once. */
function faultOptions(rest: string[], name: keyof typeof USAGE, allowWhen: boolean) {
  let when: 'before' | 'after' | undefined;
  let broker: number | undefined;
  let count: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const t = rest[i].toLowerCase();
    const repeated = (what: string) => new ParseError(`${what} given twice; ${usage(name)}`);
    if (allowWhen && (t === 'before' || t === 'after')) {
      if (when) throw repeated('before/after');
      when = t;
    } else if (t === 'broker') {
      if (broker !== undefined) throw repeated('broker');
      broker = whole(rest[++i], 'broker id', name);
    } else if (/^x\d+$/.test(t)) {
      if (count !== undefined) throw repeated('count');
      count = whole(t.slice(1), 'count', name, 1);
    } else {
      throw new ParseError(`unexpected '${rest[i]}'; ${usage(name)}`);
    }
  }
  return { when: when ?? 'before', broker, count: count ?? 1 };
}

function parseFault(args: string[]): ControlCommand {
  const [type, ...rest] = args;
  switch (type?.toLowerCase()) {
    case 'error': {
      const apiKey = api(rest[0], 'fault error');
      if (rest[1] === undefined) throw new ParseError(`missing error name or code; ${usage('fault error')}`);
      const error = resolveErrorCode(rest[1]);
      if (!error.ok) throw new ParseError(error.message);
      const o = faultOptions(rest.slice(2), 'fault error', true);
      return { kind: 'fault-error', api: apiKey, error: error.value, when: o.when, broker: o.broker, count: o.count };
    }
    case 'drop': {
      const apiKey = api(rest[0], 'fault drop');
      const o = faultOptions(rest.slice(1), 'fault drop', false);
      return { kind: 'fault-drop', api: apiKey, broker: o.broker, count: o.count };
    }
    case 'delay': {
      const apiKey = api(rest[0], 'fault delay');
      const ms = whole(rest[1], 'delay in ms', 'fault delay', 1);
      const o = faultOptions(rest.slice(2), 'fault delay', false);
      return { kind: 'fault-delay', api: apiKey, ms, broker: o.broker, count: o.count };
    }
    case 'disconnect': {
      const apiKey = api(rest[0], 'fault disconnect');
      const o = faultOptions(rest.slice(1), 'fault disconnect', false);
      return { kind: 'fault-disconnect', api: apiKey, broker: o.broker, count: o.count };
    }
    default:
      throw new ParseError(`unknown fault type ${type === undefined ? '(none given)' : `'${type}'`}: use error, drop, delay or disconnect`);
  }
}

function parseTokens(words: string[]): ControlCommand {
  const [head, ...args] = words;
  const name = head.toLowerCase();
  switch (name) {
    case 'stop':
    case 'crash':
    case 'pause':
    case 'resume':
    case 'start': {
      const broker = whole(args[0], 'broker id', name);
      noMore(args.slice(1), name);
      return { kind: 'broker', action: name, broker };
    }
    case 'status':
    case 'help':
    case 'elect-preferred':
      noMore(args, name);
      return { kind: name };
    case '?':
      return { kind: 'help' };
    case 'fault':
      return parseFault(args);
    case 'faults':
      if (args.length === 0) return { kind: 'faults-list' };
      if (args[0].toLowerCase() === 'clear' && args.length === 1) return { kind: 'faults-clear' };
      throw new ParseError(`unexpected '${args.join(' ')}'; usage: faults | faults clear`);
    case 'leader': {
      if (args[0] === undefined) throw new ParseError(`missing topic; ${usage('leader')}`);
      const partition = whole(args[1], 'partition', 'leader');
      const broker = whole(args[2], 'broker id', 'leader');
      noMore(args.slice(3), 'leader');
      return { kind: 'leader', topic: args[0], partition, broker };
    }
    case 'lag': {
      const broker = whole(args[0], 'broker id', 'lag');
      const ms = whole(args[1], 'delay in ms', 'lag');
      noMore(args.slice(2), 'lag');
      return { kind: 'lag', broker, ms };
    }
    case 'lag-max': {
      const ms = whole(args[0], 'replica.lag.time.max.ms', 'lag-max', 1);
      noMore(args.slice(1), 'lag-max');
      return { kind: 'lag-max', ms };
    }
    case 'min-isr': {
      if (args[0] === undefined) throw new ParseError(`missing topic; ${usage('min-isr')}`);
      const n = whole(args[1], 'min.insync.replicas', 'min-isr', 1);
      noMore(args.slice(2), 'min-isr');
      return { kind: 'min-isr', topic: args[0], n };
    }
    case 'unclean': {
      if (args[0] === undefined) throw new ParseError(`missing topic; ${usage('unclean')}`);
      const enabled = onOff(args[1], 'unclean');
      noMore(args.slice(2), 'unclean');
      return { kind: 'unclean', topic: args[0], enabled };
    }
    case 'auto-create': {
      const enabled = onOff(args[0], 'auto-create');
      noMore(args.slice(1), 'auto-create');
      return { kind: 'auto-create', enabled };
    }
    default:
      throw new ParseError(`unknown command '${head}': type help for the list`);
  }
}

export function parseCommand(line: string): ParseResult {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return { ok: true, command: null };
  try {
    return { ok: true, command: parseTokens(text.split(/\s+/)) };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, message: e.message };
    throw e;
  }
}

export async function executeCommand(control: SandboxControl, cmd: ControlCommand): Promise<ControlResult> {
  const target = (c: FaultOptions): FaultTarget => ({ api: c.api, broker: c.broker, count: c.count });
  switch (cmd.kind) {
    case 'broker':
      return control[cmd.action](cmd.broker);
    case 'status':
      return { ok: true, message: control.statusText() };
    case 'help':
      return { ok: true, message: helpText() };
    case 'fault-error':
      return control.injectError(cmd.api, cmd.error, { when: cmd.when, broker: cmd.broker, count: cmd.count });
    case 'fault-drop':
      return control.dropResponse(target(cmd));
    case 'fault-delay':
      return control.delayResponse(cmd.ms, target(cmd));
    case 'fault-disconnect':
      return control.disconnect(target(cmd));
    case 'faults-list': {
      const faults = control.listFaults();
      if (faults.length === 0) return { ok: true, message: 'no faults pending' };
      return { ok: true, message: faults.map((f) => `#${f.id} ${f.description}`).join('\n') };
    }
    case 'faults-clear':
      return control.clearFaults();
    case 'leader':
      return control.moveLeader(cmd.topic, cmd.partition, cmd.broker);
    case 'elect-preferred':
      return control.preferredLeaderElection();
    case 'lag':
      return control.setReplicationDelay(cmd.broker, cmd.ms);
    case 'lag-max':
      return control.setReplicaLagTimeMax(cmd.ms);
    case 'min-isr':
      return control.setMinInsyncReplicas(cmd.topic, cmd.n);
    case 'unclean':
      return control.setUncleanLeaderElection(cmd.topic, cmd.enabled);
    case 'auto-create':
      return control.setAutoCreateTopics(cmd.enabled);
  }
}

/** Parses and runs one line; null for a blank line or a comment. */
export async function runCommandLine(control: SandboxControl, line: string): Promise<ControlResult | null> {
  const parsed = parseCommand(line);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  if (!parsed.command) return null;
  return executeCommand(control, parsed.command);
}
