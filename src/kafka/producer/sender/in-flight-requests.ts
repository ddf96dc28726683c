/**
 * Requests drained from the accumulator that have not finished (Java's `InFlightRequests`, per broker). A
 * request stops counting against its broker's max.in.flight once every batch in it has an outcome: written,
 * failed, or put back for a retry.
 */
import type { ProducerBatch } from '../accumulator/producer-batch.js';

export interface ProducerRequest {
  readonly id: number;
  readonly brokerId: number;
  /** At most one batch per partition, as a Produce request carries. */
  readonly batches: readonly ProducerBatch[];
  /** Uncompressed batch bytes (what max.request.size limits). */
  readonly bytes: number;
  /** performance.now() when it was written (its latency's start). */
  started: number;
}

export class InFlightRequests {
  private readonly byBroker = new Map<number, Set<ProducerRequest>>();
  private readonly requestOf = new Map<ProducerBatch, ProducerRequest>();
  private readonly unresolved = new Map<ProducerRequest, number>();
  private nextId = 1;

  add(brokerId: number, batches: readonly ProducerBatch[]): ProducerRequest {
    const request: ProducerRequest = {
      id: this.nextId++,
      brokerId,
      batches,
      bytes: batches.reduce((n, b) => n + b.sizeInBytes, 0),
      started: 0,
    };
    let set = this.byBroker.get(brokerId);
    if (!set) this.byBroker.set(brokerId, (set = new Set()));
    set.add(request);
    this.unresolved.set(request, batches.length);
    for (const b of batches) this.requestOf.set(b, request);
    return request;
  }

  count(brokerId: number): number {
    return this.byBroker.get(brokerId)?.size ?? 0;
  }

  /** The batch has its outcome; returns false when it was not in flight. */
  release(batch: ProducerBatch): boolean {
    const request = this.requestOf.get(batch);
    if (!request) return false;
    this.requestOf.delete(batch);
    const left = (this.unresolved.get(request) ?? 1) - 1;
    if (left > 0) {
      this.unresolved.set(request, left);
      return true;
    }
    this.unresolved.delete(request);
    const set = this.byBroker.get(request.brokerId);
    set?.delete(request);
    if (set?.size === 0) this.byBroker.delete(request.brokerId);
    return true;
  }

  /** Batches on the wire without an outcome that reached delivery.timeout.ms (Java `getExpiredInflightBatches`). */
  expired(now: number, deliveryTimeoutMs: number): ProducerBatch[] {
    if (now - this.oldestOpenCreatedMs() < deliveryTimeoutMs) return [];
    const expired: ProducerBatch[] = [];
    for (const b of this.requestOf.keys()) if (b.state === 'open' && now - b.createdMs >= deliveryTimeoutMs) expired.push(b);
    return expired;
  }

  /** Creation time of the oldest batch on the wire without an outcome (Infinity when none). */
  oldestOpenCreatedMs(): number {
    let oldest = Infinity;
    for (const b of this.requestOf.keys()) if (b.state === 'open' && b.createdMs < oldest) oldest = b.createdMs;
    return oldest;
  }

  /** Requests in flight per broker id. */
  snapshot(): Map<number, number> {
    return new Map([...this.byBroker].map(([id, set]) => [id, set.size]));
  }
}
