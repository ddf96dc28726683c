// Unknown flags refused by their exact name, before meow parses anything. meow (through yargs-parser) lets some
// misspellings through as if they were known flags (`--compression-type brotli`, `--acks-x 0`, `--retries-x`), and a
// flag that is silently ignored is worse than a refused one: the user believes a setting is in force.

type FlagSpec = Readonly<Record<string, { readonly type: 'string' | 'boolean' | 'number' }>>;

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/;

/**
 * The first argument that looks like a flag and is none of `flags` (by its kebab-case name; booleans also as
 * --no-NAME; --help and --version always), or null. A string flag's value is skipped even when it starts with a
 * dash (`--throughput -1`); nothing after `--` is a flag.
 */
export function unknownFlag(argv: readonly string[], flags: FlagSpec): string | null {
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
    if (!arg.startsWith('--')) return arg;
    const [name, inlineValue] = splitOnce(arg.slice(2));
    const type = known.get(name);
    if (type === undefined) return `--${name}`;
    if (type !== 'boolean' && inlineValue === undefined) i++;
  }
  return null;
}

function splitOnce(text: string): [string, string | undefined] {
  const at = text.indexOf('=');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** The message for an unknown flag, naming the command's help. */
export function unknownFlagMessage(flag: string, command: string): string {
  return `unknown flag ${flag} (flags are matched by their exact name; see ${command} --help)`;
}
