// Output into a closed pipe (`lab acks1 | head -12`) ends a command quietly instead of crashing it with an unhandled
// 'error' event and a stack trace. Node ignores SIGPIPE, so the write fails with EPIPE instead of killing the process
// as it would kill a C program: this restores the quiet end a shell user expects from any Unix tool.
import type { Writable } from 'node:stream';

const CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

/** 128 + SIGPIPE (13): what a shell reports for a command that a closed pipe ended, so `set -o pipefail` still sees it. */
export const CLOSED_PIPE_EXIT_CODE = 141;

export function isClosedPipe(e: unknown): boolean {
  return CLOSED.has((e as NodeJS.ErrnoException | null)?.code ?? '');
}

/**
 * Watches `stream` (stdout or stderr): when its reader goes away, later writes are dropped and `onClosed` runs once.
 * Any other error is re-thrown as before.
 */
export function onClosedOutput(stream: Writable, onClosed: () => void): void {
  let closed = false;
  stream.on('error', (e) => {
    if (!isClosedPipe(e)) throw e;
    if (closed) return;
    closed = true;
    // Writes after this point would fail again; drop them instead.
    stream.write = (() => true) as typeof stream.write;
    onClosed();
  });
}

/**
 * For commands that produce a result and end (lab, bench, the TUI's messages): a closed stdout ends the process at
 * once and quietly; a closed stderr only silences it. The sandbox passes its own handler (it keeps serving).
 */
export function endQuietlyOnClosedStdout(exit: (code: number) => void = (code) => process.exit(code)): void {
  onClosedOutput(process.stdout, () => exit(CLOSED_PIPE_EXIT_CODE));
  onClosedOutput(process.stderr, () => {});
}
