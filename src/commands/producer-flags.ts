/**
 * The producer settings as command-line flags, shared
 * by `bench`, `lab` and the TUI. The flags come from the settings catalog's `flag` field, so a setting and its
 * flag cannot drift apart; values go through the settings model's parsers, so a bad value gets the same clear
 * message everywhere, and the combination is checked as Kafka would (e.g. --idempotent with --acks 1).
 */
import {
  DEFAULTS,
  effectiveConfig,
  parseSettingValue,
  SETTINGS,
  SETTING_NAMES,
  type ProducerSettings,
  type SettingName,
} from '../kafka/producer/config/settings.js';

export interface ProducerFlag {
  /** As typed: --max-in-flight */
  readonly flag: string;
  /** meow's camelCase key: maxInFlight */
  readonly key: string;
  readonly setting: SettingName;
  readonly boolean: boolean;
}

const camel = (flag: string): string => flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export const PRODUCER_FLAGS: readonly ProducerFlag[] = SETTING_NAMES.filter((n) => SETTINGS[n].flag !== undefined).map((setting) => {
  const flag = SETTINGS[setting].flag!;
  return { flag, key: camel(flag), setting, boolean: typeof DEFAULTS[setting] === 'boolean' };
});

type MeowFlag = { readonly type: 'string' } | { readonly type: 'boolean' };

/**
 * meow flag definitions. Values are read as strings, never as meow numbers, so "--linger-ms 5s" gets the
 * settings model's message instead of a silent NaN.
 */
export const producerMeowFlags: Readonly<Record<string, MeowFlag>> = Object.fromEntries(
  PRODUCER_FLAGS.map((f) => [f.key, f.boolean ? { type: 'boolean' } : { type: 'string' }]),
);

function valueHint(n: SettingName): string {
  const spec = SETTINGS[n];
  if (n === 'transactional.id') return 'ID';
  if (n === 'partitioner.class') return `${spec.choices!.join('|')}|prefix:RULES`;
  if (spec.choices) return spec.choices.join('|');
  return spec.allowed.includes('bytes') ? 'B' : 'N';
}

/** Help lines for the producer flags, aligned, with Kafka's name and default. */
export function producerFlagsHelp(indent = 4): string {
  const rows = PRODUCER_FLAGS.map((f) => {
    const spec = SETTINGS[f.setting];
    const value = f.boolean ? '' : ` ${valueHint(f.setting)}`;
    const shownDefault = spec.format(DEFAULTS[f.setting] as never);
    return [`${f.flag}${value}`, `${f.setting} (default ${shownDefault === '' ? 'none' : shownDefault})`];
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return rows.map(([l, r]) => `${' '.repeat(indent)}${l.padEnd(width)}${r}`).join('\n');
}

/** meow sets unset booleans to false: only the command line tells whether --idempotent/--no-idempotent was given. */
function givenOnCommandLine(f: ProducerFlag, argv: readonly string[]): boolean {
  const name = f.flag.slice(2);
  return argv.some((a) => a === `--${name}` || a === `--no-${name}` || a.startsWith(`--${name}=`));
}

export type ProducerFlagsResult =
  | { readonly ok: true; readonly settings: Partial<ProducerSettings>; readonly effective: ProducerSettings; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * The settings the flags ask for (only those given), checked one by one and then together. Every problem is
 * reported, each naming its flag.
 */
export function producerSettingsFromFlags(flags: Readonly<Record<string, unknown>>, argv: readonly string[]): ProducerFlagsResult {
  const settings: Partial<Record<SettingName, unknown>> = {};
  const errors: string[] = [];
  for (const f of PRODUCER_FLAGS) {
    const raw = flags[f.key];
    if (f.boolean) {
      if (typeof raw === 'boolean' && givenOnCommandLine(f, argv)) settings[f.setting] = raw;
      continue;
    }
    if (raw === undefined) continue;
    const parsed = parseSettingValue(f.setting, String(raw));
    if (parsed.ok) settings[f.setting] = parsed.value;
    else errors.push(`${f.flag}: ${parsed.error}`);
  }
  if (errors.length > 0) return { ok: false, errors };
  const user = settings as Partial<ProducerSettings>;
  const config = effectiveConfig(user);
  const flagOf = (n: SettingName) => PRODUCER_FLAGS.find((f) => f.setting === n)?.flag ?? n;
  const named = (p: { settings: readonly SettingName[]; message: string }) => `${p.settings.map(flagOf).join(' / ')}: ${p.message}`;
  if (!config.ok) return { ok: false, errors: config.problems.filter((p) => p.level === 'error').map(named) };
  return { ok: true, settings: user, effective: config.settings, warnings: config.problems.filter((p) => p.level === 'warning').map(named) };
}
