// The log the user opens with L: the client's own log lines and console output, the newest few hundred kept, each
// also handed to a sink as it arrives (the --log-file).
import type { LogLine } from './snapshot.js';

const KEEP_LOG = 500;

export class LogBuffer {
  private lines: LogLine[] = [];
  sink: ((line: LogLine) => void) | null = null;

  add(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > KEEP_LOG * 2) this.lines = this.lines.slice(-KEEP_LOG);
    this.sink?.(line);
  }

  latest(): LogLine[] {
    return this.lines.slice(-KEEP_LOG);
  }
}
