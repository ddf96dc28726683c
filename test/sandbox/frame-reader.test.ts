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

  it("frees a socket chunk's memory once its bytes are copied into a frame, but never a chunk a frame still views", () => {
    const big = framed([Buffer.alloc(100_000, 7)]);
    const r = new FrameReader(1 << 20);
    // Socket chunks: each its own ArrayBuffer, as Node hands them over.
    const chunk = (b: Buffer) => {
      const c = Buffer.allocUnsafeSlow(b.length);
      b.copy(c);
      return c;
    };
    const [first, second] = [chunk(big.subarray(0, 60_000)), chunk(big.subarray(60_000))];
    expect(r.push(first, true)).toEqual({ ok: true, frames: [] });
    expect(first.buffer.byteLength).toBe(0); // copied into the frame's pooled buffer, then freed
    const done = r.push(second, true);
    expect(done.ok && done.frames[0].equals(Buffer.alloc(100_000, 7))).toBe(true);
    expect(second.buffer.byteLength).toBe(0);

    const whole = chunk(stream);
    const views = r.push(whole, true);
    expect(whole.buffer.byteLength).toBe(stream.length); // its frames are views of it: kept
    expect(views.ok && same(views.frames)).toBe(true);
    const notOwned = chunk(big.subarray(0, 60_000));
    new FrameReader(1 << 20).push(notOwned);
    expect(notOwned.buffer.byteLength).toBe(60_000);
  });
});
