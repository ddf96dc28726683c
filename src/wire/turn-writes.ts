// Writes to one socket gathered per turn of the event loop: the socket is corked at the first write of a turn and
// uncorked once that turn's callbacks are done (Node's documented cork pattern), so the frames written in one turn
// (pipelined requests, or answers finished together) leave in one writev system call, and none waits for a later
// turn. Both ends of the wire use it: the producer's connections and the built-in cluster's.
import type { Writable } from 'node:stream';

export class TurnWrites {
  private corked = false;

  constructor(private readonly socket: Writable) {}

  write(bytes: Uint8Array): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.socket.write(bytes);
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };
}
