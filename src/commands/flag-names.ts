// Flags checked by their exact name, and for a value where one is needed, before anything parses them. meow
// (through yargs-parser) lets some misspellings through as if they were known flags (`--compression-type brotli`,
// `--acks-x 0`, `--retries-x`), and a flag that is silently ignored is worse than a refused one: the user believes a
// setting is in force. meow also takes `--records` with no value as the default and `--json=yes` as false, silently.
// Apart from exact-flags.ts (which loads meow) so that the `sandbox` command can check its flags without loading meow.
// A refused flag names the flag meant where one is close (`--idempotence`: did you mean --idempotent?), and a Kafka
// property name (`--enable.idempotence`, `--linger.ms`) names this app's flag for it.
import { closest, distance } from 'fastest-levenshtein';

export type FlagSpec = Readonly<Record<string, { readonly type: 'string' | 'boolean' | 'number' }>>;

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/;

/**
 * What is wrong with the flags in `argv`, or null: a flag that is none of `flags` by its exact kebab-case name
 * (booleans also as --no-NAME; --help and --version always), a string flag without its value (`--records` at the
 * end, or followed by another flag), a boolean given a value other than true/false (`--json=yes`). A string flag's
 * value may start with a dash when it is a number (`--throughput -1`); nothing after `--` is a flag.
 */
export function flagProblem(argv: readonly string[], flags: FlagSpec, command: string, kafkaNames: ReadonlyMap<string, string> = NO_NAMES): string | null {
  const known = new Map<string, 'string' | 'boolean' | 'number'>([
    ['help', 'boolean'],
    ['version', 'boolean'],
  ]);
  for (const [key, spec] of Object.entries(flags)) {
    known.set(kebab(key), spec.type);
    if (spec.type === 'boolean') known.set(`no-${kebab(key)}`, 'boolean');
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-' || NEGATIVE_NUMBER.test(arg)) continue;
    if (!arg.startsWith('--')) return unknown(arg, command, '');
    const [name, inline] = splitOnce(arg.slice(2));
    const type = known.get(name);
    if (type === undefined) return unknown(`--${name}`, command, hint(name, [...known.keys()], kafkaNames));
    if (type === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') return `--${name} takes no value (got '${inline}')`;
      continue;
    }
    if (inline !== undefined) {
      if (inline === '') return `--${name} needs a value`;
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || next === '--' || (next.startsWith('-') && !NEGATIVE_NUMBER.test(next))) return `--${name} needs a value`;
    i++;
  }
  return null;
}

function splitOnce(text: string): [string, string | undefined] {
  const at = text.indexOf('=');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

const NO_NAMES: ReadonlyMap<string, string> = new Map();

const unknown = (flag: string, command: string, hint: string) => `unknown flag ${flag}${hint} (flags are matched by their exact name; see ${command} --help)`;

/** ': did you mean --x?' for a near miss, Kafka's name's flag for a property name, or '' when nothing is close. */
function hint(name: string, known: readonly string[], kafkaNames: ReadonlyMap<string, string>): string {
  const kafkaName = name.replace(/^no-/, '');
  const flag = kafkaNames.get(kafkaName);
  if (flag) {
    // --no-enable.idempotence is --no-idempotent; a flag with a value has no --no- form.
    const negated = `no-${flag.slice(2)}`;
    return `: Kafka's ${kafkaName} is ${name.startsWith('no-') && known.includes(negated) ? `--${negated}` : flag} here`;
  }
  const candidates = known.filter((k) => k !== 'help' && k !== 'version');
  if (candidates.length === 0) return '';
  const near = closest(name, candidates);
  // About one edit in three: '--compresion' is offered '--compression', '--foo' is not offered '--fps'.
  if (distance(name, near) <= Math.max(1, Math.floor(name.length / 3))) return `: did you mean --${near}?`;
  // A flag cut short ('--linger' for '--linger-ms'), when only one flag starts so.
  const longer = name.length < 3 ? [] : candidates.filter((k) => k.startsWith(name));
  return longer.length === 1 ? `: did you mean --${longer[0]}?` : '';
}
