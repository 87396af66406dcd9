/**
 * One cell of the ECS table in its own process (so no library's type feedback, heap or JIT state
 * leaks into another's):
 *
 *   node --expose-gc --import tsx bench/ecs/cell.ts <library> <workload> <scale> <windowMs>
 *
 * Builds the workload at `scale` x noctjs's entity count, runs warm-up frames checking the entity
 * counts after every frame, calibrates a frame count that fills `windowMs`, measures that window
 * (`measure.ts`), checks the counts again, and prints one JSON line (`CellResult`). Control ids
 * (`control-0`, `control-1048`) run the known-allocation frames of `control.ts`.
 */
import { performance } from 'node:perf_hooks';
import { CONTROL_BYTES, controlAdapter, type ControlId } from './control.ts';
import { loadLibrary } from './libraries/index.ts';
import { measureWindow, runFrames, type WindowResult } from './measure.ts';
import { BASE_COUNT, WORKLOADS, checkCounts, expectedCounts, type Workload } from './workloads.ts';

export interface CellResult extends WindowResult {
  library: string;
  workload: string;
  scale: number;
  entities: number;
  /** Frames whose entity counts were checked (warm-up plus the one after the window). */
  verifiedFrames: number;
  msPerFrame: number;
}

async function main(): Promise<void> {
  const [libraryId, workloadArg, scaleArg, windowArg] = process.argv.slice(2);
  const isControl = libraryId in CONTROL_BYTES;
  const adapter = isControl ? controlAdapter(libraryId as ControlId) : await loadLibrary(libraryId);
  const workload = (isControl ? 'packed_5' : workloadArg) as Workload;
  if (!isControl && (!WORKLOADS.includes(workload) || !adapter.workloads.includes(workload))) {
    throw new RangeError(`${adapter.name} does not run workload ${JSON.stringify(workloadArg)}`);
  }
  const scale = Number(scaleArg);
  const windowMs = Number(windowArg);
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive integer, got ${scaleArg}`);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowArg}`);
  const n = BASE_COUNT[workload] * scale;
  const expected = adapter.expected ? adapter.expected(workload, n) : expectedCounts(workload, n);
  const cell = await adapter.create(workload, n);
  const isAsync = adapter.asyncFrame;
  const where = `${adapter.name} ${isControl ? '' : workload} x${scale}`;

  // Warm-up with verification after every frame: at least 30 frames and a third of the window.
  let verified = 0;
  const warmEnd = performance.now() + windowMs / 3;
  while (verified < 30 || performance.now() < warmEnd) {
    if (isAsync) await cell.frame();
    else cell.frame();
    checkCounts(`${where}, frame ${verified + 1}`, cell.counts(), expected);
    verified++;
    if (verified > 200_000) break;
  }
  // Calibration: time the measured loop itself (no checks) for a tenth of the window.
  let frames = 8;
  let perFrameMs = Number.POSITIVE_INFINITY;
  for (let spent = 0; spent < windowMs / 10; ) {
    const t0 = performance.now();
    await runFrames(cell.frame, frames, isAsync);
    const dt = performance.now() - t0;
    spent += dt;
    perFrameMs = Math.min(perFrameMs, dt / frames);
    frames *= 2;
  }
  const windowFrames = Math.max(10, Math.ceil(windowMs / Math.max(perFrameMs, 1e-6)));
  const result = await measureWindow(cell.frame, windowFrames, isAsync);
  checkCounts(`${where}, after the measured window`, cell.counts(), expected);
  verified++;
  const out: CellResult = {
    library: adapter.id,
    workload: isControl ? adapter.id : workload,
    scale,
    entities: expected.alive,
    verifiedFrames: verified,
    msPerFrame: (result.seconds * 1000) / result.frames,
    ...result,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
