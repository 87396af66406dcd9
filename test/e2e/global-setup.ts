/**
 * Vitest global setup for the browser tests: builds the demos once, serves them on 127.0.0.1 and
 * hands the URL to the tests (`inject('demoUrl')`).
 */
import type { TestProject } from 'vitest/node';
import 'vitest';
import { buildDemos, serveDemos } from '../../scripts/serve.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    demoUrl: string;
  }
}

export default async function setup(project: TestProject) {
  await buildDemos();
  const server = await serveDemos();
  project.provide('demoUrl', server.url);
  return async () => {
    await server.close();
  };
}
