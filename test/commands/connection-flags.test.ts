// The shared connection flags: bad combinations are one clear message (exit code 2 in every command), secrets come
// from the environment only and never appear in the summary.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionFromFlags } from '../../src/commands/connection-flags.js';
import { clientSecurity } from '../../src/kafka/cluster/connection-config.js';

const ENV = { KPT_SASL_USERNAME: 'alice', KPT_SASL_PASSWORD: 's3cret-pw' };

describe('connectionFromFlags', () => {
  it('no flags: PLAINTEXT, no kafkajs options, no container target', () => {
    const c = connectionFromFlags({}, true, {});
    expect(c).toMatchObject({ security: { summary: 'PLAINTEXT', warnings: [] }, containers: {} });
    expect(clientSecurity(typeof c === 'string' ? undefined : c.security)).toEqual({});
  });

  it('security or container flags without --brokers are refused, naming them', () => {
    expect(connectionFromFlags({ tls: true, dockerHost: 'unix:///x.sock' }, false, {})).toBe(
      '--tls, --docker-host need --brokers: the built-in cluster runs in this process, speaks PLAINTEXT without authentication and has no containers',
    );
    expect(connectionFromFlags({ tls: false }, false, {})).not.toBeTypeOf('string');
  });

  it('SASL from the environment; the password never shows in the summary or a printed copy', () => {
    const c = connectionFromFlags({ saslMechanism: 'scram-sha-512', tls: true }, true, ENV);
    if (typeof c === 'string') throw new Error(c);
    expect(c.security.summary).toBe('SASL_SSL, SCRAM-SHA-512 as alice, system CAs');
    const s = clientSecurity(c.security);
    expect(s.sasl).toMatchObject({ mechanism: 'scram-sha-512', username: 'alice', password: 's3cret-pw' });
    expect(JSON.stringify(s)).not.toContain('s3cret-pw');
  });

  it('missing secrets, an unreadable CA, contradicting TLS flags: the fix in the message', () => {
    expect(connectionFromFlags({ saslMechanism: 'plain' }, true, {})).toMatch(/needs KPT_SASL_USERNAME and KPT_SASL_PASSWORD in the environment/);
    expect(connectionFromFlags({ saslMechanism: 'gssapi' }, true, ENV)).toMatch(/unknown --sasl-mechanism "gssapi"/);
    expect(connectionFromFlags({ tlsCa: '/nonexistent/ca.pem' }, true, {})).toMatch(/cannot read the CA file \/nonexistent\/ca\.pem/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kpt-ca-'));
    writeFileSync(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(connectionFromFlags({ tlsCa: path.join(dir, 'ca.pem'), tlsInsecureSkipVerify: true }, true, {})).toMatch(/contradict each other/);
    const ok = connectionFromFlags({ tlsCa: path.join(dir, 'ca.pem') }, true, {});
    expect(typeof ok === 'string' ? ok : ok.security.summary).toBe(`SSL, CA ${path.join(dir, 'ca.pem')}`);
  });

  it('checks --docker-host and --compose-project', () => {
    expect(connectionFromFlags({ dockerHost: '/var/run/docker.sock' }, true, {})).toMatch(/--docker-host takes an endpoint like DOCKER_HOST/);
    expect(connectionFromFlags({ composeProject: 'My Project' }, true, {})).toMatch(/--compose-project must be lowercase/);
    expect(connectionFromFlags({ dockerHost: 'unix:///run/podman.sock', composeProject: 'lab' }, true, {})).toMatchObject({
      containers: { dockerHost: 'unix:///run/podman.sock', project: 'lab' },
    });
  });
});
