// The keymap and the UI store without rendering: keys resolve per scope, text fields take keys, confirmations ask
// first, and every command in the keymap does something somewhere (no dead bindings).
import { describe, expect, it, vi } from 'vitest';
import { BINDINGS, resolveKey } from '../../../src/state/input/keymap.js';
import { AppStore } from '../../../src/state/store/app-store.js';
import { editText, startEdit, visibleText } from '../../../src/state/input/text-edit.js';
import { initialUiState, UiStore, type AppActions } from '../../../src/state/input/ui-store.js';

function actions(): AppActions & { calls: string[] } {
  const calls: string[] = [];
  const rec = (name: string) => (...args: unknown[]) => {
    calls.push(`${name}${args.length && typeof args[0] !== 'object' ? ` ${args.join(' ')}` : ''}`);
  };
  return {
    calls,
    sendOne: rec('sendOne'),
    sendN: rec('sendN'),
    toggleRate: rec('toggleRate'),
    updateRate: rec('updateRate'),
    setTopic: rec('setTopic'),
    applySetting: vi.fn(async (name: string, text: string | null) => {
      calls.push(`apply ${name} ${text}`);
      return text === '0' ? `${name}=0 conflicts` : null;
    }),
    brokerAction: vi.fn(async (action: string, broker: number, confirmed: boolean) => {
      calls.push(`broker ${action} ${broker} ${confirmed}`);
      return confirmed ? null : 'only 1 broker would be left';
    }),
    fault: rec('fault'),
    resend: rec('resend'),
    retry: rec('retry'),
    quit: rec('quit'),
    runLab: rec('runLab'),
    abortLab: rec('abortLab'),
    transaction: rec('transaction'),
    importConfig: vi.fn(async (path: string) => {
      calls.push(`import ${path}`);
      return path.endsWith('.bad') ? 'cannot read x.bad, line 2: acks: acks must be 0, 1 or all' : null;
    }),
    exportConfig: vi.fn(async (format: string, path: string) => {
      calls.push(`export ${format} ${path}`);
      return { text: `# ${format}\nacks=all\n`, path: `/tmp/${path}` };
    }),
  };
}

function setup() {
  const lab = new AppStore({ fps: 10 });
  const a = actions();
  const ui = new UiStore(a, () => lab.getSnapshot(), initialUiState());
  const keys = (...ks: string[]) => ks.forEach((k) => ui.handleKey(k));
  return { ui, a, keys, lab };
}

