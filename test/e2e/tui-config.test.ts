// The built binary in tmux: on the Settings screen, i imports a configuration file (the review beside the settings
// follows), x exports it as Spring Boot YAML to a file, shown on screen, and q quits cleanly.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI, hasTmux, Terminal } from '../helpers/tmux-terminal.js';

if (!hasTmux) console.warn('test/e2e/tui-config.test.ts skipped: tmux is not installed (apt-get install -y tmux)');

describe.skipIf(!hasTmux)('the Settings screen in a real terminal: import, review, export', () => {
  let t: Terminal;
  const dir = mkdtempSync(join(tmpdir(), 'kpt-e2e-config-'));
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
    t = Terminal.start('kptui-e2e-config', 130, 40, ['--sandbox']);
  });
  afterAll(() => t?.kill());

  it('imports a file with i and the review follows', async () => {
    const path = join(dir, 'producer.properties');
    writeFileSync(path, 'acks=1\nlinger.ms=25\ncompression.type=lz4\n');
    await t.waitFor(/connected to built-in cluster/, 15_000);
    await t.keys('3');
    await t.waitFor(/Review \(kafka-clients 4\.1\)/);
    await t.waitFor(/✓ (ok +)?acks = all \(default\)/);
    await t.keys('i');
    await t.waitFor(/Import a configuration/);
    await t.type(path);
    await t.keys('Enter');
    await t.waitFor(/imported 3 settings from/);
    await t.waitFor(/! (review +)?acks = 1/);
    await t.waitFor(/linger\.ms +25 +user/);
  });

  it('exports with x as Spring Boot YAML, writes the file and shows it', async () => {
    const path = join(dir, 'application.yml');
    await t.keys('x');
    await t.waitFor(/Export as Java producer\.properties/);
    await t.keys('Tab');
    await t.waitFor(/Export as Spring Boot application\.yml/);
    await t.keys('C-u');
    await t.type(path);
    await t.keys('Enter');
    await t.waitFor(/Wrote \/tmp\/kpt-e2e-config-/);
    await t.waitFor(/wrote .*application\.yml \(Spring Boot application\.yml\)/);
    await t.waitFor(/compression-type: lz4/);
    const producer = parseYaml(readFileSync(path, 'utf8')).spring.kafka.producer;
    expect(producer).toMatchObject({ acks: 1, 'compression-type': 'lz4' });
    expect(producer.properties['[linger.ms]']).toBe(25);
    await t.keys('Escape');
    await t.waitFor(/Review \(kafka-clients 4\.1\)/);
  });

  it('quits with q', async () => {
    await t.keys('q');
    await t.waitFor(/exited with 0/, 15_000);
  });
});
