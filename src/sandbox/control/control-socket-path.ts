// Where a sandbox running in its own process (`kafka-producer-tui sandbox`) offers its control API, so that an app
// attaching to it by a broker address can find it: one unix socket per broker address, in a directory only this
// user can enter.
//
// Why a unix socket and not a loopback TCP port: the control API can pause and crash brokers and inject faults. A
// loopback port is open to every user of the machine and to any program that can reach 127.0.0.1 (a web page can
// send a request body to a local port); a socket inside a 0700 directory is reachable by this user only, and its
// name is found from the broker address alone, so there is no port to configure or to collide with.
import { lstatSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The per-user directory: $XDG_RUNTIME_DIR (already private to the user) or a 0700 directory under the temp dir. */
export function controlDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KPT_SANDBOX_CONTROL_DIR) return env.KPT_SANDBOX_CONTROL_DIR;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const base = env.XDG_RUNTIME_DIR || path.join(os.tmpdir(), `kafka-producer-tui-${uid}`);
  return path.join(base, 'kafka-producer-tui-sandbox');
}

/** The socket of the sandbox whose broker listens on host:port. */
export function controlSocketPath(address: string, env: NodeJS.ProcessEnv = process.env): string {
  const safe = address.toLowerCase().replace(/^localhost:/, '127.0.0.1:').replace(/[^a-z0-9.-]/g, '_');
  return path.join(controlDirectory(env), `${safe}.sock`);
}

/**
 * Creates the directory (0700) when missing and refuses one that another user owns or others can enter: a socket
 * there could be someone else's, or be reached by someone else. Throws with the reason.
 */
export function ensurePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (typeof process.getuid !== 'function') return;
  for (const d of [dir, path.dirname(dir)]) {
    if (d === os.tmpdir()) break;
    const st = lstatSync(d);
    if (!st.isDirectory() || st.isSymbolicLink()) throw new Error(`${d} is not a directory`);
    if (st.uid !== process.getuid()) throw new Error(`${d} belongs to another user`);
    if ((st.mode & 0o077) !== 0) throw new Error(`${d} is open to other users (mode ${(st.mode & 0o777).toString(8)})`);
  }
}
