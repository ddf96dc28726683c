// The app as a person drives it, on the built-in cluster: keys switch screens, the produce form sends and shows
// the delivery report, the settings editor refuses bad values and changes nothing, the help lists the keymap.
import { afterEach, describe, expect, it } from 'vitest';
import { openCluster, type ClusterHandle } from '../src/kafka/cluster/open-cluster.js';
import { BINDINGS, keyLabel } from '../src/state/input/keymap.js';
import { KEY, renderLab, type LabHarness } from './screens/render-lab.js';

let lab: LabHarness | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe('the app on the built-in cluster', () => {
  it('switches screens with 1-8 and Tab, and starts on Produce', async () => {
    lab = await renderLab();
    await lab.waitFor('Latest delivery reports');
    await lab.press('2');
    await lab.waitFor('open batch fill');
    await lab.press('3');
    await lab.waitFor('Settings · ⏎ edit');
    await lab.press('4');
    await lab.waitFor('Brokers of built-in cluster');
    await lab.press('5');
    await lab.waitFor('Dead letters (0)');
    await lab.press('6');
    await lab.waitFor('Labs: 15 lessons');
    await lab.press('7');
    await lab.waitFor('as each reader sees it');
    await lab.press('8');
    await lab.waitFor("Producer metrics (Kafka's names)");
    await lab.press(KEY.tab);
    await lab.waitFor('Latest delivery reports');
  });

  it('tells of the topic it created once in the Events list: the built-in cluster reports it itself', async () => {
    lab = await renderLab({ rows: 40 });
    await lab.waitFor('Latest delivery reports');
    await lab.press('4');
    await lab.waitFor('topic playground created: 6 partitions, replication factor 3');
    expect(lab.frame()).not.toMatch(/created playground:/);
  });

  it('writes the Pipeline metrics from 1,000 up with thousands separators, like the totals', async () => {
    lab = await renderLab({ rows: 40 });
    await lab.waitFor('Latest delivery reports');
    await lab.press('n');
    await lab.waitFor(/send 100 done/);
    await lab.press('8');
    // 100 records of about 100 bytes sent at once: the largest batch holds several KiB.
    await lab.waitFor(/batch-size-max +\d{1,3},\d{3} /);
  });

  it('shows the selected record whole on the Records screen at 80x24: latency, attempts and size are not cut off', async () => {
    lab = await renderLab({ columns: 80, rows: 24 });
    await lab.waitFor('Latest delivery reports');
    await lab.press('s');
    await lab.waitFor(/delivered to playground partition 2, offset 0/);
    await lab.press('5');
    await lab.waitFor(/record 1 at [\d:]+: playground partition 2, offset 0,/);
    await lab.waitFor(/ms\s+after send\(\),\s+1 attempt,\s+\d+ bytes/);
  });

  it('says which cluster it uses in the status bar', async () => {
    lab = await renderLab();
    await lab.waitFor(/built-in cluster 127\.0\.0\.1:\d+(-\d+|(,\d+){2})/);
    await lab.waitFor('topic playground');
  });

  it('sends one keyed record and shows its partition and offset', async () => {
    lab = await renderLab();
    await lab.waitFor('-> partition 2');
    await lab.press('s');
    await lab.waitFor(/delivered to playground partition 2, offset 0/);
    await lab.waitFor(/ {6}1 {4}2 {10}0 /);
    await lab.press('s');
    await lab.waitFor(/delivered to playground partition 2, offset 1/);
  });

  it('sends N records and says when they are all acknowledged', async () => {
    lab = await renderLab();
    await lab.waitFor('Latest delivery reports');
    await lab.press('n');
    // A burst this small takes milliseconds: "done in 0.0 s" said nothing.
    // The counts are the run's (a single send before counts too), and the notice says so before the numbers.
    await lab.waitFor(/send 100 done in (\d+ ms|\d+\.\d s) · this run so far: 100 acknowledged, 0 failed/);
    expect(lab.frame()).not.toMatch(/done in 0\.0 s/);
    await lab.waitFor(/acked +100/);
    // The rates are the latest second's: once a second passes with no answer, latency and batching show "-", not 0.
    await lab.waitFor(/rec\/s +0\b/, 4000);
    await lab.waitFor(/p50 latency +- ms/, 2000);
    expect(lab.frame()).toMatch(/rec\/request +-/);
    expect(lab.frame()).not.toMatch(/p99 latency +0\.0 ms/);
  });

  it('reads keys that arrive together in one chunk (fast typing over SSH) as the same keys typed one by one', async () => {
    lab = await renderLab();
    await lab.waitFor('user-1');
    // Enter opens the Key field, Ctrl+U clears it, the text, Enter applies: all in one write.
    await lab.press('\r\u0015order-7\r');
    await lab.waitFor(/Key +order-7 /);
    expect(lab.frame()).not.toMatch(/user-1/);
  });

  it('edits a form field with typed keys, and a null key uses the sticky partitioner', async () => {
    lab = await renderLab();
    await lab.waitFor('user-1');
    await lab.press(KEY.enter, KEY.ctrlU, ...'order-42', KEY.enter);
    await lab.waitFor('order-42');
    await lab.press('j', KEY.right, KEY.right, KEY.right, KEY.right);
    await lab.waitFor('‹ null ›');
    await lab.waitFor('null key: uniform sticky');
    await lab.press('s');
    await lab.waitFor(/delivered to playground partition \d, offset 0/);
  });

  it('refuses a field value with a message and keeps the old one', async () => {
    lab = await renderLab();
    await lab.waitFor('user-1');
    for (let i = 0; i < 6; i++) await lab.press('j');
    await lab.press(KEY.enter, KEY.ctrlU, ...'lots', KEY.enter);
    await lab.waitFor('Send N must be a whole number from 1 to 1000000; got "lots"');
    await lab.press(KEY.escape);
    await lab.waitFor(/Send N\s+100 /);
  });

  it('refuses a bad setting with the settings model message and changes nothing', async () => {
    lab = await renderLab();
    await lab.waitFor('Latest delivery reports');
    await lab.press('3');
    await lab.waitFor('Settings · ⏎ edit');
    for (let i = 0; i < 6; i++) await lab.press(KEY.down);
    await lab.waitFor('› linger.ms');
    await lab.press(KEY.enter, KEY.ctrlU, ...'5s', KEY.enter);
    await lab.waitFor('linger.ms must be a whole number of milliseconds; got "5s"');
    expect(lab.session.engine!.settings['linger.ms']).toBe(5);
    await lab.press(KEY.escape);
    await lab.press(KEY.enter, KEY.ctrlU, ...'250', KEY.enter);
    await lab.waitFor(/linger\.ms\s+250\s+user/);
    expect(lab.session.engine!.settings['linger.ms']).toBe(250);
  });

  it('refuses a setting that conflicts with idempotence, saying why', async () => {
    lab = await renderLab();
    await lab.press('3');
    await lab.waitFor('› acks');
    // enable.idempotence=true explicitly, then acks=1: Kafka would refuse the producer.
    await lab.press(KEY.down, KEY.enter, KEY.ctrlU, ...'true', KEY.enter);
    await lab.waitFor(/enable\.idempotence\s+true\s+user/);
    await lab.press(KEY.up, KEY.enter, KEY.ctrlU, '1', KEY.enter);
    await lab.waitFor('Must set acks to all in order to use the idempotent producer');
    expect(lab.session.engine!.settings.acks).toBe('all');
  });

  it('lists the keymap in the help overlay, and Esc closes it', async () => {
    lab = await renderLab({ columns: 120, rows: 40 });
    await lab.waitFor('Latest delivery reports');
    await lab.press('?');
    await lab.waitFor('Produce screen');
    for (const b of BINDINGS.filter((x) => x.scope === 'produce' || (x.scope === 'global' && !x.command.startsWith('screen-')))) {
      expect(lab.frame()).toContain(b.help);
      expect(lab.frame()).toContain(keyLabel(b));
    }
    await lab.press(KEY.escape);
    await lab.waitFor('Latest delivery reports');
  });

  it('handles a burst of keys in one write in order', async () => {
    lab = await renderLab();
    await lab.waitFor('› Key ');
    // Three downs and Enter arrive as one chunk, as over SSH or with key repeat.
    await lab.press('jjj\r');
    await lab.waitFor(/› Value format ‹ hex ›/);
  });

  it('stops a broker from the Cluster screen and shows it down with its leaderships moved', async () => {
    lab = await renderLab();
    await lab.press('4');
    await lab.waitFor(/›\s+1\s+127\.0\.0\.1:\d+\s+UP\s+2\s+yes/);
    await lab.press('s');
    await lab.waitFor(/›\s+1\s+127\.0\.0\.1:\d+\s+STOPPED\s+0/);
    await lab.waitFor(/election playground-\d: leader 1 -> [23]/);
    await lab.press('u');
    await lab.waitFor(/›\s+1\s+127\.0\.0\.1:\d+\s+UP/);
    await lab.press('d');
    await lab.waitFor(/fault added for the next matching request/);
    await lab.waitFor(/pending: /);
    await lab.press('x');
    await lab.waitFor(/cleared 1 pending fault(?!s)/);
  });

  it('says so when the terminal is smaller than 80x24', async () => {
    lab = await renderLab({ columns: 70, rows: 20, connect: false });
    await lab.waitFor('The terminal is 70x20: kafka-producer-tui needs at least 80x24.');
    // "the lab keeps running" read as a lesson from the Labs screen even when none runs.
    await lab.waitFor(/Make the window larger \(producing and any running lab go on\)/);
  });
});

