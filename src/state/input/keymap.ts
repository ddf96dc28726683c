// THE keymap: every key the app reacts to, once, with what it does. The key handler resolves keys through it and the
// help overlay is drawn from it, so the two can never disagree.

export const SCREENS = ['produce', 'live', 'settings', 'cluster', 'records', 'labs', 'transactions', 'pipeline'] as const;
export type Screen = (typeof SCREENS)[number];

export const SCREEN_TITLES: Record<Screen, string> = {
  produce: 'Produce',
  live: 'Live',
  settings: 'Settings',
  cluster: 'Cluster',
  records: 'Records',
  labs: 'Labs',
  transactions: 'Transactions',
  pipeline: 'Pipeline',
};

/** Tab labels where the full title does not fit (below 100 columns). */
export const SCREEN_TABS: Record<Screen, string> = { ...SCREEN_TITLES, transactions: 'Txn', pipeline: 'Pipe' };

/** Where a binding applies. `edit` is a focused text field; `offline` is the "cluster unreachable" panel. */
export type Scope = 'global' | Screen | 'help' | 'log' | 'confirm' | 'edit' | 'offline' | 'export' | 'exported';

export type Command =
  | 'screen-produce' | 'screen-live' | 'screen-settings' | 'screen-cluster' | 'screen-records' | 'screen-labs' | 'screen-transactions' | 'screen-pipeline' | 'zoom' | 'min-isr-up' | 'min-isr-down' | 'unclean-toggle' | 'retention-next'
  | 'next-screen' | 'prev-screen' | 'help' | 'log' | 'close' | 'quit' | 'retry'
  | 'up' | 'down' | 'page-up' | 'page-down' | 'edit' | 'next-choice' | 'prev-choice'
  | 'send-one' | 'send-n' | 'toggle-rate' | 'rate-up' | 'rate-down'
  | 'reset-setting' | 'config-import' | 'config-export' | 'next-format' | 'prev-format' | 'close-exported'
  | 'broker-stop' | 'broker-crash' | 'broker-pause' | 'broker-resume' | 'broker-start'
  | 'fault-drop' | 'fault-delay' | 'fault-error' | 'fault-error-after' | 'fault-clear'
  | 'list-next' | 'list-prev' | 'resend' | 'resend-all'
  | 'confirm-yes' | 'confirm-no'
  | 'commit' | 'cancel'
  | 'lab-open' | 'lab-back' | 'lab-run' | 'lab-try-next' | 'lab-abort'
  | 'txn-begin' | 'txn-commit' | 'txn-abort';

/**
 * Key names as the key handler produces them: single characters as typed ('q', 'S', '?', ' ' is 'space'), and
 * 'up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'enter', 'escape', 'tab', 'shift-tab',
 * 'backspace', 'delete', 'ctrl-c', 'ctrl-u', 'ctrl-w'.
 */
export type KeyName = string;

export interface Binding {
  scope: Scope;
  keys: readonly KeyName[];
  command: Command;
  help: string;
  /** How the keys are shown in the help, when the list of keys would be long. */
  show?: string;
}

const b = (scope: Scope, keys: readonly KeyName[], command: Command, help: string, show?: string): Binding => ({ scope, keys, command, help, show });

