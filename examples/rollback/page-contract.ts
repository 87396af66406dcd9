/**
 * The rollback example's page contract: what `main.ts` publishes as `window.steadyheapRollback`
 * for the e2e test (`test/e2e/rollback.test.ts`).
 *
 * @module
 */
export {};

declare global {
  interface Window {
    steadyheapRollback: {
      /** True once the first frame is drawn. */
      ready: boolean;
      /** Frames each peer has simulated (its current frame). */
      frames: [number, number];
      /** Entities per peer. */
      entities: number;
      /** Rollbacks each peer made, and the deepest, in frames. */
      rollbacks: [number, number];
      deepest: number;
      /** Slowest rollback after the first 120 frames (restore and re-simulation), in ms. */
      slowestMs: number;
      /** Final frames whose checksums were compared, and how many differed. */
      compared: number;
      desyncs: number;
      /** Counts canvas pixels brighter than the background on both peers' canvases (for tests). */
      countLitPixels: () => number;
    };
  }
}
