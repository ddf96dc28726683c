// The clients' own log lines (kafkajs's, the producer's, console output) go to the log the user opens with L and to
// the --log-file, not to the Events list, which keeps the cluster's and the producer's events.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { logFileLine, openLogFile } from '../../src/commands/tui.js';
import { runCli } from '../helpers/child.js';
import { effectiveConfig } from '../../src/kafka/producer/config/settings.js';
import type { EngineEvent } from '../../src/kafka/producer/engine-types.js';
import { LogScreen } from '../../src/screens/log.js';
import { resolveKey } from '../../src/state/input/keymap.js';
import { initialUiState, UiStore, type AppActions } from '../../src/state/input/ui-store.js';
import { AppStore, type StoreEngine } from '../../src/state/store/app-store.js';

function engineWithLog(): StoreEngine & { emit(e: EngineEvent): void } {
  const listeners = new Set<(e: EngineEvent) => void>();
  return {
    on: (fn) => (listeners.add(fn), () => listeners.delete(fn)),
    emit: (e) => listeners.forEach((l) => l(e)),
    totals: () => ({ appended: 0, acked: 0, failed: 0, retries: 0, requests: 0, bytesOut: 0, queuedRecords: 0, waitingAppends: 0, bufferAvailableBytes: 1, bufferTotalBytes: 1, compressionRate: 1, bytesBeforeCompression: 0, bytesAfterCompression: 0, compressionByCodec: {}, compressionType: 'none' }),
    partitionViews: () => [],
    brokerViews: () => [],
    counters: { requests: 0, requestRecords: 0, requestBytes: 0, recordsPerRequest: () => 0, bytesPerRequest: () => 0, queueTimeAvgMs: () => 0 },
    deliveries: { latest: () => [], deadLetters: () => [], deadDropped: 0 },
    config: effectiveConfig({}),
    status: { phase: 'ready', producerId: null, producerEpoch: null, detail: null },
  };
}

describe('the log', () => {
  it("keeps kafkajs's lines out of the Events list and in the log, with the producer's own events still in Events", () => {
    const store = new AppStore({ topic: 't' });
    const engine = engineWithLog();
    store.attach(engine);
    const lines: string[] = [];
    store.setLogSink((l) => lines.push(l.text));
    engine.emit({ t: 'log', level: 'error', message: 'Connection: Response Produce(key: 0, version: 7)', at: 0 });
    engine.emit({ t: 'log', level: 'warn', message: 'Producer: Limiting retries for the idempotent producer may invalidate EoS guarantees', at: 0 });
    engine.emit({ t: 'producer', status: { phase: 'fatal', producerId: 1, producerEpoch: 0, detail: 'OUT_OF_ORDER_SEQUENCE_NUMBER: recreating the producer' }, at: 0 });
    store.publish();
    const snap = store.getSnapshot();
    expect(snap.events.map((e) => e.text)).toEqual(['producer fatal: OUT_OF_ORDER_SEQUENCE_NUMBER: recreating the producer']);
    expect(snap.log.map((l) => l.text)).toEqual(['Connection: Response Produce(key: 0, version: 7)', 'Producer: Limiting retries for the idempotent producer may invalidate EoS guarantees']);
    expect(lines).toHaveLength(2);
  });

  it('opens with L from any screen, scrolls back with up, and closes with L or Esc', () => {
    const store = new AppStore({ topic: 't' });
    for (let i = 0; i < 50; i++) store.addLog('info', `line ${i}`);
    store.publish();
    const ui = new UiStore({} as AppActions, store.getSnapshot, initialUiState());
    expect(resolveKey('L', ui.scopes())).toBe('log');
    ui.handleKey('L');
    expect(ui.getSnapshot().log).toBe(true);
    ui.handleKey('up');
    ui.handleKey('up');
    expect(ui.getSnapshot().logScroll).toBe(2);
    const { lastFrame, unmount } = render(<LogScreen log={store.getSnapshot().log} scroll={2} width={80} height={10} />);
    const frame = stripVTControlCharacters(lastFrame() ?? '');
    unmount();
    expect(frame).toContain('line 47');
    expect(frame).not.toContain('line 48');
    expect(frame).toContain('2 newer below');
    ui.handleKey('escape');
    expect(ui.getSnapshot().log).toBe(false);
    ui.handleKey('L');
    ui.handleKey('L');
    expect(ui.getSnapshot().log).toBe(false);
  });

  it('--log-file appends one line per log line, and an unwritable path is refused at start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpt-log-'));
    const path = join(dir, 'app.log');
    const fd = openLogFile(path);
    expect(typeof fd).toBe('number');
    expect(openLogFile(join(dir, 'missing', 'app.log'))).toMatch(/--log-file: cannot write to .*ENOENT/);
    expect(openLogFile('')).toMatch(/needs a file path/);
    const line = logFileLine({ at: Date.UTC(2026, 0, 2, 3, 4, 5), level: 'warn', text: 'Connection: Request Produce\ntimed out' });
    expect(line).toBe('2026-01-02T03:04:05.000Z warn Connection: Request Produce timed out\n');
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('the built app refuses an unwritable --log-file with exit code 2, naming the flag', async () => {
    const { code, stderr } = await runCli(['--sandbox', '--log-file', '/nonexistent-dir/app.log']);
    expect(code).toBe(2);
    expect(stderr).toContain('--log-file: cannot write to /nonexistent-dir/app.log: ENOENT');
  });
});
