/**
 * The README's examples run, each ```ts block on its own (see `test/support/readme-blocks.ts`):
 * written to a file of its own and imported, with `steadyheap` and `steadyheap/bitecs` resolved
 * to the sources by the package alias (vite.config.ts), as the bench and the examples resolve
 * them. Each block must print what its commented `console.log` lines say. The package test
 * (`test/package/pack.test.ts`) runs the same blocks against the packed, installed package.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tsBlocks } from './support/readme-blocks.ts';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
// Inside the project, so that bare imports (bitecs) resolve from its node_modules; git-ignored.
const outDir = join(root, 'test-artifacts', 'readme');

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('README examples', () => {
  const blocks = tsBlocks(readme);

  it('has examples in the sections that document an API, and one game loop', () => {
    const sections = new Set(blocks.map((b) => b.name.replace(/-\d+$/, '')));
    for (const s of ['pools', 'arenas', 'ecs', 'profile', 'game-loop']) expect(sections).toContain(s);
  });

  for (const block of blocks.filter((b) => b.browser)) {
    it(`block ${block.name} is browser code for steadyheap/pixi (type-checked by the package test)`, () => {
      expect(block.code).toMatch(/from 'steadyheap\/pixi'/);
    });
  }

  for (const block of blocks.filter((b) => !b.browser)) {
    it(`block ${block.name} runs alone and prints what its comments say`, async () => {
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, `${block.name}.ts`);
      writeFileSync(file, block.code);
      const printed: string[] = [];
      const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
      });
      try {
        await import(/* @vite-ignore */ pathToFileURL(file).href);
      } finally {
        spy.mockRestore();
      }
      expect(printed.length, `printed: ${JSON.stringify(printed)}`).toBe(block.expected.length);
      block.expected.forEach((want, i) => {
        if (want !== null) expect(printed[i], `console.log #${i + 1} of block ${block.name}`).toBe(want);
      });
    });
  }
});
