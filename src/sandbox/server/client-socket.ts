// What a broker's connection uses of its client's byte stream: a TCP socket (net.Socket) or, for the app's own
// clients of a cluster in its own process, one end of an in-process pipe (wire/in-process-pipe.ts).
export interface ClientSocket {
  readonly localAddress?: string;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  /** Bytes written and not yet taken by the client (a socket: not yet handed to the kernel). */
  readonly writableLength: number;
  readonly destroyed: boolean;
  write(bytes: Uint8Array): boolean;
  cork(): void;
  uncork(): void;
  pause(): this;
  resume(): this;
  destroy(): this;
  /** A reset (RST) instead of a clean close. */
  resetAndDestroy(): this;
  setNoDelay(noDelay?: boolean): this;
  /** connections.max.idle.ms: 'timeout' after this long without a byte either way. */
  setTimeout(ms: number): this;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'timeout' | 'drain' | 'close', listener: () => void): this;
  on(event: 'error', listener: (e: Error) => void): this;
}
