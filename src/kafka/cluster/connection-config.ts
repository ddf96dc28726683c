// kafkajs `ssl` and `sasl` options from the command line's security flags and the environment. Secrets come only
// from environment variables, never from flags (shell history and `ps` would show them), and never reach the
// screen or a log: `redact()` gives the display-safe copy, and the SASL object itself prints redacted if someone
// logs it by mistake (JSON.stringify, console.log, util.inspect).
import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { inspect } from 'node:util';
import type { SASLOptions } from 'kafkajs';
import { plural } from '../producer/plural.js';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** Where the secrets come from. */
export const SECRET_ENV = { username: 'KPT_SASL_USERNAME', password: 'KPT_SASL_PASSWORD' } as const;

/** The flags, as parsed by the CLI: --sasl-mechanism, --tls, --tls-ca FILE, --tls-insecure-skip-verify. */
export interface SecurityFlags {
  saslMechanism?: string;
  tls?: boolean;
  tlsCa?: string;
  tlsInsecureSkipVerify?: boolean;
}

export interface ConnectionSecurity {
  /** kafkajs `ssl`; absent for PLAINTEXT listeners. */
  ssl?: TlsOptions;
  /** kafkajs `sasl`; absent without --sasl-mechanism. */
  sasl?: SASLOptions;
  /** Shown once at startup: risky but allowed choices. */
  warnings: string[];
  /** Display-safe one-liner, e.g. "SASL_SSL, SCRAM-SHA-512 as alice, CA ca.pem". */
  summary: string;
}

export class ConnectionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionConfigError';
  }
}

const REDACTED = '[redacted]';
const SECRET_KEY = /^(password|passphrase|key|pfx|token|secret|accessKeyId|secretAccessKey|sessionToken|oauthBearerProvider)$/i;
const CERT_KEY = /^(ca|cert)$/i;

/** A deep copy safe to show or log: passwords, keys and tokens replaced, certificates summarised. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (!value || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k)) out[k] = REDACTED;
    else if (CERT_KEY.test(k)) out[k] = `[${plural((Array.isArray(v) ? v : [v]).length, 'certificate')}]`;
    else out[k] = redact(v);
  }
  return out;
}

/** Makes accidental logging of `obj` print its redacted form; kafkajs reads the fields directly and is unaffected. */
function printRedacted<T extends object>(obj: T): T {
  Object.defineProperty(obj, 'toJSON', { value: () => redact({ ...obj }), enumerable: false });
  Object.defineProperty(obj, inspect.custom, { value: () => redact({ ...obj }), enumerable: false });
  return obj;
}

function parseMechanism(raw: string): SaslMechanism {
  const m = raw.trim().toLowerCase().replace(/_/g, '-');
  if ((SASL_MECHANISMS as readonly string[]).includes(m)) return m as SaslMechanism;
  throw new ConnectionConfigError(`unknown --sasl-mechanism "${raw}": use ${SASL_MECHANISMS.join(', ')}`);
}

function readCa(file: string, readFile: (path: string) => string): string {
  let pem: string;
  try {
    pem = readFile(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.message;
    throw new ConnectionConfigError(
      `cannot read the CA file ${file} given to --tls-ca (${why}${err.code ? `, ${err.code}` : ''}): ` +
        'give the path of a readable PEM file holding the certificate of the authority that signed the brokers\' certificates',
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConnectionConfigError(`${file} (--tls-ca) is not a PEM certificate: it has no "-----BEGIN CERTIFICATE-----" line`);
  }
  return pem;
}

function saslFromEnv(mechanism: SaslMechanism, env: NodeJS.ProcessEnv): SASLOptions {
  const username = env[SECRET_ENV.username];
  const password = env[SECRET_ENV.password];
  const missing = [!username && SECRET_ENV.username, !password && SECRET_ENV.password].filter(Boolean);
  if (missing.length > 0) {
    throw new ConnectionConfigError(
      `--sasl-mechanism ${mechanism} needs ${missing.join(' and ')} in the environment. Secrets are read only from ` +
        `environment variables, never from flags, so they stay out of shell history and \`ps\`: e.g. ` +
        `\`export ${SECRET_ENV.username}=alice\` and \`read -rs ${SECRET_ENV.password} && export ${SECRET_ENV.password}\``,
    );
  }
  const sasl: SASLOptions = { mechanism, username: username!, password: password! };
  return printRedacted(sasl);
}

/**
 * Builds the kafkajs security options. --tls-ca and --tls-insecure-skip-verify imply --tls. Throws
 * ConnectionConfigError (message names the fix) for an unknown mechanism, a missing secret, an unreadable CA file,
 * or contradicting flags.
 */
export function connectionSecurity(
  flags: SecurityFlags,
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): ConnectionSecurity {
  const warnings: string[] = [];
  if (flags.tlsCa && flags.tlsInsecureSkipVerify) {
    throw new ConnectionConfigError(
      '--tls-ca and --tls-insecure-skip-verify contradict each other: --tls-ca checks the brokers\' certificates ' +
        'against that CA, --tls-insecure-skip-verify does not check them at all; keep one',
    );
  }
  const useTls = Boolean(flags.tls || flags.tlsCa || flags.tlsInsecureSkipVerify);
  let ssl: TlsOptions | undefined;
  let tlsText = '';
  if (useTls) {
    if (flags.tlsInsecureSkipVerify) {
      ssl = { rejectUnauthorized: false };
      tlsText = 'certificate NOT verified';
      warnings.push(
        'TLS certificate verification is off (--tls-insecure-skip-verify): anyone between you and the brokers can read and change the traffic',
      );
    } else if (flags.tlsCa) {
      ssl = { rejectUnauthorized: true, ca: [readCa(flags.tlsCa, readFile)] };
      tlsText = `CA ${flags.tlsCa}`;
    } else {
      ssl = { rejectUnauthorized: true };
      tlsText = 'system CAs';
    }
  }

  let sasl: SASLOptions | undefined;
  let saslText = '';
  if (flags.saslMechanism) {
    const mechanism = parseMechanism(flags.saslMechanism);
    sasl = saslFromEnv(mechanism, env);
    saslText = `${mechanism.toUpperCase()} as ${env[SECRET_ENV.username]}`;
    if (mechanism === 'plain' && !useTls) {
      warnings.push('SASL PLAIN without --tls sends the password in clear text over the network');
    }
  } else if (env[SECRET_ENV.username] || env[SECRET_ENV.password]) {
    warnings.push(`${SECRET_ENV.username}/${SECRET_ENV.password} are set but --sasl-mechanism is not: connecting without SASL`);
  }

  const protocol = sasl ? (ssl ? 'SASL_SSL' : 'SASL_PLAINTEXT') : ssl ? 'SSL' : 'PLAINTEXT';
  const summary = [protocol, saslText, tlsText].filter(Boolean).join(', ');
  return { ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}), warnings, summary };
}

/** What kafkajs clients (producer, admin, readers) need beyond the broker list. */
export interface ClientSecurity {
  ssl?: TlsOptions;
  sasl?: SASLOptions;
}

/** Only the kafkajs options, without the display fields. */
export function clientSecurity(s: ConnectionSecurity | undefined): ClientSecurity {
  return { ...(s?.ssl ? { ssl: s.ssl } : {}), ...(s?.sasl ? { sasl: s.sasl } : {}) };
}
