// The bundle draws with stubs/ink-output.js in place of Ink's output.js (caches kept across frames, rows reused
// when their cells are the same as last frame's). Frame after frame it must give the terminal exactly what
// Ink's own Output gives, also when only some rows change, rows are clipped, or hold wide and styled text.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS without types
import StubOutput from '../../stubs/ink-output.js';
import InkOutput from '../../node_modules/ink/build/output.js';

type Op = { kind: 'write'; x: number; y: number; text: string } | { kind: 'clip'; x1: number; x2: number; y1: number; y2: number } | { kind: 'unclip' };

interface OutputLike {
  write(x: number, y: number, text: string, o: { transformers: ((s: string, i: number) => string)[] }): void;
  clip(c: object): void;
  unclip(): void;
  get(): { output: string; height: number };
}

function draw(Output: new (o: { width: number; height: number }) => OutputLike, ops: Op[], transformers: ((s: string, i: number) => string)[] = []): string {
  const out = new Output({ width: 40, height: 6 });
  for (const op of ops) {
    if (op.kind === 'write') out.write(op.x, op.y, op.text, { transformers });
    else if (op.kind === 'clip') out.clip({ x1: op.x1, x2: op.x2, y1: op.y1, y2: op.y2 });
    else out.unclip();
  }
  return out.get().output;
}

const frame = (n: number): Op[] => [
  { kind: 'write', x: 0, y: 0, text: ' kafka-producer-tui │ topic playground' },
  { kind: 'write', x: 0, y: 1, text: `\u001b[1macked\u001b[22m ${String(n * 997).padStart(9)}` },
  { kind: 'clip', x1: 2, x2: 30, y1: 2, y2: 5 },
  { kind: 'write', x: 0, y: 2, text: `${n} delivered to partition ${n % 3}, offset ${n * 11} and a long tail` },
  { kind: 'write', x: 4, y: 3, text: n % 2 ? '日本語のキー ▁▂▃▅▇' : 'plain ascii row' },
  { kind: 'unclip' },
  { kind: 'write', x: 1, y: 5, text: n % 4 === 0 ? '\u001b[31m✗ failed\u001b[39m' : '✓ ok' },
];

describe('the bundled Ink output', () => {
  it('draws every frame of a changing screen exactly as Ink does', () => {
    for (let n = 0; n < 12; n++) {
      // Frames repeat (n and n+4 share rows) so rows are reused from the last frame as well as drawn anew.
      const ops = frame(n % 5 === 4 ? n - 1 : n);
      expect(draw(StubOutput, ops)).toBe(draw(InkOutput, ops));
    }
  });

  it('draws rows made of plain text, repeated rows, overlaps and writes past the edge exactly as Ink does', () => {
    // A fixed pseudo-random sequence of frames: plain ASCII written side by side (drawn without cells), styled and
    // wide text, overlapping writes, writes at and past the right edge, empty lines, and frames that repeat the
    // last one row for row (rows reused from the last frame's writes).
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const texts = ['acked      1,234', 'p50 latency  4.7 ms', '', '   12,345    3        400', '\u001b[2m│\u001b[22m', '\u001b[7mkey-7\u001b[27m', '日本語', 'x', 'two\nlines', 'a long line of plain text that runs past forty columns'];
    let last: Op[] = [];
    for (let n = 0; n < 200; n++) {
      const ops: Op[] =
        n % 3 === 2
          ? last
          : Array.from({ length: 1 + rnd(8) }, (): Op => {
              if (rnd(10) === 0) return { kind: 'clip', x1: rnd(10), x2: 20 + rnd(25), y1: 0, y2: 6 };
              return { kind: 'write', x: rnd(10) === 0 ? 38 + rnd(5) : rnd(30), y: rnd(7), text: texts[rnd(texts.length)] };
            });
      const balanced = [...ops, ...ops.filter((o) => o.kind === 'clip').map((): Op => ({ kind: 'unclip' }))];
      expect(draw(StubOutput, balanced), `frame ${n}`).toBe(draw(InkOutput, balanced));
      last = ops;
    }
  });

  it('draws rows of styled box-drawing and chart characters side by side exactly as Ink does', () => {
    // The rows the screens draw most: narrow non-ASCII text (│, sparklines, ✓ ✗ · ›) with and without colours,
    // written next to each other (runs of one style across writes merge, as cells of one style do), with gaps, up
    // to the right edge and one past it, bold and dim together (both end with 22m), a hyperlink, and wide or
    // emoji text among them (drawn through cells).
    const e = '\u001b[';
    const texts = [
      '│',
      `${e}2m│${e}22m`,
      `${e}2m│\n│\n│${e}22m`,
      ' ▁▂▃▄▅▆▇█ 1,000 rec/s',
      `${e}36m ▁▂▃▅▇█▇▅${e}39m`,
      `${e}32m loop     1,000 rec/s on${e}39m`,
      `${e}1m Producer${e}22m`,
      `${e}1m${e}2mboth${e}22m dim`,
      `${e}2m· ›${e}22m plain ‹ … ⏎ ▶`,
      `${e}31m✗ NOT_LEADER${e}39m ✓`,
      `${e}7m${e}33mkey-7${e}39m${e}27m`,
      `${e}38;5;208morange${e}39m`,
      '\u001b]8;;http://x\u0007link\u001b]8;;\u0007',
      '日本 │',
      'e\u0301 │',
      '',
      'acked 12,345',
      '└──────────────────────────────────────┘',
    ];
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let last: Op[] = [];
    for (let n = 0; n < 400; n++) {
      const ops: Op[] =
        n % 4 === 3
          ? last
          : Array.from({ length: 1 + rnd(10) }, (): Op => {
              if (rnd(12) === 0) return { kind: 'clip', x1: rnd(6), x2: 25 + rnd(20), y1: rnd(2), y2: 4 + rnd(3) };
              const text = texts[rnd(texts.length)];
              // Side by side: often right after the previous write's end, sometimes exactly at the edge.
              return { kind: 'write', x: rnd(6) === 0 ? 40 - 1 - rnd(3) : rnd(3) === 0 ? 0 : rnd(34), y: rnd(6), text };
            });
      const balanced = [...ops, ...ops.filter((o) => o.kind === 'clip').map((): Op => ({ kind: 'unclip' }))];
      expect(draw(StubOutput, balanced), `frame ${n}`).toBe(draw(InkOutput, balanced));
      last = ops;
    }
  });

  it('draws lines that a colour transformer styles (as Ink applies a text colour) exactly as Ink does', () => {
    const dim = (s: string) => (s === '' ? s : `\u001b[2m${s}\u001b[22m`);
    for (let n = 0; n < 30; n++) {
      const ops: Op[] = [
        { kind: 'write', x: 0, y: 0, text: `│ acked ${String(n * 37).padStart(6)}` },
        { kind: 'write', x: 14, y: 0, text: '│' },
        { kind: 'write', x: 15, y: 0, text: ` ▁▂▃`.slice(0, 1 + (n % 4)) },
        { kind: 'write', x: 0, y: 1, text: `${n}\n│\n└─┘` },
      ];
      expect(draw(StubOutput, ops, [dim]), `frame ${n}`).toBe(draw(InkOutput, ops, [dim]));
    }
  });
});

