// The LabContext a lab's script runs against: the engine, the workload, broker control and sandbox faults where
// the cluster has them, and the small helpers every script needs (steps, log lines, abortable sleep, waiting on a
// condition, leader lookups, phase measurements).
import type { ProducerEngine } from '../kafka/producer/producer-engine.js';
import type { Workload } from '../kafka/workload/workload.js';
import type { ClusterEvent, ClusterHandle } from '../kafka/cluster/cluster-handle.js';
import type { MetricsTracker } from './lab-metrics.js';
import type { LabContext, LabStep, LogLevel } from './lab-types.js';

export class LabAbortedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'LabAbortedError';
  }
}

export interface ContextHooks {
  step(step: LabStep): void;
  log(text: string, level: LogLevel): void;
}

export function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'the lab was stopped';
}

export function createLabContext(args: {
  engine: ProducerEngine;
  workload: Workload;
  topic: string;
  env: ClusterHandle;
  steps: readonly LabStep[];
  tracker: MetricsTracker;
  events: readonly ClusterEvent[];
  signal: AbortSignal;
  hooks: ContextHooks;
  /** Brokers the script took down, with the action that brings each back (for cleanup on a real cluster). */
  down: Map<number, 'start' | 'resume'>;
}): LabContext {
  const { engine, workload, topic, env, steps, tracker, events, signal, hooks, down } = args;
  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(new LabAbortedError(abortReason(signal)));
      const onAbort = () => {
        clearTimeout(timer);
        reject(new LabAbortedError(abortReason(signal)));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  return {
    engine,
    workload,
    topic,
    brokers: env.brokers,
    client: env.client,
    clusterKind: env.kind,
    control: env.control,
    sandbox: env.sandbox,
    signal,
    step(id) {
      const step = steps.find((s) => s.id === id);
      if (!step) throw new Error(`the lab has no step "${id}" (steps: ${steps.map((s) => s.id).join(', ')})`);
      hooks.step(step);
    },
    log: (text, level = 'info') => hooks.log(text, level),
    sleep,
    async waitFor(cond, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await cond())) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await sleep(10);
      }
    },
    leaderOf: async (partition) => (await env.partitionInfo(topic, partition)).leader,
    partition: (partition) => env.partitionInfo(topic, partition),
    async act(action, broker) {
      if (!env.control) throw new Error(`cannot ${action} broker ${broker}: ${env.controlProblem ?? 'this cluster has no broker control'}`);
      const r = await env.control.act(action, broker, { confirmed: true });
      if (!r.ok) throw new Error(`${action} broker ${broker} failed: ${r.message}`);
      if (action === 'start' || action === 'resume') down.delete(broker);
      else down.set(broker, action === 'pause' ? 'resume' : 'start');
      hooks.log(r.message, action === 'start' || action === 'resume' ? 'info' : 'warn');
    },
    measure: (fn) => tracker.measure(fn),
    clusterEvents: () => events,
  };
}
