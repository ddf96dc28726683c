// An accepted connection re-opened so that its reads land in memory the broker chooses: net.Socket's `onread` option
// (the stream then reads with the buffer a function returns each time, and skips the 'data' event machinery), which
// net.Server does not offer for the sockets it accepts. A ~1 MB Produce request then lands in its frame's own buffer
// in a read or two instead of sixteen 64 KiB chunks, each allocated, passed through the stream and copied over.
// The accepted socket's handle moves to a new net.Socket (as Node's own handle passing does, through the `handle`
// option); the server still counts the connection, so close() waits for it as for any other.
import { Socket, type Server } from 'node:net';

interface AcceptedInternals {
  _handle?: { reading?: boolean } | null;
  _server?: Server | null;
}

export interface ReadInto {
  /** Where the next read's bytes go (called before every read). */
  buffer(): Uint8Array;
  /** `n` bytes were read into `buf`; false pauses reading. */
  read(n: number, buf: Uint8Array): boolean;
}

/**
 * The accepted socket (from a server with pauseOnConnect, not yet read from) re-opened to read through `into`, or null
 * when this Node's socket does not look as expected: the caller then reads `accepted` as usual.
 */
export function readIntoSocket(accepted: Socket, into: ReadInto): Socket | null {
  const internals = accepted as unknown as AcceptedInternals;
  const handle = internals._handle;
  const server = internals._server;
  if (!handle || handle.reading !== false || !server || accepted.readableFlowing !== false) return null;
  internals._handle = null;
  internals._server = null;
  const socket = new Socket({
    handle,
    readable: true,
    writable: true,
    onread: { buffer: () => into.buffer(), callback: (n: number, buf: Uint8Array) => into.read(n, buf) },
  } as ConstructorParameters<typeof Socket>[0] & { handle: unknown });
  (socket as unknown as AcceptedInternals)._server = server;
  return socket;
}