export const BINDINGS: readonly Binding[] = [
  b('global', ['1'], 'screen-produce', 'Produce: compose and send records, run a producer loop'),
  b('global', ['2'], 'screen-live', 'Live: partitions, throughput, latency, in-flight, retries'),
  b('global', ['3'], 'screen-settings', 'Settings: every producer setting, changed live'),
  b('global', ['4'], 'screen-cluster', 'Cluster: brokers, faults, request log'),
  b('global', ['5'], 'screen-records', 'Records: delivery reports and dead letters'),
  b('global', ['6'], 'screen-labs', 'Labs: guided lessons with a verdict, each in a fresh built-in cluster'),
  b('global', ['7'], 'screen-transactions', 'Transactions: begin, commit, abort; LSO against HW'),
  b('global', ['8'], 'screen-pipeline', "Pipeline: a record's way through the producer, Kafka's metric names"),
  b('global', ['tab'], 'next-screen', 'next screen'),
  b('global', ['shift-tab'], 'prev-screen', 'previous screen'),
  b('global', ['?'], 'help', 'this help'),
  b('global', ['L'], 'log', "the log: the clients' own log lines (kafkajs, the producer); --log-file keeps them"),
  b('global', ['q', 'ctrl-c'], 'quit', 'quit, flushing queued records first (twice: at once)'),

  b('produce', ['up', 'k'], 'up', 'previous field', '↑ k'),
  b('produce', ['down', 'j'], 'down', 'next field', '↓ j'),
  b('produce', ['enter', 'e'], 'edit', 'edit the field (choices: next choice)', '⏎ e'),
  b('produce', ['right', 'space'], 'next-choice', 'next choice (formats)', '→ space'),
  b('produce', ['left'], 'prev-choice', 'previous choice', '←'),
  b('produce', ['s'], 'send-one', 'send one record'),
  b('produce', ['n'], 'send-n', 'send N records (the "Send N" field)'),
  b('produce', ['p'], 'toggle-rate', 'start or stop producing at R records per second'),
  b('produce', ['+', '='], 'rate-up', 'double the rate (live)', '+'),
  b('produce', ['-', '_'], 'rate-down', 'halve the rate (live)', '-'),
  b('produce', ['b'], 'txn-begin', 'begin a transaction (needs transactional.id)'),
  b('produce', ['c'], 'txn-commit', 'commit the open transaction'),
  b('produce', ['a'], 'txn-abort', 'abort the open transaction'),

  b('live', ['up', 'k'], 'up', 'scroll partitions up', '↑ k'),
  b('live', ['down', 'j'], 'down', 'scroll partitions down', '↓ j'),
  b('live', ['z'], 'zoom', 'zoom a chart to the whole screen (z again: the next one)'),

  b('pipeline', ['up', 'k'], 'up', 'scroll the metrics up', '↑ k'),
  b('pipeline', ['down', 'j'], 'down', 'scroll the metrics down', '↓ j'),

  b('settings', ['up', 'k'], 'up', 'previous setting', '↑ k'),
  b('settings', ['down', 'j'], 'down', 'next setting', '↓ j'),
  b('settings', ['pageup'], 'page-up', 'page up', 'PgUp'),
  b('settings', ['pagedown'], 'page-down', 'page down', 'PgDn'),
  b('settings', ['enter', 'e'], 'edit', 'type a new value (applied live)', '⏎ e'),
  b('settings', ['right', 'space'], 'next-choice', 'next allowed value, applied at once', '→ space'),
  b('settings', ['left'], 'prev-choice', 'previous allowed value, applied at once', '←'),
  b('settings', ['d'], 'reset-setting', 'back to the default value'),
  b('settings', ['i'], 'config-import', 'import a configuration file: producer.properties, application.yml, Java, kafkajs'),
  b('settings', ['x'], 'config-export', 'export the settings to a file (properties, Spring, kafkajs, librdkafka) and show it'),
  b('export', ['tab'], 'next-format', 'next export format (the file name follows)', 'Tab'),
  b('export', ['shift-tab'], 'prev-format', 'previous export format', 'Shift+Tab'),
  b('exported', ['escape', 'enter', 'x'], 'close-exported', 'close the exported file', 'Esc ⏎ x'),
  b('exported', ['up', 'k'], 'up', 'scroll the exported file up', '↑ k'),
  b('exported', ['down', 'j'], 'down', 'scroll the exported file down', '↓ j'),

  b('cluster', ['up', 'k'], 'up', 'previous broker', '↑ k'),
  b('cluster', ['down', 'j'], 'down', 'next broker', '↓ j'),
  b('cluster', ['s'], 'broker-stop', 'stop the broker (clean shutdown)'),
  b('cluster', ['c'], 'broker-crash', 'crash the broker (unflushed writes lost)'),
  b('cluster', ['p'], 'broker-pause', 'pause the broker (connections hang)'),
  b('cluster', ['r'], 'broker-resume', 'resume a paused broker'),
  b('cluster', ['u'], 'broker-start', 'start a stopped or crashed broker'),
  b('cluster', ['d'], 'fault-drop', 'drop the next Produce acknowledgement'),
  b('cluster', ['l'], 'fault-delay', 'delay the next Produce response by 2 s'),
  b('cluster', ['e'], 'fault-error', 'next Produce fails: NOT_ENOUGH_REPLICAS (before append)'),
  b('cluster', ['E'], 'fault-error-after', 'next Produce fails after the append (retry duplicates)'),
  b('cluster', ['x'], 'fault-clear', 'clear pending faults'),
  b('cluster', ['+', '='], 'min-isr-up', "raise the topic's min.insync.replicas", '+'),
  b('cluster', ['-', '_'], 'min-isr-down', "lower the topic's min.insync.replicas", '-'),
  b('cluster', ['U'], 'unclean-toggle', 'turn unclean.leader.election.enable on or off'),
  b('cluster', ['T'], 'retention-next', 'next retention.ms: 1 min, 1 h, 7 days'),

  b('records', ['up', 'k'], 'up', 'previous record', '↑ k'),
  b('records', ['down', 'j'], 'down', 'next record', '↓ j'),
  b('records', ['right', 'l'], 'list-next', 'next list: delivery reports, dead letters, audit findings', '→ l'),
  b('records', ['left', 'h'], 'list-prev', 'previous list', '← h'),
  b('records', ['r'], 'resend', 're-send the selected dead letter'),
  b('records', ['R'], 'resend-all', 're-send every dead letter'),

  b('labs', ['up', 'k'], 'up', 'previous lab', '↑ k'),
  b('labs', ['down', 'j'], 'down', 'next lab', '↓ j'),
  b('labs', ['enter'], 'lab-open', 'open the lab: its claim, steps and verdict', '⏎'),
  b('labs', ['escape', 'backspace'], 'lab-back', 'back to the list of labs', 'Esc'),
  b('labs', ['r'], 'lab-run', 'run the lab in a fresh built-in cluster'),
  b('labs', ['t'], 'lab-try-next', 'try this next: run again with the suggested change'),
  b('labs', ['x'], 'lab-abort', 'stop the running lab (its cluster is cleaned up)'),

  b('transactions', ['b'], 'txn-begin', 'begin a transaction (needs transactional.id)'),
  b('transactions', ['s'], 'send-one', 'send one record (the Produce form)'),
  b('transactions', ['n'], 'send-n', 'send N records (the Produce form)'),
  b('transactions', ['c'], 'txn-commit', 'commit: read_committed readers see the records'),
  b('transactions', ['a'], 'txn-abort', 'abort: the records stay hidden from read_committed'),

  b('help', ['?', 'escape', 'enter'], 'close', 'close the help', '? Esc'),
  b('help', ['up', 'k'], 'up', 'scroll the help up', '↑ k'),
  b('help', ['down', 'j'], 'down', 'scroll the help down', '↓ j'),
  b('log', ['L', 'escape', 'enter'], 'close', 'close the log', 'L Esc'),
  b('log', ['up', 'k'], 'up', 'older log lines', '↑ k'),
  b('log', ['down', 'j'], 'down', 'newer log lines', '↓ j'),
  b('confirm', ['y'], 'confirm-yes', 'yes, do it'),
  b('confirm', ['n', 'escape'], 'confirm-no', 'no, leave it', 'n Esc'),
  // A question never traps the user: q still quits (the question answered no), as Ctrl+C does.
  b('confirm', ['q'], 'quit', 'no, and quit'),
  b('edit', ['enter'], 'commit', 'apply the value', '⏎'),
  b('edit', ['escape'], 'cancel', 'cancel, keep the old value', 'Esc'),
  b('offline', ['r'], 'retry', 'try to connect again'),
];

