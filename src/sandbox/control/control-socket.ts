// The sandbox's control API for other processes: the same SandboxControl calls the in-process app makes, as one JSON
// object per line over a unix socket (control-socket-path.ts says where, and why a socket). Requests carry an id;
// answers carry it back. `events` turns a connection into a stream of cluster events as well.
//
// Line protocol (all JSON):
//   -> {"id":1,"op":"hello"}                          <- {"id":1,"result":{"clusterId":...,"addresses":[...]}}
//   -> {"id":2,"op":"status"}                         <- {"id":2,"result":<ClusterStatusView>}
//   -> {"id":3,"op":"pause","broker":2}               <- {"id":3,"result":{"ok":true,"message":"..."}}
//   -> {"id":4,"op":"injectError","api":"produce","error":"NOT_ENOUGH_REPLICAS","when":"before","count":1}
//   -> {"id":5,"op":"events"}                         <- {"id":5,"result":{"ok":true}}, then {"event":<ClusterEvent>}...
//   -> {"id":6,"op":"events","skip":["high-watermark"]}  the same without the event types named (a high-watermark
//                                                      move comes with nearly every produce request)
import { existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import type { SandboxControl } from './control.js';
import { controlSocketPath, ensurePrivateDirectory } from './control-socket-path.js';

/** Bounds: a client cannot grow the sandbox by sending huge lines or opening many connections. */
const MAX_LINE_BYTES = 64 * 1024;
const MAX_CONNECTIONS = 32;

type Request = Record<string, unknown> & { id?: unknown; op?: unknown };

const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);
const opt = (v: unknown) => (v === undefined ? undefined : num(v));

/** One request to one SandboxControl call; SandboxControl validates every argument itself. */
async function answer(control: SandboxControl, req: Request): Promise<unknown> {
  const broker = num(req.broker);
  const target = { api: req.api as string, broker: opt(req.broker), count: opt(req.count) };
  switch (req.op) {
    case 'hello':
      return { clusterId: control.status().clusterId, addresses: control.addresses(), pid: process.pid };
    case 'status':
      return control.status();
    case 'stop':
    case 'crash':
    case 'pause':
    case 'resume':
    case 'start':
      return control[req.op](broker);
    case 'injectError':
      return control.injectError(req.api as string, req.error as string, {
        when: req.when === 'after' ? 'after' : 'before',
        broker: opt(req.broker),
        count: opt(req.count),
      });
    case 'dropResponse':
      return control.dropResponse(target);
    case 'delayResponse':
      return control.delayResponse(num(req.ms), target);
    case 'disconnect':
      return control.disconnect(target);
    case 'listFaults':
      return control.listFaults();
    case 'clearFaults':
      return control.clearFaults();
    default:
      return { ok: false, message: `unknown control operation ${JSON.stringify(req.op)}` };
  }
}

export interface ControlSocketServer {
  /** The socket paths, one per broker address. */
  paths: string[];
  close(): Promise<void>;
}

/**
 * Serves `control` on one socket per broker address (an app may be given any of them). A leftover socket file of a
 * sandbox that died is replaced: its broker address is ours now, so no live sandbox can be behind it.
 */
export async function serveControlSocket(control: SandboxControl, env: NodeJS.ProcessEnv = process.env): Promise<ControlSocketServer> {
  const paths = control.addresses().map((a) => controlSocketPath(a, env));
  if (paths.length > 0) ensurePrivateDirectory(path.dirname(paths[0]));
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  for (const p of paths) {
    if (existsSync(p)) unlinkSync(p);
    const server = createServer((socket) => handle(control, socket, sockets));
    server.maxConnections = MAX_CONNECTIONS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, () => resolve());
    });
    servers.push(server);
  }
  return {
    paths,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      for (const p of paths) if (existsSync(p)) unlinkSync(p);
    },
  };
}

function handle(control: SandboxControl, socket: Socket, sockets: Set<Socket>): void {
  sockets.add(socket);
  let buffered = '';
  let unsubscribe: (() => void) | null = null;
  const send = (obj: unknown) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(obj)}\n`);
  };
  socket.setEncoding('utf8');
  socket.on('error', () => {});
  socket.on('close', () => {
    unsubscribe?.();
    sockets.delete(socket);
  });
  // Answers go out in the order the requests came in, even when one waits for a broker to restart.
  let queue: Promise<void> = Promise.resolve();
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > MAX_LINE_BYTES) {
      send({ error: `request line over ${MAX_LINE_BYTES} bytes` });
      socket.destroy();
      return;
    }
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line === '') continue;
      let req: Request;
      try {
        req = JSON.parse(line) as Request;
        if (typeof req !== 'object' || req === null) throw new Error('not an object');
      } catch (e) {
        send({ error: `not a JSON object: ${(e as Error).message}` });
        continue;
      }
      queue = queue.then(async () => {
        if (req.op === 'events') {
          const skip = new Set(Array.isArray(req.skip) ? req.skip.filter((t): t is string => typeof t === 'string') : []);
          unsubscribe ??= control.on((event) => {
            if (!skip.has(event.type)) send({ event });
          }, { highWatermark: !skip.has('high-watermark') });
          send({ id: req.id, result: { ok: true, message: 'subscribed to cluster events' } });
          return;
        }
        try {
          send({ id: req.id, result: await answer(control, req) });
        } catch (e) {
          send({ id: req.id, error: (e as Error).message });
        }
      });
    }
  });
}
