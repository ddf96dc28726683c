// The layering rules of the README's "Architecture" section, checked on every run: dependency-cruiser with the
// project's own rule file over src/, and the same rules shown to catch a violation planted in a scratch tree.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type IReporterOutput } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const rules = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs'));

async function violations(baseDir: string): Promise<string[]> {
  const result: IReporterOutput = await cruise(['src'], { ...rules.options, validate: true, ruleSet: { forbidden: rules.forbidden }, baseDir }, undefined, {
    tsConfig: { fileName: join(baseDir, 'tsconfig.json') } as never,
  } as never);
  const output = typeof result.output === 'string' ? JSON.parse(result.output) : result.output;
  return output.summary.violations.map((v: { rule: { name: string }; from: string; to: string }) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('architecture', () => {
  it('src/ keeps every layering rule (one-way imports, no cycles, React and Ink only in the UI)', async () => {
    expect(await violations(root)).toEqual([]);
  }, 60_000);

  it('the rules catch a violation: the sandbox importing the engine, and a cycle', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'kpt-arch-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(join(scratch, path, '..'), { recursive: true });
        writeFileSync(join(scratch, path), text);
      };
      write('tsconfig.json', readFileSync(join(root, 'tsconfig.json'), 'utf8'));
      write('src/kafka/producer/engine.ts', "import { a } from './a.js';\nexport const engine = a;\n");
      write('src/kafka/producer/a.ts', "import { engine } from './engine.js';\nexport const a = 1;\nexport const b = engine;\n");
      write('src/sandbox/broker.ts', "import { engine } from '../kafka/producer/engine.js';\nexport const broker = engine;\n");
      const found = await violations(scratch);
      expect(found).toContain('sandbox-imports-sandbox-and-wire: src/sandbox/broker.ts -> src/kafka/producer/engine.ts');
      expect(found.some((v) => v.startsWith('no-cycles: src/kafka/producer/'))).toBe(true);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);

  it('no file in src/ is over 400 lines', () => {
    // Counting lines needs no library; the limit is the project's rule that a longer file is usually two concerns.
    const long = files(join(root, 'src'))
      .map((f) => ({ file: relative(root, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });

  it('src/kafka/ holds only the producer, the workload and cluster access', () => {
    expect(readdirSync(join(root, 'src/kafka')).sort()).toEqual(['cluster', 'producer', 'workload']);
  });
});
