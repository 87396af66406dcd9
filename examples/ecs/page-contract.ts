/**
 * The ECS example's page contract: what `main.ts` exposes on `window` for the e2e test.
 *
 * @module
 */
export {};

declare global {
  interface Window {
    steadyheapEcs: {
      ready: boolean;
      frame: number;
      entities: number;
      /** Renders now and counts canvas pixels that differ from the background (for tests). */
      countLitPixels?: () => number;
    };
  }
}
