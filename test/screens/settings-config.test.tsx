// The Settings screen's configuration files, as a person uses them on the built-in cluster: the review panel beside
// the settings follows every change, i imports a file into the running producer (a bad file keeps the field open
// with its line and reason), x exports in a chosen format (Tab) to a file and shows it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { KEY, renderLab, type LabHarness } from './render-lab.js';

let lab: LabHarness | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

const dir = mkdtempSync(join(tmpdir(), 'kpt-settings-config-'));

async function typePath(h: LabHarness, path: string) {
  await h.press(KEY.ctrlU);
  for (const ch of path) await h.press(ch);
}

describe('Settings: the configuration review, import and export', () => {
  it('shows the review beside the settings and follows a change live', async () => {
    lab = await renderLab({ columns: 150, rows: 40 });
    await lab.waitFor('Latest delivery reports');
    await lab.press('3');
    await lab.waitFor('Review (kafka-clients 4.1)');
    await lab.waitFor(/review +linger\.ms = 5 \(default\)/);
    await lab.waitFor(/ok +acks = all \(default\)/);
    // The help lists the new keys, from the keymap.
    await lab.press('?');
    await lab.waitFor('import a configuration file');
    await lab.waitFor('Exporting (x)');
    await lab.waitFor('next export format');
    await lab.press('?');
    await lab.waitFor('Review (kafka-clients 4.1)');
    // acks is the first setting; → cycles 0, 1, all from all to 0.
    await lab.press(KEY.right, KEY.right);
    await lab.waitFor(/review +acks = 1/);
    await lab.waitFor('Kafka turns idempotence off without an error');
  });

  for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
    it(`names every key of the screen in its title at ${columns}x${rows}, x export included`, async () => {
      lab = await renderLab({ columns, rows });
      await lab.waitFor('Latest delivery reports');
      await lab.press('3');
      await lab.waitFor(/i import · x export/);
    });
  }

  it('says a source Kafka decided whole under the list at 80x24 (it is cut in the source column)', async () => {
    lab = await renderLab({ columns: 80, rows: 24 });
    await lab.waitFor('Latest delivery reports');
    await lab.press('3');
    await lab.waitFor(/i import · x export/);
    // acks=0 turns the default idempotence off without an error.
    await lab.press(KEY.right, 'j');
    await lab.waitFor(/disabled by conflic…/);
    await lab.waitFor(/ disabled by conflicting settings · allowed: /);
  });

  it('imports a file with i, and keeps the field open with the line and the reason for a bad one', async () => {
    const good = join(dir, 'producer.properties');
    writeFileSync(good, 'bootstrap.servers=localhost:9092\nacks=all\nretries=3\nenable.idempotence=true\nlinger.ms=20\n');
    const bad = join(dir, 'bad.properties');
    writeFileSync(bad, 'acks=all\nlinger.ms=soon\n');
    lab = await renderLab({ columns: 150, rows: 40 });
    await lab.waitFor('Latest delivery reports');
    await lab.press('3', 'i');
    await lab.waitFor('Import a configuration');
    await typePath(lab, bad);
    await lab.press(KEY.enter);
    await lab.waitFor(/line 2: linger\.ms: linger\.ms must be a whole number/);
    await typePath(lab, good);
    await lab.press(KEY.enter);
    await lab.waitFor(/imported 4 settings from .*producer\.properties \(Java producer\.properties\); 1 other key left out/);
    await lab.waitFor(/redundant +retries = 3/);
    await lab.waitFor(/ok +linger\.ms = 20/);
    expect(lab.store.getSnapshot().config?.settings['linger.ms']).toBe(20);
    expect(lab.store.getSnapshot().config?.values.retries.source).toBe('user');
  });

  it('exports with x in the format chosen with Tab, writes the file and shows it', async () => {
    lab = await renderLab({ columns: 100, rows: 30 });
    await lab.waitFor('Latest delivery reports');
    await lab.press('3');
    await lab.waitFor('Review (kafka-clients 4.1)');
    await lab.press('x');
    await lab.waitFor('Export as Java producer.properties');
    await lab.press(KEY.tab);
    await lab.waitFor('Export as Spring Boot application.yml');
    await lab.waitFor('application.yml');
    const target = join(dir, 'application.yml');
    await typePath(lab, target);
    await lab.press(KEY.enter);
    await lab.waitFor(`Wrote ${target}`);
    await lab.waitFor('Spring Boot application.yml · ↑↓ scroll · Esc close');
    await lab.waitFor('spring:');
    const written = parseYaml(readFileSync(target, 'utf8'));
    expect(written.spring.kafka.producer).toBeDefined();
    await lab.press(KEY.escape);
    await lab.waitFor('Settings · ⏎ edit');
  });
});
