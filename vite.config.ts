import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
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
 * The two headers that make a page cross-origin isolated, which is what gives it
 * `SharedArrayBuffer` (and so pools and arenas shared with workers: `?workers=N` in the particle
 * demo). Every resource of an isolated page must be same-origin or opt in (CORP/CORS); the demos
 * load nothing from elsewhere. A user's own server sends the same two (README, section Workers).
 */
const CROSS_ORIGIN_ISOLATION: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Whether a response gets {@link CROSS_ORIGIN_ISOLATION}: every one except an HTML page whose URL
 * has no `workers=` parameter. The headers isolate only the document they arrive with (and a
 * worker's script), so pages stay as they were unless they ask for workers: an isolated page
 * gets coarser `performance.memory` figures in Chromium, which the demo's overlay shows.
 */
function isolates(url: string, accept: string | undefined): boolean {
  const [path, query = ''] = url.split('?');
  const page = path.endsWith('/') || path.endsWith('.html') || (accept ?? '').includes('text/html');
  return !page || /(^|&)workers=/.test(query);
}

/** Sends {@link CROSS_ORIGIN_ISOLATION} from the dev server and the preview server (see {@link isolates}). */
const crossOriginIsolation: Plugin = {
  name: 'steadyheap-cross-origin-isolation',
  configureServer(server) {
    server.middlewares.use(isolationMiddleware);
  },
  configurePreviewServer(server) {
    server.middlewares.use(isolationMiddleware);
  },
};

function isolationMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (isolates(req.url ?? '/', req.headers.accept)) {
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION)) res.setHeader(name, value);
  }
  next();
}

/**
 * One Vite config for the demos (dev server and static build) and for Vitest.
 *
 * - `npm start` serves the project root; `/` links to the demos under `examples/`.
 * - `npm run build:demo` writes the demos to `dist-demo/` (the e2e tests and `npm run profile`
 *   serve that folder).
 * - The dev server and the preview server send the cross-origin-isolation headers (for pages
 *   with `?workers=`; see `isolates`).
 * - Vitest has two projects: `unit` (Node, with `--expose-gc` so GC tests can force a collection)
 *   and `e2e` (real headless Chromium through playwright-core, one file at a time).
 */
export default defineConfig({
  root,
  base: './',
  resolve: { alias: packageAlias },
  plugins: [crossOriginIsolation],
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
