// Security options from flags and environment: kafkajs ssl/sasl shapes, secrets only from the environment, never
// printed, and an error naming the fix for each mistake.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionConfigError, connectionSecurity, redact } from '../../../src/kafka/cluster/connection-config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kpt-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
const caFile = path.join(dir, 'ca.pem');
writeFileSync(caFile, PEM);
const SECRET = 'hunter2-very-secret';
const creds = { KPT_SASL_USERNAME: 'alice', KPT_SASL_PASSWORD: SECRET };

describe('connectionSecurity', () => {
  it('no flags: PLAINTEXT, no ssl or sasl options at all', () => {
    const s = connectionSecurity({}, {});
    expect(s).toEqual({ warnings: [], summary: 'PLAINTEXT' });
  });

  it.each(['plain', 'SCRAM-SHA-256', 'scram_sha_512'])('SASL %s takes username and password from the environment', (m) => {
    const s = connectionSecurity({ saslMechanism: m, tls: true }, creds);
    expect(s.sasl).toMatchObject({ mechanism: m.toLowerCase().replace(/_/g, '-'), username: 'alice', password: SECRET });
    expect(s.ssl).toEqual({ rejectUnauthorized: true });
    expect(s.summary).toBe(`SASL_SSL, ${m.toUpperCase().replace(/_/g, '-')} as alice, system CAs`);
  });

  it('TLS with a CA file: verification on, the file contents as ca', () => {
    const s = connectionSecurity({ tlsCa: caFile }, {});
    expect(s.ssl).toEqual({ rejectUnauthorized: true, ca: [PEM] });
    expect(s.summary).toBe(`SSL, CA ${caFile}`);
  });

  it('skipping verification needs its own flag and is warned about', () => {
    expect(connectionSecurity({ tls: true }, {}).ssl?.rejectUnauthorized).toBe(true);
    const s = connectionSecurity({ tlsInsecureSkipVerify: true }, {});
    expect(s.ssl).toEqual({ rejectUnauthorized: false });
    expect(s.warnings.join()).toMatch(/verification is off/);
    expect(s.summary).toBe('SSL, certificate NOT verified');
  });

  it('warns about PLAIN without TLS and about credentials set without a mechanism', () => {
    expect(connectionSecurity({ saslMechanism: 'plain' }, creds).warnings.join()).toMatch(/clear text/);
    expect(connectionSecurity({ saslMechanism: 'scram-sha-512' }, creds).warnings).toEqual([]);
    const s = connectionSecurity({}, creds);
    expect(s.sasl).toBeUndefined();
    expect(s.warnings.join()).toMatch(/--sasl-mechanism is not/);
  });
});

describe('errors', () => {
  const error = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ConnectionConfigError);
      return (e as Error).message;
    }
    throw new Error('expected a ConnectionConfigError');
  };

  it('a missing secret names the variable and how to set it without a flag', () => {
    const m = error(() => connectionSecurity({ saslMechanism: 'scram-sha-512' }, { KPT_SASL_USERNAME: 'alice' }));
    expect(m).toMatch(/needs KPT_SASL_PASSWORD in the environment/);
    expect(m).toMatch(/never from flags/);
    expect(error(() => connectionSecurity({ saslMechanism: 'plain' }, { KPT_SASL_PASSWORD: '' }))).toMatch(
      /KPT_SASL_USERNAME and KPT_SASL_PASSWORD/,
    );
  });

  it('an unknown mechanism lists the supported ones', () => {
    expect(error(() => connectionSecurity({ saslMechanism: 'gssapi' }, creds))).toMatch(/plain, scram-sha-256, scram-sha-512/);
  });

  it('an unreadable or non-PEM CA file', () => {
    expect(error(() => connectionSecurity({ tlsCa: path.join(dir, 'nope.pem') }, {}))).toMatch(/cannot read the CA file .*nope\.pem.*no such file, ENOENT/);
    const notPem = path.join(dir, 'key.txt');
    writeFileSync(notPem, 'hello');
    expect(error(() => connectionSecurity({ tlsCa: notPem }, {}))).toMatch(/is not a PEM certificate/);
    const denied = error(() =>
      connectionSecurity({ tlsCa: caFile }, {}, () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      }),
    );
    expect(denied).toMatch(/permission denied, EACCES/);
  });

  it('a CA file together with skip-verify is a contradiction', () => {
    expect(error(() => connectionSecurity({ tlsCa: caFile, tlsInsecureSkipVerify: true }, {}))).toMatch(/contradict/);
  });

  it('error messages never contain the password', () => {
    const m = error(() => connectionSecurity({ saslMechanism: 'nope' }, creds));
    expect(m).not.toContain(SECRET);
  });
});

describe('redaction', () => {
  it('redact() hides passwords and keys and summarises certificates', () => {
    const s = connectionSecurity({ saslMechanism: 'scram-sha-256', tlsCa: caFile }, creds);
    const shown = JSON.stringify(redact({ brokers: ['b:9092'], ssl: s.ssl, sasl: s.sasl }));
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain('BEGIN CERTIFICATE');
    expect(shown).toContain('"password":"[redacted]"');
    expect(shown).toContain('"username":"alice"');
    expect(shown).toContain('"ca":"[1 certificate]"');
    expect(JSON.stringify(redact({ ssl: { key: 'PRIVATE', passphrase: 'p', cert: 'C' } }))).toBe(
      '{"ssl":{"key":"[redacted]","passphrase":"[redacted]","cert":"[1 certificate]"}}',
    );
  });

  it('the sasl object itself prints redacted when logged by mistake, yet kafkajs can read the password', () => {
    const { sasl, summary } = connectionSecurity({ saslMechanism: 'plain', tls: true }, creds);
    expect(JSON.stringify({ sasl })).not.toContain(SECRET);
    expect(inspect(sasl)).not.toContain(SECRET);
    expect(`${JSON.stringify(sasl)}`).toContain('[redacted]');
    expect(summary).not.toContain(SECRET);
    expect((sasl as { password: string }).password).toBe(SECRET);
    const { password } = sasl as { password: string }; // kafkajs destructures it
    expect(password).toBe(SECRET);
  });
});
