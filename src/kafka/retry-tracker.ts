// kafkajs has no retry event: each failed attempt of a send is one ERROR line from its 'Producer' logger, with
// retryCount and retryTime (notes/kafkajs.md §4.4). The log call runs in the async continuation of the send, so
// an AsyncLocalStorage context set around each sendBatch attributes every failed attempt to the batch it belongs to.
import { AsyncLocalStorage } from 'node:async_hooks';
import { logLevel, type logCreator } from 'kafkajs';

export interface SendContext {
  sendId: number;
  failedAttempts: number;
  onAttemptFailed?: (info: AttemptFailure) => void;
}

export interface AttemptFailure {
  sendId: number;
  /** 0-based index of the attempt that failed. */
  attempt: number;
  /** Wait before the next attempt, if kafkajs retries. */
  backoffMs: number;
  error: string;
}

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  namespace: string;
  message: string;
  at: number;
}

const levelName = (l: logLevel): LogLine['level'] =>
  l === logLevel.ERROR ? 'error' : l === logLevel.WARN ? 'warn' : l === logLevel.INFO ? 'info' : 'debug';

export class RetryTracker {
  private readonly als = new AsyncLocalStorage<SendContext>();
  private logListeners = new Set<(line: LogLine) => void>();

  /** Runs `fn` (a kafkajs send) with its failed attempts attributed to `ctx`. */
  run<T>(ctx: SendContext, fn: () => Promise<T>): Promise<T> {
    return this.als.run(ctx, fn);
  }

  onLog(fn: (line: LogLine) => void): () => void {
    this.logListeners.add(fn);
    return () => this.logListeners.delete(fn);
  }

  /** The logCreator for `new Kafka({ logCreator })`: kafkajs's log lines never reach the terminal directly. */
  logCreator(): logCreator {
    return () => ({ namespace, level, log }) => {
      const { message, retryCount, retryTime } = log as { message: string; retryCount?: number; retryTime?: number };
      if (level === logLevel.ERROR && namespace === 'Producer' && typeof retryCount === 'number') {
        const ctx = this.als.getStore();
        if (ctx) {
          ctx.failedAttempts++;
          ctx.onAttemptFailed?.({ sendId: ctx.sendId, attempt: retryCount, backoffMs: retryTime ?? 0, error: message });
        }
      }
      if (this.logListeners.size > 0 && level <= logLevel.WARN) {
        const line: LogLine = { level: levelName(level), namespace, message, at: Date.now() };
        for (const l of this.logListeners) l(line);
      }
    };
  }
}
