// Tests that compare styled frames cell for cell need chalk to emit its escapes whatever terminal runs them.
import chalk from 'chalk';
import { afterAll, beforeAll } from 'vitest';

/** Sets chalk to full colour for the file's tests and restores its level after them. */
export function withFullColour(): void {
  let level: typeof chalk.level;
  beforeAll(() => {
    level = chalk.level;
    chalk.level = 3;
  });
  afterAll(() => {
    chalk.level = level;
  });
}
