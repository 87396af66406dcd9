/**
 * What the page's main thread did, seen from outside through Chrome tracing (CDP `Tracing`):
 * garbage collections and the time spent in the page's animation-frame callbacks.
 *
 * Categories ({@link TRACE_CATEGORIES}), chosen to cost little frame time (not the heavy
 * `devtools.timeline`):
 * - `v8`: Blink's `MinorGC` / `MajorGC` slices (category group `devtools.timeline,v8`), one per
 *   collection's pause on the thread that ran it;
 * - `blink`: `FrameRequestCallbackCollection::ExecuteFrameCallbacks`, one slice per frame around all
 *   of the page's `requestAnimationFrame` callbacks;
 * - `blink.user_timing`: the `performance.mark` that starts the measured window, which carries
 *   both clocks: its trace timestamp (µs) and its `startTime` on the page's `performance.now()`
 *   clock. That pair converts every slice to page time, and the mark's thread is the page's main
 *   thread (`performance.mark` runs there), so workers' and other pages' events are left out.
 *
 * @module
 */

/** Trace categories the profiler records. */
export const TRACE_CATEGORIES: readonly string[] = ['v8', 'blink', 'blink.user_timing'];

/** Slices counted as one collection each, by kind. */
export const GC_EVENT_NAMES = { minor: 'MinorGC', major: 'MajorGC' } as const;

/** The slice around all of a frame's animation-frame callbacks. */
export const RAF_EVENT_NAME = 'FrameRequestCallbackCollection::ExecuteFrameCallbacks';

/** One trace event as Chromium reports it (only the fields used here). */
export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  /** Trace clock, µs. */
  ts: number;
  /** Duration of a complete ('X') event, µs. */
  dur?: number;
  args?: Record<string, unknown>;
}

/** A slice on the page's main thread, on the page clock (`performance.now()`, ms). */
export interface Slice {
  startMs: number;
  durationMs: number;
}

/** A collection's pause. */
export interface GcSlice extends Slice {
  kind: 'minor' | 'major';
}

/** What a trace of the measured window yields. */
export interface MainThreadTimeline {
  /** False when the window's mark was not in the trace (then the lists are empty). */
  aligned: boolean;
  /** Collections on the main thread, in time order. */
  gc: GcSlice[];
  /** Animation-frame callback slices on the main thread, in time order. */
  raf: Slice[];
  /**
   * Page time of the last main-thread event in the trace, ms (NaN when not aligned): frames after
   * it were not traced.
   */
  endMs: number;
  /** Trace events received. */
  eventCount: number;
}

/**
 * Minimal CDP session interface the tracing needs (playwright-core's `CDPSession` fits), so this
 * module does not import playwright-core.
 */
export interface CdpSession {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
  on(event: string, listener: (payload: never) => void): unknown;
  off(event: string, listener: (payload: never) => void): unknown;
}

/**
 * Starts tracing {@link TRACE_CATEGORIES}.
 *
 * @returns a function that ends the trace and resolves to all of its events.
 */
export async function startTracing(session: CdpSession): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = [];
  const onData = (e: { value: TraceEvent[] }) => {
    for (const ev of e.value) events.push(ev);
  };
  session.on('Tracing.dataCollected', onData as (payload: never) => void);
  await session.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: [...TRACE_CATEGORIES], recordMode: 'recordAsMuchAsPossible' },
  });
  return async () => {
    let onComplete: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      onComplete = resolve;
    });
    session.on('Tracing.tracingComplete', onComplete as (payload: never) => void);
    await session.send('Tracing.end');
    await done;
    session.off('Tracing.tracingComplete', onComplete as (payload: never) => void);
    session.off('Tracing.dataCollected', onData as (payload: never) => void);
    return events;
  };
}

/**
 * Picks the main thread's GC and animation-frame slices out of a trace and puts them on the page
 * clock, using the `performance.mark` named `markName` whose page time was `markStartMs`.
 * Begin/end ('B'/'E') pairs and complete ('X') events are both understood. O(events).
 *
 * @throws TypeError when `events` is not an array or `markName` not a string.
 */
export function mainThreadTimeline(
  events: readonly TraceEvent[],
  markName: string,
  markStartMs: number,
): MainThreadTimeline {
  if (!Array.isArray(events)) throw new TypeError('events must be an array of trace events');
  if (typeof markName !== 'string') throw new TypeError('markName must be a string');
  const result: MainThreadTimeline = { aligned: false, gc: [], raf: [], endMs: NaN, eventCount: events.length };
  const mark = events.find((e) => e.name === markName && e.cat?.includes('blink.user_timing') && e.ph !== 'M');
  if (!mark || !Number.isFinite(markStartMs)) return result;
  result.aligned = true;
  // page ms = trace µs / 1000 - offsetMs
  const offsetMs = mark.ts / 1000 - markStartMs;
  const open = new Map<string, number>();
  let lastUs = mark.ts;
  for (const e of events) {
    if (e.pid !== mark.pid || e.tid !== mark.tid) continue;
    if (e.ph !== 'M') lastUs = Math.max(lastUs, e.ts + (e.dur ?? 0));
    const kind = e.name === GC_EVENT_NAMES.minor ? 'minor' : e.name === GC_EVENT_NAMES.major ? 'major' : undefined;
    if (!kind && e.name !== RAF_EVENT_NAME) continue;
    let startUs: number;
    let durUs: number;
    if (e.ph === 'X') {
      startUs = e.ts;
      durUs = e.dur ?? 0;
    } else if (e.ph === 'B') {
      open.set(e.name, e.ts);
      continue;
    } else if (e.ph === 'E' && open.has(e.name)) {
      startUs = open.get(e.name) as number;
      durUs = e.ts - startUs;
      open.delete(e.name);
    } else continue;
    const slice = { startMs: startUs / 1000 - offsetMs, durationMs: durUs / 1000 };
    if (kind) result.gc.push({ kind, ...slice });
    else result.raf.push(slice);
  }
  result.endMs = lastUs / 1000 - offsetMs;
  result.gc.sort((a, b) => a.startMs - b.startMs);
  result.raf.sort((a, b) => a.startMs - b.startMs);
  return result;
}

/**
 * Assigns slices to frames: frame k spans `[beginMs[k], beginMs[k + 1])` (animation-frame
 * timestamps, page clock), and a slice belongs to the frame in which it starts. Slices before the
 * first frame or at or after the last timestamp belong to none. O(frames + slices); `slices` must
 * be sorted by start.
 *
 * @param beginMs - frame begin times, ascending, length n + 1 for n frames.
 * @returns per-frame slice counts and summed durations (ms), length n, and the frame index of
 *   each slice (-1 for none).
 */
export function slicesPerFrame(
  slices: readonly Slice[],
  beginMs: ArrayLike<number>,
): { count: number[]; ms: number[]; frameOf: number[] } {
  const n = Math.max(0, beginMs.length - 1);
  const count = new Array<number>(n).fill(0);
  const ms = new Array<number>(n).fill(0);
  const frameOf = new Array<number>(slices.length).fill(-1);
  let f = 0;
  for (let i = 0; i < slices.length; i++) {
    const s = slices[i].startMs;
    if (n === 0 || s < beginMs[0] || s >= beginMs[n]) continue;
    while (f < n - 1 && beginMs[f + 1] <= s) f++;
    count[f]++;
    ms[f] += slices[i].durationMs;
    frameOf[i] = f;
  }
  return { count, ms, frameOf };
}