describe('keymap', () => {
  it('binds no key twice in one scope', () => {
    const seen = new Set<string>();
    for (const b of BINDINGS) {
      for (const k of b.keys) {
        const id = `${b.scope}/${k}`;
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
  });

  it('looks in the screen before the global keys, and Ctrl+C always quits', () => {
    expect(resolveKey('s', ['produce', 'global'])).toBe('send-one');
    expect(resolveKey('s', ['cluster', 'global'])).toBe('broker-stop');
    expect(resolveKey('q', ['edit'])).toBeNull();
    expect(resolveKey('ctrl-c', ['edit'])).toBe('quit');
  });
});

describe('UiStore', () => {
  it('switches screens and toggles the help', () => {
    const { ui, keys } = setup();
    keys('3');
    expect(ui.getSnapshot().screen).toBe('settings');
    keys('tab', 'tab');
    expect(ui.getSnapshot().screen).toBe('records');
    keys('shift-tab');
    expect(ui.getSnapshot().screen).toBe('cluster');
    keys('?');
    expect(ui.getSnapshot().help).toBe(true);
    keys('escape');
    expect(ui.getSnapshot().help).toBe(false);
  });

  it('types into a focused field: letters are text, not commands', () => {
    const { ui, keys, a } = setup();
    keys('enter', 'ctrl-u', ...'qs?1');
    expect(ui.getSnapshot().edit?.text.value).toBe('qs?1');
    expect(a.calls).toEqual([]);
    keys('enter');
    expect(ui.getSnapshot().form.key).toBe('qs?1');
    expect(ui.getSnapshot().screen).toBe('produce');
  });

  /** One broker up, so the broker action `key` on the Cluster screen asks first; resolves once it has asked. */
  async function asked(key: string) {
    const env = setup();
    vi.spyOn(env.lab, 'getSnapshot').mockReturnValue({ ...env.lab.getSnapshot(), brokers: [{ id: 1, address: 'h:1', state: 'up', isController: true, leaderCount: 2, inFlight: 0 }] });
    env.keys('4', key);
    await vi.waitFor(() => expect(env.ui.getSnapshot().confirm?.question).toBe('only 1 broker would be left'));
    return env;
  }

  it('asks before a broker action that needs confirming, and does it on y', async () => {
    const { ui, keys, a } = await asked('s');
    keys('s');
    expect(a.calls.filter((c) => c.startsWith('broker'))).toEqual(['broker stop 1 false']);
    keys('y');
    expect(ui.getSnapshot().confirm).toBeNull();
    expect(a.calls.filter((c) => c.startsWith('broker'))).toEqual(['broker stop 1 false', 'broker stop 1 true']);
  });

  it('quits from a confirmation question, doing nothing it asked about', async () => {
    const { ui, keys, a } = await asked('p');
    keys('q');
    expect(ui.getSnapshot()).toMatchObject({ confirm: null, quitting: true });
    expect(a.calls.filter((c) => c.startsWith('broker') || c.startsWith('quit'))).toEqual(['broker pause 1 false', 'quit false']);
  });

  it('keeps a setting edit open with the parser message, at once, so the next keys still land in it', () => {
    const { ui, keys, a } = setup();
    keys('3', 'enter', 'ctrl-u', ...'bad', 'enter');
    expect(ui.getSnapshot().edit?.error).toBe('acks must be 0, 1 or all (-1 also means all); got "bad"');
    expect(a.calls).toEqual([]);
    keys('ctrl-u', '1', 'enter');
    expect(ui.getSnapshot().edit).toBeNull();
    expect(a.calls).toEqual(['apply acks 1']);
  });

  it('brings the edit back with the reason when applying is refused', async () => {
    const { ui, keys } = setup();
    keys('3', 'enter', 'ctrl-u', '0', 'enter');
    expect(ui.getSnapshot().edit).toBeNull();
    await vi.waitFor(() => expect(ui.getSnapshot().edit?.error).toBe('acks=0 conflicts'));
    expect(ui.getSnapshot().edit?.text.value).toBe('0');
  });

  it('doubles and halves the rate live within bounds', () => {
    const { ui, keys, a } = setup();
    keys('+', '+');
    expect(ui.getSnapshot().form.rate).toBe('400');
    keys('-', '-', '-', '-', '-', '-', '-', '-', '-', '-');
    expect(ui.getSnapshot().form.rate).toBe('1');
    expect(a.calls.filter((c) => c === 'updateRate').length).toBe(12);
  });

  it('quits once, and a second quit forces', () => {
    const { keys, a } = setup();
    keys('q', 'q');
    expect(a.calls).toEqual(['quit false', 'quit true']);
  });
});

describe('text field reducer', () => {
  it('edits at the cursor and keeps the cursor visible in a narrow field', () => {
    let s = startEdit('hello');
    s = editText(s, 'left');
    s = editText(s, 'left');
    s = editText(s, { text: 'XY' });
    expect(s).toEqual({ value: 'helXYlo', cursor: 5 });
    s = editText(s, 'backspace');
    s = editText(s, 'ctrl-w');
    expect(s.value).toBe('lo');
    const long = startEdit('x'.repeat(50) + 'END');
    const v = visibleText(long, 10);
    expect(v.text.endsWith('END')).toBe(true);
    expect(v.cursorAt).toBeLessThanOrEqual(9);
  });
});