/** Keys a focused text field takes itself (besides printable characters): shown in the help, never bound. */
export const EDIT_KEYS = [
  { show: '← → Home End', help: 'move the cursor' },
  { show: 'Backspace Del', help: 'delete' },
  { show: 'Ctrl+U Ctrl+W', help: 'clear to the start, delete a word' },
];

/**
 * The command for a key, looking in the given scopes in order. Quit stays reachable from every scope except a
 * text field, where q is a letter (Ctrl+C still quits there).
 */
export function resolveKey(key: KeyName, scopes: readonly Scope[]): Command | null {
  for (const scope of scopes) {
    const hit = BINDINGS.find((x) => x.scope === scope && x.keys.includes(key));
    if (hit) return hit.command;
  }
  if (key === 'ctrl-c') return 'quit';
  return null;
}

export function bindingsFor(scope: Scope): Binding[] {
  return BINDINGS.filter((x) => x.scope === scope);
}

const KEY_SHOW: Record<string, string> = {
  up: '↑', down: '↓', left: '←', right: '→', enter: '⏎', escape: 'Esc', tab: 'Tab', 'shift-tab': 'Shift+Tab',
  'ctrl-c': 'Ctrl+C', space: 'Space', pageup: 'PgUp', pagedown: 'PgDn',
};

/** How a binding's keys read in the help and the hint lines. */
export function keyLabel(x: Binding): string {
  return x.show ?? x.keys.map((k) => KEY_SHOW[k] ?? k).join(' ');
}

/** The first key of a command in a scope, for hint lines ("s send"). */
export function keyFor(scope: Scope, command: Command): string {
  const hit = BINDINGS.find((x) => x.scope === scope && x.command === command);
  return hit ? KEY_SHOW[hit.keys[0]] ?? hit.keys[0] : '';
}
