// Broker settings as the control surface takes them: NAME=VALUE under Kafka's names (the `sandbox` command's
// --broker-config), and the list of what differs from Kafka's defaults.
import { SETTINGS, type BrokerSettings } from '../cluster/broker-settings.js';

export { SETTINGS, describeChanges, type BrokerSettings, type ChangedSetting } from '../cluster/broker-settings.js';

/** NAME=VALUE pairs by Kafka's setting names; a message for the first bad one. */
export function parseBrokerConfigs(pairs: readonly string[]): Partial<BrokerSettings> | string {
  const settings: Partial<BrokerSettings> = {};
  for (const pair of pairs) {
    const m = /^([a-z.]+)=(\d+)$/.exec(pair.trim());
    const info = m ? SETTINGS.find((s) => s.name === m[1]) : undefined;
    if (!m || !info) {
      return `--broker-config takes NAME=VALUE with a whole number VALUE and NAME one of ${SETTINGS.map((s) => s.name).join(', ')}; got '${pair}'`;
    }
    const value = Number(m[2]);
    const atLeastOne: (keyof BrokerSettings)[] = ['maxPartitions', 'connectionsMaxIdleMs', 'requestReadTimeoutMs', 'numPartitions', 'defaultReplicationFactor'];
    const min = info.key === 'maxRequestBytes' ? 1024 : atLeastOne.includes(info.key) ? 1 : 0;
    if (!Number.isSafeInteger(value) || value < min) return `--broker-config ${info.name} must be at least ${min}, got ${m[2]}`;
    settings[info.key] = value;
  }
  return settings;
}
