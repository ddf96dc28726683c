// Renders the whole app (store, session, UI store) with ink-testing-library at a fixed terminal size, on the
// built-in cluster started on free ports, and gives `press` (one key per write, as a person types) and `waitFor`.
import { render } from 'ink-testing-library';
import { expect, vi } from 'vitest';
import { App } from '../../src/app.js';
import { openCluster, type ClusterHandle } from '../../src/kafka/cluster/open-cluster.js';
import { AppSession } from '../../src/state/app-session.js';
import { AppStore } from '../../src/state/store/app-store.js';
import { initialUiState, UiStore } from '../../src/state/input/ui-store.js';

export const KEY = { up: '\u001B[A', down: '\u001B[B', left: '\u001B[D', right: '\u001B[C', enter: '\r', escape: '\u001B', tab: '\t', backspace: '\u007F', ctrlU: '\u0015' };

const tick = () => new Promise<void>((r) => setImmediate(() => setTimeout(r, 0)));

export interface LabHarness {
  store: AppStore;
  session: AppSession;
  ui: UiStore;
  frame(): string;
  press(...keys: string[]): Promise<void>;
  waitFor(text: string | RegExp, timeout?: number): Promise<void>;
  exited: Promise<{ code: number; message: string }>;
  close(): Promise<void>;
}

export interface LabOptions {
  columns?: number;
  rows?: number;
  openCluster?: () => Promise<ClusterHandle>;
  connect?: boolean;
}

export async function renderLab(opts: LabOptions = {}): Promise<LabHarness> {
  const store = new AppStore({ fps: 20, topic: 'playground' });
  let onExit!: (s: { code: number; message: string }) => void;
  const exited = new Promise<{ code: number; message: string }>((r) => (onExit = r));
  const session = new AppSession({
    store,
    topic: 'playground',
    openCluster: opts.openCluster ?? (() => openCluster({ sandbox: true, sandboxPort: 0 })),
    flushTimeoutMs: 2000,
    onExit,
  });
  const ui = new UiStore(session, store.getSnapshot, initialUiState());
  store.start();
  const app = render(<App snapshots={store} ui={ui} color={false} size={{ columns: opts.columns ?? 100, rows: opts.rows ?? 30 }} />);
  if (opts.connect !== false) await session.connect();
  const frame = () => app.lastFrame() ?? '';
  let closed = false;
  return {
    store,
    session,
    ui,
    frame,
    exited,
    async press(...keys: string[]) {
      for (const k of keys) {
        app.stdin.write(k);
        // Ink 7 flushes a lone Esc after 20 ms; other keys need only a macrotask.
        if (k === KEY.escape) await new Promise((r) => setTimeout(r, 40));
        await tick();
      }
    },
    async waitFor(text: string | RegExp, timeout = 5000) {
      await vi.waitFor(() => (typeof text === 'string' ? expect(frame()).toContain(text) : expect(frame()).toMatch(text)), { timeout, interval: 25 });
    },
    async close() {
      if (closed) return;
      closed = true;
      session.quit(false);
      await exited;
      store.stop();
      app.unmount();
    },
  };
}
