// A real container engine for the container-control tests: Debian's podman (with runc) serving the Docker-compatible
// Engine API on a socket of its own, with its own configuration and storage in a temp directory (nothing of the
// machine's podman is touched), and "broker" containers made from a local root filesystem: a tarball with a static
// busybox, `podman import`ed, so no registry is needed. On these machines podman needs runc (crun fails on the
// cgroups) and container ulimits within the host's, which the containers.conf below sets.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { LABEL } from '../../src/kafka/cluster/containers/labels.js';
import { waitUntil } from './cluster-events.js';

const IMAGE = 'localhost/kpt-busybox:test';
const BUSYBOX = '/bin/busybox';

export interface Podman {
  /** unix:///... of the Engine API socket. */
  host: string;
  socketPath: string;
  /** Runs the podman command against this test's storage (not through the API): for checks and setup. */
  podman(args: string[]): { status: number | null; stdout: string; stderr: string };
  /** Starts a sleeping container with these labels; returns its full ID. */
  run(name: string, labels: Record<string, string>): string;
  /** State.Status of a container as podman itself reports it ('running', 'paused', 'exited'...) and its exit code. */
  state(nameOrId: string): { status: string; exitCode: number };
  /** Stops the API service (the engine goes away; the containers stay). */
  stopService(): Promise<void>;
  close(): Promise<void>;
}

/** Why podman cannot run here, or null. Checked without starting anything. */
export function podmanUnavailable(): string | null {
  if (process.platform !== 'linux') return 'podman tests run on Linux only';
  if (spawnSync('podman', ['--version'], { stdio: 'ignore' }).status !== 0) return 'podman is not installed (apt-get install podman runc busybox-static)';
  if (spawnSync('runc', ['--version'], { stdio: 'ignore' }).status !== 0) return 'runc is not installed (apt-get install runc)';
  if (!existsSync(BUSYBOX)) return `${BUSYBOX} is missing (apt-get install busybox-static)`;
  const file = spawnSync('file', ['-L', BUSYBOX], { encoding: 'utf8' });
  if (file.status === 0 && /dynamically linked/.test(file.stdout)) return `${BUSYBOX} is not statically linked (apt-get install busybox-static)`;
  return null;
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Sets up storage, the image and the API service; throws with podman's own words when any step fails. */
export async function startPodman(): Promise<Podman> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kpt-podman-'));
  const conf = path.join(dir, 'containers.conf');
  const storage = path.join(dir, 'storage.conf');
  writeFileSync(
    conf,
    [
      '[containers]',
      'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
      '[engine]',
      'runtime = "runc"',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `tmp_dir = "${dir}/tmp"`,
      `volume_path = "${dir}/volumes"`,
      '',
    ].join('\n'),
  );
  writeFileSync(storage, ['[storage]', 'driver = "vfs"', `runroot = "${dir}/run"`, `graphroot = "${dir}/graph"`, ''].join('\n'));
  const env = { ...process.env, CONTAINERS_CONF: conf, CONTAINERS_STORAGE_CONF: storage };
  const podman = (args: string[]) => {
    const r = spawnSync('podman', args, { env, encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? '') };
  };
  const must = (args: string[]) => {
    const r = podman(args);
    if (r.status !== 0) throw new Error(`podman ${args[0]} failed: ${r.stderr.trim().split('\n').pop()}`);
    return r.stdout.trim();
  };

  let service: ChildProcess | null = null;
  try {
    const rootfs = path.join(dir, 'rootfs');
    mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
    copyFileSync(BUSYBOX, path.join(rootfs, 'bin/busybox'));
    for (const tool of ['sh', 'sleep']) symlinkSync('busybox', path.join(rootfs, 'bin', tool));
    const tarball = path.join(dir, 'rootfs.tar');
    const tar = spawnSync('tar', ['-C', rootfs, '-cf', tarball, '.']);
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    must(['import', tarball, IMAGE]);

    const socketPath = path.join(dir, 'api.sock');
    service = spawn('podman', ['system', 'service', '--time=0', `unix://${socketPath}`], { env, stdio: 'ignore' });
    const svc = service;
    await waitUntil(
      async () => {
        if (svc.exitCode !== null) throw new Error(`podman system service exited with code ${svc.exitCode}`);
        return ping(socketPath);
      },
      'podman system service to answer /_ping',
      15_000,
      100,
    );
    const stopService = async () => {
      if (svc.exitCode !== null || svc.signalCode !== null) return;
      svc.kill('SIGTERM');
      await new Promise((r) => svc.once('exit', r));
    };
    return {
      host: `unix://${socketPath}`,
      socketPath,
      podman,
      run: (name, labels) =>
        must([
          'run', '-d', '--name', name, '--network', 'none',
          ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
          // A broker's controlled shutdown in miniature: SIGTERM ends it at once with status 0.
          IMAGE, '/bin/sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done',
        ]),
      state: (nameOrId) => {
        const [status, exitCode] = must(['inspect', '--type', 'container', '--format', '{{.State.Status}} {{.State.ExitCode}}', nameOrId]).split(' ');
        return { status, exitCode: Number(exitCode) };
      },
      stopService,
      close: async () => {
        podman(['rm', '-f', '-a', '-t', '0']);
        await stopService();
        removeDir(dir);
      },
    };
  } catch (e) {
    service?.kill('SIGKILL');
    podman(['rm', '-f', '-a', '-t', '0']);
    removeDir(dir);
    throw e;
  }
}

/** Rootless podman leaves files owned by the user namespace's ids: only `podman unshare` may remove those. */
function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    spawnSync('podman', ['unshare', 'rm', '-rf', dir], { stdio: 'ignore' });
  }
}

/** The labels docker-compose.yml gives broker `id` of `project`. */
export function brokerLabels(project: string, id: number): Record<string, string> {
  return {
    [LABEL.managed]: 'true',
    [LABEL.role]: 'broker',
    [LABEL.nodeId]: String(id),
    [LABEL.external]: `127.0.0.1:${9091 + id}`,
    [LABEL.composeProject]: project,
    [LABEL.composeService]: `kafka-${id}`,
  };
}
