/**
 * Java's producer defaults per client version, for reviewing and exporting a configuration written for a given
 * kafka-clients release. The settings catalog holds 4.x's defaults; older clients differ where a KIP changed them:
 * - 3.0 (KIP-679): enable.idempotence=true and acks=all by default; both 3.9 and 4.1 have this.
 * - 4.0 (KIP-1030): linger.ms 0 -> 5.
 * - 4.0: max.in.flight.requests.per.connection above 5 with idempotence on by default is a ConfigException; 3.x
 *   turned idempotence off with a warning ("in v4.0.0 and onward, this will become an error").
 */
import { DEFAULTS, effectiveConfig, type EffectiveConfig, type ProducerSettings, type SettingName } from './settings.js';

export const CLIENT_VERSIONS = ['3.9', '4.1'] as const;
export type ClientVersion = (typeof CLIENT_VERSIONS)[number];
export const NEWEST_CLIENT: ClientVersion = '4.1';

const DIFFERENCES: Record<ClientVersion, Partial<ProducerSettings>> = {
  '3.9': { 'linger.ms': 0 },
  '4.1': {},
};

export function isClientVersion(text: string): text is ClientVersion {
  return (CLIENT_VERSIONS as readonly string[]).includes(text);
}

export function javaDefaults(version: ClientVersion): ProducerSettings {
  return { ...DEFAULTS, ...DIFFERENCES[version] };
}

/** Why a default is what it is in this version, for the review's "why" column. */
export function defaultNote(name: SettingName, version: ClientVersion): string | null {
  if (name === 'linger.ms') return version === '3.9' ? 'linger.ms defaults to 0 before Kafka 4.0 (KIP-1030 made it 5)' : 'linger.ms defaults to 5 since Kafka 4.0 (KIP-1030; 0 before)';
  if (name === 'acks' || name === 'enable.idempotence') return 'acks=all and enable.idempotence=true are the defaults since Kafka 3.0 (KIP-679)';
  return null;
}

/**
 * The configuration a `version` client runs with for these explicit settings: the catalog's rules with that version's
 * defaults. Sources of defaults injected for the version stay "default".
 */
export function effectiveForVersion(user: Partial<ProducerSettings>, version: ClientVersion): EffectiveConfig {
  const injected = Object.fromEntries(Object.entries(DIFFERENCES[version]).filter(([k]) => user[k as SettingName] === undefined));
  const config = effectiveConfig({ ...injected, ...user });
  if (Object.keys(injected).length === 0) return config;
  const values = { ...config.values } as Record<SettingName, EffectiveConfig['values'][SettingName]>;
  for (const k of Object.keys(injected) as SettingName[]) {
    if (values[k].source === 'user') values[k] = { ...values[k], source: 'default' };
  }
  return { ...config, values: values as EffectiveConfig['values'] };
}
