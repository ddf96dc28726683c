// The root component: layout (status bar, screen tabs, the current screen, the notice line), screen switching
// through the UI store, and THE one key handler: it splits coalesced input into single keys and hands each to the
// keymap (state/input/ui-store.ts), so a burst of keys is handled exactly like the same keys typed slowly.
import { Box, render, Text, useInput, usePaste, useWindowSize, type Key } from 'ink';
import { memo, useEffect, useSyncExternalStore } from 'react';
import { ConnectionPanel } from './components/connection-panel.js';
import { NoticeLine } from './components/notice-line.js';
import { StatusBar } from './components/status-bar.js';
import { Tabs } from './components/tabs.js';
import { TopicSettingsPanel, topicSettingsLines } from './components/topic-settings-panel.js';
import { ColorContext } from './components/theme.js';
import { ClusterScreen } from './screens/cluster.js';
import { HelpScreen } from './screens/help.js';
import { LabsScreen } from './screens/labs.js';
import { LiveScreen } from './screens/live.js';
import { LogScreen } from './screens/log.js';
import { PipelineScreen } from './screens/pipeline.js';
import { ProduceScreen } from './screens/produce.js';
import { RecordsScreen } from './screens/records.js';
import { SettingsScreen } from './screens/settings.js';
import { TransactionsScreen } from './screens/transactions.js';
import type { KeyName } from './state/input/keymap.js';
import type { AppSnapshot } from './state/store/snapshot.js';
import type { UiState, UiStore } from './state/input/ui-store.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export interface SnapshotSource {
  subscribe(fn: () => void): () => void;
  getSnapshot(): AppSnapshot;
}

export interface AppProps {
  snapshots: SnapshotSource;
  ui: UiStore;
  color?: boolean;
  /** A fixed size (tests); otherwise the terminal's, following resizes. */
  size?: { columns: number; rows: number };
}

const CHAR_KEYS: Record<string, KeyName> = { '\r': 'enter', '\n': 'enter', '\t': 'tab', '\u007f': 'backspace', '\b': 'backspace', '\u001b': 'escape', ' ': 'space' };

/** Ink's input and key flags -> key names; plain text arriving as one chunk ("kkk", "ab\r") becomes one key per character. */
export function keyNames(input: string, key: Key): KeyName[] {
  if (key.upArrow) return ['up'];
  if (key.downArrow) return ['down'];
  if (key.leftArrow) return ['left'];
  if (key.rightArrow) return ['right'];
  if (key.pageUp) return ['pageup'];
  if (key.pageDown) return ['pagedown'];
  if (key.home) return ['home'];
  if (key.end) return ['end'];
  if (key.tab) return [key.shift ? 'shift-tab' : 'tab'];
  if (key.return) return ['enter'];
  if (key.escape) return ['escape'];
  if (key.backspace) return ['backspace'];
  if (key.delete) return ['delete'];
  if (key.ctrl && input.length === 1) return [`ctrl-${input.toLowerCase()}`];
  if (key.meta) return [];
  return [...input].map((ch) => CHAR_KEYS[ch] ?? controlKey(ch) ?? ch);
}

/**
 * A control character inside a chunk (keys typed fast over SSH arrive together): Ctrl+U in "\r\x15order-7\r" is
 * ctrl-u, not a character typed into the field.
 */
function controlKey(ch: string): KeyName | null {
  const code = ch.charCodeAt(0);
  return code >= 1 && code <= 26 ? `ctrl-${String.fromCharCode(code + 96)}` : null;
}

