/**
 * The README's examples run. Every ```ts block of a README section is run, the blocks of one
 * section joined in order as one module (later blocks continue earlier ones), with
 * `from 'steadyheap'` and `from 'steadyheap/bitecs'` pointed at the sources. A `console.log(...)`
 * line that ends in a `// comment` asserts that it printed the comment's text up to the first `:`
 * (`console.log(pool.size); // 3: three live` expects `3`).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
// Under node_modules so that bare imports (bitecs) resolve from the project.
const outDir = join(root, 'node_modules', '.steadyheap-readme');

interface Section {
  name: string;
  code: string;
}

function sections(): Section[] {
  const out: Section[] = [];
  const re = /<!-- section:([\w-]+) -->([\s\S]*?)<!-- \/section:\1 -->/g;
  for (const m of readme.matchAll(re)) {
    const blocks = [...m[2].matchAll(/```ts\n([\s\S]*?)```/g)].map((b) => b[1]);
    if (blocks.length) out.push({ name: m[1], code: joinBlocks(blocks) });
  }
  return out;
}

/** Joins blocks into one module: import lines hoisted and merged per module specifier. */
function joinBlocks(blocks: string[]): string {
  const imports = new Map<string, Set<string>>();
  const body: string[] = [];
  for (const block of blocks) {
    for (const line of block.split('\n')) {
      const m = /^import \{([^}]*)\} from '([^']+)';\s*$/.exec(line);
      if (!m) {
        body.push(line);
        continue;
      }
      const names = imports.get(m[2]) ?? new Set<string>();
      for (const n of m[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean))
        names.add(n);
      imports.set(m[2], names);
    }
  }
  const target = (spec: string) =>
    spec === 'steadyheap'
      ? pathToFileURL(join(root, 'src/index.ts')).href
      : spec === 'steadyheap/bitecs'
        ? pathToFileURL(join(root, 'src/ecs/index.ts')).href
        : spec;
  const head = [...imports].map(([spec, names]) => `import { ${[...names].join(', ')} } from '${target(spec)}';`);
  return [...head, ...body].join('\n');
}

/** The expected output of each commented `console.log` line, in order (null: not checked). */
function expectations(code: string): (string | null)[] {
  return code
    .split('\n')
    .filter((l) => l.includes('console.log('))
    .map((l) => {
      const c = /\)\s*;?\s*(?:\}\s*)?\/\/\s*(.+)$/.exec(l);
      return c ? c[1].split(':')[0].trim() : null;
    });
}

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('README examples', () => {
  const all = sections();

  it('has examples in the sections that document an API', () => {
    const names = all.map((s) => s.name);
    for (const n of ['pools', 'arenas', 'ecs', 'profile']) expect(names).toContain(n);
  });

  for (const section of all) {
    it(`section ${section.name} runs and prints what its comments say`, async () => {
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, `${section.name}.ts`);
      writeFileSync(file, section.code);
      const printed: string[] = [];
      const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
      });
      try {
        await import(/* @vite-ignore */ pathToFileURL(file).href);
      } finally {
        spy.mockRestore();
      }
      const expected = expectations(section.code);
      expect(printed.length, `printed: ${JSON.stringify(printed)}`).toBe(expected.length);
      expected.forEach((want, i) => {
        if (want !== null) expect(printed[i], `console.log #${i + 1} of section ${section.name}`).toBe(want);
      });
    });
  }
});
