// docker-compose.yml without Docker: parse it (with YAML merge keys, as Compose does) and check the topology the
// notes require and the labels the control code looks for.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LABEL, DEFAULT_PROJECT, brokerIdOf } from '../../../../src/kafka/cluster/containers/labels.js';

interface Service {
  image?: string;
  hostname?: string;
  environment?: Record<string, string | number>;
  ports?: string[];
  labels?: Record<string, string>;
  healthcheck?: { test?: string[]; interval?: string; start_period?: string };
  restart?: string;
  stop_grace_period?: string;
  container_name?: string;
  depends_on?: unknown;
  networks?: string[];
}

const file = fileURLToPath(new URL('../../../../docker-compose.yml', import.meta.url));
const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as { name: string; services: Record<string, Service> };
const services = compose.services;
/** Compose's `${VAR:-default}` with VAR unset. */
const value = (v: string | number | undefined) => String(v ?? '').replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
const env = (s: Service, key: string) => value(s.environment?.[key]);
const brokers = ['kafka-1', 'kafka-2', 'kafka-3'];
const controllers = ['controller-1', 'controller-2', 'controller-3'];

describe('docker-compose.yml', () => {
  it('has exactly three brokers and three dedicated controllers, in project kafka-producer-tui', () => {
    expect(compose.name).toBe(DEFAULT_PROJECT);
    expect(Object.keys(services).sort()).toEqual([...controllers, ...brokers].sort());
    for (const b of brokers) expect(env(services[b], 'KAFKA_PROCESS_ROLES')).toBe('broker');
    for (const c of controllers) expect(env(services[c], 'KAFKA_PROCESS_ROLES')).toBe('controller');
  });

  it('uses the official image pinned to an exact version, overridable with KAFKA_IMAGE', () => {
    for (const s of Object.values(services)) {
      expect(s.image).toMatch(/^\$\{KAFKA_IMAGE:-apache\/kafka:\d+\.\d+\.\d+\}$/);
      expect(s.image).toBe(services['kafka-1'].image);
    }
  });

  it('publishes brokers on 127.0.0.1:9092-9094 only, advertised as the same address, and no controller port', () => {
    brokers.forEach((b, i) => {
      const port = 9092 + i;
      const s = services[b];
      expect(s.ports).toEqual([`127.0.0.1:${port}:${port}`]);
      expect(env(s, 'KAFKA_LISTENERS')).toBe(`INTERNAL://:19092,EXTERNAL://:${port}`);
      expect(env(s, 'KAFKA_ADVERTISED_LISTENERS')).toBe(`INTERNAL://${b}:19092,EXTERNAL://127.0.0.1:${port}`);
      expect(s.labels?.[LABEL.external]).toBe(`127.0.0.1:${port}`);
      expect(s.hostname).toBe(b);
    });
    for (const c of controllers) {
      expect(services[c].ports).toBeUndefined();
      expect(services[c].environment?.KAFKA_ADVERTISED_LISTENERS).toBeUndefined();
      expect(env(services[c], 'KAFKA_LISTENERS')).toBe('CONTROLLER://:19093');
    }
  });

  it('node ids are unique; the voters are exactly the controllers, by hostname', () => {
    const ids = Object.values(services).map((s) => env(s, 'KAFKA_NODE_ID'));
    expect(new Set(ids).size).toBe(6);
    const voters = env(services['kafka-1'], 'KAFKA_CONTROLLER_QUORUM_VOTERS').split(',');
    expect(voters.sort()).toEqual(controllers.map((c) => `${env(services[c], 'KAFKA_NODE_ID')}@${services[c].hostname}:19093`).sort());
    expect(controllers.map((c) => env(services[c], 'KAFKA_NODE_ID'))).toEqual(['101', '102', '103']);
    expect(brokers.map((b) => env(services[b], 'KAFKA_NODE_ID'))).toEqual(['1', '2', '3']);
  });

  it('replication factor 3 and min.insync.replicas 2 on every node (controllers read them too)', () => {
    const clusterId = env(services['kafka-1'], 'CLUSTER_ID');
    expect(clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (const s of Object.values(services)) {
      expect(env(s, 'CLUSTER_ID')).toBe(clusterId);
      expect(env(s, 'KAFKA_CONTROLLER_QUORUM_VOTERS')).toBe(env(services['kafka-1'], 'KAFKA_CONTROLLER_QUORUM_VOTERS'));
      expect(env(s, 'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP')).toBe('CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT');
      expect(env(s, 'KAFKA_DEFAULT_REPLICATION_FACTOR')).toBe('3');
      expect(env(s, 'KAFKA_MIN_INSYNC_REPLICAS')).toBe('2');
      expect(env(s, 'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR')).toBe('3');
      expect(env(s, 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR')).toBe('3');
      expect(env(s, 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR')).toBe('2');
      expect(env(s, 'KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE')).toBe('false');
      expect(env(s, 'KAFKA_AUTO_CREATE_TOPICS_ENABLE')).toBe('false');
    }
  });

  it('labels every node; the control code recognises exactly the three brokers by their broker id', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.labels?.[LABEL.managed]).toBe('true');
      expect(s.labels?.[LABEL.role]).toBe(brokers.includes(name) ? 'broker' : 'controller');
      expect(s.labels?.[LABEL.nodeId]).toBe(env(s, 'KAFKA_NODE_ID'));
    }
    // Compose adds the project label itself.
    const recognised = Object.values(services)
      .map((s) => brokerIdOf({ ...s.labels, [LABEL.composeProject]: compose.name }, DEFAULT_PROJECT))
      .filter((id) => id !== null);
    expect(recognised).toEqual([1, 2, 3]);
  });

  it('health checks on every node; faults stick (no restart policy); graceful stop has time; no names or dependencies', () => {
    for (const [name, s] of Object.entries(services)) {
      const port = brokers.includes(name) ? 19092 : 19093;
      expect(s.healthcheck?.test).toEqual(['CMD', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`]);
      expect(s.restart).toBe('no');
      expect(s.stop_grace_period).toBe('30s');
      expect(s.container_name).toBeUndefined();
      expect(s.depends_on).toBeUndefined();
      expect(s.networks).toEqual(['kafka']);
    }
  });
});
