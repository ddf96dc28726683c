// The Settings screen's files: importing a configuration file into the running producer (every setting the file
// does not set goes back to its default, so the producer runs the file's configuration) and exporting the
// producer's settings in a chosen format to a file.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readConfigFile, SOURCE_TITLES } from '../kafka/producer/config/config-import.js';
import { NEWEST_CLIENT } from '../kafka/producer/config/client-defaults.js';
import { exportConfig, type ExportFormat } from '../kafka/producer/config/export-formats/index.js';
import { SETTING_NAMES, type EffectiveConfig, type ProducerSettings } from '../kafka/producer/config/settings.js';
import type { ApplyResult } from '../kafka/producer/producer-engine.js';

/** The settings a user set (not defaults, not values Kafka derived), from an effective configuration. */
export function userSettings(config: EffectiveConfig): Partial<ProducerSettings> {
  return Object.fromEntries(SETTING_NAMES.filter((n) => config.values[n].source === 'user').map((n) => [n, config.values[n].value])) as Partial<ProducerSettings>;
}

export interface ImportOutcome {
  /** null: applied. */
  error: string | null;
  message: string;
}

export async function importConfigFile(path: string, apply: (change: Partial<ProducerSettings>) => Promise<ApplyResult>): Promise<ImportOutcome> {
  const read = await readConfigFile(resolve(path));
  if (!read.ok) {
    const error = `cannot read ${path}${read.line !== null ? `, line ${read.line}` : ''}: ${read.reason}`;
    return { error, message: error };
  }
  const reset = Object.fromEntries(SETTING_NAMES.map((n) => [n, undefined])) as Partial<ProducerSettings>;
  const result = await apply({ ...reset, ...read.settings });
  if (!result.ok) {
    const error = `${path}: Kafka would refuse this configuration: ${result.problems.filter((p) => p.level === 'error').map((p) => p.message).join(' ')}`;
    return { error, message: error };
  }
  const n = Object.keys(read.settings).length;
  const other = read.other.length > 0 ? `; ${read.other.length} other key${read.other.length === 1 ? '' : 's'} left out (${read.other.map((o) => o.key).slice(0, 3).join(', ')}${read.other.length > 3 ? ', ...' : ''})` : '';
  return { error: null, message: `imported ${n} setting${n === 1 ? '' : 's'} from ${path} (${SOURCE_TITLES[read.source]})${other}` };
}

export async function exportConfigFile(config: EffectiveConfig, format: ExportFormat, path: string): Promise<{ text: string; path: string } | string> {
  const text = exportConfig(format, { user: userSettings(config), effective: config.settings, all: false, version: NEWEST_CLIENT });
  const target = resolve(path);
  try {
    await writeFile(target, text);
  } catch (e) {
    return `cannot write ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message}`;
  }
  return { text, path: target };
}