describe('an unreachable cluster', () => {
  it('is a message with a retry key, never a crash', async () => {
    let attempts = 0;
    lab = await renderLab({
      openCluster: async () => {
        attempts++;
        throw new Error('connect ECONNREFUSED 127.0.0.1:1');
      },
    });
    await lab.waitFor('The cluster could not be used');
    await lab.waitFor('connect ECONNREFUSED 127.0.0.1:1');
    await lab.press('s');
    await lab.press('r');
    await vi_waitAttempts(() => attempts, 2);
    await lab.waitFor('r  try again');
  });
});

async function vi_waitAttempts(get: () => number, n: number): Promise<void> {
  const until = Date.now() + 3000;
  while (get() < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  expect(get()).toBe(n);
}

describe('dead letters', () => {
  it('lists a record that failed for good, shows why, and re-sends it', async () => {
    let cluster: ClusterHandle | undefined;
    lab = await renderLab({
      openCluster: async () => (cluster = await openCluster({ sandbox: true, sandboxPort: 0 })),
    });
    await lab.waitFor('Latest delivery reports');
    expect((await cluster!.control!.faults!.injectError('produce', 'INVALID_RECORD')).ok).toBe(true);
    await lab.press('s');
    await lab.waitFor(/failed after 1 attempt: INVALID_RECORD/);
    await lab.press('5', KEY.right);
    await lab.waitFor('Dead letters (1)');
    await lab.waitFor(/error: INVALID_RECORD This record has failed/);
    await lab.waitFor(/headers: kpt=\w+:0/);
    await lab.press('r');
    await lab.waitFor('re-sent 1: 1 delivered');
    await lab.waitFor('Dead letters (0)');
  });
});
