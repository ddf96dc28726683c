// The Engine API transport against the fake server: version negotiation, the endpoint allowlist, status mapping.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_MAX_API, EngineApiClient, compareApiVersions, isAllowed } from '../../../../src/kafka/cluster/containers/engine-api.js';
import { EngineRuntime } from '../../../../src/kafka/cluster/containers/engine-runtime.js';
import { ContainerControlError } from '../../../../src/kafka/cluster/containers/errors.js';
import { FakeDocker } from '../../../helpers/fake-docker.js';

let fake: FakeDocker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const ID = 'a'.repeat(64);

describe('API version negotiation', () => {
  it('a Podman-like server speaking API 1.41: the client uses /v1.41/ paths', async () => {
    fake = await FakeDocker.start({ apiVersion: '1.41', minApiVersion: '1.24', engine: 'podman' });
    fake.addCluster();
    const runtime = await EngineRuntime.open(fake.socketPath);
    expect(runtime.client.apiVersion).toBe('1.41');
    expect(runtime.describe()).toBe(`Podman Engine API 1.41 at ${fake.socketPath}`);
    await runtime.list([]);
    const containerCalls = fake.requests.filter((r) => r.path.includes('/containers'));
    expect(containerCalls.length).toBeGreaterThan(0);
    expect(containerCalls.every((r) => r.path.startsWith('/v1.41/containers'))).toBe(true);
    // Negotiation itself used only the unversioned endpoints.
    expect(fake.requests.slice(0, 2).map((r) => r.path)).toEqual(['/_ping', '/version']);
  });

  it('a Docker-29-like server (1.52, minimum 1.44) gets 1.52; a newer one is asked for our maximum', async () => {
    fake = await FakeDocker.start({ apiVersion: '1.52', minApiVersion: '1.44' });
    expect(await new EngineApiClient(fake.socketPath).negotiate()).toBe('1.52');
    await fake.close();
    fake = await FakeDocker.start({ apiVersion: '1.60', minApiVersion: '1.44' });
    const c = new EngineApiClient(fake.socketPath);
    expect(await c.negotiate()).toBe(CLIENT_MAX_API);
    const res = await c.call('GET', '/containers/json', {}, { what: 'list' });
    expect(res.status).toBe(200);
  });

  it('the fake refuses versions outside its range, as Docker 29 does (so negotiation is what makes calls work)', async () => {
    fake = await FakeDocker.start({ apiVersion: '1.52', minApiVersion: '1.44' });
    const c = new EngineApiClient(fake.socketPath);
    await c.negotiate();
    (c as unknown as { version: string }).version = '1.41';
    const res = await c.call('GET', '/containers/json', {}, { what: 'list' });
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/client version 1.41 is too old/);
  });

  it('refuses an engine whose minimum is above what we speak, or that speaks below 1.24', async () => {
    fake = await FakeDocker.start({ apiVersion: '1.70', minApiVersion: '1.60' });
    await expect(new EngineApiClient(fake.socketPath).negotiate()).rejects.toMatchObject({
      code: 'api-version',
      message: expect.stringMatching(/requires 1.60 or newer.*Update Docker or Podman/),
    });
    await fake.close();
    fake = await FakeDocker.start({ apiVersion: '1.19', minApiVersion: '1.12' });
    await expect(new EngineApiClient(fake.socketPath).negotiate()).rejects.toMatchObject({ code: 'api-version' });
  });

  it('compares versions numerically', () => {
    expect(compareApiVersions('1.9', '1.10')).toBeLessThan(0);
    expect(compareApiVersions('1.44', '1.41')).toBeGreaterThan(0);
    expect(compareApiVersions('1.41', '1.41')).toBe(0);
  });
});

describe('endpoint allowlist', () => {
  it('allows only ping, version, list, inspect and the five actions on full IDs', () => {
    expect(isAllowed('GET', '/_ping')).toBe(true);
    expect(isAllowed('GET', '/v1.47/containers/json')).toBe(true);
    expect(isAllowed('GET', `/v1.47/containers/${ID}/json`)).toBe(true);
    for (const a of ['stop', 'kill', 'start', 'pause', 'unpause']) expect(isAllowed('POST', `/v1.47/containers/${ID}/${a}`)).toBe(true);
    expect(isAllowed('POST', '/v1.47/containers/create')).toBe(false);
    expect(isAllowed('DELETE', `/v1.47/containers/${ID}`)).toBe(false);
    expect(isAllowed('POST', `/v1.47/containers/${ID}/exec`)).toBe(false);
    expect(isAllowed('POST', '/v1.47/containers/kafka-2/stop')).toBe(false); // names are never targets
    expect(isAllowed('POST', `/v1.47/containers/${ID}/stop/../exec`)).toBe(false);
    expect(isAllowed('POST', '/v1.47/images/create')).toBe(false);
  });

  it('a blocked call is refused before anything is sent', async () => {
    fake = await FakeDocker.start();
    const c = new EngineApiClient(fake.socketPath);
    await c.negotiate();
    const before = fake.requests.length;
    await expect(c.call('POST', '/containers/create', {}, { what: 'create' })).rejects.toThrow(/blocked Engine API call POST \/v1.47\/containers\/create/);
    await expect(new EngineRuntime(c).act('kafka-2', 'stop', { stopTimeoutSec: 1, what: 'x' })).rejects.toMatchObject({ code: 'blocked' });
    expect(fake.requests.length).toBe(before);
  });
});

describe('status codes and socket errors', () => {
  it('304 means already in that state; 404 on inspect means gone; 409 is an error with the engine message', async () => {
    fake = await FakeDocker.start();
    const { brokers } = fake.addCluster();
    const runtime = await EngineRuntime.open(fake.socketPath);
    expect(await runtime.act(brokers[0].id, 'start', { stopTimeoutSec: 1, what: 'b1' })).toBe('already');
    expect(await runtime.act(brokers[0].id, 'stop', { stopTimeoutSec: 1, what: 'b1' })).toBe('done');
    expect(await runtime.act(brokers[0].id, 'stop', { stopTimeoutSec: 1, what: 'b1' })).toBe('already');
    await expect(runtime.act(brokers[0].id, 'kill', { stopTimeoutSec: 1, what: 'b1' })).rejects.toThrow(/is not running/);
    expect(await runtime.inspect('f'.repeat(64))).toBeNull();
    const info = await runtime.inspect(brokers[0].id);
    expect(info).toMatchObject({ id: brokers[0].id, status: 'exited', exitCode: 143, name: 'kafka-producer-tui-kafka-1-1' });
    expect(JSON.stringify(info)).not.toContain('do-not-leak'); // Config.Env is not kept
  });

  it('no socket at the path, or a path that is not a socket: unreachable, with the fix', async () => {
    fake = await FakeDocker.start();
    const missing = path.join(fake.dir, 'missing.sock');
    await expect(new EngineApiClient(missing).ping()).rejects.toMatchObject({
      code: 'unreachable',
      errno: 'ENOENT',
      message: expect.stringMatching(/Start Docker/),
    });
    const file = path.join(fake.dir, 'plain-file');
    writeFileSync(file, '');
    const err = await new EngineApiClient(file).ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerControlError);
    expect((err as ContainerControlError).code).toBe('unreachable');
  });
});
