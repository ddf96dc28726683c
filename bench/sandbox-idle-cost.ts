// The built-in cluster's own CPU while nothing is produced, with many partitions: what its periodic work (the ISR
// check walks every partition every replica.lag.time.max.ms / 4, at most 250 ms) costs. Prints the process CPU
// share of one core (10,000 partitions: about 2% on the 2-core dev machine; 0.1% with the ISR check looking only
// at partitions that had an append or a leader or broker change since).
//   npm run bench -- bench/sandbox-idle-cost.ts [--partitions 10000] [--seconds 5]
import { Cluster } from '../src/sandbox/cluster/cluster.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const partitions = arg('--partitions', 10_000);
const seconds = arg('--seconds', 5);
const cluster = new Cluster({ brokerIds: [1, 2, 3], maxPartitions: Math.max(10_000, partitions) });
const created = cluster.createTopic('big', partitions, 3);
if (created.error !== 0) throw new Error(`could not create ${partitions} partitions: error ${created.error}`);
const keepAlive = setInterval(() => {}, 1000);
await new Promise((r) => setTimeout(r, 1000));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
const cpu = process.cpuUsage(cpu0);
const wall = (performance.now() - t0) / 1000;
console.log(`${partitions} partitions x 3 replicas, idle for ${seconds} s: sandbox CPU ${(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(1)}% of one core`);
clearInterval(keepAlive);
cluster.close();
