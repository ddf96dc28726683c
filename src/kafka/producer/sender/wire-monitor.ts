// What the producer's own connections report as requests cross the wire: requests in flight per broker, bytes
// each way and round-trip times. The NetworkClient feeds it; the screens, labs and tests read it.

export interface WireRequest {
  /** host:port of the broker. */
  broker: string;
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  bytes: number;
  sentAt: number;
}

export type WireEvent =
  | { t: 'req.start'; req: WireRequest; inFlight: number }
  | { t: 'req.end'; req: WireRequest; responseBytes: number; rttMs: number; inFlight: number }
  | { t: 'req.lost'; req: WireRequest; inFlight: number }
  | { t: 'producer-id'; broker: string; producerId: number; epoch: number }
  | { t: 'conn.open'; broker: string }
  | { t: 'conn.close'; broker: string; lostRequests: number };

export class WireMonitor {
  private readonly inFlight = new Map<string, number>();
  private readonly listeners = new Set<(e: WireEvent) => void>();
  bytesOut = 0;
  bytesIn = 0;
  /** Round-trip time of the latest answered request per broker, ms. */
  readonly lastRttMs = new Map<string, number>();

  on(fn: (e: WireEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  inFlightByBroker(): ReadonlyMap<string, number> {
    return this.inFlight;
  }

  emit(e: WireEvent): void {
    if (e.t === 'req.start' || e.t === 'req.end' || e.t === 'req.lost') this.inFlight.set(e.req.broker, e.inFlight);
    if (e.t === 'req.start') this.bytesOut += e.req.bytes;
    else if (e.t === 'req.end') {
      this.bytesIn += e.responseBytes;
      this.lastRttMs.set(e.req.broker, e.rttMs);
    }
    if (this.listeners.size === 0) return;
    for (const l of this.listeners) l(e);
  }
}
