// The flags that say how to reach a real cluster (--brokers): TLS, SASL and, for broker control, which container
// engine and compose project. Parsed once here for the TUI, lab and bench commands so that they agree on names,
// checks and messages. Secrets never come from flags (connection-config.ts reads them from the environment).
import type { ContainerTarget } from '../kafka/cluster/open-cluster.js';
import { ConnectionConfigError, connectionSecurity, SASL_MECHANISMS, SECRET_ENV, type ConnectionSecurity } from '../kafka/cluster/connection-config.js';

export const securityMeowFlags = {
  saslMechanism: { type: 'string' },
  tls: { type: 'boolean', default: false },
  tlsCa: { type: 'string' },
  tlsInsecureSkipVerify: { type: 'boolean', default: false },
} as const;

export const containerMeowFlags = {
  dockerHost: { type: 'string' },
  composeProject: { type: 'string' },
} as const;

/** Help lines for the security flags, indented by `indent` spaces. */
export function securityFlagsHelp(indent: number): string {
  const pad = ' '.repeat(indent);
  return [
    `--sasl-mechanism M        ${SASL_MECHANISMS.join(' | ')}; user and password from ${SECRET_ENV.username} / ${SECRET_ENV.password}`,
    '--tls                     connect with TLS, checking the brokers\' certificates against the system CAs',
    '--tls-ca FILE             ... against the CA certificate in FILE (PEM) instead',
    '--tls-insecure-skip-verify  TLS without checking certificates (testing only)',
  ]
    .map((l) => pad + l)
    .join('\n');
}

export function containerFlagsHelp(indent: number): string {
  const pad = ' '.repeat(indent);
  return [
    '--docker-host URL         the container engine for broker control (as DOCKER_HOST, e.g. unix:///run/user/1000/podman/podman.sock)',
    '--compose-project NAME    the compose project of the cluster\'s containers (default kafka-producer-tui)',
  ]
    .map((l) => pad + l)
    .join('\n');
}



const BROKER = /^([^\s:,]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

/**
 * --brokers as a list of host:port, or one message naming every bad entry. Ports are checked here, at parse time
 * (1-65535), so a typo is exit code 2 before any cluster is started or any connection is tried.
 */
export function parseBrokers(text: string): string[] | string {
  const brokers = text.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers.length === 0) return '--brokers needs at least one host:port';
  const bad = brokers.filter((b) => {
    const m = BROKER.exec(b);
    return !m || Number(m[2]) < 1 || Number(m[2]) > 65535;
  });
  if (bad.length > 0) return `--brokers takes host:port,... with ports 1-65535; not ${bad.map((b) => `'${b}'`).join(', ')}`;
  return brokers;
}

export interface ConnectionChoice {
  security: ConnectionSecurity;
  containers: ContainerTarget;
}

const SECURITY_FLAGS = [
  ['saslMechanism', '--sasl-mechanism'],
  ['tls', '--tls'],
  ['tlsCa', '--tls-ca'],
  ['tlsInsecureSkipVerify', '--tls-insecure-skip-verify'],
] as const;
const CONTAINER_FLAGS = [
  ['dockerHost', '--docker-host'],
  ['composeProject', '--compose-project'],
] as const;

const given = (v: unknown) => v !== undefined && v !== false && v !== '';

/**
 * Checks and turns the flags into kafkajs options; a message (for exit code 2) when they make no sense: security
 * or container flags without --brokers (the built-in cluster is PLAINTEXT and in process), a malformed docker
 * host or project name, or what connectionSecurity refuses (missing secrets, unreadable CA, contradicting flags).
 */
export function connectionFromFlags(
  flags: Record<string, unknown>,
  hasBrokers: boolean,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionChoice | string {
  if (!hasBrokers) {
    const used = [...SECURITY_FLAGS, ...CONTAINER_FLAGS].filter(([k]) => given(flags[k])).map(([, name]) => name);
    if (used.length > 0) {
      return `${used.join(', ')} need${used.length === 1 ? 's' : ''} --brokers: the built-in cluster runs in this process, speaks PLAINTEXT without authentication and has no containers`;
    }
  }
  const dockerHost = flags.dockerHost === undefined ? undefined : String(flags.dockerHost).trim();
  if (dockerHost !== undefined && !/^(unix|tcp|npipe|ssh):\/\/\S+$/.test(dockerHost)) {
    return `--docker-host takes an endpoint like DOCKER_HOST does (unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host); got '${flags.dockerHost}'`;
  }
  const project = flags.composeProject === undefined ? undefined : String(flags.composeProject).trim();
  // Docker Compose's rule for project names.
  if (project !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(project)) {
    return `--compose-project must be lowercase letters, digits, '-' and '_', starting with a letter or digit; got '${flags.composeProject}'`;
  }
  try {
    const security = connectionSecurity(
      {
        saslMechanism: flags.saslMechanism === undefined ? undefined : String(flags.saslMechanism),
        tls: Boolean(flags.tls),
        tlsCa: flags.tlsCa === undefined ? undefined : String(flags.tlsCa),
        tlsInsecureSkipVerify: Boolean(flags.tlsInsecureSkipVerify),
      },
      env,
    );
    return { security, containers: { ...(dockerHost ? { dockerHost } : {}), ...(project ? { project } : {}) } };
  } catch (e) {
    if (e instanceof ConnectionConfigError) return e.message;
    throw e;
  }
}

