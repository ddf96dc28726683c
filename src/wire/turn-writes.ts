// Writes to one socket gathered per turn of the event loop, so the frames written in one turn (pipelined requests,
// or answers finished together) leave in one writev system call, and none waits for a later turn. Both ends of the
// wire use it: the producer's connections and the built-in cluster's.
// The first frame of a turn is held until the turn's callbacks are done (process.nextTick); a second one corks the
// socket and both go through it (Node's documented cork pattern). A turn with one frame, the usual case at a modest
// rate (one Produce request per linger, one answer per request), is one plain write: no cork, no uncork, no pass
// through the stream's buffered-write list, which cost more than the write itself while that code is still cold.
/** What TurnWrites uses of a socket (a net.Socket or a tls.TLSSocket). */
export interface CorkableWritable {
  readonly destroyed: boolean;
  cork(): void;
  uncork(): void;
  write(bytes: Uint8Array): unknown;
}

const RESOLVED = Promise.resolve();

/**
 * How long frames are gathered: 'turn', until the turn's callbacks and promise jobs are done (process.nextTick);
 * 'job', until the code that wrote the first one returns (a promise job after it), for a writer that writes all of
 * a turn's frames from one piece of code (the producer's Sender drains every request of a wakeup in one loop).
 * process.nextTick builds its tick object with computed keys, a runtime call per tick until Node's own code is
 * optimized: about as much as the rest of a request's write while the app warms up.
 */
export type GatherUntil = 'turn' | 'job';

export class TurnWrites {
  /** The turn's first frame, not written yet (null once corked: the socket holds the turn's frames then). */
  private held: Uint8Array | null = null;
  private corked = false;
  private queued = false;

  constructor(
    private readonly socket: CorkableWritable,
    private readonly until: GatherUntil = 'turn',
  ) {}

  write(bytes: Uint8Array): void {
    if (!this.queued) {
      this.queued = true;
      this.held = bytes;
      if (this.until === 'turn') process.nextTick(this.flush);
      else void RESOLVED.then(this.flush);
      return;
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      this.socket.write(this.held!);
      this.held = null;
    }
    this.socket.write(bytes);
  }

  private readonly flush = (): void => {
    this.queued = false;
    if (this.corked) {
      this.corked = false;
      this.socket.uncork();
      return;
    }
    const bytes = this.held!;
    this.held = null;
    // A socket destroyed within the turn drops what it was given, as a corked one did.
    if (!this.socket.destroyed) this.socket.write(bytes);
  };
}
