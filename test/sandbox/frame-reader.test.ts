// Cutting a byte stream into request frames however it is split into chunks; whole frames inside a chunk stay views.
import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../src/sandbox/server/frame-reader.js';

function framed(bodies: Buffer[]): Buffer {
  return Buffer.concat(bodies.flatMap((b) => [Buffer.from([b.length >>> 24, (b.length >>> 16) & 255, (b.length >>> 8) & 255, b.length & 255]), b]));
}

const bodies = [Buffer.alloc(8, 1), Buffer.alloc(300, 2), Buffer.alloc(9, 3), Buffer.alloc(700, 4), Buffer.alloc(12, 5)];
const stream = framed(bodies);
const same = (out: Buffer[]) => out.length === bodies.length && out.every((f, i) => f.equals(bodies[i]));

describe('FrameReader', () => {
  it('gives the same frames for every way of splitting the stream in two or in small pieces', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const r = new FrameReader(1 << 20);
      const out = [r.push(stream.subarray(0, cut)), r.push(stream.subarray(cut))].flatMap((x) => (x.ok ? x.frames : []));
      expect(same(out), `cut at ${cut}`).toBe(true);
      expect(r.bufferedBytes).toBe(0);
    }
    for (const piece of [1, 3, 7, 64]) {
      const r = new FrameReader(1 << 20);
      const out: Buffer[] = [];
      for (let at = 0; at < stream.length; at += piece) {
        const x = r.push(stream.subarray(at, at + piece));
        if (x.ok) out.push(...x.frames);
      }
      expect(same(out), `pieces of ${piece}`).toBe(true);
    }
  });

  it('hands on frames that arrive whole in one chunk as views of it, without copying', () => {
    const r = new FrameReader(1 << 20);
    const result = r.push(stream);
    expect(result.ok && result.frames.every((f) => f.buffer === stream.buffer)).toBe(true);
  });

  it('refuses a size below 8 or above the cap before buffering the body, and reports what a partial frame holds', () => {
    const r = new FrameReader(1000);
    expect(r.push(framed([Buffer.alloc(1001)]).subarray(0, 10))).toEqual({ ok: false, reason: 'request size 1001 exceeds socket.request.max.bytes 1000' });
    expect(new FrameReader(1000).push(Buffer.from([0, 0, 0, 7]))).toEqual({ ok: false, reason: 'invalid request size 7' });
    const partial = new FrameReader(1000);
    partial.push(framed([Buffer.alloc(500)]).subarray(0, 104));
    expect([partial.bufferedBytes, partial.partialFrameSize]).toEqual([100, 500]);
  });
});
