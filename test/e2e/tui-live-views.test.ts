// The consequences on screen, in the built binary (dist/cli.js) in tmux at 80x24 and 120x40, as a person drives it:
// with idempotence off, one E fault (error after the append) shows as a duplicate on Live within 5 s and is listed
// on the Records screen; with idempotence on, the same fault leaves the count at 0; gzip shows a ratio below 1 on
// Live within 5 s; the Pipeline screen names every producer metric with a value; the murmur2 line and every lab
// step read whole at 80x24.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LABS } from '../../src/labs/catalog.js';
import { KAFKA_METRICS } from '../../src/kafka/producer/metrics/kafka-metrics.js';
import { CLI, hasTmux, sleep, Terminal } from '../helpers/tmux-terminal.js';

if (!hasTmux) console.warn('test/e2e/tui-live-views.test.ts skipped: tmux is not installed (apt-get install -y tmux)');

beforeAll(() => {
  if (hasTmux && !existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
});

const words = (s: string) => s.replace(/\s+/g, ' ').trim();

for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
  describe.skipIf(!hasTmux)(`live consequences at ${columns}x${rows}`, () => {
    let t: Terminal;
    beforeAll(() => {
      t = Terminal.start(`kptui-live-${columns}`, columns, rows, ['--sandbox']);
    });
    afterAll(() => t?.kill());

    it('with idempotence off, an error after the append shows as a duplicate within 5 s, listed on Records', async () => {
      await t.waitFor(/connected to built-in cluster/, 15_000);
      await t.keys('p');
      await t.waitFor(/producing 100 records\/s/);
      await t.keys('3', 'j', 'Right');
      await t.waitFor(/enable\.idempotence += false/);
      await t.waitFor(/enable\.idempotence = false/);
      await t.keys('2');
      await t.waitFor(/lost 0 · duplicated 0 · reordered 0/, 10_000);
      await t.keys('4', 'E');
      await t.waitFor(/fault added/);
      await t.keys('2');
      await t.waitForNumber(/duplicated (\d+)/, (n) => n >= 1, 5000);
      await t.waitFor(/✖ \d\d:\d\d:\d\d first duplicated: key user-1/);
      await t.keys('5', 'h');
      await t.waitFor(/Live audit: lost 0 · duplicated [1-9]/);
      await t.waitFor(/duplicated +key user-1 seq \d+, partition 2: read again at offset \d+/);
      expect(t.screen()).toContain('duplicated: the same key and sequence read twice');
    });

    it('switching compression to gzip shows a ratio below 1 on Live within 5 s', async () => {
      await t.keys('3');
      for (let i = 0; i < 10; i++) await t.keys('j');
      await t.waitFor(/› compression\.type/);
      await t.keys('Right');
      await t.waitFor(/compression\.type = gzip/);
      await t.keys('2');
      const ratio = await t.waitForNumber(/bytes\/s [^│]*→[\d.]+ [KMG]?i?B gzip (\d\.\d\d)/, (n) => n < 1, 5000);
      expect(ratio).toBeGreaterThan(0);
    });

    it('the Pipeline screen shows every producer metric under its Kafka name with a live value', async () => {
      await t.keys('8');
      await t.waitFor(/serializer +▶partitioner ▶accumulator ▶sender/);
      await t.waitForNumber(/record-send-total +([\d,]+)/, (n) => n > 0);
      const seen = new Set<string>();
      for (let i = 0; i < KAFKA_METRICS.length; i++) {
        for (const [name] of KAFKA_METRICS) if (new RegExp(`  ${name} +[\\d,.]+  `).test(t.screen())) seen.add(name);
        if (seen.size === KAFKA_METRICS.length) break;
        await t.keys('j');
      }
      expect([...seen].sort()).toEqual(KAFKA_METRICS.map(([n]) => n).sort());
    });
  });
}

describe.skipIf(!hasTmux)('the same fault with idempotence on', () => {
  let t: Terminal;
  beforeAll(() => {
    t = Terminal.start('kptui-live-idem', 80, 24, ['--sandbox']);
  });
  afterAll(() => t?.kill());

  it('is retried without a duplicate: the count stays 0', async () => {
    await t.waitFor(/connected to built-in cluster/, 15_000);
    await t.keys('p');
    await t.waitFor(/producing 100 records\/s/);
    await t.keys('2');
    await t.waitFor(/lost 0 · duplicated 0 · reordered 0/, 10_000);
    await t.keys('4', 'E');
    await t.waitFor(/fault added/);
    await t.keys('8');
    await t.waitForNumber(/record-retry-total +([\d,]+)/, (n) => n >= 1, 5000);
    await sleep(3000);
    await t.keys('2');
    await t.waitFor(/lost 0 · duplicated 0 · reordered 0/);
  });
});

describe.skipIf(!hasTmux)('teaching lines at 80x24', () => {
  let t: Terminal;
  beforeAll(() => {
    t = Terminal.start('kptui-live-wrap', 80, 24, ['--sandbox']);
  });
  afterAll(() => t?.kill());

  it('the murmur2 line reads whole, its "% 6 = 2" included', async () => {
    await t.waitFor(/connected to built-in cluster/, 15_000);
    await t.waitFor(/-> partition 2: murmur2 = 1404122828,/);
    const form = t
      .screen()
      .split('\n')
      .map((l) => l.slice(0, 49));
    expect(words(form.join(' '))).toContain('-> partition 2: murmur2 = 1404122828, toPositive = 1404122828, % 6 = 2');
  });

  it('every step of every lab reads whole', async () => {
    await t.keys('6');
    await t.waitFor(/Labs: \d+ lessons/);
    for (const lab of LABS) {
      await t.keys('Enter');
      await t.waitFor(new RegExp(`${lab.name} · `));
      // The steps column: left of the counts (26 columns and a gap).
      const left = t
        .screen()
        .split('\n')
        .map((l) => [...l].slice(0, 80 - 27).join(''));
      const text = words(left.join(' '));
      for (const step of lab.steps) expect(text, `lab ${lab.name}`).toContain(words(step.text));
      await t.keys('Escape');
      await sleep(100);
      await t.keys('j');
    }
  });
});