function Body({ lab, ui, width, height }: { lab: AppSnapshot; ui: UiState; width: number; height: number }) {
  if (ui.help) return <HelpScreen screen={ui.screen} scroll={ui.helpScroll} width={width} height={height} />;
  if (ui.log) return <LogScreen log={lab.log} scroll={ui.logScroll} width={width} height={height} />;
  // Labs run in their own clusters: the screen works while the playground's cluster connects or is unreachable.
  if (ui.screen === 'labs') return <LabsScreen labs={lab.labs} index={ui.labIndex} open={ui.labOpen} width={width} height={height} />;
  if (lab.connection.phase !== 'ready') return <ConnectionPanel connection={lab.connection} note={lab.cluster?.note ?? null} width={width} height={height} />;
  switch (ui.screen) {
    case 'produce':
      return <ProduceScreen lab={lab} form={ui.form} formIndex={ui.formIndex} edit={ui.edit} width={width} height={height} />;
    case 'live':
      return <LiveScreen lab={lab} scroll={ui.liveScroll} zoom={ui.zoom} width={width} height={height} />;
    case 'settings':
      return (
        <SettingsScreen
          config={lab.config}
          index={ui.settingIndex}
          edit={ui.edit?.target === 'setting' ? ui.edit : null}
          fileEdit={ui.edit?.target === 'import' || ui.edit?.target === 'export' ? ui.edit : null}
          exported={ui.exported}
          error={ui.settingError}
          width={width}
          height={height}
        />
      );
    case 'cluster': {
      // The topic's settings sit under the brokers' screen (the Cluster screen itself is drawn by cluster.tsx).
      const topicRows = topicSettingsLines(lab, width).length;
      return (
        <Box flexDirection="column" width={width} height={height}>
          <ClusterScreen
            cluster={lab.cluster}
            brokers={lab.brokers}
            index={ui.brokerIndex}
            confirm={ui.confirm}
            faults={lab.faults}
            requests={lab.requests}
            events={lab.events}
            truth={lab.clusterTruth}
            metadataAgeMs={lab.metadataAgeMs}
            metadataDiffs={lab.metadataDiffs}
            now={lab.now}
            width={width}
            height={height - topicRows}
          />
          <TopicSettingsPanel lab={lab} width={width} />
        </Box>
      );
    }
    case 'records':
      return <RecordsScreen deliveries={lab.deliveries} deadLetters={lab.deadLetters} deadDropped={lab.deadDropped} list={ui.recordsList} index={ui.recordIndex} audit={lab.audit} width={width} height={height} />;
    case 'pipeline':
      return <PipelineScreen lab={lab} scroll={ui.pipelineScroll} width={width} height={height} />;
    case 'transactions':
      return <TransactionsScreen transaction={lab.transaction} offsets={lab.txnOffsets} topic={lab.topic} width={width} height={height} />;
  }
}

export function App({ snapshots, ui, color = true, size }: AppProps) {
  const state = useSyncExternalStore(ui.subscribe, ui.getSnapshot);
  const terminal = useWindowSize();
  const { columns, rows } = size ?? terminal;
  useEffect(() => ui.setViewport(columns, rows), [ui, columns, rows]);
  useInput((input, key) => {
    for (const k of keyNames(input, key)) ui.handleKey(k);
  });
  usePaste((text) => ui.paste(text));

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return (
      <Box flexDirection="column" width={columns}>
        <Text bold>{`The terminal is ${columns}x${rows}: kafka-producer-tui needs at least ${MIN_COLUMNS}x${MIN_ROWS}.`}</Text>
        <Text>Make the window larger (producing and any running lab go on), or press q to quit.</Text>
      </Box>
    );
  }
  return (
    <ColorContext.Provider value={color}>
      <Frame snapshots={snapshots} ui={state} columns={columns} rows={rows} />
    </ColorContext.Provider>
  );
}

/**
 * The screen, drawn again with every published snapshot (several a second while records flow). The snapshot is
 * read here and not in App, so that a new snapshot does not run App's key, paste and size hooks again: only a key
 * (a new UI state) or a resize does.
 */
const Frame = memo(function Frame({ snapshots, ui, columns, rows }: { snapshots: SnapshotSource; ui: UiState; columns: number; rows: number }) {
  const snap = useSyncExternalStore(snapshots.subscribe, snapshots.getSnapshot);
  const looping = snap.workload?.running ?? false;
  return (
    <Box flexDirection="column" width={columns} height={rows} overflow="hidden">
      <StatusBar width={columns} cluster={snap.cluster} health={snap.health} topic={snap.topic} recordsPerSec={snap.rates.recordsPerSec} looping={looping} liveAudit={snap.liveAudit} />
      <Tabs screen={ui.screen} width={columns} />
      <Box height={rows - 3} width={columns} overflow="hidden">
        <Body lab={snap} ui={ui} width={columns} height={rows - 3} />
      </Box>
      <NoticeLine notice={snap.notice} width={columns} />
    </Box>
  );
});

export interface MountedApp {
  waitUntilExit(): Promise<unknown>;
  unmount(): void;
}

/** Draws the app in the alternate screen until unmounted: here, so that commands/ never imports Ink or React. */
export function mountApp(opts: { snapshots: SnapshotSource; ui: UiStore; color: boolean; fps: number }): MountedApp {
  return render(<App snapshots={opts.snapshots} ui={opts.ui} color={opts.color} />, {
    alternateScreen: true,
    incrementalRendering: true,
    maxFps: opts.fps,
    exitOnCtrlC: false,
    patchConsole: false,
    // CI=true in a user's shell would otherwise make Ink draw only the last frame, at exit.
    interactive: true,
  });
}
