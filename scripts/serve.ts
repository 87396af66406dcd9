/**
 * Builds the demos with Vite and serves the static build on 127.0.0.1 (an ephemeral port), for the
 * browser tests and `npm run profile`.
 */
import { build, preview } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs `vite build` (writes `dist-demo/`), quietly. */
export async function buildDemos(): Promise<void> {
  await build({ root, logLevel: 'warn', configFile: `${root}/vite.config.ts` });
}

/**
 * Serves `dist-demo/` on 127.0.0.1.
 *
 * @returns the base URL (ending in `/`) and `close()`.
 */
export async function serveDemos(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await preview({
    root,
    configFile: `${root}/vite.config.ts`,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => server.close(),
  };
}
