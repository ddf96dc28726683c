// The shared flag parsing of every command: flags checked by their exact name first (flag-names.ts), then meow.
import meow, { type AnyFlags } from 'meow';
import { flagProblem, type FlagSpec } from './flag-names.js';
import { PRODUCER_FLAGS } from './producer-flags.js';

export { flagProblem, type FlagSpec };

export type CommandLine = { ok: true; flags: Record<string, unknown>; input: string[] } | { ok: false; message: string };

/**
 * The one meow wrapper every command parses its arguments with: flag names checked exactly first (flag-names.ts), then meow
 * for --help, defaults and types; a message for exit code 2 instead of a throw.
 */
export function parseCommandLine(command: string, help: string, flags: FlagSpec, argv: string[], importMeta: ImportMeta): CommandLine {
  const problem = flagProblem(argv, flags, command, kafkaNamesOf(flags));
  if (problem) return { ok: false, message: problem };
  try {
    const cli = meow(help, { importMeta, argv, description: false, allowUnknownFlags: false, flags: flags as AnyFlags });
    return { ok: true, flags: cli.flags as Record<string, unknown>, input: cli.input };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

/**
 * Kafka's property names of the producer flags `flags` has, as typed (`enable.idempotence`) and with dashes
 * (`enable-idempotence`), to the flag: someone tuning a Java or Spring producer types those first.
 */
function kafkaNamesOf(flags: FlagSpec): Map<string, string> {
  const names = new Map<string, string>();
  for (const f of PRODUCER_FLAGS) {
    if (!(f.key in flags)) continue;
    names.set(f.setting, f.flag);
    names.set(f.setting.replaceAll('.', '-'), f.flag);
  }
  return names;
}
