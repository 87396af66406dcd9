import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

/**
 * The package's entry points by name (`steadyheap`, `steadyheap/bitecs`, ...), pointed at their
 * sources, so the demos, the benchmarks and the README import the library as a user would. One
 * list for TypeScript and Vite: tsconfig.json's `compilerOptions.paths` (tsx, which runs the
 * bench scripts, reads the same). Each name is matched exactly, so `steadyheap` does not catch
 * `steadyheap/bitecs`.
 */
const tsconfigPaths = (
  JSON.parse(readFileSync(resolve(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  }
).compilerOptions.paths;
const packageAlias = Object.entries(tsconfigPaths).map(([name, [target]]) => ({
  find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`),
  replacement: resolve(root, target),
}));

/**
 * One Vite config for the demos (dev server and static build) and for Vitest.
 *
 * - `npm start` serves the project root; `/` links to the demos under `examples/`.
 * - `npm run build:demo` writes the demos to `dist-demo/` (the e2e tests and `npm run profile`
 *   serve that folder).
 * - Vitest has two projects: `unit` (Node, with `--expose-gc` so GC tests can force a collection)
 *   and `e2e` (real headless Chromium through playwright-core, one file at a time).
 */
export default defineConfig({
  root,
  base: './',
  resolve: { alias: packageAlias },
  server: { host: '127.0.0.1', open: '/examples/particles/' },
  build: {
    outDir: resolve(root, 'dist-demo'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: resolve(root, 'index.html'),
        particles: resolve(root, 'examples/particles/index.html'),
        ecs: resolve(root, 'examples/ecs/index.html'),
        poolParticles: resolve(root, 'examples/pool-particles/index.html'),
        rollback: resolve(root, 'examples/rollback/index.html'),
        poolParticlesFixture: resolve(root, 'test/e2e/fixtures/pool-particles/index.html'),
      },
    },
  },
  test: {
    // --expose-gc: GC tests force a collection first. Synchronous optimization: a GC test warms its
    // code up, and with background compilation a loaded machine could still be running the
    // baseline code (which boxes doubles) when the measured window starts.
    execArgv: ['--expose-gc', '--no-concurrent-recompilation', '--no-concurrent-osr'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          globalSetup: ['test/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
