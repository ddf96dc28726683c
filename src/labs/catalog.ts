// Every lab, in teaching order: the command line lists them from here, the TUI's lab screen too.
import type { Lab } from './lab-types.js';
import { acks0, acks1, acksAll } from './lessons/acks.js';
import { batching } from './lessons/batching.js';
import { compression } from './lessons/compression.js';
import { idempotence, retriesDuplicate } from './lessons/idempotence.js';
import { keys } from './lessons/keys.js';
import { backpressure, tooLarge } from './lessons/limits.js';
import { minIsr } from './lessons/min-isr.js';
import { ordering } from './lessons/ordering.js';
import { txnCommitAbort } from './lessons/txn-commit-abort.js';
import { txnEosPipeline } from './lessons/txn-eos-pipeline.js';
import { txnZombie } from './lessons/txn-zombie.js';

export const LABS: readonly Lab[] = [
  acks0, acks1, acksAll, minIsr, retriesDuplicate, idempotence, ordering, batching, compression, keys, tooLarge, backpressure,
  // Transactions and exactly-once.
  txnCommitAbort, txnZombie, txnEosPipeline,
];

export function findLab(name: string): Lab | undefined {
  const n = name.trim().toLowerCase();
  return LABS.find((l) => l.name === n);
}
