// Names people type for APIs and error codes: Kafka's names (case-insensitive, with or without dashes and
// underscores) or numbers. Shared by the control API and the stdin command parser so both accept the same words.
import { ApiKey, apiName } from '../../wire/api-keys.js';
import { ErrorCode, errorName } from '../../wire/error-codes.js';

export type Resolved = { ok: true; value: number } | { ok: false; message: string };

const squash = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

const apiByName = new Map<string, number>(Object.entries(ApiKey).map(([name, key]) => [squash(name), key]));
const knownApiKeys = new Set<number>(Object.values(ApiKey));

/** `produce`, `Produce`, `init-producer-id`, `0` -> the API key. */
export function resolveApi(input: string | number): Resolved {
  if (typeof input === 'number' || /^\d+$/.test(input)) {
    const key = Number(input);
    if (knownApiKeys.has(key)) return { ok: true, value: key };
    return { ok: false, message: `unknown API key ${input} (known: ${describeKnownApis()})` };
  }
  const key = apiByName.get(squash(input));
  if (key === undefined) return { ok: false, message: `unknown API '${input}' (known: ${describeKnownApis()})` };
  return { ok: true, value: key };
}

function describeKnownApis(): string {
  return Object.entries(ApiKey)
    .map(([name, key]) => `${name}=${key}`)
    .join(', ');
}

const errorByName = new Map<string, number>(Object.entries(ErrorCode).map(([name, code]) => [squash(name), code]));

/**
 * `NOT_ENOUGH_REPLICAS`, `not-enough-replicas`, `19` -> 19. Numbers outside our table are accepted (Kafka has more
 * codes than the sandbox names); NONE is refused because injecting "no error" changes nothing.
 */
export function resolveErrorCode(input: string | number): Resolved {
  let code: number;
  if (typeof input === 'number' || /^-?\d+$/.test(input)) {
    code = Number(input);
    if (!Number.isInteger(code) || code < -1 || code > 32767) {
      return { ok: false, message: `error code must be -1 or 1-32767, got ${input}` };
    }
  } else {
    const found = errorByName.get(squash(input));
    if (found === undefined) {
      return { ok: false, message: `unknown error '${input}': use a Kafka error name such as NOT_ENOUGH_REPLICAS or a number` };
    }
    code = found;
  }
  if (code === ErrorCode.NONE) return { ok: false, message: 'error NONE (0) injects nothing: use a delay or drop fault instead' };
  return { ok: true, value: code };
}

export { apiName, errorName };
