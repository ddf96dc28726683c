// The Settings screen's review panel: each line names the setting and its value once; the reason after it does not
// say them again ("acks=0: acks=0: ..." was shown), in the compact (80 columns) and the full layout.
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ReviewPanel } from '../../src/components/review-panel.js';
import { effectiveConfig } from '../../src/kafka/producer/config/settings.js';

function panel(user: Parameters<typeof effectiveConfig>[0], compact: boolean): string {
  const config = effectiveConfig(user);
  if (!config.ok) throw new Error('invalid test configuration');
  const { lastFrame, unmount } = render(<ReviewPanel config={config} width={compact ? 80 : 60} height={40} compact={compact} />);
  const out = stripVTControlCharacters(lastFrame() ?? '');
  unmount();
  return out;
}

describe('ReviewPanel', () => {
  for (const compact of [true, false]) {
    it(`says each setting's value once (${compact ? 'compact' : 'full'})`, () => {
      for (const user of [{ acks: 0 as const }, { acks: 1 as const }, { 'linger.ms': 0 }]) {
        const text = panel(user, compact);
        const [name, value] = Object.entries(user)[0];
        expect(text).toMatch(new RegExp(`${name} ?= ?${value}`));
        // The reason, after "acks=0: " on the same line (compact) or on the line below (full), starts with what it says.
        expect(text).not.toMatch(new RegExp(`(^ +|${name}=${value}: )${name}=${value}:`, 'm'));
      }
      const defaults = panel({}, compact);
      expect(defaults).toMatch(/linger\.ms ?= ?5/);
      expect(defaults).not.toMatch(/default \(5\)|default \(16384\)/);
    });
  }

  it('beside the settings at 120 columns (49 wide), the header and the longest setting name are not cut', () => {
    const config = effectiveConfig({ 'linger.ms': 20, 'batch.size': 65536, 'compression.type': 'lz4', acks: 'all', 'enable.idempotence': true });
    if (!config.ok) throw new Error('invalid test configuration');
    const { lastFrame, unmount } = render(<ReviewPanel config={config} width={49} height={30} compact={false} />);
    const text = stripVTControlCharacters(lastFrame() ?? '');
    unmount();
    expect(text).toContain('Review (kafka-clients 4.1): 9 ok\n');
    expect(text).toMatch(/✓ max\.in\.flight\.requests\.per\.connection = 5\n/);
    expect(text).toContain('✓ delivery.timeout.ms = 120000 (default)');
    expect(text).not.toContain('…');
  });
});
